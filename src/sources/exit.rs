//! Sessions that end when their agent's process does: Codex's TUI leaves its
//! app-server running after `/quit`, so no `SessionEnd` comes (see
//! [`crate::agents::process`]). One sleeping thread per watched process.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use super::Sources;
use crate::event::Event;

/// Agent processes waited on at once.
const MAX_EXIT_WATCHES: usize = 32;

impl Sources {
    /// Ends a Codex session when its process exits: the exit comes back as
    /// the lifecycle event `cockpit_agent_exited` with `session_id` and `pid`.
    pub fn end_with_codex_process(&self, session_id: String, cwd: PathBuf) {
        if self.exit_watches.fetch_add(1, Ordering::Relaxed) >= MAX_EXIT_WATCHES {
            self.exit_watches.fetch_sub(1, Ordering::Relaxed);
            return;
        }
        let (events, count) = (self.events.clone(), self.exit_watches.clone());
        let spawned = std::thread::Builder::new()
            .name("agent-exit".into())
            .spawn(move || {
                let found = crate::agents::process::find_codex(&cwd)
                    .and_then(|pid| Some((pid, crate::agents::process::ExitWatch::open(pid)?)));
                if let Some((pid, watch)) = found {
                    tracing::debug!(pid, %session_id, "waiting for the Codex process to exit");
                    watch.wait();
                    let payload = serde_json::json!({
                        "hook_event_name": "cockpit_agent_exited",
                        "session_id": session_id,
                        "pid": pid,
                    });
                    let _ = events.send(Event::AgentEvent {
                        agent: crate::agents::AgentKind::Codex,
                        payload,
                    });
                }
                count.fetch_sub(1, Ordering::Relaxed);
            });
        if spawned.is_err() {
            self.exit_watches.fetch_sub(1, Ordering::Relaxed);
        }
    }
}
