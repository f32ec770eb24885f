//! What each agent honours at each deciding event, as measured (FORMATS.md
//! 6) and read in Codex's hook parser. This is the only place that knows it:
//! the hook decides a verdict, this file says how the agent must be told.
//!
//! | agent  | event             | allow        | deny | ask (agent's own prompt) | no output          |
//! |--------|-------------------|--------------|------|--------------------------|--------------------|
//! | Claude | PreToolUse        | allow        | deny | ask                      | normal permissions |
//! | Claude | PermissionRequest | allow        | deny | = no output              | its own dialog     |
//! | Codex  | PreToolUse        | = no output  | deny | CANNOT (runs the call)   | its approval policy|
//! | Codex  | PermissionRequest | allow        | deny | = no output              | its own prompt     |
//!
//! Codex 0.169.0 rejects `permissionDecision` `allow` and `ask` at
//! PreToolUse as unsupported and then runs the call, and ignores a `deny`
//! without a non-empty reason: so Codex PreToolUse only ever gets a deny with
//! a reason, or nothing.

use serde_json::{Value, json};

use crate::agents::AgentKind;

use crate::policy::Verdict;

/// The two hook events that can decide a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    PreToolUse,
    PermissionRequest,
}

impl Gate {
    pub fn parse(event: &str) -> Option<Gate> {
        match event {
            "PreToolUse" => Some(Gate::PreToolUse),
            "PermissionRequest" => Some(Gate::PermissionRequest),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Gate::PreToolUse => "PreToolUse",
            Gate::PermissionRequest => "PermissionRequest",
        }
    }
}

/// What the agent does with the hook's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Means {
    Allow,
    Deny,
    /// The agent shows its own prompt with the reason.
    Ask,
    /// No decision: the agent's own rules and prompt apply.
    Nothing,
}

/// The table. `None`: this agent cannot be told this verdict here.
fn means(agent: AgentKind, gate: Gate, verdict: Verdict) -> Option<Means> {
    use AgentKind::{Claude, Codex};
    use Gate::{PermissionRequest, PreToolUse};
    Some(match (agent, gate, verdict) {
        (_, _, Verdict::Deny) => Means::Deny,
        (_, _, Verdict::Pass) => Means::Nothing,
        (Claude, PreToolUse, Verdict::Allow) => Means::Allow,
        (Claude, PreToolUse, Verdict::Ask) => Means::Ask,
        (Codex, PreToolUse, Verdict::Allow) => Means::Nothing,
        (Codex, PreToolUse, Verdict::Ask) => return None,
        (_, PermissionRequest, Verdict::Allow) => Means::Allow,
        // The agent's own dialog is (or will be) on screen.
        (_, PermissionRequest, Verdict::Ask) => Means::Nothing,
    })
}

/// Whether the agent can put this call in front of a human itself.
pub fn agent_can_ask(agent: AgentKind, gate: Gate) -> bool {
    means(agent, gate, Verdict::Ask).is_some()
}

/// The JSON to print (`None`: print nothing). A verdict the agent cannot be
/// told is denied, never left to run. `reason` goes with deny and ask, and
/// as a message shown to the user when no decision is printed.
pub fn render(
    agent: AgentKind,
    gate: Gate,
    verdict: Verdict,
    reason: Option<&str>,
) -> Option<String> {
    // Output strings are capped (Claude Code: 10,000 characters).
    let reason: Option<String> = reason
        .map(|r| r.trim().chars().take(9_000).collect())
        .filter(|r: &String| !r.is_empty());
    let how = means(agent, gate, verdict).unwrap_or(Means::Deny);
    let event = gate.name();
    let value = match (gate, how) {
        (_, Means::Nothing) => {
            // Only when there is something the user must read (a fail-safe);
            // a universal field both agents accept without a decision.
            return reason
                .filter(|_| gate == Gate::PermissionRequest && verdict != Verdict::Pass)
                .map(|r| json!({"systemMessage": r}).to_string());
        }
        (Gate::PermissionRequest, Means::Allow) => json!({"hookSpecificOutput": {
            "hookEventName": event, "decision": {"behavior": "allow"}}}),
        (Gate::PermissionRequest, _) => json!({"hookSpecificOutput": {
            "hookEventName": event,
            "decision": {"behavior": "deny", "message": reason.unwrap_or_else(default_deny)}}}),
        (Gate::PreToolUse, how) => {
            let mut output = json!({"hookEventName": event});
            let (word, reason) = match how {
                Means::Allow => ("allow", reason),
                Means::Ask => ("ask", reason),
                // Codex ignores a deny without a reason.
                _ => ("deny", Some(reason.unwrap_or_else(default_deny))),
            };
            output["permissionDecision"] = Value::String(word.into());
            if let Some(reason) = reason {
                output["permissionDecisionReason"] = Value::String(reason);
            }
            json!({ "hookSpecificOutput": output })
        }
    };
    Some(value.to_string())
}

fn default_deny() -> String {
    "denied by the cockpit".into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codex_pre_tool_use_never_prints_allow_or_ask() {
        for verdict in [Verdict::Allow, Verdict::Ask, Verdict::Pass, Verdict::Deny] {
            let out = render(AgentKind::Codex, Gate::PreToolUse, verdict, Some("r"));
            let out = out.unwrap_or_default();
            assert!(
                !out.contains("\"allow\"") && !out.contains("\"ask\""),
                "{out}"
            );
        }
        // What cannot be asked is denied, with a reason.
        let out = render(AgentKind::Codex, Gate::PreToolUse, Verdict::Ask, None).unwrap();
        assert!(out.contains(r#""permissionDecision":"deny""#), "{out}");
        assert!(out.contains("permissionDecisionReason"), "{out}");
    }

    #[test]
    fn claude_gets_every_decision_it_honours() {
        let pre = |v| render(AgentKind::Claude, Gate::PreToolUse, v, Some("r")).unwrap();
        assert!(pre(Verdict::Allow).contains(r#""permissionDecision":"allow""#));
        assert!(pre(Verdict::Ask).contains(r#""permissionDecision":"ask""#));
        assert!(pre(Verdict::Deny).contains(r#""permissionDecision":"deny""#));
        assert_eq!(
            render(AgentKind::Claude, Gate::PreToolUse, Verdict::Pass, None),
            None
        );
        let ask = render(
            AgentKind::Claude,
            Gate::PermissionRequest,
            Verdict::Ask,
            Some("why"),
        );
        assert_eq!(ask.as_deref(), Some(r#"{"systemMessage":"why"}"#));
        assert!(!agent_can_ask(AgentKind::Codex, Gate::PreToolUse));
        assert!(agent_can_ask(AgentKind::Codex, Gate::PermissionRequest));
    }
}
