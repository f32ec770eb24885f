//! The approval socket, held by the app: bound at start, or, when another
//! cockpit holds it for this project, taken over once that one is gone. Until
//! then the header says approvals are off (the hooks fall back to the
//! agent's own prompt, or deny).

use std::path::PathBuf;

use crate::approvals::server::{self, Server};
use crate::clock::Millis;
use crate::event::EventSender;

/// Another try this often (the loop wakes for it: "approvals OFF" goes
/// once the other cockpit has quit, with no key pressed).
const RETRY_MS: Millis = 2_000;

pub struct Socket {
    pub server: Option<Server>,
    runtime_dir: PathBuf,
    project_root: PathBuf,
    events: EventSender,
    /// Only a socket another cockpit holds is worth trying again.
    retry: bool,
    tried_at: Millis,
}

impl Socket {
    /// Binds now; the error, if any, is why approvals are off.
    pub fn bind(
        runtime_dir: PathBuf,
        project_root: PathBuf,
        events: EventSender,
        now: Millis,
    ) -> (Self, Option<String>) {
        let mut socket = Self {
            server: None,
            runtime_dir,
            project_root,
            events,
            retry: false,
            tried_at: now,
        };
        let off = socket.try_bind(now);
        (socket, off)
    }

    /// Tries again if it is time: `Some(Ok(()))` once the socket is ours,
    /// `Some(Err(why))` when it still is not, `None` when nothing was tried.
    pub fn retry(&mut self, now: Millis) -> Option<Result<(), String>> {
        if self.server.is_some() || !self.retry || now - self.tried_at < RETRY_MS {
            return None;
        }
        Some(match self.try_bind(now) {
            None => Ok(()),
            Some(why) => Err(why),
        })
    }

    /// When the next try is due, while one is worth making.
    pub fn retry_at(&self) -> Option<Millis> {
        (self.server.is_none() && self.retry).then_some(self.tried_at + RETRY_MS)
    }

    fn try_bind(&mut self, now: Millis) -> Option<String> {
        self.tried_at = now;
        match server::start(&self.runtime_dir, &self.project_root, self.events.clone()) {
            Ok(server) => {
                tracing::info!(socket = %server.path().display(), "approvals on");
                self.server = Some(server);
                None
            }
            Err(err) => {
                self.retry = err.kind() == std::io::ErrorKind::AddrInUse;
                Some(if self.retry {
                    format!("{err}; this one takes over when it quits")
                } else {
                    err.to_string()
                })
            }
        }
    }
}
