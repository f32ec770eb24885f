//! What an update asks of the loop. The state changes only itself; the loop
//! carries these out (it owns the sources and the store).

use std::path::PathBuf;

use super::hook_line::{Answer, Hangup};

#[derive(Debug, PartialEq)]
pub enum Effect {
    Quit,
    /// Leave on this signal (SIGTERM, SIGHUP, SIGINT): not a clean finish.
    LeaveOnSignal(&'static str),
    /// Ctrl-Z or SIGTSTP: hand the terminal back and stop.
    Suspend,
    /// Clear the terminal and draw the next frame whole (a resize, Ctrl-L).
    RedrawWhole,
    /// Bell and desktop notification for a request that needs the human
    /// (this call, summarized).
    Announce(String),
    /// Note the sessions' gauges in the store's history (the store writer
    /// keeps it).
    RecordGauges,
    /// HEAD or a ref moved: read the outer loop's git history again.
    RefreshGitHistory,
    /// Load the stored session with this id and continue it.
    Resume(String),
    /// Acknowledge every open alert (the update does it, after what its
    /// turn raised).
    AcknowledgeAlerts,
    /// Follow a transcript a hook named.
    Follow(PathBuf),
    /// End this Codex session when the Codex process working in `cwd` exits
    /// (see `agents::process`).
    EndWithCodexProcess {
        session_id: String,
        cwd: PathBuf,
    },
    /// Save the session record now: it holds a new approval decision. The
    /// replies of the same turn are sent only once it is saved.
    SaveDecisions,
    /// Send a decision to the hook waiting for it (the answer holds its line).
    Reply(Answer),
    /// Close the connection of a request the agent settled itself: its
    /// hook ends with no decision (it hands back, never allows).
    Withdraw(Hangup),
    /// Write the context windows status lines reported to their file.
    SaveKnownWindows,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Action;
    use crate::state::{Cockpit, ResumeOffer};

    #[test]
    fn quitting_asks_for_a_learning_first_then_returns_quit() {
        let mut state = Cockpit::new("app".into(), None, 0);
        state.ask_learning_on_quit = true;
        assert_eq!(state.apply(Action::Quit, false), None);
        assert!(state.view.note_input.as_ref().is_some_and(|n| n.quitting));
        assert_eq!(state.apply(Action::Submit, false), Some(Effect::Quit));
    }

    #[test]
    fn accepting_the_offer_returns_the_session_to_resume() {
        let mut state = Cockpit::new("app".into(), None, 0);
        state.resume_offer = Some(ResumeOffer {
            id: "abcd".into(),
            description: String::new(),
        });
        assert_eq!(
            state.apply(Action::Approve, false),
            Some(Effect::Resume("abcd".into()))
        );
        assert!(state.resume_offer.is_none());
        assert_eq!(
            state.apply(Action::Acknowledge, false),
            Some(Effect::AcknowledgeAlerts)
        );
    }
}
