//! Watches a git working tree. One walk that reads `.gitignore` as git does
//! finds the directories git does not ignore, and each gets one
//! non-recursive notify watch: a build's `target/` or `node_modules/` costs
//! no watch and sends no event. Directories created later get a watch,
//! removed ones lose theirs. Past the inotify watch limit, only the
//! directories that could not be watched are polled. Events are batched,
//! deduplicated and each batch diffed against HEAD; the thread sends
//! [`WorktreeBatch`]es through a callback.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use git2::Repository;
use notify::ErrorKind;

mod batches;
mod dirs;
mod shared;
#[cfg(test)]
mod tests;

use super::diff::Differ;
use crate::watch::RawEvent as Raw;
use batches::Loop;
use dirs::Watches;
use shared::Shared;
pub use shared::{WatchCounts, WatchOptions, WorktreeBatch, watch_limit_message};

/// Stops the thread when dropped.
pub struct WorktreeWatch {
    stop: Arc<AtomicBool>,
    shared: Arc<Shared>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Disconnects when the thread ends.
    ended: Receiver<()>,
    /// The thread's own event channel: it sleeps on it with no timeout, so
    /// a stop has to wake it.
    wake: mpsc::Sender<Raw>,
    pub root: PathBuf,
}

impl WorktreeWatch {
    /// True once the first walk is done and every directory is watched.
    pub fn is_ready(&self) -> bool {
        self.shared.ready.load(Ordering::Acquire)
    }

    /// Waits up to `timeout` for [`Self::is_ready`]; returns it.
    pub fn wait_ready(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while !self.is_ready() {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        true
    }

    pub fn counts(&self) -> WatchCounts {
        WatchCounts {
            native: self.shared.native.load(Ordering::Relaxed),
            polled: self.shared.polled.load(Ordering::Relaxed),
        }
    }
}

impl Drop for WorktreeWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.wake.send(Err(notify::Error::generic("stop")));
        // A diff of a big tree can take a while: a quit waits for it only
        // so long, then leaves the thread to end on its own.
        let ended = self.ended.recv_timeout(Duration::from_millis(300));
        if let (Err(RecvTimeoutError::Disconnected), Some(thread)) = (ended, self.thread.take()) {
            let _ = thread.join();
        }
    }
}

/// Starts watching the repository that contains `dir`. `send` gets one batch
/// per burst of changes that touch files git does not ignore.
pub fn spawn(
    dir: &Path,
    batch: Duration,
    send: impl Fn(WorktreeBatch) + Send + 'static,
) -> Result<WorktreeWatch, String> {
    let options = WatchOptions {
        batch,
        ..WatchOptions::default()
    };
    spawn_with(dir, options, send)
}

/// [`spawn`] with every option. Returns at once: the walk runs on the
/// watcher's thread ([`WorktreeWatch::is_ready`] says when it is done).
pub fn spawn_with(
    dir: &Path,
    options: WatchOptions,
    send: impl Fn(WorktreeBatch) + Send + 'static,
) -> Result<WorktreeWatch, String> {
    let repo = Repository::discover(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let root = repo
        .workdir()
        .ok_or_else(|| format!("{}: a bare repository has no working tree", dir.display()))?
        .to_path_buf();
    let stop = Arc::new(AtomicBool::new(false));
    let shared = Arc::new(Shared::default());
    let (ended_tx, ended) = mpsc::channel::<()>();
    let (tx, rx) = mpsc::channel();
    let wake = tx.clone();
    let thread = {
        let (stop, shared, root) = (stop.clone(), shared.clone(), root.clone());
        std::thread::Builder::new()
            .name("worktree".into())
            .spawn(move || {
                let _ended = ended_tx;
                let (watches, err) = Watches::new(tx, &options, shared.clone());
                let mut state = Loop {
                    git_dir: repo.path().to_path_buf(),
                    common_dir: repo.commondir().to_path_buf(),
                    repo,
                    root,
                    touched: BTreeSet::new(),
                    rows: BTreeSet::new(),
                    lost_events: false,
                    warning: err.map(|e| fallback_message(&e)),
                    warned: false,
                    watches,
                    retry: None,
                    failures: 0,
                    differ: Differ::default(),
                    ignore_changed: BTreeSet::new(),
                };
                state.start(&stop);
                shared.ready.store(true, Ordering::Release);
                state.run(&rx, &stop, &options, &send);
            })
            .map_err(|e| e.to_string())?
    };
    Ok(WorktreeWatch {
        stop,
        shared,
        thread: Some(thread),
        ended,
        wake,
        root,
    })
}

fn fallback_message(err: &notify::Error) -> String {
    // EMFILE from inotify_init: the per-user count of inotify instances.
    let hint = match &err.kind {
        ErrorKind::Io(io) if io.raw_os_error() == Some(24) => {
            ". Raise the limit with `sudo sysctl fs.inotify.max_user_instances=512`"
        }
        _ => "",
    };
    format!("file-system watching is unavailable ({err}): polling every 2 s instead{hint}")
}
