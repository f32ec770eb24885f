//! The gauge and tool feed on real Claude Code transcripts (marot/spotter,
//! MIT). Expected figures were computed independently from the raw JSON.

mod common;

use cockpit::agents::AgentKind;
use cockpit::agents::source::Role;
use cockpit::config::GaugeConfig;
use cockpit::state::tools::ToolStatus;
use common::{fixture, follow};

const LONG: &str = "claude/4d5611e5-241a-462a-8d15-5122611a9569.jsonl";

#[test]
fn long_session_ends_at_106060_after_one_compaction() {
    let session = follow(&fixture(LONG), AgentKind::Claude, Role::Main);
    let gauge = &session.gauge;
    assert_eq!(gauge.settled, Some(106_060));
    assert_eq!(gauge.compactions, 1);
    assert_eq!(gauge.peak, 164_831);
    assert!(!gauge.awaiting_reply_after_compaction);
    assert_eq!(gauge.window(&GaugeConfig::default()), 200_000);
    assert_eq!(session.tools.total, 150);
    assert_eq!(session.tools.failed, 5);
    assert_eq!(session.tools.running(), 0);
    assert_eq!(session.malformed, 0);
    assert_eq!(session.meta.model.as_deref(), Some("claude-opus-4-6"));
    assert_eq!(
        session.meta.session_id.as_deref(),
        Some("4d5611e5-241a-462a-8d15-5122611a9569")
    );
}

#[test]
fn smaller_sessions_match_independent_figures() {
    // (file, context, tool calls, failed)
    for (file, context, calls, failed) in [
        ("claude/short.jsonl", 25_353, 2, 2),
        ("claude/tool_heavy.jsonl", 27_666, 6, 0),
        // Old inline layout: 405 sidechain lines must not move the gauge.
        ("claude/subagent.jsonl", 43_861, 16, 0),
    ] {
        let session = follow(&fixture(file), AgentKind::Claude, Role::Main);
        assert_eq!(session.gauge.settled, Some(context), "{file}");
        assert_eq!(session.tools.total, calls, "{file}");
        assert_eq!(session.tools.failed, failed, "{file}");
        assert_eq!(session.malformed, 0, "{file}");
    }
}

#[test]
fn subagent_files_have_their_own_gauge() {
    let dir = "claude/4d5611e5-241a-462a-8d15-5122611a9569/subagents";
    let agent = follow(
        &fixture(&format!("{dir}/agent-a2898e3.jsonl")),
        AgentKind::Claude,
        Role::Subagent {
            agent_id: "a2898e3".into(),
        },
    );
    assert_eq!(agent.gauge.settled, Some(71_257));
    assert_eq!(agent.tools.total, 33);
    assert_eq!(agent.tools.failed, 8);
    // The compaction's own LLM call: a sidechain, never the main context.
    let compaction = follow(
        &fixture(&format!("{dir}/agent-acompact-e1f845.jsonl")),
        AgentKind::Claude,
        Role::Subagent {
            agent_id: "acompact-e1f845".into(),
        },
    );
    assert_eq!(compaction.gauge.settled, Some(173_514));
}

#[test]
fn every_call_in_the_long_session_has_a_status_and_duration() {
    let session = follow(&fixture(LONG), AgentKind::Claude, Role::Main);
    for call in session.tools.calls() {
        assert_ne!(call.status, ToolStatus::Running, "{}", call.id);
        assert!(call.duration_ms(0).is_some_and(|d| d >= 0), "{}", call.id);
        assert!(!call.summary.is_empty(), "{} {}", call.name, call.id);
        assert!(
            !call.summary.chars().any(char::is_control),
            "{}",
            call.summary
        );
    }
}
