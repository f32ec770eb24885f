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
                for session in &mut state.project_mut().sessions {
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
                let sessions = &mut state.project_mut().sessions;
                if let Some(session) = sessions.iter_mut().find(|s| s.source.path == path) {
                    session.announced = true;
                } else if state.announced.len() < 64 {
                    state.announced.push(path.clone());
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
    for session in &mut state.project_mut().sessions {
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
mod tests;
