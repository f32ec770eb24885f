//! The stored sessions as the state holds them: the outer loop's list and
//! the offer to resume one.

use crate::clock::Millis;

/// One stored session, as the outer loop lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastSession {
    pub id: String,
    pub when: Millis,
    pub duration_ms: i64,
    pub agent: String,
    pub peak_percent: Option<u64>,
    pub tool_calls: u64,
    pub approvals: usize,
    pub finished: bool,
    pub author: Option<String>,
    pub handoff_line: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeOffer {
    pub id: String,
    /// What it was: date, agent, context, the handoff's first line.
    pub description: String,
}
