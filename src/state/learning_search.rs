//! Searching the past sessions' learnings from the outer loop view: what is
//! typed, and whether it is still being typed.

use crate::action::Action;

/// One learning of a past session, as the outer loop view and the handoff
/// prompt list it (gathered newest first by the store's `learnings.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastLearning {
    /// The session's last save: learnings carry no time of their own.
    pub when: crate::clock::Millis,
    pub session: String,
    pub text: String,
}

/// Longest query kept: a paste cannot grow it without bound.
const MAX_CHARS: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LearningSearch {
    pub query: String,
    /// Keys go into the query (opened with `/`, closed with Enter or Esc).
    pub typing: bool,
}

impl LearningSearch {
    pub fn open(&mut self) {
        self.typing = true;
    }

    /// A key while typing: Enter keeps the query, Esc drops it.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Input(c) if !c.is_control() && self.query.chars().count() < MAX_CHARS => {
                self.query.push(c)
            }
            Action::Backspace => {
                self.query.pop();
            }
            Action::Submit => self.typing = false,
            Action::Cancel | Action::Quit => *self = Self::default(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_kept_on_enter_and_dropped_on_esc() {
        let mut search = LearningSearch::default();
        search.open();
        for c in "ci\u{7}x".chars() {
            search.apply(Action::Input(c));
        }
        search.apply(Action::Backspace);
        assert_eq!(search.query, "ci");
        search.apply(Action::Submit);
        assert_eq!((search.query.as_str(), search.typing), ("ci", false));
        search.open();
        search.apply(Action::Cancel);
        assert_eq!(search, LearningSearch::default());
        search.open();
        for _ in 0..500 {
            search.apply(Action::Input('a'));
        }
        assert_eq!(search.query.chars().count(), MAX_CHARS);
    }
}
