use std::path::PathBuf;

use super::*;
use crate::agents::source::{Batch, Role, Source, SourceId};
use crate::agents::{AgentKind, Record, ToolEnd, ToolStart};

fn session(path: &str, role: Role) -> Session {
    Session::new(
        Source {
            id: SourceId(0),
            path: PathBuf::from(path),
            kind: AgentKind::Claude,
            role,
            modified_ms: 0,
        },
        100,
    )
}

fn usage(tokens: u64, at: i64) -> Record {
    Record::Usage {
        context_tokens: tokens,
        window: None,
        model: Some("claude-opus-4-6".into()),
        at: Some(at),
    }
}

fn apply(session: &mut Session, records: Vec<Record>) {
    session.apply(Batch {
        records,
        ..Batch::default()
    });
}

fn run(kind: ValidationKind, outcome: Outcome) -> ValidationRun {
    ValidationRun {
        tool_id: "t".into(),
        kind,
        command: "cargo test".into(),
        outcome,
        counts: None,
        exit_code: None,
        started: None,
        ended: None,
    }
}

fn alert(pattern: Pattern, session: Option<&str>, acknowledged: bool) -> Alert {
    let mut alert = Alert::new(pattern, session, None, "m", "w");
    alert.acknowledged = acknowledged;
    alert
}

#[test]
fn zone_time_is_transcript_time_credited_to_the_earlier_reading() {
    let mut s = session("/t/a.jsonl", Role::Main);
    // 200k window: 20% green, 50% yellow, 70% orange, 90% red.
    apply(
        &mut s,
        vec![
            usage(40_000, 0),
            usage(100_000, 10_000),
            usage(140_000, 25_000),
            usage(180_000, 27_000),
            // Away for an hour: only the cap (5 minutes) counts.
            usage(40_000, 27_000 + 3_600_000),
            // An out-of-order line adds nothing and does not rewind.
            usage(40_000, 1_000),
            usage(40_000, 27_000 + 3_600_000 + 4_000),
        ],
    );
    assert_eq!(
        s.zone_time,
        ZoneTime {
            green: 10_000 + 4_000,
            yellow: 15_000,
            orange: 2_000,
            red: 300_000,
        }
    );
    // A compaction that does not say the new size: the wait is in no zone.
    apply(
        &mut s,
        vec![
            Record::Compacted {
                pre_tokens: None,
                post_tokens: None,
                at: Some(3_700_000),
            },
            usage(20_000, 3_800_000),
            usage(20_000, 3_801_000),
        ],
    );
    // 69 s until the compaction, then only the second after the reply.
    assert_eq!(s.zone_time.green, 14_000 + 69_000 + 1_000);
    assert_eq!(
        s.zone_time.total(),
        14_000 + 15_000 + 2_000 + 300_000 + 70_000
    );
}

#[test]
fn zone_time_does_not_depend_on_how_lines_are_batched() {
    let records = || {
        (0..50i64)
            .map(|i| usage(20_000 + (i % 10) as u64 * 17_000, i * 7_000))
            .collect::<Vec<_>>()
    };
    let mut whole = session("/t/a.jsonl", Role::Main);
    apply(&mut whole, records());
    let mut one_by_one = session("/t/a.jsonl", Role::Main);
    for record in records() {
        apply(&mut one_by_one, vec![record]);
    }
    assert_eq!(whole.zone_time, one_by_one.zone_time);
    assert_eq!(whole.zone_time.total(), 49 * 7_000);
    assert!(whole.zone_time.red > 0 && whole.zone_time.green > 0);
}

