//! Decisions on their way to the hooks: sent once the record holding them is
//! saved, retired requests closed without one; the timer's turn; and the
//! bell for a new request.

use crate::clock::now_millis;
use crate::config::Notify;
use crate::state::Effect;

use super::App;

impl App {
    /// Time passed: a held key may be due.
    pub(super) fn tick(&mut self) {
        self.state.now = now_millis();
        self.state.release_held(self.frame.details_visible);
        self.carry_out_all(Vec::new());
        self.state.detect_waits();
        // Detectors that work off this thread (Bridge Torching) raise here
        // what they found, and what came due while nothing else happened.
        self.state.detect_poll(self.state.now);
        self.retry_socket();
        self.state.expire_notice();
    }

    /// Each reply goes to the hook waiting for it once the session record
    /// holding it is saved (a cockpit killed a moment later has kept every
    /// decision the agent heard); a request settled in the agent has its
    /// connection closed with no decision (the hook hands back, never allows).
    pub(super) fn answer_hooks(&mut self, answers: Vec<Effect>) {
        let mut save = false;
        let mut sends: Vec<Box<dyn FnOnce() + Send>> = Vec::new();
        for answer in answers {
            match answer {
                Effect::SaveDecisions => save = true,
                Effect::Withdraw(id) => {
                    self.replies.remove(&id);
                }
                Effect::Reply(reply) => match self.replies.remove(&reply.id) {
                    Some(sender) => sends.push(Box::new(move || {
                        let _ = sender.send(reply);
                    })),
                    None => {
                        tracing::warn!(id = %reply.id, "decision for a request no hook waits for")
                    }
                },
                other => debug_assert!(false, "not an answer: {other:?}"),
            }
        }
        if save
            && let Some(record) = self.snapshot(false)
            && let Some(persist) = self.persist.as_ref()
        {
            persist.save_then(record, sends);
        } else {
            sends.into_iter().for_each(|send| send());
        }
    }

    /// Bell and desktop notification for a request that needs the human.
    pub(super) fn announce(&mut self, summary: &str) {
        let approvals = &self.config.approvals;
        if approvals.bell {
            self.alerts.push("\x07".into());
        }
        // Only printable text inside the escape sequence.
        let text: String = crate::text::escape_control(summary)
            .chars()
            .filter(|c| *c != ';')
            .take(120)
            .collect();
        match approvals.notify {
            Notify::Osc9 => self
                .alerts
                .push(format!("\x1b]9;cockpit: approval needed: {text}\x1b\\")),
            Notify::Osc777 => self.alerts.push(format!(
                "\x1b]777;notify;cockpit: approval needed;{text}\x1b\\"
            )),
            Notify::None => {}
        }
    }
}
