//! What the policy says: a verdict, and the decision about one call (which
//! rule, why).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Allow,
    Ask,
    Deny,
    Pass,
}

/// What the policy says about one tool call, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub verdict: Verdict,
    /// The rule that matched (`None`: no rule, so `pass`).
    pub rule: Option<String>,
    pub reason: Option<String>,
    pub why: String,
}
