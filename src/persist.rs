//! The running cockpit's side of the session store: keeps the tracker fed,
//! saves off the UI task (on every approval decision, periodically, on quit,
//! on SIGTERM/SIGHUP), and turns what the state knows (decisions, learnings)
//! into the record.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use crate::agents::Millis;
use crate::approvals::policy::Verdict;
use crate::config::GaugeConfig;
use crate::state::Cockpit;
use crate::store::schema::{ApprovalDecision, Decider, Decision, Note, SessionRecord};
use crate::store::{Store, Tracker};

/// A quit never waits longer than this for the last save.
pub const QUIT_SAVE_LIMIT: Duration = Duration::from_millis(500);

pub struct Persist {
    /// The directory whose repository (or fallback store) receives the saves.
    pub repo_dir: PathBuf,
    pub tracker: Tracker,
    pub interval: Duration,
    writer: mpsc::Sender<Job>,
}

/// A save, and what to do once it is on disk (send the decisions it holds).
struct Job {
    record: SessionRecord,
    then: Vec<Box<dyn FnOnce() + Send>>,
}

impl Persist {
    /// Starts the one thread that writes this session's saves, in the order
    /// asked: a snapshot taken later never lands under an earlier one.
    pub fn new(repo_dir: PathBuf, tracker: Tracker, interval: Duration) -> Self {
        let (writer, jobs) = mpsc::channel::<Job>();
        let dir = repo_dir.clone();
        let spawned = std::thread::Builder::new()
            .name("cockpit-save".into())
            .spawn(move || write_saves(&dir, &jobs));
        if let Err(err) = spawned {
            tracing::warn!(%err, "no save thread: sessions will not be saved");
        }
        Self {
            repo_dir,
            tracker,
            interval,
            writer,
        }
    }

    pub fn observe(&mut self, state: &Cockpit, config: &GaugeConfig, now: Millis) {
        self.tracker.observe(state, config, now);
    }

    /// The record as of now, with the state's decisions and learnings.
    pub fn record(
        &self,
        state: &Cockpit,
        config: &GaugeConfig,
        now: Millis,
        finished: bool,
    ) -> SessionRecord {
        let mut record = self.tracker.record(state, config, now, finished);
        record
            .approvals
            .extend(state.approvals.log.iter().map(|d| ApprovalDecision {
                decider: match d.by.strip_prefix("rule:") {
                    Some(rule) => Decider::Policy {
                        rule: rule.to_string(),
                    },
                    None if d.by == "remembered" => Decider::Policy {
                        rule: "remembered in this session".into(),
                    },
                    None => Decider::Human,
                },
                tool: d.tool.clone(),
                input_summary: d.summary.clone(),
                decision: match d.verdict {
                    Verdict::Allow => Decision::Allow,
                    Verdict::Deny => Decision::Deny,
                    // Handed back to the agent's own prompt: not decided here.
                    Verdict::Ask | Verdict::Pass => Decision::Pending,
                },
                reason: d.reason.clone(),
                at: d.at,
            }));
        record
            .approvals
            .extend(state.approvals.pending.iter().map(|p| ApprovalDecision {
                decider: Decider::Human,
                tool: p.request.tool.clone(),
                input_summary: p.summary(),
                decision: Decision::Pending,
                reason: None,
                at: p.received_at,
            }));
        // Rules too wide to restore are not saved again either.
        record.remembered_approvals.retain(|r| r.restorable());
        for rule in &state.approvals.remembered {
            if !record.remembered_approvals.contains(rule) {
                record.remembered_approvals.push(rule.clone());
            }
        }
        for (at, text) in &state.learnings {
            record.learnings.push(text.clone());
            record.notes.push(Note {
                at: *at,
                text: text.clone(),
            });
        }
        record
    }

    /// Saves on the save thread; the result is logged.
    pub fn save(&self, record: SessionRecord) {
        self.save_then(record, Vec::new());
    }

    /// Saves, then runs `then` (also when the save failed, or no save
    /// thread runs: a decision is never held back for good).
    pub fn save_then(&self, record: SessionRecord, then: Vec<Box<dyn FnOnce() + Send>>) {
        if let Err(mpsc::SendError(job)) = self.writer.send(Job { record, then }) {
            job.then.into_iter().for_each(|f| f());
        }
    }

    /// The last save: waits for it at most [`QUIT_SAVE_LIMIT`].
    pub async fn save_before_exit(&self, record: SessionRecord) {
        let (done, saved) = tokio::sync::oneshot::channel::<()>();
        let signal: Box<dyn FnOnce() + Send> = Box::new(move || {
            let _ = done.send(());
        });
        self.save_then(record, vec![signal]);
        if tokio::time::timeout(QUIT_SAVE_LIMIT, saved).await.is_err() {
            tracing::warn!("the last save took over 500 ms; leaving without waiting for it");
        }
    }
}

/// The save thread: saves queued while one was written collapse into the
/// newest (each record holds everything), then everything waiting on them runs.
fn write_saves(dir: &std::path::Path, jobs: &mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut record = first.record;
        let mut then = first.then;
        while let Ok(more) = jobs.try_recv() {
            record = more.record;
            then.extend(more.then);
        }
        let result = Store::open(dir).and_then(|store| store.save(&record));
        match result {
            Ok(oid) => tracing::info!(session = %record.id, %oid, "session saved"),
            Err(err) => tracing::warn!(session = %record.id, %err, "session not saved"),
        }
        then.into_iter().for_each(|f| f());
    }
}
