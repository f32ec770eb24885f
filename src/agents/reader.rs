//! One thread per followed transcript: tail, parse, estimate, send.
//!
//! The thread sleeps on its wake channel (no polling); the watcher wakes it when
//! the file or its directory changes. The first read of a long history goes out
//! in slices so the screen fills in while the rest is still being read.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use super::AgentKind;
use super::budget::Budget;
use super::pending::Pending;
use super::tail::Tailer;
use crate::agents::source::{Batch, SourceId};

/// How many bytes one batch reads before handing its records over: what a
/// batch holds until it is applied (its records, the texts waiting for an
/// estimate, the events the detectors derive from it) grows with it.
const SLICE_BYTES: u64 = 256 * 1024;

/// Bytes all readers together may have sent that the app has not applied:
/// room for a slice being applied, two queued and one being read, so
/// reading and applying still overlap.
pub const IN_FLIGHT_BYTES: u64 = 4 * SLICE_BYTES;

pub enum Wake {
    Changed,
    Stop,
}

pub struct ReaderHandle {
    wake: Sender<Wake>,
    /// Set on drop, for a reader waiting on the budget rather than on `wake`.
    stop: Arc<AtomicBool>,
    budget: Arc<Budget>,
    thread: Option<JoinHandle<()>>,
}

impl ReaderHandle {
    pub fn wake(&self) {
        let _ = self.wake.send(Wake::Changed);
    }
}

impl Drop for ReaderHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.budget.interrupt();
        let _ = self.wake.send(Wake::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Where a reader's batches go (the loop's channel); false: nobody takes
/// them any more, and the reader ends.
pub type Deliver = Box<dyn Fn(Batch) -> bool + Send>;

pub fn spawn(
    id: SourceId,
    path: PathBuf,
    kind: AgentKind,
    subagent: bool,
    line_cap: usize,
    deliver: Deliver,
    budget: Arc<Budget>,
) -> std::io::Result<ReaderHandle> {
    let (wake, wakes) = channel();
    let stop = Arc::new(AtomicBool::new(false));
    let thread = std::thread::Builder::new()
        .name(format!("reader-{}", id.0))
        .spawn({
            let (stop, budget) = (Arc::clone(&stop), Arc::clone(&budget));
            move || {
                let mut reader = Reader::new(path, kind, subagent, line_cap);
                reader.run(&wakes, &deliver, &budget, &stop);
            }
        })?;
    Ok(ReaderHandle {
        wake,
        stop,
        budget,
        thread: Some(thread),
    })
}

/// Everything one transcript's reading needs, usable without a thread (tests, benches).
pub struct Reader {
    kind: AgentKind,
    subagent: bool,
    tailer: Tailer,
    parser: Box<dyn super::LineParser + Send>,
    line_no: u64,
    /// Estimated tokens appended since the last usage report.
    pending: Pending,
    caught_up: bool,
    /// Bytes the last [`Reader::read_batch`] took from the file.
    last_read: u64,
    /// The last [`Reader::read_batch`] left nothing to read for now.
    at_end: bool,
}

impl Reader {
    pub fn new(path: PathBuf, kind: AgentKind, subagent: bool, line_cap: usize) -> Self {
        Self {
            kind,
            subagent,
            tailer: Tailer::new(path, line_cap),
            parser: kind.new_parser(subagent),
            line_no: 0,
            pending: Pending::new(kind),
            caught_up: false,
            last_read: 0,
            at_end: false,
        }
    }

    fn run(
        &mut self,
        wakes: &Receiver<Wake>,
        deliver: &Deliver,
        budget: &Arc<Budget>,
        stop: &AtomicBool,
    ) {
        loop {
            // Drain the history (or everything appended) slice by slice,
            // each only once the app has room for it.
            loop {
                let Some(mut permit) = budget.take(SLICE_BYTES, stop) else {
                    return;
                };
                let mut batch = self.read_batch();
                permit.resize(self.last_read);
                batch.permit = Some(permit);
                // Not `batch.caught_up`: that is news only the first time the
                // end is reached, and reading on at the end would spin.
                let more = !self.at_end;
                let worth_sending = !batch.records.is_empty()
                    || batch.reset
                    || batch.gone
                    || batch.malformed > 0
                    || batch.oversized > 0
                    || batch.caught_up;
                if worth_sending && !deliver(batch) {
                    return; // the app is gone
                }
                if !more {
                    break;
                }
                if let Ok(Wake::Stop) = wakes.try_recv() {
                    return;
                }
            }
            match wakes.recv() {
                Ok(Wake::Changed) => {}
                Ok(Wake::Stop) | Err(_) => return,
            }
            // Many events for one append become one read.
            while let Ok(message) = wakes.try_recv() {
                if let Wake::Stop = message {
                    return;
                }
            }
        }
    }

