//! What the real binary saves stays true: a resumed session counts once
//! what it had counted, every figure belongs to the agent it is shown
//! under, and a mistyped `--transcript` is refused before anything opens.

mod common;
mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cockpit::text::compact_count;
use common::git::git;
use serde_json::Value;
use support::pty::Pty;

const CLAUDE: &str = "claude/4d5611e5-241a-462a-8d15-5122611a9569.jsonl";

/// A temporary home with a git repository `app` in it, and a config that
/// quits on `q` without asking for a learning.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("app");
        std::fs::create_dir_all(&repo).unwrap();
        git(&repo, &["init", "-q", "-b", "main"]);
        let config = dir.path().join("config/cockpit");
        std::fs::create_dir_all(&config).unwrap();
        std::fs::write(
            config.join("config.toml"),
            "[store]\nask_learning_on_quit = false\n",
        )
        .unwrap();
        Home { dir }
    }

    fn repo(&self) -> PathBuf {
        self.dir.path().join("app")
    }

    fn env(&self) -> Vec<(&'static str, PathBuf)> {
        let dir = self.dir.path();
        vec![
            ("HOME", dir.to_path_buf()),
            ("XDG_CONFIG_HOME", dir.join("config")),
            ("XDG_STATE_HOME", dir.join("state")),
            ("COCKPIT_RUNTIME_DIR", dir.join("run")),
        ]
    }

    /// The cockpit on a terminal, in the repository.
    fn start(&self, args: &[&str]) -> Pty {
        let env = self.env();
        let env: Vec<(&str, &Path)> = env.iter().map(|(k, v)| (*k, v.as_path())).collect();
        Pty::start(args, &self.repo(), &env, (30, 120))
    }

    /// The cockpit with no terminal (the store's commands, or an error).
    fn run(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(support::pty::BIN);
        cmd.args(args)
            .current_dir(self.repo())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null");
        for (key, value) in self.env() {
            cmd.env(key, value);
        }
        cmd.output().unwrap()
    }

    fn stdout(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn record(&self, id: &str) -> Value {
        serde_json::from_str(&self.stdout(&["show", id, "--json"])).unwrap()
    }

    fn session_refs(&self) -> Vec<String> {
        git(
            &self.repo(),
            &["for-each-ref", "--format=%(refname)", "refs/cockpit/"],
        )
        .lines()
        .map(str::to_string)
        .collect()
    }

    /// A copy of a fixture, free to grow.
    fn copy(&self, fixture: &str, name: &str) -> PathBuf {
        let to = self.dir.path().join(name);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(common::fixture(fixture), &to).unwrap();
        to
    }
}

/// The context the gauge shows once `line` (an assistant line) is read.
fn claude_usage(tokens: u64, at: &str) -> String {
    format!(
        r#"{{"type":"assistant","isSidechain":false,"sessionId":"4d5611e5-241a-462a-8d15-5122611a9569","cwd":"/p","timestamp":"{at}","message":{{"model":"claude-opus-4-6","content":[],"usage":{{"input_tokens":{tokens},"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":5}}}}}}
"#
    )
}

/// Opens, waits for `shown`, quits with `q`.
fn run_until(pty: &mut Pty, shown: &str) {
    pty.wait_for(shown);
    pty.keys("q");
    pty.wait_exit();
}

fn only_id(home: &Home) -> String {
    let refs = home.session_refs();
    assert_eq!(refs.len(), 1, "{refs:?}");
    refs[0].rsplit('/').next().unwrap().to_string()
}

fn zone_total(record: &Value) -> f64 {
    let z = &record["counters"]["zone_seconds"];
    ["green", "yellow", "orange", "red"]
        .iter()
        .map(|k| z[k].as_f64().unwrap())
        .sum()
}

/// What a resume must not count twice.
fn counted(record: &Value) -> (Vec<Value>, Vec<Value>, Value, Value, Value) {
    (
        record["gauge"]["samples"].as_array().unwrap().clone(),
        record["gauge"]["compactions"].as_array().unwrap().clone(),
        record["alerts"].clone(),
        record["agents"].as_array().unwrap()[0]["compactions"].clone(),
        record["counters"]["zone_seconds"].clone(),
    )
}

