//! The estimate of what entered the context since the agent's last usage
//! report: the texts a reader's records carry ([`Record::PendingText`]) are
//! replaced by one [`Record::Pending`] with the running total.
//!
//! Texts are estimated only when the reader reaches the end of what is
//! written: in a long history almost every text is followed by a usage
//! report a few lines on, which voids its estimate, so a history read in
//! small slices is not tokenized slice by slice.

use super::{AgentKind, Record};
use crate::agents::tokens;

/// Bytes of texts kept unestimated at most; past it they are estimated at
/// once (a long stretch without a usage report stays small in memory).
const CARRY_BYTES: usize = 1024 * 1024;

pub struct Pending {
    kind: AgentKind,
    /// Estimated tokens since the last usage report.
    tokens: u64,
    /// Texts since the last usage report not estimated yet: what the
    /// estimate reads of each (a long text's start) and its whole length.
    texts: Vec<(String, usize)>,
    /// Bytes held in `texts`.
    bytes: usize,
    /// A text came since the last [`Record::Pending`] went out.
    changed: bool,
}

impl Pending {
    pub fn new(kind: AgentKind) -> Self {
        Self {
            kind,
            tokens: 0,
            texts: Vec::new(),
            bytes: 0,
            changed: false,
        }
    }

    /// The file started over: nothing before counts.
    pub fn reset(&mut self) {
        *self = Self::new(self.kind);
    }

    /// `records` without their texts; at the end of what is written
    /// (`at_end`), followed by the running estimate if a text came.
    pub fn settle(&mut self, records: Vec<Record>, at_end: bool) -> Vec<Record> {
        let mut kept = Vec::with_capacity(records.len());
        for record in records {
            match record {
                Record::PendingText(mut text) => {
                    let len = text.len();
                    let part = tokens::estimated_part(&text).len();
                    if part < len {
                        text.truncate(part);
                        text.shrink_to_fit();
                    }
                    self.keep(text, len);
                }
                Record::PendingPart { part, len } => self.keep(part, len),
                Record::Usage { .. } | Record::Compacted { .. } => {
                    self.texts.clear();
                    self.bytes = 0;
                    self.tokens = 0;
                    kept.push(record);
                }
                other => kept.push(other),
            }
        }
        if at_end && self.changed {
            self.estimate();
            self.changed = false;
            kept.push(Record::Pending {
                tokens: self.tokens,
            });
        }
        kept
    }

    fn keep(&mut self, part: String, len: usize) {
        self.bytes += part.len();
        self.texts.push((part, len));
        self.changed = true;
        if self.bytes > CARRY_BYTES {
            self.estimate();
        }
    }

    fn estimate(&mut self) {
        let kind = self.kind;
        self.tokens += (self.texts.drain(..))
            .map(|(part, len)| tokens::estimate_from(kind, &part, len))
            .sum::<u64>();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Record {
        Record::PendingText(s.to_string())
    }

    fn usage() -> Record {
        Record::Usage {
            context_tokens: 1,
            window: None,
            model: None,
            at: None,
        }
    }

    fn estimates(records: &[Record]) -> Vec<u64> {
        (records.iter())
            .filter_map(|r| match r {
                Record::Pending { tokens } => Some(*tokens),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_estimate_goes_out_at_the_end_and_counts_only_texts_after_the_last_usage() {
        let kind = AgentKind::Claude;
        let after = tokens::estimate(kind, "three more words") + tokens::estimate(kind, "and two");
        let mut pending = Pending::new(kind);
        let first = pending.settle(vec![text("voided by the usage"), usage()], false);
        assert!(estimates(&first).is_empty() && first.len() == 1);
        let second = pending.settle(vec![text("three more words")], false);
        assert!(second.is_empty(), "not estimated before the end");
        let last = pending.settle(vec![text("and two")], true);
        assert_eq!(estimates(&last), [after]);
        // Nothing new: no second estimate; a usage alone resets it to nothing.
        assert!(pending.settle(Vec::new(), true).is_empty());
        let reset = pending.settle(vec![text("x"), usage()], true);
        assert_eq!(estimates(&reset), [0]);
    }

    #[test]
    fn a_long_text_is_kept_as_the_start_its_estimate_reads() {
        let kind = AgentKind::Claude;
        let long = "a tool result of several megabytes ".repeat(60_000);
        let mut pending = Pending::new(kind);
        assert!(pending.settle(vec![text(&long)], false).is_empty());
        assert!(pending.bytes < long.len() / 4, "{}", pending.bytes);
        let last = pending.settle(Vec::new(), true);
        assert_eq!(estimates(&last), [tokens::estimate(kind, &long)]);
    }

    #[test]
    fn a_long_stretch_without_usage_is_estimated_as_it_goes() {
        let kind = AgentKind::Claude;
        let chunk = "many words in a long output ".repeat(8_000);
        let mut pending = Pending::new(kind);
        for _ in 0..10 {
            pending.settle(vec![text(&chunk)], false);
            assert!(pending.bytes <= CARRY_BYTES);
        }
        let last = pending.settle(Vec::new(), true);
        assert_eq!(estimates(&last), [10 * tokens::estimate(kind, &chunk)]);
    }
}
