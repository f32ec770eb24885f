//! What a transcript line says, in agent-neutral terms ([`Record`] and its
//! parts), and what a parser of one agent's lines is ([`LineParser`]): what
//! the Claude and Codex parsers produce and everything downstream reads.

use std::fmt;

use crate::clock::Millis;

/// One fact a transcript line states, in agent-neutral terms.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// Who and where: any field may be missing on a given line.
    Meta(Meta),
    /// The agent reported the tokens now in its context (input side of the last reply).
    Usage {
        context_tokens: u64,
        /// The window the agent itself reported (Codex `model_context_window`).
        window: Option<u64>,
        model: Option<String>,
        at: Option<Millis>,
    },
    /// A window hint without usage (Codex `task_started.model_context_window`).
    WindowHint(u64),
    /// The context was compacted; `post_tokens` is the new size when the agent wrote it.
    Compacted {
        pre_tokens: Option<u64>,
        post_tokens: Option<u64>,
        at: Option<Millis>,
    },
    /// Text that entered the context after the last usage report (tool results,
    /// prompts). The reader turns these into [`Record::Pending`] before the app sees them.
    PendingText(String),
    /// A text too long to keep whole: the start its estimate reads
    /// ([`crate::agents::tokens::estimated_part`]) and its length in bytes.
    PendingPart {
        part: String,
        len: usize,
    },
    /// Estimated tokens appended since the last usage report.
    Pending {
        tokens: u64,
    },
    /// The human typed a prompt (one line shown in the header / agents list).
    Prompt {
        text: String,
        at: Option<Millis>,
    },
    ToolStart(ToolStart),
    ToolEnd(ToolEnd),
    /// The agent finished its turn and waits for the human (Codex `task_complete`).
    TurnEnded {
        at: Option<Millis>,
    },
    /// Prose the agent wrote to the human (main chain only); detectors read
    /// claims such as "all tests pass" from it.
    AssistantText {
        text: String,
        at: Option<Millis>,
    },
}

/// A tool call finished.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ToolEnd {
    pub id: String,
    pub ok: bool,
    /// The result's text, capped by [`cap_output`]: runners print their
    /// summary at the end, so the tail matters as much as the head.
    pub output: String,
    /// The process exit code, when the agent wrote one.
    pub exit_code: Option<i32>,
    /// The human or a timeout stopped the call.
    pub interrupted: bool,
    pub at: Option<Millis>,
}

/// Bytes kept from each end of a tool result.
pub const OUTPUT_EDGE_BYTES: usize = 4 * 1024;

/// Keeps the first and last [`OUTPUT_EDGE_BYTES`] of `text` (on char
/// boundaries), joined by a marker line, so a huge log costs 8 KiB at most.
pub fn cap_output(text: &str) -> String {
    if text.len() <= 2 * OUTPUT_EDGE_BYTES {
        return text.to_string();
    }
    cap_edges(text, text.len(), text)
}

/// [`cap_output`] of a text longer than twice [`OUTPUT_EDGE_BYTES`], known
/// by its start `head` and its end `tail` (each more than
/// [`OUTPUT_EDGE_BYTES`] + 3 bytes, or the whole text) and its length.
pub fn cap_edges(head: &str, len: usize, tail: &str) -> String {
    let mut cut_head = OUTPUT_EDGE_BYTES;
    while !head.is_char_boundary(cut_head) {
        cut_head -= 1;
    }
    let tail_at = len - tail.len();
    let mut cut_tail = len - OUTPUT_EDGE_BYTES - tail_at;
    while !tail.is_char_boundary(cut_tail) {
        cut_tail += 1;
    }
    format!(
        "{}\n[… {} bytes …]\n{}",
        &head[..cut_head],
        tail_at + cut_tail - cut_head,
        &tail[cut_tail..]
    )
}

/// `Exit code N` (Claude Code's Bash errors, optionally after `Error: `) or
/// `Exit code: N` / `Process exited with code N` (Codex) in the first lines.
pub fn exit_code_in(text: &str) -> Option<i32> {
    for line in text.lines().take(4) {
        let line = line.trim_start().trim_start_matches("Error: ");
        let rest = line
            .strip_prefix("Exit code: ")
            .or_else(|| line.strip_prefix("Exit code "))
            .or_else(|| line.strip_prefix("Process exited with code "));
        if let Some(code) = rest.and_then(|r| r.split_whitespace().next()) {
            return code.parse().ok();
        }
    }
    None
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub session_id: Option<String>,
    pub cwd: Option<String>,
    pub model: Option<String>,
    pub git_branch: Option<String>,
    pub version: Option<String>,
    pub at: Option<Millis>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ToolStart {
    pub id: String,
    pub name: String,
    /// One line describing the input (the command, the path, the pattern ...).
    pub summary: String,
    /// The whole input, pretty-printed and capped, for the detail view.
    pub input: String,
    /// The shell command, whole, for shell tools (validation runs, git).
    pub command: Option<String>,
    /// Files the call names (read, written, patched), as written in the input.
    pub paths: Vec<String>,
    pub at: Option<Millis>,
}

/// Why a line was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<serde_json::Error> for ParseError {
    fn from(err: serde_json::Error) -> Self {
        ParseError(err.to_string())
    }
}

/// A stateful parser of one transcript file's lines.
pub trait LineParser {
    /// Appends what `line` (without its newline) says to `out`. Unknown record
    /// types are not errors; only lines that are not JSON objects are.
    fn parse_line(&mut self, line: &[u8], out: &mut Vec<Record>) -> Result<(), ParseError>;
}
