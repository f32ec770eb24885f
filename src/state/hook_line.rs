//! The connection of a hook waiting for a decision. It is kept with the
//! request it asked (`PendingApproval`) and leaves the queue with it: sent a
//! decision once, or dropped (the hook then hands the call back to the agent,
//! or denies; it never allows). No second list can outlive the queue.

use tokio::sync::oneshot;

use crate::policy::protocol::Reply;

pub struct HookLine(Option<oneshot::Sender<Reply>>);

impl HookLine {
    pub fn new(sender: oneshot::Sender<Reply>) -> Self {
        Self(Some(sender))
    }

    /// No hook waits: a request built by a test or a replay.
    pub fn detached() -> Self {
        Self(None)
    }
}

impl std::fmt::Debug for HookLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let open = if self.0.is_some() { "open" } else { "detached" };
        write!(f, "HookLine({open})")
    }
}

/// A decision with the line of the hook waiting for it.
#[derive(Debug)]
pub struct Answer {
    pub reply: Reply,
    line: HookLine,
}

impl Answer {
    pub(super) fn new(reply: Reply, line: HookLine) -> Self {
        Self { reply, line }
    }

    /// Sends the decision to its hook (a hook gone meanwhile hears nothing).
    pub fn send(self) {
        match self.line.0 {
            Some(sender) => {
                let _ = sender.send(self.reply);
            }
            None => tracing::warn!(id = %self.reply.id, "decision for a request no hook waits for"),
        }
    }
}

/// Two answers are the same when they carry the same decision: a line
/// cannot be compared.
impl PartialEq for Answer {
    fn eq(&self, other: &Self) -> bool {
        self.reply == other.reply
    }
}

/// A request the agent settled itself, with its hook's line: closing it
/// sends no decision.
#[derive(Debug)]
pub struct Hangup {
    pub id: String,
    line: HookLine,
}

impl Hangup {
    pub(super) fn new(id: String, line: HookLine) -> Self {
        Self { id, line }
    }

    /// Closes the hook's connection with no decision.
    pub fn close(self) {
        drop(self.line);
    }
}

/// Compared by the request it closes: a line cannot be compared.
impl PartialEq for Hangup {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}
