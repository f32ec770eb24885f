//! The one event type of the cockpit: every input, from the keyboard to an
//! appended transcript line, arrives as an [`Event`] on one channel.

use tokio::sync::mpsc;

use crate::agents::AgentKind;
use crate::agents::source::{Batch, Source, SourceId};

#[derive(Debug)]
pub enum Event {
    Terminal(crossterm::event::Event),
    SourceAdded(Source),
    Transcript(SourceId, Batch),
    /// Something to tell the user once (a watch that failed, a missing dir).
    Notice(String),
    /// Nothing to follow yet: shown until a session appears.
    Waiting(String),
    /// A line shown above the gauge (the demo's progress).
    Banner(String),
    /// A hook asks for a human decision; `reply` answers it, once.
    ApprovalRequested {
        id: String,
        request: Box<crate::policy::protocol::ApprovalRequest>,
        reply: tokio::sync::oneshot::Sender<crate::policy::protocol::Reply>,
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
    /// A detector's work off the UI thread finished: its results are raised.
    DetectorsReady,
    /// SIGTERM, SIGHUP or SIGINT: leave now, restoring the terminal.
    Signal(&'static str),
}

pub type EventSender = mpsc::UnboundedSender<Event>;
pub type EventReceiver = mpsc::UnboundedReceiver<Event>;

pub fn channel() -> (EventSender, EventReceiver) {
    mpsc::unbounded_channel()
}