    /// Reads one slice; `caught_up` is set once the end of the file is reached.
    /// Returns `caught_up: true` only on the call that reaches the end the
    /// first time; later calls leave it false unless nothing more is left.
    pub fn read_batch(&mut self) -> Batch {
        let mut batch = Batch::default();
        let mut records = Vec::new();
        let parser = &mut self.parser;
        let line_no = &mut self.line_no;
        let path = self.tailer.path().to_path_buf();
        let mut malformed = 0;
        let mut last_malformed = None;
        let result = self.tailer.read_appended(SLICE_BYTES, |line| {
            *line_no += 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                return;
            }
            if let Err(err) = parser.parse_line(line, &mut records) {
                malformed += 1;
                last_malformed = Some(format!("{}:{}: {err}", path.display(), line_no));
            }
        });
        match result {
            Ok(read) => {
                self.last_read = read.bytes;
                if read.reset {
                    self.line_no = 0;
                    self.parser = self.kind.new_parser(self.subagent);
                    self.pending.reset();
                    batch.reset = true;
                }
                batch.gone = read.gone;
                batch.oversized = read.oversized;
                if read.oversized > 0 {
                    tracing::warn!(
                        file = %path.display(),
                        count = read.oversized,
                        "skipped lines longer than the line cap"
                    );
                }
                batch.caught_up = !read.more;
            }
            Err(err) => {
                self.last_read = 0;
                tracing::warn!(file = %path.display(), %err, "could not read transcript");
                batch.last_malformed = Some(format!("{}: {err}", path.display()));
                batch.caught_up = true;
            }
        }
        if let Some(message) = &last_malformed {
            tracing::warn!("malformed transcript line skipped: {message}");
        }
        batch.malformed = malformed;
        if last_malformed.is_some() {
            batch.last_malformed = last_malformed;
        }
        self.at_end = batch.caught_up;
        batch.records = self.pending.settle(records, batch.caught_up);
        if batch.caught_up && self.caught_up && batch.records.is_empty() && !batch.reset {
            // Only the first arrival at the end is news.
            batch.caught_up = false;
            return batch;
        }
        self.caught_up |= batch.caught_up;
        batch
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::Record;
    use std::time::Duration;

    #[test]
    fn a_reader_waits_while_the_app_holds_what_it_sent_and_loses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.jsonl");
        let line = format!(
            "{{\"type\":\"user\",\"sessionId\":\"s\",\"message\":{{\"role\":\"user\",\"content\":\"{}\"}}}}\n",
            "a few words ".repeat(90)
        );
        let lines = 12 * SLICE_BYTES as usize / line.len();
        std::fs::write(&path, line.repeat(lines)).unwrap();
        let budget = Budget::new(IN_FLIGHT_BYTES);
        let (events, received) = std::sync::mpsc::channel();
        let kind = AgentKind::Claude;
        let reader = spawn(
            SourceId(0),
            path,
            kind,
            false,
            1 << 20,
            Box::new(move |batch| events.send(batch).is_ok()),
            budget.clone(),
        )
        .unwrap();
        while budget.in_flight() < IN_FLIGHT_BYTES {
            std::thread::sleep(Duration::from_millis(5));
        }
        // Time for a reader that ignored the budget to run ahead.
        std::thread::sleep(Duration::from_millis(300));
        let mut held = Vec::new();
        while let Ok(batch) = received.try_recv() {
            held.push(batch);
        }
        assert!(
            held.len() as u64 * SLICE_BYTES <= IN_FLIGHT_BYTES,
            "{}",
            held.len()
        );
        // Applying (dropping) the batches lets the reader go on to the end.
        let mut prompts = 0;
        let mut caught_up = false;
        let mut next = held.into_iter();
        while !caught_up {
            let batch = next.next().or_else(|| received.recv().ok()).unwrap();
            caught_up = batch.caught_up;
            let prompt = |r: &Record| matches!(r, Record::Prompt { .. });
            prompts += batch.records.iter().filter(|r| prompt(r)).count();
        }
        assert_eq!(prompts, lines);
        drop(reader);
        assert_eq!(budget.in_flight(), 0);
    }
}
