//! The one event type of the cockpit: every input, from the keyboard to an
//! appended transcript line, arrives as an [`Event`] on one channel.

use std::path::PathBuf;

use tokio::sync::mpsc;

use crate::agents::{AgentKind, Record};

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
}

#[derive(Debug)]
pub enum Event {
    Terminal(crossterm::event::Event),
    SourceAdded(Source),
    Transcript(SourceId, Batch),
    /// Something to tell the user once (a watch that failed, a missing dir).
    Notice(String),
    /// A line shown above the gauge (the demo's progress).
    Banner(String),
    /// A hook asks for a human decision; `reply` answers it, once.
    ApprovalRequested {
        id: String,
        request: Box<crate::approvals::protocol::ApprovalRequest>,
        reply: tokio::sync::oneshot::Sender<crate::approvals::protocol::Reply>,
    },
    /// The hook waiting for `id` went away: the request is void.
    ApprovalWithdrawn(String),
    /// A lifecycle hook or the status line reported something.
    AgentEvent {
        agent: AgentKind,
        payload: serde_json::Value,
    },
    /// The working-tree watcher saw files change (or HEAD move).
    Worktree(crate::loops::worktree::WorktreeBatch),
    /// The outer loop's git history, read again off the UI task.
    GitHistory(Option<crate::loops::git_history::GitHistory>),
    /// The session could not be saved (why; retried), or None: saved again.
    SaveFailed(Option<String>),
    /// SIGTERM, SIGHUP or SIGINT: leave now, restoring the terminal.
    Signal(&'static str),
}

pub type EventSender = mpsc::UnboundedSender<Event>;
pub type EventReceiver = mpsc::UnboundedReceiver<Event>;

pub fn channel() -> (EventSender, EventReceiver) {
    mpsc::unbounded_channel()
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
