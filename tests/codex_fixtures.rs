//! Codex rollouts: every record type of the format notes, by hand.

mod common;

use cockpit::agents::source::Role;
use cockpit::agents::{AgentKind, Record, parse_all};
use cockpit::config::GaugeConfig;
use cockpit::state::tools::ToolStatus;
use common::{fixture, follow};

const TURN: &str = "codex/rollout-2026-03-01T10-00-00-019a2d7a-7c1e-7d3a-9f0e-1b2c3d4e5f60.jsonl";

#[test]
fn a_turn_ending_in_a_compaction_waits_for_the_next_usage() {
    let session = follow(&fixture(TURN), AgentKind::Codex, Role::Main);
    let gauge = &session.gauge;
    // `compacted` plus `context_compacted` describe one compaction.
    assert_eq!(gauge.compactions, 1);
    assert_eq!(gauge.settled, None);
    assert!(gauge.awaiting_reply_after_compaction);
    // Never the cumulative total_token_usage (99,900).
    assert_eq!(gauge.peak, 21_420);
    assert_eq!(gauge.window(&GaugeConfig::default()), 272_000);
    assert_eq!(session.malformed, 0);
    assert_eq!(session.meta.model.as_deref(), Some("gpt-5-codex"));
    assert_eq!(session.meta.git_branch.as_deref(), Some("main"));
    assert_eq!(session.last_prompt.as_deref(), Some("fix the failing test"));
}

#[test]
fn tool_calls_pair_with_outputs_by_call_id() {
    let session = follow(&fixture(TURN), AgentKind::Codex, Role::Main);
    let calls: Vec<(&str, &str, ToolStatus)> = session
        .tools
        .calls()
        .iter()
        .map(|c| (c.name.as_str(), c.summary.as_str(), c.status))
        .collect();
    assert_eq!(
        calls,
        [
            ("shell", "cargo test", ToolStatus::Failed),
            ("apply_patch", "src/parse.rs", ToolStatus::Ok),
            ("local_shell", "rg -n fn parse src", ToolStatus::Ok),
            ("web_search", "cargo test filter by name", ToolStatus::Ok),
            ("exec_command", "cargo test", ToolStatus::Ok),
        ]
    );
    let first = &session.tools.calls()[0];
    assert_eq!(first.duration_ms(0), Some(3_100));
    assert_eq!(session.tools.failed, 1);
}

#[test]
fn the_next_token_count_settles_the_gauge() {
    let session = follow(
        &fixture("codex/after-compaction.jsonl"),
        AgentKind::Codex,
        Role::Main,
    );
    assert_eq!(session.gauge.settled, Some(9_200));
    assert!(!session.gauge.awaiting_reply_after_compaction);
    assert_eq!(session.gauge.compactions, 1);
    assert_eq!(session.gauge.pending, 0);
}

#[test]
fn null_info_says_nothing_about_the_context() {
    let line = br#"{"timestamp":"2026-03-01T10:00:01.000Z","type":"event_msg","payload":{"type":"token_count","info":null,"rate_limits":{}}}"#;
    let (records, malformed) = parse_all(AgentKind::Codex, false, line);
    assert_eq!(malformed, 0);
    assert!(records.is_empty(), "{records:?}");
}

#[test]
fn text_after_the_last_usage_is_pending() {
    let bytes = std::fs::read(fixture(TURN)).unwrap();
    let (records, _) = parse_all(AgentKind::Codex, false, &bytes);
    let last_usage = records
        .iter()
        .rposition(|r| matches!(r, Record::Usage { .. }))
        .unwrap();
    assert!(
        records[..last_usage]
            .iter()
            .any(|r| matches!(r, Record::PendingText(t) if t.contains("test result: FAILED")))
    );
}
