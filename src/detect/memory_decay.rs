//! Memory Tattoo Decay: the session ends or is compacted and no handoff was
//! written since it began (or since the last compaction).

use std::collections::HashMap;

use globset::GlobSet;

use super::alert::{Alert, Detector, Pattern};
use super::event::Event;

pub struct MemoryTattooDecay {
    handoff: GlobSet,
    /// Per session: a handoff was written since the last checkpoint event.
    written: HashMap<String, bool>,
    /// The working tree saw a handoff file: it counts for every session.
    tree_handoff: bool,
}

impl MemoryTattooDecay {
    pub fn new(handoff: GlobSet) -> Self {
        Self {
            handoff,
            written: HashMap::new(),
            tree_handoff: false,
        }
    }
}

impl Detector for MemoryTattooDecay {
    fn pattern(&self) -> Pattern {
        Pattern::MemoryTattooDecay
    }

    fn observe(&mut self, event: &Event, out: &mut Vec<Alert>) {
        match event {
            Event::Tool { session, edits, .. }
                if edits.iter().any(|e| !e.deleted && self.is_handoff(&e.path)) =>
            {
                self.written.insert(session.clone(), true);
            }
            Event::HandoffSaved { session, .. } => {
                self.written.insert(session.clone(), true);
            }
            Event::FilesChanged { changes, .. } => {
                self.tree_handoff |= changes.iter().any(|c| {
                    c.kind != crate::loops::changes::ChangeKind::Removed && self.is_handoff(&c.path)
                });
            }
            Event::Compacted { session, at } | Event::SessionEnded { session, at } => {
                let written = self.written.insert(session.clone(), false).unwrap_or(false);
                if written || std::mem::take(&mut self.tree_handoff) {
                    return;
                }
                let what = if matches!(event, Event::Compacted { .. }) {
                    "was compacted"
                } else {
                    "ended"
                };
                out.push(Alert::new(
                    Pattern::MemoryTattooDecay,
                    Some(session),
                    *at,
                    format!("session {what} with no handoff written"),
                    "Have the agent write a handoff (goal, state, next steps, open questions) to HANDOFF.md before the context is lost.",
                ));
            }
            _ => {}
        }
    }
}

impl MemoryTattooDecay {
    /// Globs match the path as given and every suffix of it, so a relative
    /// glob like `docs/handoff*` matches an absolute path inside the project.
    fn is_handoff(&self, path: &std::path::Path) -> bool {
        let parts: Vec<_> = path.components().collect();
        (0..parts.len()).any(|i| {
            let tail: std::path::PathBuf = parts[i..].iter().collect();
            self.handoff.is_match(&tail)
        })
    }
}
