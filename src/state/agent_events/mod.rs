//! What lifecycle hooks, the status line and transcripts tell the cockpit,
//! applied to the state: a new session's transcript to follow, the real
//! window size, the decisions the policy made alone, and the requests the
//! agent settled itself (answered in its own dialog).

use std::path::PathBuf;

use serde_json::Value;

use crate::agents::AgentKind;
use crate::policy::Verdict;
use crate::state::approvals::ApprovalRecord;
use crate::state::belongs::Named;
use crate::state::retire::{Call, Origin, Settled};
use crate::state::{Cockpit, Effect};

mod hook_event;
mod transcript;

use hook_event::HookEvent;
pub use transcript::{Signal, settle_from_transcript, signals};

/// What the loop must do beyond the state (a transcript to follow) goes
/// into `effects`.
pub fn apply(
    state: &mut Cockpit,
    agent: AgentKind,
    payload: &Value,
    mut effects: Option<&mut Vec<Effect>>,
) {
    let text = |key: &str| payload.get(key).and_then(Value::as_str);
    let event = HookEvent::of(payload);
    match event {
        HookEvent::PolicyDecision => {
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
                transcript_path: text("transcript_path").map(str::to_string),
                hook_event: text("gate").map(str::to_string),
                summary: crate::agents::summary::summarize(&tool, &input, None),
                tool,
                verdict,
                by: format!("rule:{}", text("rule").unwrap_or("?")),
                reason: text("reason").map(str::to_string),
                waited_ms: None,
            });
        }
        HookEvent::StatusLine => {
            let window = payload
                .pointer("/context_window/context_window_size")
                .and_then(Value::as_u64);
            let named = Named::of_payload(payload);
            if let Some(window) = window {
                let news = named
                    .session_id
                    .is_some_and(|id| state.known_windows.note(id, window, state.now));
                if news && let Some(effects) = effects.as_deref_mut() {
                    effects.push(Effect::SaveKnownWindows);
                }
                // The status line is the main agent's: its window is not
                // its subagents' (they may run on another model).
                for session in &mut state.sessions {
                    if named.names(session) {
                        session.gauge.reported_window = Some(window);
                    }
                }
            }
        }
        // The call ran (or failed) after an answer given in the agent.
        HookEvent::ToolRan | HookEvent::ToolFailed => {
            let call = Call::Hook {
                tool: text("tool_name").unwrap_or_default(),
                input: payload.get("tool_input").unwrap_or(&Value::Null),
            };
            let settled = match event {
                HookEvent::ToolRan => Settled::Ran,
                _ => Settled::Failed,
            };
            let origin = hook_origin(agent, payload);
            let now = state.now;
            if let Some(words) = state.approvals.settle_call(&origin, &call, settled, now) {
                state.notice(words);
            }
        }
        HookEvent::UserPromptSubmit => {
            let origin = hook_origin(agent, payload);
            let now = state.now;
            if let Some(words) = state.approvals.settle_session(&origin, now) {
                state.notice(words);
            }
        }
        HookEvent::AgentExited => {
            mark_turn(state, HookEvent::SessionEnd, payload);
            let pid = payload.get("pid").and_then(Value::as_u64).unwrap_or(0);
            state.notice(format!(
                "{}: its process (pid {pid}) exited: session ended",
                agent.label()
            ));
        }
        HookEvent::SessionEnd | HookEvent::SubagentStop | HookEvent::Stop => {
            mark_turn(state, event, payload);
            let detail = text("reason")
                .map(|d| format!(" ({d})"))
                .unwrap_or_default();
            state.notice(format!("{}: {}{detail}", agent.label(), event.name()));
        }
        _ => {
            if event == HookEvent::SessionStart
                && let Some(path) = text("transcript_path")
            {
                let path = PathBuf::from(path);
                match state.sessions.iter_mut().find(|s| s.source.path == path) {
                    Some(session) => session.announced = true,
                    None if state.announced.len() < 64 => state.announced.push(path.clone()),
                    None => {}
                }
                if let Some(effects) = effects {
                    effects.push(Effect::Follow(path));
                    // Codex's SessionEnd never comes from its TUI.
                    if agent == AgentKind::Codex
                        && let (Some(id), Some(cwd)) = (text("session_id"), text("cwd"))
                    {
                        effects.push(Effect::EndWithCodexProcess {
                            session_id: id.to_string(),
                            cwd: PathBuf::from(cwd),
                        });
                    }
                }
            }
            if let Some(given) = payload.get("cockpit_handoff") {
                state.notice(handoff_notice(agent, given));
            } else if !event.name().is_empty() {
                let detail = text("source")
                    .or_else(|| text("trigger"))
                    .or_else(|| text("reason"))
                    .or_else(|| text("notification_type"))
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
                state.notice(format!("{}: {}{detail}", agent.label(), event.name()));
            }
        }
    }
}

/// The SessionStart hook gave the new agent session a past session's handoff.
fn handoff_notice(agent: AgentKind, given: &Value) -> String {
    let record = given
        .get("record_id")
        .and_then(Value::as_str)
        .unwrap_or("?");
    let short: String = record.chars().take(8).collect();
    let tokens = given.get("tokens").and_then(Value::as_u64).unwrap_or(0);
    let cut = if given.get("cut").and_then(Value::as_bool) == Some(true) {
        ", cut to fit"
    } else {
        ""
    };
    format!(
        "handoff of session {short} given to the new {} session (~{tokens} tokens{cut})",
        agent.label()
    )
}