#[test]
fn zone_time_follows_the_configured_thresholds_and_survives_a_reset() {
    let config = crate::config::GaugeConfig {
        yellow_at: 10.0,
        ..Default::default()
    };
    let mut s = session("/t/a.jsonl", Role::Main).with_gauge_config(config.into());
    apply(&mut s, vec![usage(40_000, 0), usage(40_000, 5_000)]);
    assert_eq!(s.zone_time.yellow, 5_000);
    s.apply(Batch {
        reset: true,
        records: vec![usage(40_000, 0), usage(40_000, 2_000)],
        ..Batch::default()
    });
    assert_eq!(s.zone_time.yellow, 2_000);
    assert_eq!(s.zone_time.green, 0);
}

#[test]
fn counters_per_session_and_in_total() {
    let mut main = session("/t/main.jsonl", Role::Main);
    let mut sub = session(
        "/t/main/subagents/agent-x.jsonl",
        Role::Subagent {
            agent_id: "agent-x".into(),
        },
    );
    let start = |id: &str| {
        Record::ToolStart(ToolStart {
            id: id.into(),
            name: "Bash".into(),
            summary: String::new(),
            input: String::new(),
            command: None,
            paths: Vec::new(),
            at: None,
        })
    };
    let end = |id: &str, ok| {
        Record::ToolEnd(ToolEnd {
            id: id.into(),
            ok,
            ..ToolEnd::default()
        })
    };
    apply(
        &mut main,
        vec![start("1"), end("1", true), start("2"), end("2", false)],
    );
    apply(&mut sub, vec![start("3"), end("3", true)]);
    apply(&mut main, vec![usage(40_000, 0), usage(40_000, 3_000)]);

    let main_key = "/t/main.jsonl".to_string();
    let sub_key = "/t/main/subagents/agent-x.jsonl".to_string();
    let runs = vec![
        (main_key.clone(), run(ValidationKind::Test, Outcome::Failed)),
        (main_key.clone(), run(ValidationKind::Test, Outcome::Passed)),
        (main_key.clone(), run(ValidationKind::Lint, Outcome::Passed)),
        (sub_key.clone(), run(ValidationKind::Test, Outcome::Unknown)),
        (
            "/t/gone.jsonl".into(),
            run(ValidationKind::Build, Outcome::Passed),
        ),
    ];
    let alerts = vec![
        alert(Pattern::DebugLoopSpiral, Some(&main_key), true),
        alert(Pattern::DebugLoopSpiral, Some(&main_key), false),
        alert(Pattern::TestsPassingLie, Some(&sub_key), false),
        alert(Pattern::AgentWorkspaceCollision, None, false),
    ];
    let stats = compute_from(&[main, sub], &runs, &alerts);

    let main = &stats.sessions[0];
    assert!(!main.subagent);
    let c = &main.counters;
    assert_eq!((c.tool_calls, c.failed_calls), (2, 1));
    assert_eq!(
        c.validations,
        Validations {
            runs: 3,
            passed: 2,
            failed: 1
        }
    );
    assert_eq!(c.validations.pass_rate(), Some(2.0 / 3.0));
    assert_eq!(c.by_kind[&ValidationKind::Test].passed, 1);
    assert_eq!(c.alerts[&Pattern::DebugLoopSpiral], 2);
    assert_eq!(c.acknowledged, 1);
    assert_eq!(c.zone_time.green, 3_000);

    let sub = &stats.sessions[1];
    assert!(sub.subagent);
    assert_eq!(sub.name, "agent-x");
    assert_eq!(sub.counters.validations.unknown(), 1);
    // Only an unknown run: no pass rate rather than 0%.
    assert_eq!(sub.counters.validations.pass_rate(), None);

    assert_eq!(stats.workspace.alert_count(), 1);
    let t = &stats.total;
    assert_eq!((t.tool_calls, t.failed_calls), (3, 1));
    // The run of a transcript no longer followed still counts in the total.
    assert_eq!(t.validations.runs, 5);
    assert_eq!(t.validations.passed, 3);
    assert_eq!(t.alert_count(), 4);
    assert_eq!(t.alerts.len(), 3);
    assert_eq!(t.zone_time.green, 3_000);
}