#[test]
fn a_resumed_session_counts_once_what_it_had_counted() {
    let home = Home::new();
    let transcript = home.copy(CLAUDE, "t.jsonl");
    let path = transcript.to_string_lossy().into_owned();
    let mut first = home.start(&["--transcript", &path]);
    run_until(&mut first, "106,060");
    let id = only_id(&home);
    let saved = home.record(&id);
    let (samples, compactions, alerts, _, _) = counted(&saved);
    assert!(samples.len() > 1, "{samples:?}");
    assert_eq!(compactions.len(), 1, "the fixture compacts once");
    assert!(!alerts.as_array().unwrap().is_empty(), "the fixture alerts");
    assert!(zone_total(&saved) > 0.0, "{}", saved["counters"]);

    // Resumed twice with nothing new: the record is counted once.
    for _ in 0..2 {
        let mut again = home.start(&["resume", &id]);
        run_until(&mut again, "106,060");
        assert_eq!(only_id(&home), id, "the same ref goes on");
        assert_eq!(counted(&home.record(&id)), counted(&saved));
    }

    // The transcript grew meanwhile: only what is new is added.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&transcript)
        .unwrap();
    std::io::Write::write_all(
        &mut file,
        claude_usage(110_000, "2026-02-12T21:04:34.112Z").as_bytes(),
    )
    .unwrap();
    drop(file);
    let mut grown = home.start(&["resume", &id]);
    run_until(&mut grown, "110,000");
    let after = home.record(&id);
    let (new_samples, new_compactions, new_alerts, agent_compactions, _) = counted(&after);
    assert_eq!(new_samples.len(), samples.len() + 1, "{new_samples:?}");
    assert_eq!(new_samples[..samples.len()], samples[..]);
    assert_eq!(new_samples.last().unwrap()["tokens"], 110_000);
    assert_eq!(new_compactions, compactions);
    assert_eq!(new_alerts, alerts, "55% crosses no threshold");
    assert_eq!(agent_compactions, 1);
    assert!(zone_total(&after) > zone_total(&saved));
    let shown = home.stdout(&["show", &id]);
    assert!(
        shown.contains(&format!("{} samples", samples.len() + 1)),
        "{shown}"
    );
}

/// The stats view's total row: its last four cells, the time in each zone.
fn stats_zones(pty: &mut Pty) -> Vec<String> {
    pty.keys("s");
    pty.wait_for(" total");
    let screen = pty.contents();
    let row = screen.lines().find(|l| l.contains(" total")).unwrap();
    // The popup's border and the panels around it are box-drawing cells.
    let border = |cell: &&str| cell.chars().any(|c| ('\u{2500}'..='\u{257f}').contains(&c));
    let cells: Vec<&str> = row.split_whitespace().filter(|c| !border(c)).collect();
    let zones = cells[cells.len() - 4..].iter().map(|c| c.to_string());
    let zones: Vec<String> = zones.collect();
    pty.keys(" "); // any key closes it
    pty.wait_gone(" total");
    zones
}

#[test]
fn the_record_keeps_the_zone_time_the_stats_view_shows() {
    let home = Home::new();
    let transcript = common::fixture(CLAUDE).to_string_lossy().into_owned();
    let mut pty = home.start(&["--transcript", &transcript]);
    pty.wait_for("106,060");
    let on_screen = stats_zones(&mut pty);
    assert!(on_screen.iter().any(|z| z != "-"), "{on_screen:?}");
    pty.keys("q");
    pty.wait_exit();
    let id = only_id(&home);
    let shown = home.stdout(&["show", &id]);
    let expected = format!(
        "green {}, yellow {}, orange {}, red {}",
        on_screen[0], on_screen[1], on_screen[2], on_screen[3]
    );
    let totals = shown.lines().find(|l| l.starts_with("zones")).unwrap();
    assert!(totals.contains(&expected), "{expected}\n{shown}");
    let agent = shown.lines().find(|l| l.contains("    zones:")).unwrap();
    assert!(
        agent.contains(&expected),
        "one agent: its zones are the total\n{shown}"
    );
}

#[test]
fn a_transcript_that_is_not_a_readable_file_is_refused_before_the_screen_opens() {
    let home = Home::new();
    let missing = home.dir.path().join("typo.jsonl");
    let directory = home.dir.path().join("a-directory");
    std::fs::create_dir_all(&directory).unwrap();
    let good = common::fixture(CLAUDE);
    for bad in [&missing, &directory] {
        let bad = bad.to_string_lossy().into_owned();
        let args = ["--transcript", good.to_str().unwrap(), "--transcript", &bad];
        let out = home.run(&args);
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("cockpit: --transcript ") && stderr.contains(&bad),
            "{stderr}"
        );
        // On a terminal: the same line, and the screen never opened.
        let mut pty = home.start(&args);
        pty.drain();
        pty.wait_exit();
        assert!(pty.contents().contains(&bad), "{}", pty.contents());
        let alternate = b"\x1b[?1049h";
        assert!(
            !pty.raw.windows(alternate.len()).any(|w| w == alternate),
            "the full screen was entered"
        );
        assert_eq!(home.session_refs(), Vec::<String>::new(), "nothing saved");
    }
}

const CODEX: &str = "codex/rollout-2026-03-01T10-00-00-019a2d7a-7c1e-7d3a-9f0e-1b2c3d4e5f60.jsonl";
const COMPACTION: &str =
    "claude/4d5611e5-241a-462a-8d15-5122611a9569/subagents/agent-acompact-e1f845.jsonl";

