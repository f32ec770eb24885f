//! The session record's approvals: who decided, what, and the request.

use serde::{Deserialize, Serialize};

use crate::agents::AgentKind;
use crate::clock::Millis;

/// Who decided an approval.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Decider {
    /// A configured policy rule, by its name.
    Policy { rule: String },
    /// The human at the keyboard.
    #[default]
    Human,
    /// The agent itself: answered in its own dialog, or its human typed a
    /// new prompt (added within format 1).
    Agent,
    /// The hook alone, by its fail-safe: the cockpit ended before
    /// answering (added within format 1).
    Hook,
}

/// The outcome of an approval request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Allow,
    Deny,
    /// Neither allowed nor denied by the cockpit: the call went back to the
    /// agent, whose own prompt decided (added within format 1).
    #[serde(rename = "handed_back")]
    HandedBack,
    /// Still waiting for an answer when the record was saved (the cockpit
    /// that was asked still ran).
    #[default]
    Pending,
}

/// A tool call that needed approval, and what was decided.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ApprovalDecision {
    pub decider: Decider,
    pub tool: String,
    /// One line describing the input (the command, the path).
    pub input_summary: String,
    pub decision: Decision,
    pub reason: Option<String>,
    pub at: Millis,
    /// The agent that asked, and the session its request named: its id,
    /// and the followed transcript of that session (else the transcript
    /// the request named). `None` in older records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_session_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
    /// The hook that asked (`PreToolUse`, `PermissionRequest`), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hook_event: Option<String>,
}
