//! The running cockpit's side of the session store: keeps the tracker fed,
//! saves off the UI task (on every approval decision, periodically, on quit,
//! on SIGTERM/SIGHUP), and resumes a stored session.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

pub use super::record::Extras;
use super::schema::SessionRecord;
use super::{SessionSummary, Store, StoreError, Tracker};
use crate::clock::Millis;
use crate::config::GaugeConfig;
use crate::event::{Event, EventSender};
use crate::policy::remember::RememberedRule;
use crate::state::{Cockpit, PastSession};

/// A quit never waits longer than this for the last save.
pub const QUIT_SAVE_LIMIT: Duration = Duration::from_millis(500);

/// A failed save is tried again after this, doubling up to [`RETRY_MAX`]:
/// a lock held by another writer is usually gone in a moment, and a lasting
/// failure must not spin.
const RETRY_FIRST: Duration = Duration::from_millis(250);
const RETRY_MAX: Duration = Duration::from_secs(8);

pub struct Persist {
    /// The directory whose repository (or fallback store) receives the saves.
    pub repo_dir: PathBuf,
    pub tracker: Tracker,
    pub interval: Duration,
    writer: mpsc::Sender<Job>,
    /// Why the newest save failed; None once one succeeds.
    failure: Arc<Mutex<Option<String>>>,
}

/// What the running cockpit takes over from a resumed session.
pub struct Resumed {
    pub short_id: String,
    /// How to resume the agent's own session, when it can be.
    pub agent_command: Option<String>,
    /// The transcripts it followed.
    pub transcripts: Vec<PathBuf>,
    pub remembered: Vec<RememberedRule>,
    pub started_at: Millis,
}

/// A save, and what to do once it is on disk (send the decisions it holds).
struct Job {
    record: SessionRecord,
    then: Vec<Box<dyn FnOnce() + Send>>,
}

impl Persist {
    /// Starts the one thread that writes this session's saves, in the order
    /// asked: a snapshot taken later never lands under an earlier one.
    /// `events` hears each change between saved and not saved.
    pub fn new(
        repo_dir: PathBuf,
        tracker: Tracker,
        interval: Duration,
        events: EventSender,
    ) -> Self {
        let (writer, jobs) = mpsc::channel::<Job>();
        let dir = repo_dir.clone();
        let failure = Arc::new(Mutex::new(None));
        let saver = Saver {
            events,
            failure: failure.clone(),
        };
        let spawned = std::thread::Builder::new()
            .name("cockpit-save".into())
            .spawn(move || write_saves(&dir, &jobs, &saver));
        if let Err(err) = spawned {
            tracing::warn!(%err, "no save thread: sessions will not be saved");
        }
        Self {
            repo_dir,
            tracker,
            interval,
            writer,
            failure,
        }
    }

    pub fn observe(&mut self, state: &Cockpit, config: &GaugeConfig, now: Millis) {
        self.tracker.observe(state, config, now);
    }

    /// The record as of now: see [`super::record::build`].
    pub fn record(
        &self,
        state: &Cockpit,
        extras: &Extras<'_>,
        now: Millis,
        finished: bool,
    ) -> SessionRecord {
        super::record::build(&self.tracker, state, extras, now, finished)
    }

