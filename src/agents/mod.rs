//! Agent transcript formats, turned into one stream of normalized [`Record`]s.
//!
//! Each format has a stateful line parser (Codex needs the model from an earlier
//! `turn_context`); the reader thread in [`reader`] owns one per followed file.

pub mod budget;
pub mod claude;
pub mod codex;
pub mod discover;
pub mod json_string;
pub mod kind;
pub mod pending;
pub mod process;
pub mod reader;
pub mod record;
pub mod source;
pub mod summary;
pub mod tail;
pub mod timestamp;
pub mod tokens;
pub mod tools;

pub use kind::AgentKind;

impl AgentKind {
    /// `subagent`: the file is a subagent's own transcript, whose lines are
    /// all marked sidechain and are that agent's main chain.
    pub fn new_parser(self, subagent: bool) -> Box<dyn LineParser + Send> {
        match self {
            AgentKind::Claude => Box::new(claude::ClaudeParser::new(subagent)),
            AgentKind::Codex => Box::new(codex::CodexParser::default()),
        }
    }
}

// src/detect still names the clock's type through this module.
pub use crate::clock::Millis;
pub use record::{
    LineParser, Meta, OUTPUT_EDGE_BYTES, ParseError, Record, ToolEnd, ToolStart, cap_edges,
    cap_output, exit_code_in,
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