fn hook_origin(agent: AgentKind, payload: &Value) -> Origin<'_> {
    let text = |key: &str| payload.get(key).and_then(Value::as_str);
    Origin {
        agent,
        session_id: text("session_id"),
        transcript: text("transcript_path"),
        at: None,
    }
}

/// `SessionEnd` and `SubagentStop` end an agent's row in the middle loop;
/// `Stop` says the main agent's turn is over (idle, waiting for the human).
fn mark_turn(state: &mut Cockpit, event: HookEvent<'_>, payload: &Value) {
    let text = |key: &str| payload.get(key).and_then(Value::as_str);
    let now = state.now;
    // SubagentStop names the subagent by its own transcript (and agent id);
    // the common fields name its parent.
    let named = match event {
        HookEvent::SubagentStop => Named::new(None, text("agent_transcript_path")),
        _ => Named::of_payload(payload),
    };
    let agent_id = text("agent_id");
    for session in &mut state.sessions {
        let same = match event {
            HookEvent::SubagentStop => {
                named.names(session)
                    || matches!(&session.source.role, crate::agents::source::Role::Subagent { agent_id: id }
                        if Some(id.as_str()) == agent_id || agent_id.is_some_and(|a| id.ends_with(a)))
            }
            _ => named.names(session),
        };
        if !same {
            continue;
        }
        match event {
            HookEvent::Stop => {
                session.turn_ended_at = Some(now.max(session.last_seen.unwrap_or(now)))
            }
            _ => session.ended = true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::source::{Role, Source, SourceId};
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

    /// Claude Code 2.1.328 sends `SessionStart` before its transcript exists:
    /// the session is starting (not ended) and takes the screen.
    #[test]
    fn an_announced_session_is_starting_and_comes_to_the_front() {
        let mut state = Cockpit::new("p".into(), None, 0);
        let mut old = source(0, "/t/old.jsonl", Role::Main);
        old.modified_ms = 5_000;
        state.add_source(old);
        state.sessions[0].last_seen = Some(5_000);
        let start = serde_json::json!({
            "hook_event_name": "SessionStart",
            "session_id": "new",
            "transcript_path": "/t/new.jsonl",
            "source": "startup",
        });
        apply(&mut state, AgentKind::Claude, &start, None);
        let mut new = source(1, "/t/new.jsonl", Role::Main);
        new.modified_ms = 9_000; // sources: a missing file is as new as now
        state.add_source(new);
        state.sessions[1].gone = true; // no file yet
        assert_eq!(
            state.selected,
            Some(1),
            "the new session comes to the front"
        );
        assert_eq!(state.activity(1), Activity::Starting);
        state.sessions[1].gone = false;
        state.sessions[1].last_seen = Some(9_500);
        state.now = 9_600;
        assert_eq!(state.activity(1), Activity::Working);
    }

    #[test]
    fn a_session_the_user_picked_keeps_the_screen() {
        let mut state = Cockpit::new("p".into(), None, 0);
        state.add_source(source(0, "/t/a.jsonl", Role::Main));
        state.view.user_picked = true;
        let mut new = source(1, "/t/b.jsonl", Role::Main);
        new.modified_ms = 9_000;
        state.add_source(new);
        assert_eq!(state.selected, Some(0));
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

    #[test]
    fn a_subagents_task_prompt_retires_nothing_a_typed_one_does() {
        let mut state = Cockpit::new("p".into(), None, 0);
        state.add_source(source(0, "/t/s1.jsonl", Role::Main));
        let sub = Role::Subagent {
            agent_id: "a1".into(),
        };
        state.add_source(source(1, "/t/s1/subagents/agent-a1.jsonl", sub));
        for session in &mut state.sessions {
            session.meta.session_id = Some("s1".into());
        }
        let request = crate::policy::protocol::ApprovalRequest {
            version: 1,
            agent: AgentKind::Claude,
            hook_event: "PermissionRequest".into(),
            session_id: Some("s1".into()),
            transcript_path: Some("/t/s1.jsonl".into()),
            cwd: None,
            tool: "Bash".into(),
            input: serde_json::json!({"command": "git push -f"}),
            rule: None,
            reason: None,
            why: String::new(),
        };
        let line = crate::state::hook_line::HookLine::detached();
        state.approvals.arrive("r".into(), request, line, 100);
        let prompt = [Signal::Prompt { at: Some(200) }];
        settle_from_transcript(&mut state, SourceId(1), &prompt);
        assert_eq!(state.approvals.pending.len(), 1, "a subagent's task");
        settle_from_transcript(&mut state, SourceId(0), &[Signal::Prompt { at: Some(50) }]);
        assert_eq!(state.approvals.pending.len(), 1, "a prompt from before");
        settle_from_transcript(&mut state, SourceId(0), &prompt);
        assert!(state.approvals.pending.is_empty());
        let retired: Vec<_> = state.approvals.retired.iter().map(|h| &h.id).collect();
        assert_eq!(retired, ["r"]);
    }

    #[test]
    fn session_start_asks_the_loop_to_follow_the_transcript() {
        let mut state = Cockpit::new("p".into(), None, 0);
        let start = serde_json::json!({
            "hook_event_name": "SessionStart",
            "transcript_path": "/t/new.jsonl",
        });
        let mut effects = Vec::new();
        apply(&mut state, AgentKind::Claude, &start, Some(&mut effects));
        assert_eq!(effects, vec![Effect::Follow("/t/new.jsonl".into())]);
        assert_eq!(state.announced, vec![PathBuf::from("/t/new.jsonl")]);
    }
}