    /// Loads a stored session and continues it: the next save adds to its
    /// ref, with its id, lists, zone time and gauge history.
    pub fn resume(&mut self, id: &str) -> Result<Resumed, StoreError> {
        let record = Store::open(&self.repo_dir).and_then(|store| store.load(id))?;
        let resumed = Resumed {
            short_id: record.id.chars().take(8).collect(),
            agent_command: super::resume_command(&record),
            transcripts: record
                .transcripts
                .iter()
                .map(|t| PathBuf::from(&t.path))
                .collect(),
            remembered: record.remembered_approvals.clone(),
            started_at: record.started_at,
        };
        self.tracker = Tracker::resume(record);
        Ok(resumed)
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
        let id = record.id.clone();
        self.save_then(record, vec![signal]);
        let failure = if tokio::time::timeout(QUIT_SAVE_LIMIT, saved).await.is_err() {
            Some("the last save took over 500 ms".to_string())
        } else {
            self.failure.lock().ok().and_then(|f| f.clone())
        };
        if let Some(why) = failure {
            // The terminal is restored by now: say it where the user looks.
            tracing::warn!(session = %id, "left with the session not saved: {why}");
            use std::io::Write;
            // Not `eprintln!`: it panics when the terminal is gone.
            let _ = writeln!(
                std::io::stderr(),
                "cockpit: session {id} was NOT saved: {why}"
            );
        }
    }
}

/// The save thread's way of telling the app whether the session is saved.
struct Saver {
    events: EventSender,
    failure: Arc<Mutex<Option<String>>>,
}

impl Saver {
    /// Sends only changes: a failing save retried again says nothing new.
    fn report(&self, failure: Option<String>) {
        let Ok(mut last) = self.failure.lock() else {
            return;
        };
        if last.is_some() != failure.is_some() || (failure.is_some() && *last != failure) {
            let _ = self.events.send(Event::SaveFailed(failure.clone()));
        }
        *last = failure;
    }
}

/// The save thread: saves queued while one was written collapse into the
/// newest (each record holds everything), then everything waiting on them runs.
/// A failed save is kept and tried again with back-off (a newer record
/// replaces it); asleep on the channel when nothing is pending.
fn write_saves(dir: &std::path::Path, jobs: &mpsc::Receiver<Job>, saver: &Saver) {
    let mut failed: Option<SessionRecord> = None;
    let mut backoff = RETRY_FIRST;
    loop {
        let job = match failed {
            None => match jobs.recv() {
                Ok(job) => Some(job),
                Err(_) => return,
            },
            Some(_) => match jobs.recv_timeout(backoff) {
                Ok(job) => Some(job),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            },
        };
        let (mut record, mut then) = match (job, failed.take()) {
            (Some(job), _) => (job.record, job.then),
            (None, Some(record)) => (record, Vec::new()),
            (None, None) => continue,
        };
        while let Ok(more) = jobs.try_recv() {
            record = more.record;
            then.extend(more.then);
        }
        match Store::open(dir).and_then(|store| store.save(&record)) {
            Ok(oid) => {
                tracing::info!(session = %record.id, %oid, "session saved");
                saver.report(None);
                backoff = RETRY_FIRST;
            }
            Err(err) => {
                tracing::warn!(session = %record.id, %err, "session not saved; retrying in {backoff:?}");
                saver.report(Some(err.to_string()));
                failed = Some(record);
                backoff = (backoff * 2).min(RETRY_MAX);
            }
        }
        // A decision waiting on this save is sent either way: it is in the
        // record that will be retried.
        then.into_iter().for_each(|f| f());
    }
}

/// A stored session as the outer loop lists it (here, on the running
/// cockpit's side: the summary itself knows nothing of the state).
impl From<&SessionSummary> for PastSession {
    fn from(summary: &SessionSummary) -> Self {
        let agent = match (&summary.agent, &summary.model) {
            (_, Some(model)) => model.clone(),
            (Some(kind), None) => kind.label().to_string(),
            (None, None) => "-".to_string(),
        };
        PastSession {
            id: summary.id.clone(),
            when: summary.started_at,
            duration_ms: summary.ended_at.unwrap_or(summary.last_saved_at) - summary.started_at,
            agent,
            peak_percent: summary
                .peak_tokens
                .saturating_mul(100)
                .checked_div(summary.window),
            tool_calls: summary.tool_calls,
            approvals: summary.approvals,
            finished: summary.finished,
            // A teammate's session (fetched refs) says whose it is.
            author: summary.remote.as_ref().and(summary.author.clone()),
            handoff_line: summary.handoff_line.clone(),
        }
    }
}
