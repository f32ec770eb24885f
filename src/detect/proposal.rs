//! The rule a Process Gridlock alert proposes, carried by the alert
//! (`gridlock.rs` builds it, the state and the proposal view read it).

use crate::agents::Millis;
use crate::policy::remember::RememberedRule;

/// A rule the human can add with one key, and what it would have decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub rule: RememberedRule,
    /// The past requests it covers, oldest first.
    pub matched: Vec<Past>,
    /// Past requests (of the same session) it would not have decided.
    pub unmatched: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Past {
    pub asked: Millis,
    pub summary: String,
    pub waited_ms: i64,
}
