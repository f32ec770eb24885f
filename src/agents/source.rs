//! A followed transcript and what its reader thread sends about it: the
//! readers' own vocabulary, free of the event loop that carries it.

use std::path::PathBuf;

use super::{AgentKind, Record};

/// Index of a followed transcript, stable for the life of the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(pub u32);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A session's own transcript.
    Main,
    /// A subagent's transcript (`subagents/agent-*.jsonl` or the flat 2.0 layout).
    Subagent { agent_id: String },
}

/// A transcript the cockpit has started to follow.
#[derive(Debug, Clone)]
pub struct Source {
    pub id: SourceId,
    pub path: PathBuf,
    pub kind: AgentKind,
    pub role: Role,
    /// Last modification, milliseconds since the epoch (orders sessions).
    pub modified_ms: i64,
}

/// What a reader thread read in one go.
#[derive(Debug, Default)]
pub struct Batch {
    pub records: Vec<Record>,
    /// The file was truncated or replaced: forget what it said before.
    pub reset: bool,
    pub gone: bool,
    pub malformed: u64,
    /// `file:line: reason` of the newest malformed line in this batch.
    pub last_malformed: Option<String>,
    pub oversized: u64,
    /// The first read of the file's history has reached the end.
    pub caught_up: bool,
    /// The reader's share of the read budget: the app drops it once the
    /// batch is applied, and the reader may read on.
    pub permit: Option<super::budget::Permit>,
}

/// A kind label for a path, used before any line has been read.
pub fn guess_kind(path: &std::path::Path) -> AgentKind {
    let text = path.to_string_lossy();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if name.starts_with("rollout-") || text.contains("/.codex/") {
        AgentKind::Codex
    } else {
        AgentKind::Claude
    }
}

pub fn path_label(path: &std::path::Path) -> PathBuf {
    path.file_name()
        .map(PathBuf::from)
        .unwrap_or_else(|| path.to_path_buf())
}
