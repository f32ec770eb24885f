//! Agent transcript formats, turned into one stream of normalized [`Record`]s.
//!
//! Each format has a stateful line parser (Codex needs the model from an earlier
//! `turn_context`); the reader thread in [`reader`] owns one per followed file.

pub mod claude;
pub mod codex;
pub mod discover;
pub mod process;
pub mod reader;
pub mod record;
pub mod source;
pub mod summary;
pub mod tail;
pub mod timestamp;

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AgentKind {
    Claude,
    Codex,
}

impl AgentKind {
    pub fn label(self) -> &'static str {
        match self {
            AgentKind::Claude => "Claude Code",
            AgentKind::Codex => "Codex",
        }
    }

    /// `subagent`: the file is a subagent's own transcript, whose lines are
    /// all marked sidechain and are that agent's main chain.
    pub fn new_parser(self, subagent: bool) -> Box<dyn LineParser + Send> {
        match self {
            AgentKind::Claude => Box::new(claude::ClaudeParser::new(subagent)),
            AgentKind::Codex => Box::new(codex::CodexParser::default()),
        }
    }
}

impl fmt::Display for AgentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

// src/detect still names the clock's type through this module.
pub use crate::clock::Millis;
pub use record::{
    LineParser, Meta, OUTPUT_EDGE_BYTES, ParseError, Record, ToolEnd, ToolStart, cap_output,
    exit_code_in,
};

/// Parses every line of an in-memory transcript; used by tests and tools.
pub fn parse_all(kind: AgentKind, subagent: bool, bytes: &[u8]) -> (Vec<Record>, usize) {
    let mut parser = kind.new_parser(subagent);
    let mut out = Vec::new();
    let mut malformed = 0;
    for line in bytes.split(|&b| b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if parser.parse_line(line, &mut out).is_err() {
            malformed += 1;
        }
    }
    (out, malformed)
}