#[test]
fn every_figure_belongs_to_the_agent_it_is_shown_under() {
    let home = Home::new();
    let paths: Vec<String> = [CODEX, CLAUDE, COMPACTION]
        .iter()
        .map(|f| common::fixture(f).to_string_lossy().into_owned())
        .collect();
    let mut args = Vec::new();
    for path in &paths {
        args.extend(["--transcript", path.as_str()]);
    }
    let mut pty = home.start(&args);
    pty.wait_for("acompact-e1f845");
    pty.wait_for("53%");
    pty.keys("q");
    pty.wait_exit();
    let id = only_id(&home);
    let record = home.record(&id);
    let agents = record["agents"].as_array().unwrap();
    let summary: Value = serde_json::from_str(&home.stdout(&["sessions", "--json"])).unwrap();
    let summary = &summary[0];
    let named = summary["agent_session_id"].as_str().unwrap();
    let transcripts = record["transcripts"].as_array().unwrap();
    let role = |a: &Value| {
        let t = transcripts.iter().find(|t| t["path"] == a["transcript"]);
        t.unwrap()["role"].as_str().unwrap().to_string()
    };
    let main = agents
        .iter()
        .find(|a| a["agent_session_id"] == named && role(a) == "main")
        .unwrap();
    let conversation: Vec<&Value> = agents
        .iter()
        .filter(|a| a["agent_session_id"] == named)
        .collect();
    let others: Vec<&Value> = agents
        .iter()
        .filter(|a| a["agent_session_id"] != named)
        .collect();
    assert!(
        !others.is_empty(),
        "two agents' conversations were followed"
    );
    let num = |v: &Value| v.as_u64().unwrap();
    let sum = |key: &str| conversation.iter().map(|a| num(&a[key])).sum::<u64>();
    let (peak, window) = (num(&main["peak_tokens"]), num(&main["window"]));

    // The listing: the named agent's model, window, peak and calls.
    assert_eq!(summary["model"], main["model"]);
    assert_eq!(num(&summary["window"]), window);
    assert_eq!(num(&summary["peak_tokens"]), peak);
    assert_eq!(num(&summary["tool_calls"]), sum("tool_calls"));
    assert_eq!(num(&summary["failed_calls"]), sum("failed_calls"));
    let table = home.stdout(&["sessions"]);
    let model = main["model"].as_str().unwrap();
    let figures = format!("{}/{}", compact_count(peak), compact_count(window));
    let row = table.lines().find(|l| l.contains(&id[..8])).unwrap();
    assert!(
        row.contains(model) && row.contains(&figures),
        "{figures}\n{table}"
    );
    // The outer loop's past sessions are built from the same summary.
    let parsed: cockpit::store::SessionSummary = serde_json::from_value(summary.clone()).unwrap();
    let past = cockpit::state::PastSession::from(&parsed);
    assert_eq!(past.peak_percent, Some(peak * 100 / window));
    assert_eq!(past.tool_calls, sum("tool_calls"));

    // The handoff: the named agent's figures, the others' on their own lines.
    let handoff = home.stdout(&["handoff", &id]);
    assert!(
        handoff.contains(&format!("of {window} tokens"))
            && handoff.contains(&format!("on {model}; peak {peak} reported"))
            && handoff.contains(&format!(
                "{} tool calls, {} failed.",
                sum("tool_calls"),
                sum("failed_calls")
            )),
        "{handoff}"
    );
    for other in others.iter().filter(|a| role(a) == "main") {
        let line = format!(
            "on {}: {} of {} tokens, peak {}",
            other["model"].as_str().unwrap(),
            other["context_tokens"],
            other["window"],
            other["peak_tokens"]
        );
        assert!(handoff.contains(&line), "{line}\n{handoff}");
    }
    let mine = |a: &&Value| {
        a["transcript"].is_null()
            || conversation
                .iter()
                .any(|c| c["transcript"] == a["transcript"])
    };
    let alerts = record["alerts"].as_array().unwrap();
    assert!(
        alerts.iter().any(|a| !mine(&a)),
        "the other agent alerted too"
    );
    let listed = handoff.split("## Alerts\n").nth(1).map_or(0, |rest| {
        rest.lines().take_while(|l| l.starts_with("- ")).count()
    });
    let expected = alerts
        .iter()
        .filter(mine)
        .filter(|a| a["acknowledged"] == false)
        .count();
    assert_eq!(listed, expected.min(10), "{handoff}");

    // `show`: each alert names its agent.
    let shown = home.stdout(&["show", &id]);
    for alert in alerts {
        let agent = agents
            .iter()
            .find(|a| a["transcript"] == alert["transcript"])
            .unwrap();
        let short: String = agent["agent_session_id"]
            .as_str()
            .unwrap()
            .chars()
            .take(8)
            .collect();
        let line = shown
            .lines()
            .find(|l| l.contains(alert["message"].as_str().unwrap()) && l.contains(&short));
        assert!(line.is_some(), "{alert}\n{shown}");
    }
}
