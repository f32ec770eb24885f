//! Bridge Torching: the working tree removes, renames or changes the
//! parameters of a public item that other tracked files still name. The git
//! reads and the search of the tracked files run on a worker thread (a big
//! repository takes a while; the UI thread must not wait). An agent in the
//! middle of a rename updates the callers next, so a break alerts only once
//! it has stood for the grace period.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender};

use super::alert::{Alert, Detector, Pattern, Waker};
use super::api_items::{self, Change};
use super::bridge_scan::{self, Broken};
use super::event::Event;
use crate::agents::Millis;

struct Job {
    root: PathBuf,
    paths: Vec<PathBuf>,
    at: Millis,
}

struct Done {
    job: Job,
    /// `None`: the repository could not be read; what was known stands.
    found: Option<Vec<Broken>>,
}

struct Worker {
    jobs: Sender<Job>,
    done: Receiver<Done>,
}

impl Worker {
    fn spawn(max_files: usize, waker: Option<Waker>) -> Option<Self> {
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (done_tx, done) = mpsc::channel();
        std::thread::Builder::new()
            .name("bridge-scan".into())
            .spawn(move || {
                // Ends when the detector (the sender) is dropped.
                for job in job_rx {
                    let found = bridge_scan::scan(&job.root, &job.paths, max_files)
                        .map_err(|err| tracing::debug!("bridge scan: {err}"))
                        .ok();
                    if done_tx.send(Done { job, found }).is_err() {
                        break;
                    }
                    if let Some(wake) = &waker {
                        wake();
                    }
                }
            })
            .ok()?;
        Some(Self { jobs, done })
    }
}

struct Standing {
    broken: Broken,
    since: Millis,
    reported: bool,
}

pub struct BridgeTorching {
    grace_ms: i64,
    max_files: usize,
    worker: Option<Worker>,
    /// Tells the loop a scan finished (none in a replay, which polls).
    waker: Option<Waker>,
    in_flight: usize,
    /// Every break known, by repository, file and item.
    standing: HashMap<(PathBuf, PathBuf, String), Standing>,
    /// The latest time any event said (transcript or watcher clock).
    clock: Millis,
}

impl BridgeTorching {
    pub fn new(grace_secs: u64, max_files: u64) -> Self {
        Self {
            grace_ms: i64::try_from(grace_secs.saturating_mul(1_000)).unwrap_or(i64::MAX),
            max_files: usize::try_from(max_files.max(1)).unwrap_or(usize::MAX),
            worker: None,
            waker: None,
            in_flight: 0,
            standing: HashMap::new(),
            clock: Millis::MIN,
        }
    }

    fn send(&mut self, job: Job) {
        if self.worker.is_none() {
            self.worker = Worker::spawn(self.max_files, self.waker.clone());
        }
        if let Some(worker) = &self.worker
            && worker.jobs.send(job).is_ok()
        {
            self.in_flight += 1;
        }
    }

    /// Takes the finished scans: each replaces what was known of its files.
    fn drain(&mut self) {
        let Some(worker) = &self.worker else { return };
        let done: Vec<Done> = worker.done.try_iter().collect();
        for Done { job, found } in done {
            self.in_flight = self.in_flight.saturating_sub(1);
            let Some(found) = found else { continue };
            let root = job.root;
            let (before, kept) = std::mem::take(&mut self.standing)
                .into_iter()
                .partition(|((r, path, _), _)| *r == root && job.paths.contains(path));
            self.standing = kept;
            let before: HashMap<_, Standing> = before;
            for broken in found {
                let key = (root.clone(), broken.path.clone(), broken.name.clone());
                // A break seen again keeps its start: the grace runs from the
                // first sight. One fixed and broken again starts anew.
                let (since, reported) = before
                    .get(&key)
                    .map_or((job.at, false), |s| (s.since, s.reported));
                self.standing.insert(
                    key,
                    Standing {
                        broken,
                        since,
                        reported,
                    },
                );
            }
        }
    }

