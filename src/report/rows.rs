//! What a report holds: token figures that saturate instead of wrapping,
//! one row per session, the totals. Read by every part of the report.

use serde::Serialize;

use crate::agents::AgentKind;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tokens {
    #[serde(rename = "input_tokens")]
    pub input: u64,
    #[serde(rename = "output_tokens")]
    pub output: u64,
    #[serde(rename = "cache_creation_input_tokens")]
    pub cache_creation: u64,
    #[serde(rename = "cache_read_input_tokens")]
    pub cache_read: u64,
    /// A sum reached u64::MAX and stopped there: the figures are a floor,
    /// never a wrapped-around small number.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub saturated: bool,
}

impl Tokens {
    pub fn add(&mut self, other: &Tokens) {
        let mut saturated = self.saturated || other.saturated;
        let mut sum = |a: &mut u64, b: u64| {
            *a = a.checked_add(b).unwrap_or_else(|| {
                saturated = true;
                u64::MAX
            });
        };
        sum(&mut self.input, other.input);
        sum(&mut self.output, other.output);
        sum(&mut self.cache_creation, other.cache_creation);
        sum(&mut self.cache_read, other.cache_read);
        self.saturated = saturated;
    }

    pub fn total(&self) -> u64 {
        self.input
            .saturating_add(self.output)
            .saturating_add(self.cache_creation)
            .saturating_add(self.cache_read)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionRow {
    pub session_id: String,
    pub agent: AgentKind,
    pub project: String,
    pub model: Option<String>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    #[serde(flatten)]
    pub tokens: Tokens,
    pub context_tokens: Option<u64>,
    pub context_window: Option<u64>,
    pub tool_calls: u64,
    pub malformed_lines: u64,
    #[serde(skip)]
    pub last_ms: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub sessions: u64,
    pub files: u64,
    pub bytes: u64,
    #[serde(flatten)]
    pub tokens: Tokens,
    pub tool_calls: u64,
    pub malformed_lines: u64,
    /// Lines over the line cap (also counted in `malformed_lines`).
    pub oversized_lines: u64,
    pub unreadable_files: u64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub sessions: Vec<SessionRow>,
    pub totals: Totals,
    /// Files and directories that could not be read, one line each.
    #[serde(skip)]
    pub warnings: Vec<String>,
}
