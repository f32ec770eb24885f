//! What decides whether a key may answer the request on screen: which
//! request the last frame showed and since when (arming), how much of its
//! prompt has been read, when the last key came (bursts), and an answering
//! key held back to see whether a burst follows.

use crate::action::Action;
use crate::clock::Millis;

use super::reading::{Reading, ShownPrompt};

/// A prompt takes no answer for this long after it was first drawn: a
/// request that appears under the user's fingers is not answered by them.
pub const ARMING_MS: Millis = 500;
/// Keys closer together than this are a burst. An answering key is held
/// this long, so the first key of a burst is caught too.
pub const BURST_MS: Millis = 15;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnswerGuard {
    /// The request the last drawn frame showed in the prompt, and when a
    /// frame first showed it.
    pub shown: Option<(String, Millis)>,
    /// How much of that prompt has been on screen.
    reading: Option<Reading>,
    /// When the previous key or paste arrived.
    pub(super) last_input_at: Option<Millis>,
    /// An answering key, waiting to be sure no burst follows it.
    pub held: Option<Held>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Held {
    pub action: Action,
    pub at: Millis,
    /// The request on screen when the key was pressed.
    pub target: String,
}

impl AnswerGuard {
    /// The app drew a frame whose prompt showed this request (or no prompt).
    pub fn drawn(&mut self, shown: Option<&ShownPrompt>, now: Millis) {
        match shown {
            Some(s) if self.shown.as_ref().is_some_and(|(id, _)| *id == s.id) => {
                self.reading = Some(Reading::after(self.reading, &s.view));
            }
            Some(s) => {
                self.shown = Some((s.id.clone(), now));
                self.reading = Some(Reading::after(None, &s.view));
            }
            None => {
                self.shown = None;
                self.reading = None;
            }
        }
    }

    /// What has been read of the prompt for `id`, if it is the one shown.
    pub fn reading(&self, id: &str) -> Option<Reading> {
        self.shown
            .as_ref()
            .filter(|(s, _)| s == id)
            .and(self.reading)
    }

    /// Whether every row of the prompt for `id` has been on screen.
    pub(super) fn read_whole(&self, id: &str) -> bool {
        self.reading(id).is_some_and(|r| r.whole())
    }

    /// When the prompt for `id` takes answers; `None` when no frame has
    /// shown it yet.
    pub fn armed_at(&self, id: &str) -> Option<Millis> {
        self.shown
            .as_ref()
            .filter(|(s, _)| s == id)
            .map(|(_, at)| at + ARMING_MS)
    }

    /// When the app must come back: a held key to release, a prompt to arm.
    pub fn next_due(&self, front: Option<&str>, now: Millis) -> Option<Millis> {
        let held = self.held.as_ref().map(|h| h.at + BURST_MS);
        let arming = front
            .and_then(|id| self.armed_at(id))
            .filter(|at| *at > now);
        held.into_iter().chain(arming).min()
    }
}
