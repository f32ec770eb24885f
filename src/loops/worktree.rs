//! Watches a git working tree: notify (recursive), `.gitignore` respected
//! through git2, events batched and deduplicated, each batch diffed against
//! HEAD. The thread sends [`WorktreeBatch`]es through a callback.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use git2::Repository;
use notify::{
    Config as NotifyConfig, ErrorKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher,
};

use super::changes::FileChange;
use super::diff::{Checkpoint, diff};
use crate::agents::Millis;

#[derive(Debug, Clone, PartialEq)]
pub struct WorktreeBatch {
    /// Rows that changed in this batch.
    pub changes: Vec<FileChange>,
    /// Every file changed since the watch began that still differs from HEAD.
    pub since_start: Vec<FileChange>,
    pub checkpoint: Checkpoint,
    /// Set once, when the watcher had to fall back (the inotify limit).
    pub warning: Option<String>,
}

/// Stops the thread when dropped.
pub struct WorktreeWatch {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
    pub root: PathBuf,
}

impl Drop for WorktreeWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The message shown when inotify runs out of watches.
pub fn watch_limit_message(root: &Path) -> String {
    format!(
        "inotify watch limit reached watching {}: polling every 2 s instead. Raise it with `sudo sysctl fs.inotify.max_user_watches=524288`",
        root.display()
    )
}

type Raw = notify::Result<notify::Event>;

