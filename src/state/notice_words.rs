//! Setting, ageing and dropping the status line's notice (its lifetimes are
//! in `notice.rs`).

use crate::clock::Millis;

use super::Cockpit;
use super::notice::{NoticeGoes, NoticeLife, PASSING_MS};

impl Cockpit {
    /// A passing notice: it goes by itself after [`PASSING_MS`].
    pub fn notice(&mut self, text: String) {
        let goes = NoticeGoes::At(self.now + PASSING_MS);
        self.notice_until(text, goes);
    }

    pub fn notice_until(&mut self, text: String, goes: NoticeGoes) {
        self.notice_life = NoticeLife {
            text: text.clone(),
            goes: Some(goes),
        };
        self.notice = Some(text);
        self.view.dirty = true;
    }

    /// When the notice goes by itself, if it does.
    pub fn notice_due(&self) -> Option<Millis> {
        let text = self.notice.as_ref()?;
        match self.notice_life.goes {
            _ if *text != self.notice_life.text => Some(self.now),
            Some(NoticeGoes::At(at)) => Some(at),
            _ => None,
        }
    }

    /// Drops a passing notice whose time is up (and starts the clock of one
    /// set directly).
    pub fn expire_notice(&mut self) {
        let Some(text) = &self.notice else { return };
        if *text != self.notice_life.text {
            let text = text.clone();
            self.notice(text);
        }
        if matches!(self.notice_life.goes, Some(NoticeGoes::At(at)) if self.now >= at) {
            self.notice = None;
            self.view.dirty = true;
        }
    }

    /// A session appeared: "no agent transcript yet" is no longer true.
    pub(super) fn session_appeared(&mut self) {
        if self.notice.is_some() && self.notice_life.goes == Some(NoticeGoes::WhenASessionAppears) {
            self.notice = None;
            self.view.dirty = true;
        }
    }
}
