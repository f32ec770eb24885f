//! What the hook and the cockpit say to each other: one JSON document per
//! line over the socket. The hook sends one message; for a request the
//! cockpit answers `accepted` (with the request's id) and, later, one `decision`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::agents::AgentKind;

use super::Verdict;

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// A human must decide; the connection stays open for the answer.
    Request(ApprovalRequest),
    /// Something happened (session start, compaction, status line); no answer.
    Event { agent: AgentKind, payload: Value },
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ApprovalRequest {
    pub version: u32,
    pub agent: AgentKind,
    /// `PreToolUse` or `PermissionRequest`.
    pub hook_event: String,
    pub session_id: Option<String>,
    pub transcript_path: Option<String>,
    pub cwd: Option<String>,
    pub tool: String,
    pub input: Value,
    /// The policy rule that asked for a human, and why it matched.
    pub rule: Option<String>,
    pub reason: Option<String>,
    pub why: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Accepted { id: String },
    Decision(Reply),
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reply {
    pub id: String,
    /// `allow`, `deny`, or `ask` (the human deferred to the agent's own prompt).
    pub verdict: Verdict,
    pub reason: Option<String>,
    /// `human`, or the remembered rule that answered.
    pub by: String,
}
