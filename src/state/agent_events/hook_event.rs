//! A lifecycle payload's `hook_event_name`, read once into the events the
//! cockpit acts on, so the update matches on a type and not on strings.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookEvent<'a> {
    /// The policy decided a call alone (`cockpit hook` reports it).
    PolicyDecision,
    StatusLine,
    /// `PostToolUse`: the call ran.
    ToolRan,
    /// `PostToolUseFailure`: the call failed.
    ToolFailed,
    UserPromptSubmit,
    SessionStart,
    SessionEnd,
    SubagentStop,
    Stop,
    /// The cockpit's own: the agent's process exited (Codex's TUI, whose
    /// app-server outlives it and never sends `SessionEnd`).
    AgentExited,
    /// Any other event (or none): told as a notice under its own name.
    Other(&'a str),
}

impl<'a> HookEvent<'a> {
    pub fn of(payload: &'a Value) -> Self {
        let name = payload
            .get("hook_event_name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match name {
            "cockpit_policy_decision" => Self::PolicyDecision,
            "StatusLine" => Self::StatusLine,
            "PostToolUse" => Self::ToolRan,
            "PostToolUseFailure" => Self::ToolFailed,
            "UserPromptSubmit" => Self::UserPromptSubmit,
            "SessionStart" => Self::SessionStart,
            "SessionEnd" => Self::SessionEnd,
            "SubagentStop" => Self::SubagentStop,
            "Stop" => Self::Stop,
            "cockpit_agent_exited" => Self::AgentExited,
            other => Self::Other(other),
        }
    }

    /// The name the agent sent.
    pub fn name(self) -> &'a str {
        match self {
            Self::PolicyDecision => "cockpit_policy_decision",
            Self::StatusLine => "StatusLine",
            Self::ToolRan => "PostToolUse",
            Self::ToolFailed => "PostToolUseFailure",
            Self::UserPromptSubmit => "UserPromptSubmit",
            Self::SessionStart => "SessionStart",
            Self::SessionEnd => "SessionEnd",
            Self::SubagentStop => "SubagentStop",
            Self::Stop => "Stop",
            Self::AgentExited => "cockpit_agent_exited",
            Self::Other(name) => name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_as_sent() {
        for name in [
            "cockpit_policy_decision",
            "StatusLine",
            "PostToolUse",
            "PostToolUseFailure",
            "UserPromptSubmit",
            "SessionStart",
            "SessionEnd",
            "SubagentStop",
            "Stop",
            "Notification",
            "",
        ] {
            let payload = serde_json::json!({ "hook_event_name": name });
            assert_eq!(HookEvent::of(&payload).name(), name);
        }
        assert_eq!(HookEvent::of(&serde_json::json!({})), HookEvent::Other(""));
    }
}
