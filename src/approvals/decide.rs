//! One deciding hook call: the policy's verdict answered at once, or the
//! human asked in the cockpit, or, when the cockpit cannot decide, the
//! agent's own prompt or a denial (`fallback`).

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::agents::AgentKind;
use crate::config::Config;
use crate::policy::protocol::{ApprovalRequest, VERSION};
use crate::policy::{Decision, Verdict};

use super::answer::{Gate, agent_can_ask, render};
use super::client::{self, Failure, ask_cockpit, send_event};
use super::failsafe;
use super::ipc;
use super::outcome::Outcome;
use super::watchdog;

/// The longest the hook waits for the cockpit: under the 600 s install-hooks
/// gives the hook, so the fail-safe answers before the agent kills the hook
/// (a killed hook is a failed hook, and Codex then runs the call).
const MAX_WAIT_SECS: u64 = 590;

/// One deciding hook call and where it came from.
pub(super) struct Call<'a> {
    pub(super) agent: AgentKind,
    pub(super) gate: Gate,
    pub(super) hook: &'a Value,
    pub(super) cwd: &'a Path,
    pub(super) runtime_dir: &'a Path,
}

pub(super) fn decide(
    config: &Config,
    call: &Call<'_>,
    tool: &str,
    tool_input: Value,
    decision: Decision,
) -> Outcome {
    let (agent, gate) = (call.agent, call.gate);
    let needs_human = match decision.verdict {
        Verdict::Ask => true,
        // The agent asks for a permission only when it would show its own
        // prompt: the human answers in the cockpit instead.
        Verdict::Pass => gate == Gate::PermissionRequest,
        Verdict::Allow | Verdict::Deny => false,
    };
    if !needs_human {
        if matches!(decision.verdict, Verdict::Allow | Verdict::Deny) {
            // Recorded in the cockpit's session (who: the rule); best-effort.
            let note = json!({
                "hook_event_name": "cockpit_policy_decision",
                "session_id": call.hook.get("session_id"),
                "transcript_path": call.hook.get("transcript_path"),
                "gate": gate.name(),
                "tool_name": tool,
                "tool_input": &tool_input,
                "verdict": decision.verdict,
                "rule": decision.rule,
                "reason": decision.reason,
            });
            let _ = send_event(call.runtime_dir, call.cwd, agent, note);
        }
        let reason = decision.reason.clone().or_else(|| {
            decision
                .rule
                .as_ref()
                .map(|r| format!("cockpit policy rule `{r}`"))
        });
        return Outcome::print(
            render(agent, gate, decision.verdict, reason.as_deref()),
            None,
        );
    }
    let text = |key: &str| {
        call.hook
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let request = ApprovalRequest {
        version: VERSION,
        agent,
        hook_event: gate.name().to_string(),
        session_id: text("session_id"),
        transcript_path: text("transcript_path"),
        cwd: text("cwd"),
        tool: tool.to_string(),
        input: tool_input,
        rule: decision.rule.clone(),
        reason: decision.reason.clone(),
        why: decision.why.clone(),
    };
    let timeout = wait_limit(config);
    let why = failsafe::why_human(agent, gate, &decision);
    // The wait is bounded by itself; the hook's own deadline starts afresh after.
    watchdog::pause();
    let reply = ask_cockpit(call.runtime_dir, call.cwd, &request, timeout);
    watchdog::resume();
    match reply {
        Ok(reply) => match reply.verdict {
            Verdict::Allow | Verdict::Deny => {
                let reason = reply.reason.clone().or_else(|| match reply.verdict {
                    Verdict::Deny => Some("denied in the cockpit".to_string()),
                    _ => None,
                });
                Outcome::print(render(agent, gate, reply.verdict, reason.as_deref()), None)
            }
            // Handed back to the agent's own prompt, where it has one.
            Verdict::Ask | Verdict::Pass if agent_can_ask(agent, gate) => {
                let reason = reply
                    .reason
                    .clone()
                    .unwrap_or_else(|| format!("cockpit: handed back to you: {why}"));
                let reason = (gate == Gate::PreToolUse).then_some(reason);
                Outcome::print(render(agent, gate, Verdict::Ask, reason.as_deref()), None)
            }
            Verdict::Ask | Verdict::Pass => {
                let reason = failsafe::deferred_without_prompt(agent, &why);
                Outcome::print(
                    render(agent, gate, Verdict::Deny, Some(&reason)),
                    Some(
                        "handed back from the cockpit where the agent has no prompt; denying"
                            .into(),
                    ),
                )
            }
        },
        Err(failure) => fallback(config, call, &why, &failure),
    }
}

/// The cockpit could not decide: the agent's own prompt, or deny.
fn fallback(config: &Config, call: &Call<'_>, why: &str, failure: &Failure) -> Outcome {
    let ask = failsafe::when_unreachable(config.approvals.on_unreachable, call.agent, call.gate)
        .is_none();
    let (verdict, what) = if ask {
        (
            Verdict::Ask,
            "handing the decision to the agent's own prompt",
        )
    } else {
        (Verdict::Deny, "denying")
    };
    let socket = ipc::find_socket(call.runtime_dir, call.cwd)
        .unwrap_or_else(|_| client::expected_socket(call.runtime_dir, call.cwd));
    let happened = failure.describe(&socket);
    let reason = failsafe::message(why, &happened, call.cwd, !ask);
    Outcome::print(
        render(call.agent, call.gate, verdict, Some(&reason)),
        Some(format!("{happened}; {what}")),
    )
}

fn wait_limit(config: &Config) -> Duration {
    Duration::from_secs(config.approvals.timeout_secs.clamp(1, MAX_WAIT_SECS))
}

#[cfg(test)]
mod tests;
