//! How long the status line's notice stays: a passing word lives a few
//! seconds; a standing one goes when what it says stops being true. The
//! cockpit's side of it is in `notice_words.rs`.

use crate::clock::Millis;

/// How long a passing notice ("learning saved", "key ignored") stays.
pub const PASSING_MS: Millis = 8_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeGoes {
    /// A passing word: gone at this time.
    At(Millis),
    /// "Waiting for an agent": gone when a session appears.
    WhenASessionAppears,
    /// True as long as the cockpit runs (no repository to save into).
    Never,
}

/// The notice a lifetime belongs to (one set directly, with no lifetime,
/// is a passing one from when it is first seen).
#[derive(Debug, Clone, Default)]
pub struct NoticeLife {
    pub(super) text: String,
    pub(super) goes: Option<NoticeGoes>,
}
