//! Store figures: a save of a session with 10,000 events, and listing 1,000
//! stored sessions (in-process `Store::list`, and the whole `cockpit
//! sessions` process). Prints median and p95; see BENCHMARKS-store.md.
//!
//! Run: `cargo bench --bench store`

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use cockpit::agents::source::{Batch, Role, Source, SourceId};
use cockpit::agents::{AgentKind, Record, ToolEnd, ToolStart};
use cockpit::config::GaugeConfig;
use cockpit::state::Cockpit;
use cockpit::store::{Store, Tracker, ids, session_text};

const EVENTS: usize = 10_000;
const SESSIONS: usize = 1_000;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(dir.path()).unwrap();
    let mut config = repo.config().unwrap();
    config.set_str("user.name", "Bench").unwrap();
    config
        .set_str("user.email", "bench@example.invalid")
        .unwrap();
    let store = Store::open(dir.path()).unwrap();

    let (state, tracker, gauge) = session_with_events(EVENTS);
    let mut builds = Vec::new();
    let mut saves = Vec::new();
    let mut save_cpu = Vec::new();
    for i in 0..60 {
        let started = Instant::now();
        let cpu = thread_cpu();
        let record = tracker.record(&state, &gauge, 1_770_000_000_000 + i, false);
        let built = started.elapsed();
        store.save(&record).unwrap();
        builds.push(built);
        saves.push(started.elapsed());
        save_cpu.push(thread_cpu().saturating_sub(cpu));
    }
    let record = tracker.record(&state, &gauge, 0, false);
    let json = serde_json::to_vec_pretty(&record).unwrap().len();
    report_line(&format!("build record, {EVENTS} events"), &mut builds);
    report_line(
        &format!("build + save, {EVENTS} events ({json} B json)"),
        &mut saves,
    );
    report_line("  the same, CPU time of the saving thread", &mut save_cpu);

    // 1,000 more sessions. Listing reads only each tip, so one save each
    // lists like many.
    let fill = Instant::now();
    for i in 0..SESSIONS {
        let mut one = record.clone();
        one.id = ids::new_session_id();
        one.last_saved_at += i as i64;
        store.save(&one).unwrap();
    }
    eprintln!("(filled {SESSIONS} sessions in {:?})", fill.elapsed());

    let mut lists = Vec::new();
    let mut list_cpu = Vec::new();
    for _ in 0..30 {
        let started = Instant::now();
        let cpu = thread_cpu();
        let store = Store::open(dir.path()).unwrap();
        let sessions = store.list().unwrap();
        let table = session_text::sessions_table(&sessions);
        assert!(sessions.len() > SESSIONS && !table.is_empty());
        lists.push(started.elapsed());
        list_cpu.push(thread_cpu().saturating_sub(cpu));
    }
    report_line(
        &format!("open + list + table, {} sessions", SESSIONS + 1),
        &mut lists,
    );
    report_line("  the same, CPU time of the listing thread", &mut list_cpu);

    let binary = PathBuf::from(env!("CARGO_BIN_EXE_cockpit"));
    let state_dir = tempfile::tempdir().unwrap();
    let mut runs = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let out = Command::new(&binary)
            .arg("sessions")
            .current_dir(dir.path())
            .env("XDG_STATE_HOME", state_dir.path())
            .env("XDG_CONFIG_HOME", state_dir.path())
            .output()
            .unwrap();
        assert!(out.status.success());
        runs.push(started.elapsed());
    }
    report_line(
        &format!("`cockpit sessions` process, {} sessions", SESSIONS + 1),
        &mut runs,
    );
}

/// A cockpit that followed one Claude session through `events` records:
/// usage reports, tool calls and their results, prompts.
fn session_with_events(events: usize) -> (Cockpit, Tracker, GaugeConfig) {
    let gauge = GaugeConfig::default();
    let mut state = Cockpit::new("bench".into(), Some("main".into()), 1_770_000_000_000);
    let path = PathBuf::from("/home/bench/.claude/projects/bench/4d5611e5.jsonl");
    state.add_source(Source {
        id: SourceId(0),
        path: path.clone(),
        kind: AgentKind::Claude,
        role: Role::Main,
        modified_ms: 0,
    });
    let mut tracker = Tracker::new(state.started_at, None);
    for i in 0..events {
        let now = 1_770_000_000_000 + i as i64 * 1_000;
        let at = Some(now);
        let record = match i % 4 {
            0 => Record::Usage {
                context_tokens: 20_000 + (i as u64 * 37) % 150_000,
                window: None,
                model: Some("claude-opus-4-6".into()),
                at,
            },
            1 => Record::ToolStart(ToolStart {
                id: format!("t{i}"),
                name: "Bash".into(),
                summary: "cargo test".into(),
                input: "{\"command\":\"cargo test\"}".into(),
                command: Some("cargo test".into()),
                paths: Vec::new(),
                at,
            }),
            2 => Record::ToolEnd(ToolEnd {
                id: format!("t{}", i - 1),
                ok: i % 40 != 2,
                output: String::new(),
                exit_code: Some(if i % 40 != 2 { 0 } else { 101 }),
                interrupted: false,
                at,
            }),
            _ => Record::Prompt {
                text: format!("step {i}: keep going"),
                at,
            },
        };
        state.apply_batch(
            SourceId(0),
            Batch {
                records: vec![record],
                ..Batch::default()
            },
        );
        tracker.observe(&state, &gauge, now);
    }
    (state, tracker, gauge)
}

/// CPU time this thread has run (Linux `schedstat`, nanoseconds): on a
/// shared, loaded machine wall time mostly measures the other processes.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

fn report_line(label: &str, samples: &mut [Duration]) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{label:<55} median {:>9.3} ms   p95 {:>9.3} ms   (n={})",
        at(0.5).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        samples.len()
    );
}
