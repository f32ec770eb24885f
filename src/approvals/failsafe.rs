//! The words the agent and the user read when the cockpit could not decide:
//! why this call needs a human (the rule and its reason, or the agent's own
//! request), where the cockpit was looked for and what happened, and what
//! to do to get the call approved. An OS error alone says none of that.

use std::path::Path;

use crate::agents::AgentKind;

use crate::config::OnUnreachable;

use super::answer::{Gate, agent_can_ask};
use crate::policy::{Decision, RuleConfig, Verdict};

/// Why a human must decide this call.
pub fn why_human(agent: AgentKind, gate: Gate, decision: &Decision) -> String {
    match (&decision.rule, &decision.reason) {
        (Some(rule), Some(reason)) => {
            format!("policy rule `{rule}` ({reason}) needs a human to approve this call")
        }
        (Some(rule), None) => {
            format!("policy rule `{rule}` needs a human to approve this call")
        }
        _ if gate == Gate::PermissionRequest => {
            format!("{} asked for a permission", agent.label())
        }
        _ => "this call needs a human".to_string(),
    }
}

/// What the hook does when no answer comes from the cockpit (none is
/// running, it went away, it quit while the hook waited, it did not answer
/// in time): `None`, it hands the call back to the agent's own prompt;
/// `Some(why)`, it denies it.
pub fn when_unreachable(
    on_unreachable: OnUnreachable,
    agent: AgentKind,
    gate: Gate,
) -> Option<&'static str> {
    if on_unreachable != OnUnreachable::Ask {
        return Some("approvals.on_unreachable = \"deny\"");
    }
    if !agent_can_ask(agent, gate) {
        return Some(match agent {
            AgentKind::Codex => "Codex has no prompt of its own before a tool call",
            AgentKind::Claude => "Claude Code has no prompt of its own here",
        });
    }
    None
}

/// The whole message for a call handed back to the agent's prompt (`denied`
/// false) or denied (`denied` true).
pub fn message(why: &str, what_happened: &str, project: &Path, denied: bool) -> String {
    let project = project.display();
    if denied {
        format!(
            "cockpit: {why}; {what_happened}; so it was denied. To get it approved: start `cockpit` in {project} (or resume it if it is stopped), then ask the agent to retry the call and answer it in the cockpit."
        )
    } else {
        format!(
            "cockpit: {why}; {what_happened}. Decide here; to answer in the cockpit instead, start `cockpit` in {project} and ask the agent to retry."
        )
    }
}

/// A human handed the call back to the agent's own prompt, which this agent
/// does not have at this point (Codex before a tool call).
pub fn deferred_without_prompt(agent: AgentKind, why: &str) -> String {
    format!(
        "cockpit: {why}; it was handed back from the cockpit, but {} has no prompt of its own before a tool call, so it was denied. To run it: ask the agent to retry and allow it in the cockpit (y).",
        agent.label()
    )
}

/// The rules when the config cannot be read: never weaker than what was
/// written (its own rules may have denied or asked more), so the built-in
/// denials hold and every other call needs a human, told why.
pub fn broken_config_rules(error: &str) -> Vec<RuleConfig> {
    let mut rules: Vec<RuleConfig> = crate::policy::defaults::default_rules()
        .into_iter()
        .filter(|rule| rule.action == Verdict::Deny)
        .collect();
    rules.push(RuleConfig {
        name: "config-unreadable".into(),
        tools: Vec::new(),
        command: None,
        piped: false,
        unparsed: false,
        paths: Vec::new(),
        outside_project: false,
        action: Verdict::Ask,
        reason: Some(format!(
            "the cockpit's config cannot be read ({error}); until it is fixed every call needs a human"
        )),
    });
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_rule_the_socket_and_the_remedy() {
        let decision = Decision {
            verdict: Verdict::Ask,
            rule: Some("push".into()),
            reason: Some("pushes to a remote".into()),
            why: String::new(),
        };
        let why = why_human(AgentKind::Codex, Gate::PreToolUse, &decision);
        let text = message(
            &why,
            "no cockpit is running: looked for its socket at /run/c/app.sock",
            Path::new("/home/me/app"),
            true,
        );
        for part in [
            "`push`",
            "pushes to a remote",
            "/run/c/app.sock",
            "start `cockpit` in /home/me/app",
            "retry",
        ] {
            assert!(text.contains(part), "{part}: {text}");
        }
    }
}