    fn raise_due(&mut self, out: &mut Vec<Alert>) {
        // Counts of a scan still running may be out of date.
        if self.in_flight > 0 {
            return;
        }
        let mut due: Vec<&mut Standing> = self
            .standing
            .values_mut()
            .filter(|s| !s.reported && self.clock.saturating_sub(s.since) >= self.grace_ms)
            .collect();
        due.sort_by(|a, b| a.broken.path.cmp(&b.broken.path));
        for standing in due {
            standing.reported = true;
            out.push(alert(&standing.broken, self.clock));
        }
    }
}

fn alert(b: &Broken, at: Millis) -> Alert {
    let what = match &b.change {
        Change::Removed => "was removed or renamed".to_string(),
        Change::Signature { before, after } => {
            format!("changed its parameters ({before}) → ({after})")
        }
    };
    let callers = match b.change {
        Change::Removed => "",
        Change::Signature { .. } => " the session did not touch",
    };
    Alert::new(
        Pattern::BridgeTorching,
        None,
        Some(at),
        format!(
            "`{}` ({}) {what}, and {}{} place{} in {} file{}{callers} still use{} it",
            b.name,
            b.path.display(),
            if b.capped { "at least " } else { "" },
            b.places,
            if b.places == 1 { "" } else { "s" },
            b.files,
            if b.files == 1 { "" } else { "s" },
            if b.places == 1 { "s" } else { "" },
        ),
        "Keep the old name or signature (or a forwarding shim) until every caller is updated, run the whole build and test suite, and have a human review the API change.",
    )
}

fn event_at(event: &Event) -> Option<Millis> {
    match event {
        Event::Tool { end, start, .. } => end.at.or(start.at),
        Event::AssistantText { at, .. }
        | Event::Context { at, .. }
        | Event::Compacted { at, .. }
        | Event::SessionEnded { at, .. }
        | Event::HandoffSaved { at, .. }
        | Event::Prompt { at, .. } => *at,
        Event::Validation { run, .. } => run.ended,
        Event::Clock { at } => Some(*at),
        Event::FilesChanged { changes, .. } => changes.iter().map(|c| c.at).max(),
        // Events added later carry no time until they are listed here.
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

impl Detector for BridgeTorching {
    fn pattern(&self) -> Pattern {
        Pattern::BridgeTorching
    }

    fn observe(&mut self, event: &Event, out: &mut Vec<Alert>) {
        if let Some(at) = event_at(event) {
            self.clock = self.clock.max(at);
        }
        self.drain();
        if let Event::FilesChanged { root, changes } = event
            && let Some(at) = changes.iter().map(|c| c.at).max()
            && changes
                .iter()
                .any(|c| api_items::lang_of(&c.path).is_some())
        {
            // The changed sources, and the files of every standing break
            // (a caller updated elsewhere changes their counts).
            let mut paths: Vec<PathBuf> = changes
                .iter()
                .filter(|c| api_items::lang_of(&c.path).is_some())
                .map(|c| c.path.clone())
                .collect();
            paths.extend(
                self.standing
                    .keys()
                    .filter(|(r, _, _)| r == root)
                    .map(|(_, p, _)| p.clone()),
            );
            paths.sort();
            paths.dedup();
            self.send(Job {
                root: root.clone(),
                paths,
                at,
            });
        }
        self.raise_due(out);
    }

    fn poll(&mut self, now: Millis, out: &mut Vec<Alert>) {
        self.clock = self.clock.max(now);
        self.drain();
        self.raise_due(out);
    }

    /// When the first break not yet reported has stood for the grace; none
    /// while a scan runs (its end wakes the loop, and may change the counts).
    fn deadline(&self) -> Option<Millis> {
        if self.in_flight > 0 {
            return None;
        }
        (self.standing.values())
            .filter(|s| !s.reported)
            .map(|s| s.since.saturating_add(self.grace_ms))
            .min()
    }

    fn busy(&self) -> bool {
        self.in_flight > 0
    }

    fn wake_with(&mut self, waker: Waker) {
        self.waker = Some(waker);
    }
}
