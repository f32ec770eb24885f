//! What the user is looking at, apart from what the cockpit knows: the panel
//! with focus, cursors and scrolls, the one overlay open, the learning being
//! typed, and whether the screen needs drawing. The views read it; nothing
//! the cockpit knows about the agents is kept here.

use super::learning_search::LearningSearch;
use super::tools::ToolFeed;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tools,
    /// The alerts strip: every alert in full, scrolled.
    Alerts,
    Details,
    Sessions,
}

/// A learning being typed (Law 1); `quitting`: asked on the way out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteInput {
    pub text: String,
    pub quitting: bool,
}

/// A full-screen view over the panels; one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    /// The outer loop: git history, past sessions, learnings.
    Outer,
    Stats,
}

#[derive(Debug)]
pub struct View {
    pub focus: Focus,
    /// The call the user chose, by its place in the feed (`ToolFeed::seq`),
    /// so calls arriving do not move it; `None` follows the newest.
    pub tool_pick: Option<u64>,
    pub detail_scroll: u16,
    /// Rows scrolled in the focused alerts strip.
    pub alert_scroll: u16,
    pub details_open: bool,
    pub overlay: Option<Overlay>,
    /// Rows the help is scrolled by the wheel (any key closes it).
    pub help_scroll: u16,
    /// Rows the tool list showed last frame (for page up/down).
    pub page_rows: usize,
    /// The user chose a session; new ones no longer take the screen.
    pub user_picked: bool,
    /// The one-line learning being typed; `quitting`: asked on the way out.
    pub note_input: Option<NoteInput>,
    /// The outer loop overlay's search through past learnings.
    pub learning_search: LearningSearch,
    /// Set by anything that changes what is drawn.
    pub dirty: bool,
}

impl Default for View {
    fn default() -> Self {
        Self {
            focus: Focus::Tools,
            tool_pick: None,
            detail_scroll: 0,
            alert_scroll: 0,
            details_open: false,
            overlay: None,
            help_scroll: 0,
            page_rows: 10,
            user_picked: false,
            note_input: None,
            learning_search: LearningSearch::default(),
            dirty: true,
        }
    }
}

impl View {
    /// Opens `overlay`, or closes it if it is the one open.
    pub fn toggle(&mut self, overlay: Overlay) {
        self.help_scroll = 0;
        self.overlay = (self.overlay != Some(overlay)).then_some(overlay);
    }

    pub fn is_open(&self, overlay: Overlay) -> bool {
        self.overlay == Some(overlay)
    }

    /// Index in `feed.calls()` of the selected call: the one picked (the
    /// oldest kept, if it has left the feed's window), else the newest.
    pub fn call_index(&self, feed: &ToolFeed) -> Option<usize> {
        let last = feed.calls().len().checked_sub(1)?;
        Some(
            self.tool_pick
                .map_or(last, |seq| feed.index_of(seq).min(last)),
        )
    }
}
