//! What lifecycle hooks and the status line tell the cockpit, applied to the
//! state: a new session's transcript to follow, the real window size, and the
//! decisions the policy made alone.

use std::path::PathBuf;

use serde_json::Value;

use crate::agents::AgentKind;
use crate::approvals::policy::Verdict;
use crate::sources::Sources;
use crate::state::Cockpit;
use crate::state::approvals::ApprovalRecord;

pub fn apply(state: &mut Cockpit, agent: AgentKind, payload: &Value, sources: Option<&Sources>) {
    let text = |key: &str| payload.get(key).and_then(Value::as_str);
    let event = text("hook_event_name").unwrap_or_default();
    match event {
        "cockpit_policy_decision" => {
            let verdict = payload
                .get("verdict")
                .and_then(|v| serde_json::from_value::<Verdict>(v.clone()).ok())
                .unwrap_or(Verdict::Pass);
            let tool = text("tool_name").unwrap_or("?").to_string();
            let input = payload.get("tool_input").cloned().unwrap_or(Value::Null);
            state.approvals.record_rule_decision(ApprovalRecord {
                at: state.now,
                agent,
                session_id: text("session_id").map(str::to_string),
                summary: crate::agents::summary::summarize(&tool, &input, None),
                tool,
                verdict,
                by: format!("rule:{}", text("rule").unwrap_or("?")),
                reason: text("reason").map(str::to_string),
                waited_ms: None,
            });
        }
        "StatusLine" => {
            let window = payload
                .pointer("/context_window/context_window_size")
                .and_then(Value::as_u64);
            let transcript = text("transcript_path");
            let session_id = text("session_id");
            if let Some(window) = window {
                for session in &mut state.sessions {
                    let same_file =
                        transcript.is_some_and(|t| session.source.path == std::path::Path::new(t));
                    let same_id =
                        session_id.is_some() && session.meta.session_id.as_deref() == session_id;
                    if same_file || same_id {
                        session.gauge.reported_window = Some(window);
                    }
                }
            }
        }
        "SessionEnd" | "SubagentStop" | "Stop" => {
            mark_turn(state, event, payload);
            let detail = text("reason")
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            state.notice(format!("{}: {event}{detail}", agent.label()));
        }
        _ => {
            if event == "SessionStart"
                && let (Some(path), Some(sources)) = (text("transcript_path"), sources)
            {
                sources.follow(PathBuf::from(path));
            }
            if !event.is_empty() {
                let detail = text("source")
                    .or_else(|| text("trigger"))
                    .or_else(|| text("reason"))
                    .or_else(|| text("notification_type"))
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
                state.notice(format!("{}: {event}{detail}", agent.label()));
            }
        }
    }
}

/// `SessionEnd` and `SubagentStop` end an agent's row in the middle loop;
/// `Stop` says the main agent's turn is over (idle, waiting for the human).
fn mark_turn(state: &mut Cockpit, event: &str, payload: &Value) {
    let text = |key: &str| payload.get(key).and_then(Value::as_str);
    let now = state.now;
    let (transcript, session_id) = match event {
        "SubagentStop" => (text("agent_transcript_path"), None),
        _ => (text("transcript_path"), text("session_id")),
    };
    let agent_id = text("agent_id");
    for session in &mut state.sessions {
        let same_file = transcript.is_some_and(|t| session.source.path == std::path::Path::new(t));
        let same = match event {
            "SubagentStop" => {
                same_file
                    || matches!(&session.source.role, crate::event::Role::Subagent { agent_id: id }
                        if Some(id.as_str()) == agent_id || agent_id.is_some_and(|a| id.ends_with(a)))
            }
            _ => {
                session.is_main()
                    && (same_file
                        || (session_id.is_some()
                            && session.meta.session_id.as_deref() == session_id))
            }
        };
        if !same {
            continue;
        }
        match event {
            "Stop" => session.turn_ended_at = Some(now.max(session.last_seen.unwrap_or(now))),
            _ => session.ended = true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Role, Source, SourceId};
    use crate::state::Activity;

    fn source(id: u32, path: &str, role: Role) -> Source {
        Source {
            id: SourceId(id),
            path: path.into(),
            kind: AgentKind::Claude,
            role,
            modified_ms: 0,
        }
    }

    #[test]
    fn stop_idles_the_session_and_the_end_hooks_end_their_rows() {
        let mut state = Cockpit::new("p".into(), None, 0);
        state.add_source(source(0, "/t/s1.jsonl", Role::Main));
        state.add_source(source(
            1,
            "/t/s1/subagents/agent-a1.jsonl",
            Role::Subagent {
                agent_id: "a1".into(),
            },
        ));
        for session in &mut state.sessions {
            session.last_seen = Some(1_000);
        }
        state.now = 2_000;
        assert_eq!(state.activity(0), Activity::Working);
        let hook = |event: &str, extra: serde_json::Value| {
            let mut payload = serde_json::json!({
                "hook_event_name": event,
                "session_id": "s1",
                "transcript_path": "/t/s1.jsonl",
            });
            payload
                .as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            payload
        };
        apply(
            &mut state,
            AgentKind::Claude,
            &hook("Stop", serde_json::json!({})),
            None,
        );
        assert_eq!(state.activity(0), Activity::Idle);
        assert_eq!(state.activity(1), Activity::Working, "the subagent goes on");
        let stop = hook(
            "SubagentStop",
            serde_json::json!({"agent_id": "a1", "agent_transcript_path": "/t/s1/subagents/agent-a1.jsonl"}),
        );
        apply(&mut state, AgentKind::Claude, &stop, None);
        assert_eq!(state.activity(1), Activity::Ended);
        assert_eq!(state.activity(0), Activity::Idle);
        apply(
            &mut state,
            AgentKind::Claude,
            &hook("SessionEnd", serde_json::json!({"reason": "other"})),
            None,
        );
        assert_eq!(state.activity(0), Activity::Ended);
    }
}
