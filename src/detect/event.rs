//! What the detectors see: records of every session, validation runs and
//! working-tree changes, already paired and resolved.

use std::path::{Path, PathBuf};

use super::waits::AgentWait;
use crate::agents::tools::EDIT_TOOLS;
use crate::agents::{Millis, ToolEnd, ToolStart};
use crate::loops::changes::FileChange;
use crate::loops::validation::ValidationRun;
use crate::policy::Verdict;
use crate::policy::protocol::ApprovalRequest;

/// A file an agent's tool call wrote (Edit, Write, apply_patch ...).
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    /// Absolute when the session's cwd is known.
    pub path: PathBuf,
    /// The patch deleted the file.
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A finished tool call with its input; `edits` are the files it wrote
    /// and `reads` the files it read, resolved against the session's cwd.
    Tool {
        session: String,
        start: ToolStart,
        end: ToolEnd,
        edits: Vec<Edit>,
        reads: Vec<PathBuf>,
    },
    AssistantText {
        session: String,
        text: String,
        at: Option<Millis>,
    },
    Validation {
        session: String,
        run: ValidationRun,
    },
    /// The gauge after a usage report, in percent of the window.
    Context {
        session: String,
        percent: f64,
        at: Option<Millis>,
    },
    Compacted {
        session: String,
        at: Option<Millis>,
    },
    /// A batch from the working-tree watcher (`root` is the repository).
    FilesChanged {
        root: PathBuf,
        changes: Vec<FileChange>,
    },
    SessionEnded {
        session: String,
        at: Option<Millis>,
    },
    /// The cockpit saved its own handoff for the session.
    HandoffSaved {
        session: String,
        at: Option<Millis>,
    },
    /// A request queued for a human (wall-clock time).
    ApprovalAsked {
        session: String,
        id: String,
        request: Box<ApprovalRequest>,
        at: Millis,
    },
    /// A queued request ended: decided `by` a human or a rule remembered
    /// since, settled in the agent's own dialog (`by` "agent"), or withdrawn
    /// (`verdict` None).
    ApprovalEnded {
        id: String,
        verdict: Option<Verdict>,
        by: String,
        at: Millis,
    },
    /// What every agent waits on, sent when it changes.
    Agents {
        agents: Vec<AgentWait>,
        at: Millis,
    },
    /// Time passed with nothing else happening: a deadline a detector asked
    /// for ([`super::Detector::deadline`]) is due.
    Clock {
        at: Millis,
    },
    /// The human's prompt, with the session's cwd when known (to resolve
    /// the paths it names).
    Prompt {
        session: String,
        text: String,
        cwd: Option<PathBuf>,
        at: Option<Millis>,
    },
}

impl Event {
    /// A finished call of `session`, with the files it wrote and read
    /// resolved against the session's `cwd`.
    pub fn tool(session: String, start: ToolStart, end: ToolEnd, cwd: Option<&Path>) -> Self {
        let (edits, reads) = touched(&start, &end, cwd);
        Event::Tool {
            session,
            start,
            end,
            edits,
            reads,
        }
    }

    pub fn session(&self) -> Option<&str> {
        match self {
            Event::Tool { session, .. }
            | Event::AssistantText { session, .. }
            | Event::Validation { session, .. }
            | Event::Context { session, .. }
            | Event::Compacted { session, .. }
            | Event::SessionEnded { session, .. }
            | Event::HandoffSaved { session, .. }
            | Event::ApprovalAsked { session, .. }
            | Event::Prompt { session, .. } => Some(session),
            Event::FilesChanged { .. }
            | Event::ApprovalEnded { .. }
            | Event::Agents { .. }
            | Event::Clock { .. } => None,
        }
    }
}

/// The files a successful call wrote and read, resolved against `cwd`.
fn touched(start: &ToolStart, end: &ToolEnd, cwd: Option<&Path>) -> (Vec<Edit>, Vec<PathBuf>) {
    if !end.ok {
        return (Vec::new(), Vec::new());
    }
    let resolve = |p: &str| match cwd {
        Some(cwd) if !Path::new(p).is_absolute() => cwd.join(p),
        _ => PathBuf::from(p),
    };
    if start.name == "Read" {
        return (Vec::new(), start.paths.iter().map(|p| resolve(p)).collect());
    }
    if !EDIT_TOOLS.contains(&start.name.as_str()) {
        return (Vec::new(), Vec::new());
    }
    let deleted: Vec<&str> = start
        .input
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("*** Delete File: "))
        .map(str::trim)
        .collect();
    let edits = start
        .paths
        .iter()
        .map(|p| Edit {
            path: resolve(p),
            deleted: deleted.contains(&p.as_str()),
        })
        .collect();
    (edits, Vec::new())
}
