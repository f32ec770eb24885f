//! The live feed of tool calls.

use std::collections::{HashMap, VecDeque};

use crate::agents::{ToolEnd, ToolStart};
use crate::clock::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolStatus {
    Running,
    Ok,
    Failed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub input: String,
    pub started: Option<Millis>,
    pub ended: Option<Millis>,
    pub status: ToolStatus,
}

impl ToolCall {
    /// Duration when ended; for a running call, the time since it started.
    pub fn duration_ms(&self, now: Millis) -> Option<i64> {
        let start = self.started?;
        Some(self.ended.unwrap_or(now) - start)
    }
}

/// The newest calls (bounded so a week-long transcript stays small) and the
/// counts over all of them.
#[derive(Debug, Clone, Default)]
pub struct ToolFeed {
    calls: VecDeque<ToolCall>,
    index: HashMap<String, u64>,
    /// Sequence number of `calls[0]`.
    first_seq: u64,
    capacity: usize,
    pub total: u64,
    pub failed: u64,
    /// Each running call as it started, for the detectors: the one pairing
    /// of calls and results (`finish`); only calls still in the feed.
    open: HashMap<String, ToolStart>,
}

impl ToolFeed {
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            ..Self::default()
        }
    }

    pub fn start(&mut self, start: ToolStart) {
        // The newest start of an id is the one its result closes.
        self.open.insert(start.id.clone(), start.clone());
        if self.index.contains_key(&start.id) && !start.id.is_empty() {
            return; // a streaming split repeats nothing, but be safe
        }
        let seq = self.first_seq + self.calls.len() as u64;
        if !start.id.is_empty() {
            self.index.insert(start.id.clone(), seq);
        }
        self.calls.push_back(ToolCall {
            id: start.id,
            name: start.name,
            summary: start.summary,
            input: start.input,
            started: start.at,
            ended: None,
            status: ToolStatus::Running,
        });
        self.total += 1;
        while self.calls.len() > self.capacity {
            if let Some(old) = self.calls.pop_front() {
                self.index.remove(&old.id);
                // A call that never got its result (an interrupted turn)
                // is not waited for past the feed's window.
                self.open.remove(&old.id);
            }
            self.first_seq += 1;
        }
    }

    /// Marks the call `end` closes finished and returns how it started
    /// (None: no call of that id is running, e.g. a second result).
    pub fn finish(&mut self, end: &ToolEnd) -> Option<ToolStart> {
        self.end(&end.id, end.ok, end.at);
        self.open.remove(&end.id)
    }

    /// Marks a call finished; a second result for the same call is ignored.
    pub fn end(&mut self, id: &str, ok: bool, at: Option<Millis>) {
        let Some(&seq) = self.index.get(id) else {
            return;
        };
        let Some(call) = self.calls.get_mut((seq - self.first_seq) as usize) else {
            return;
        };
        if call.status != ToolStatus::Running {
            return;
        }
        call.status = if ok {
            ToolStatus::Ok
        } else {
            ToolStatus::Failed
        };
        call.ended = at.or(call.started);
        if !ok {
            self.failed += 1;
        }
    }

    pub fn calls(&self) -> &VecDeque<ToolCall> {
        &self.calls
    }

    /// The lasting place of `calls()[index]`: it does not change as calls
    /// arrive or old ones leave the window.
    pub fn seq(&self, index: usize) -> u64 {
        self.first_seq + index as u64
    }

    /// Index in `calls()` of the call at place `seq` (0 if it has left).
    pub fn index_of(&self, seq: u64) -> usize {
        seq.saturating_sub(self.first_seq) as usize
    }

    pub fn running(&self) -> usize {
        self.calls
            .iter()
            .filter(|c| c.status == ToolStatus::Running)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(id: &str, at: i64) -> ToolStart {
        ToolStart {
            id: id.into(),
            name: "Bash".into(),
            summary: "cargo test".into(),
            input: String::new(),
            command: Some("cargo test".into()),
            paths: Vec::new(),
            at: Some(at),
        }
    }

    #[test]
    fn pairs_results_with_calls_and_keeps_a_bounded_window() {
        let mut feed = ToolFeed::with_capacity(2);
        feed.start(start("a", 0));
        feed.start(start("b", 10));
        feed.end("b", false, Some(1_010));
        feed.end("b", true, Some(2_000)); // duplicate result ignored
        feed.start(start("c", 20));
        feed.end("a", true, Some(30)); // evicted: ignored
        assert_eq!(feed.total, 3);
        assert_eq!(feed.failed, 1);
        let calls: Vec<_> = feed
            .calls()
            .iter()
            .map(|c| (c.id.as_str(), c.status))
            .collect();
        assert_eq!(
            calls,
            [("b", ToolStatus::Failed), ("c", ToolStatus::Running)]
        );
        assert_eq!(feed.calls()[0].duration_ms(0), Some(1_000));
        assert_eq!(feed.calls()[1].duration_ms(520), Some(500));
    }

    #[test]
    fn a_call_without_its_result_is_not_kept_past_the_window() {
        let mut feed = ToolFeed::with_capacity(2);
        for (i, id) in ["a", "b", "c"].into_iter().enumerate() {
            feed.start(start(id, i as i64));
        }
        assert_eq!(feed.open.len(), 2);
        let end = |id: &str| ToolEnd {
            id: id.into(),
            ok: true,
            ..ToolEnd::default()
        };
        assert_eq!(feed.finish(&end("a")), None);
        assert_eq!(feed.finish(&end("c")).map(|s| s.id), Some("c".into()));
    }
}