enum Watch {
    Native(#[allow(dead_code)] RecommendedWatcher),
    Poll(#[allow(dead_code)] PollWatcher),
}

fn watch(root: &Path, tx: mpsc::Sender<Raw>) -> (Watch, Option<String>) {
    let native_tx = tx.clone();
    let native = RecommendedWatcher::new(move |r| drop(native_tx.send(r)), NotifyConfig::default())
        .and_then(|mut w| w.watch(root, RecursiveMode::Recursive).map(|()| w));
    match native {
        Ok(w) => (Watch::Native(w), None),
        Err(err) => (poll(root, tx), Some(fallback_message(root, &err))),
    }
}

fn poll(root: &Path, tx: mpsc::Sender<Raw>) -> Watch {
    let config = NotifyConfig::default().with_poll_interval(Duration::from_secs(2));
    let watcher = PollWatcher::new(move |r| drop(tx.send(r)), config)
        .and_then(|mut w| w.watch(root, RecursiveMode::Recursive).map(|()| w));
    match watcher {
        Ok(w) => Watch::Poll(w),
        Err(err) => {
            tracing::warn!("worktree: cannot poll {}: {err}", root.display());
            Watch::Native(
                RecommendedWatcher::new(|_| {}, NotifyConfig::default()).expect("idle watcher"),
            )
        }
    }
}

fn fallback_message(root: &Path, err: &notify::Error) -> String {
    match &err.kind {
        ErrorKind::MaxFilesWatch => watch_limit_message(root),
        other => format!(
            "watching {} failed ({other:?}): polling instead",
            root.display()
        ),
    }
}

/// Starts watching the repository that contains `dir`. `send` gets one batch
/// per burst of changes that touch files git does not ignore.
pub fn spawn(
    dir: &Path,
    batch: Duration,
    send: impl Fn(WorktreeBatch) + Send + 'static,
) -> Result<WorktreeWatch, String> {
    let repo = Repository::discover(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let root = repo
        .workdir()
        .ok_or_else(|| format!("{}: a bare repository has no working tree", dir.display()))?
        .to_path_buf();
    let (tx, rx) = mpsc::channel();
    let (watcher, warning) = watch(&root, tx.clone());
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let (stop, root) = (stop.clone(), root.clone());
        std::thread::Builder::new()
            .name("worktree".into())
            .spawn(move || {
                let mut state = Loop {
                    repo,
                    root,
                    touched: BTreeSet::new(),
                    rows: BTreeSet::new(),
                    warning,
                    watcher,
                    tx,
                };
                state.run(&rx, &stop, batch, &send);
            })
            .map_err(|e| e.to_string())?
    };
    Ok(WorktreeWatch {
        stop,
        thread: Some(thread),
        root,
    })
}

struct Loop {
    repo: Repository,
    root: PathBuf,
    touched: BTreeSet<PathBuf>,
    rows: BTreeSet<PathBuf>,
    warning: Option<String>,
    watcher: Watch,
    tx: mpsc::Sender<Raw>,
}

impl Loop {
    fn run(
        &mut self,
        rx: &Receiver<Raw>,
        stop: &AtomicBool,
        batch: Duration,
        send: &dyn Fn(WorktreeBatch),
    ) {
        if self.warning.is_some() {
            self.flush(BTreeSet::new(), true, send);
        }
        while !stop.load(Ordering::Relaxed) {
            let first = match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => continue,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            // Gather for `batch` after the first event: bounded latency, and a
            // burst of thousands of writes costs a handful of batches.
            let deadline = Instant::now() + batch;
            let mut paths = BTreeSet::new();
            let mut head_moved = false;
            self.note(first, &mut paths, &mut head_moved);
            while let Some(left) = deadline.checked_duration_since(Instant::now()) {
                match rx.recv_timeout(left) {
                    Ok(event) => self.note(event, &mut paths, &mut head_moved),
                    Err(_) => break,
                }
            }
            if !paths.is_empty() || head_moved {
                self.flush(paths, head_moved, send);
            }
        }
    }

    /// Keeps the relative, not-ignored paths of one event.
    fn note(&mut self, event: Raw, paths: &mut BTreeSet<PathBuf>, head_moved: &mut bool) {
        let event = match event {
            Ok(event) => event,
            Err(err) if matches!(err.kind, ErrorKind::MaxFilesWatch) => {
                // The limit hit while new directories were added: poll from now on.
                self.watcher = poll(&self.root, self.tx.clone());
                self.warning = Some(watch_limit_message(&self.root));
                *head_moved = true;
                return;
            }
            Err(err) => {
                tracing::debug!("worktree: {err}");
                return;
            }
        };
        if event.kind.is_access() {
            return;
        }
        for path in event.paths {
            let Ok(rel) = path.strip_prefix(&self.root) else {
                continue;
            };
            if rel.as_os_str().is_empty() {
                continue;
            }
            if rel.starts_with(".git") {
                // A commit moves HEAD: the checkpoint and every row change.
                *head_moved |= rel == Path::new(".git/logs/HEAD") || rel.starts_with(".git/refs");
                continue;
            }
            if paths.contains(rel) || self.repo.status_should_ignore(rel).unwrap_or(false) {
                continue;
            }
            paths.insert(rel.to_path_buf());
        }
    }

    fn flush(&mut self, paths: BTreeSet<PathBuf>, force: bool, send: &dyn Fn(WorktreeBatch)) {
        self.touched.extend(paths.iter().cloned());
        let (checkpoint, since_start) = match diff(&self.repo, &self.touched, now_ms()) {
            Ok(result) => result,
            Err(err) => {
                tracing::warn!("worktree: diff failed: {err}");
                return;
            }
        };
        // A path under a changed directory counts for that directory too
        // (a removed directory reports only itself).
        let changes: Vec<FileChange> = since_start
            .iter()
            .filter(|c| paths.iter().any(|p| c.path.starts_with(p)))
            .cloned()
            .collect();
        let rows: BTreeSet<PathBuf> = since_start.iter().map(|c| c.path.clone()).collect();
        // A file back at HEAD loses its row, which is news too.
        if changes.is_empty() && !force && rows == self.rows {
            return;
        }
        self.rows = rows;
        send(WorktreeBatch {
            changes,
            since_start,
            checkpoint,
            warning: self.warning.take(),
        });
    }
}

fn now_ms() -> Millis {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as Millis)
}
