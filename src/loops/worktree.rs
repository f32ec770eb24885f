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
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use git2::Repository;
use notify::{ErrorKind, EventKind, RecursiveMode};

use super::changes::FileChange;
use super::diff::{Checkpoint, Differ};
use crate::watch::{self, RawEvent as Raw};

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

/// How [`spawn_with`] watches.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// How long events are gathered after the first one of a burst.
    pub batch: Duration,
    /// At most this many native directory watches in the working tree, the
    /// rest polled as if the system's limit had been hit (for tests and
    /// benches: the real limit is a sysctl). `None`: as many as the system
    /// allows. The few watches on the git directory are not counted.
    pub max_native_watches: Option<usize>,
    /// How often polled directories are scanned.
    pub poll_interval: Duration,
    /// Send one batch as soon as the walk is done, changes or not, so the
    /// checkpoint (the last commit's age) is known from the start.
    pub initial_batch: bool,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            batch: Duration::from_millis(100),
            max_native_watches: None,
            poll_interval: POLL_INTERVAL,
            initial_batch: false,
        }
    }
}

/// The longest a batch gathers, after diffs failed in a row.
const MAX_WINDOW: Duration = Duration::from_secs(1);

/// The interval the limit message promises.
const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// How many directories are watched each way, as of now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WatchCounts {
    pub native: usize,
    pub polled: usize,
}

#[derive(Default)]
struct Shared {
    ready: AtomicBool,
    native: AtomicUsize,
    polled: AtomicUsize,
}

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

/// The message shown when inotify runs out of watches.
pub fn watch_limit_message(root: &Path) -> String {
    format!(
        "inotify watch limit reached watching {}: the directories past it are polled every 2 s. Raise it with `{}`",
        root.display(),
        watch::RAISE_WATCH_LIMIT
    )
}

/// Which working-tree directories are watched natively and which polled.
struct Watches {
    watches: watch::Watches,
    cap: Option<usize>,
    /// Working-tree directories, absolute. Ordered, so that a directory's
    /// descendants are one range.
    native_dirs: BTreeSet<PathBuf>,
    polled_dirs: BTreeSet<PathBuf>,
    /// The limit (or the cap) was hit at least once.
    limit_hit: bool,
    shared: Arc<Shared>,
}

impl Watches {
    fn new(
        tx: mpsc::Sender<Raw>,
        opts: &WatchOptions,
        shared: Arc<Shared>,
    ) -> (Self, Option<notify::Error>) {
        let (watches, err) = watch::Watches::new(opts.poll_interval, move |r| drop(tx.send(r)));
        let watches = Self {
            watches,
            cap: opts.max_native_watches,
            native_dirs: BTreeSet::new(),
            polled_dirs: BTreeSet::new(),
            limit_hit: false,
            shared,
        };
        (watches, err)
    }

    fn is_watched(&self, dir: &Path) -> bool {
        self.native_dirs.contains(dir) || self.polled_dirs.contains(dir)
    }

    /// One working-tree directory: natively while the limit allows, else polled.
    fn add_dir(&mut self, dir: &Path) {
        if self.is_watched(dir) {
            return;
        }
        let under_cap = self.cap.is_none_or(|cap| self.native_dirs.len() < cap);
        if !under_cap {
            self.limit_hit = true;
        } else if self.watches.has_native() {
            match self.watches.watch_native(dir, RecursiveMode::NonRecursive) {
                Ok(()) => {
                    self.native_dirs.insert(dir.to_path_buf());
                    self.publish();
                    return;
                }
                Err(err) if watch::is_limit(&err) => self.limit_hit = true,
                Err(err) => {
                    // Gone already, or unreadable: nothing to watch.
                    tracing::debug!("worktree: cannot watch {}: {err}", dir.display());
                    return;
                }
            }
        }
        if self
            .watches
            .watch_polled(dir, RecursiveMode::NonRecursive)
            .is_ok()
        {
            self.polled_dirs.insert(dir.to_path_buf());
            self.publish();
        }
    }

    /// A path in the git directory: natively, else polled. Not counted.
    fn add_git(&mut self, path: &Path, mode: RecursiveMode) {
        if !path.exists() {
            return;
        }
        if self.watches.has_native() {
            match self.watches.watch_native(path, mode) {
                Ok(()) => return,
                Err(err) if watch::is_limit(&err) => self.limit_hit = true,
                Err(err) => tracing::debug!("worktree: cannot watch {}: {err}", path.display()),
            }
        }
        let _ = self.watches.watch_polled(path, mode);
    }

    /// Drops `dir` and every watched directory under it; true if there was one.
    fn remove_under(&mut self, dir: &Path) -> bool {
        let native = take_under(&mut self.native_dirs, dir);
        let polled = take_under(&mut self.polled_dirs, dir);
        for path in &native {
            self.watches.unwatch_native(path);
        }
        for path in &polled {
            self.watches.unwatch_polled(path);
        }
        self.publish();
        !native.is_empty() || !polled.is_empty()
    }

    fn publish(&self) {
        let shared = &self.shared;
        shared
            .native
            .store(self.native_dirs.len(), Ordering::Relaxed);
        shared
            .polled
            .store(self.polled_dirs.len(), Ordering::Relaxed);
    }
}

fn take_under(set: &mut BTreeSet<PathBuf>, dir: &Path) -> Vec<PathBuf> {
    let gone: Vec<PathBuf> = set
        .range(dir.to_path_buf()..)
        .take_while(|p| p.starts_with(dir))
        .cloned()
        .collect();
    for path in &gone {
        set.remove(path);
    }
    gone
}

/// The directories (and, when `files` is given, the files) under `dir` that
/// git does not ignore, `dir` first; `.git` is never entered. `dir` itself
/// is the caller's to check.
fn walk(dir: &Path, mut files: Option<&mut Vec<PathBuf>>, stop: &AtomicBool) -> Vec<PathBuf> {
    let mut builder = ignore::WalkBuilder::new(dir);
    // Git's rules only: .gitignore (including the parents' up to the
    // repository's root), .git/info/exclude, core.excludesFile; hidden
    // directories are watched like any other.
    builder
        .standard_filters(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(true)
        .parents(true)
        .follow_links(false)
        .filter_entry(|entry| entry.file_name() != ".git");
    let mut dirs = Vec::new();
    for entry in builder.build() {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                tracing::debug!("worktree: walk: {err}");
                continue;
            }
        };
        match entry.file_type() {
            Some(t) if t.is_dir() => dirs.push(entry.into_path()),
            Some(_) => {
                if let Some(files) = files.as_mut() {
                    files.push(entry.into_path());
                }
            }
            None => {}
        }
    }
    dirs
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

struct Loop {
    repo: Repository,
    root: PathBuf,
    /// Where HEAD and its reflog live (per worktree in a linked worktree).
    git_dir: PathBuf,
    /// Where the refs live (shared by linked worktrees).
    common_dir: PathBuf,
    touched: BTreeSet<PathBuf>,
    rows: BTreeSet<PathBuf>,
    /// Waiting to go out with the next batch.
    warning: Option<String>,
    /// The limit message went out already.
    warned: bool,
    watches: Watches,
    /// The paths and HEAD flag of a batch whose diff failed, or the paths a
    /// diff skipped.
    retry: Option<(BTreeSet<PathBuf>, bool)>,
    /// Diffs failed or incomplete in a row.
    failures: u32,
    /// Remembers each changed file's counts for the files a diff skips.
    differ: Differ,
    /// Directories whose `.gitignore` changed in this batch's window.
    ignore_changed: BTreeSet<PathBuf>,
}

impl Loop {
    /// The git directory's watches, then the first walk.
    fn start(&mut self, stop: &AtomicBool) {
        // HEAD (a checkout), logs/HEAD (every commit, reset, checkout) and
        // the refs; the rest of the git directory (objects, index) is churn.
        let git_dir = self.git_dir.clone();
        self.watches.add_git(&git_dir, RecursiveMode::NonRecursive);
        self.watches
            .add_git(&git_dir.join("logs"), RecursiveMode::NonRecursive);
        self.watches
            .add_git(&self.common_dir.join("refs"), RecursiveMode::Recursive);
        let root = self.root.clone();
        self.sync(&root, None, stop);
        self.note_limit();
    }

    /// Watches every directory under `dir` git does not ignore and drops the
    /// watches of those it now ignores or that are gone. With `files`, the
    /// files found under `dir` are recorded in it (a new directory's files
    /// may have been written before its watch was there).
    fn sync(&mut self, dir: &Path, mut files: Option<&mut BTreeSet<PathBuf>>, stop: &AtomicBool) {
        let mut first = true;
        loop {
            let mut found = Vec::new();
            let dirs = walk(dir, files.is_some().then_some(&mut found), stop);
            if first {
                self.drop_stale(dir, &dirs);
                first = false;
            }
            let before = self.watches.native_dirs.len() + self.watches.polled_dirs.len();
            for dir in &dirs {
                self.watches.add_dir(dir);
            }
            let added = self.watches.native_dirs.len() + self.watches.polled_dirs.len() > before;
            let Some(files) = files.as_mut() else {
                return;
            };
            files.extend(
                found
                    .iter()
                    .filter_map(|f| f.strip_prefix(&self.root).ok())
                    .map(Path::to_path_buf),
            );
            // A file made in a new directory between its listing and its
            // watch has no event: list again once the watches are there.
            if !added || stop.load(Ordering::Relaxed) {
                return;
            }
        }
    }

    /// Drops the watches under `dir` that are not among `dirs` any more.
    fn drop_stale(&mut self, dir: &Path, dirs: &[PathBuf]) {
        let wanted: BTreeSet<&Path> = dirs.iter().map(PathBuf::as_path).collect();
        let under = |set: &BTreeSet<PathBuf>| -> Vec<PathBuf> {
            set.range(dir.to_path_buf()..)
                .take_while(|p| p.starts_with(dir))
                .filter(|p| !wanted.contains(p.as_path()))
                .cloned()
                .collect()
        };
        let mut stale = under(&self.watches.native_dirs);
        stale.extend(under(&self.watches.polled_dirs));
        for path in stale {
            self.watches.remove_under(&path);
        }
    }

    /// Queues the limit message the first time the limit is hit.
    fn note_limit(&mut self) {
        if self.watches.limit_hit && !self.warned {
            self.warned = true;
            let counts = self.watches.shared.polled.load(Ordering::Relaxed);
            tracing::warn!("worktree: watch limit reached, {counts} directories polled");
            self.warning = Some(watch_limit_message(&self.root));
        }
    }

    fn run(
        &mut self,
        rx: &Receiver<Raw>,
        stop: &AtomicBool,
        options: &WatchOptions,
        send: &dyn Fn(WorktreeBatch),
    ) {
        let batch = options.batch;
        if self.warning.is_some() || options.initial_batch {
            self.flush(BTreeSet::new(), true, send);
        }
        while !stop.load(Ordering::Relaxed) {
            // Asleep until an event (or the stop's wake-up) when nothing is
            // pending; a batch whose diff failed is tried again after `batch`.
            let first = if self.retry.is_some() {
                match rx.recv_timeout(batch) {
                    Ok(event) => Some(event),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            } else {
                match rx.recv() {
                    Ok(event) => Some(event),
                    Err(_) => return,
                }
            };
            if stop.load(Ordering::Relaxed) {
                return;
            }
            // Gather for `batch` after the first event: bounded latency, and a
            // burst of thousands of writes costs a handful of batches. After
            // failed diffs, longer: each try costs a whole diff of the tree.
            let window = (batch * (1 << self.failures.min(5))).min(MAX_WINDOW.max(batch));
            let deadline = Instant::now() + window;
            let retried = self.retry.is_some();
            let (mut paths, mut head_moved) = self.retry.take().unwrap_or_default();
            if let Some(first) = first {
                self.note(first, &mut paths, &mut head_moved, stop);
            }
            while let Some(left) = deadline.checked_duration_since(Instant::now()) {
                match rx.recv_timeout(left) {
                    Ok(event) => self.note(event, &mut paths, &mut head_moved, stop),
                    Err(_) => break,
                }
            }
            for dir in std::mem::take(&mut self.ignore_changed) {
                self.sync(&dir, None, stop);
            }
            self.note_limit();
            let force = head_moved || self.warning.is_some();
            // A retry goes out even with no path: a partial diff's repair.
            if !paths.is_empty() || force || retried {
                self.flush(paths, force, send);
            }
        }
    }

    /// Keeps the relative, not-ignored file paths of one event, and follows
    /// directories coming and going.
    fn note(
        &mut self,
        event: Raw,
        paths: &mut BTreeSet<PathBuf>,
        head_moved: &mut bool,
        stop: &AtomicBool,
    ) {
        let event = match event {
            Ok(event) => event,
            Err(err) => {
                tracing::debug!("worktree: {err}");
                return;
            }
        };
        if event.need_rescan() {
            // The kernel's queue overflowed: events were lost, so look again.
            tracing::warn!("worktree: events lost, walking the tree again");
            let root = self.root.clone();
            self.sync(&root, None, stop);
            *head_moved = true;
        }
        if event.kind.is_access() {
            return;
        }
        // Only these can make or remove a directory; a data write never does.
        let may_be_dir = !matches!(
            event.kind,
            EventKind::Modify(notify::event::ModifyKind::Data(_))
        );
        for path in event.paths {
            if path.starts_with(&self.git_dir) || path.starts_with(&self.common_dir) {
                *head_moved |= self.moves_head(&path);
                if path == self.git_dir.join("logs") && path.is_dir() {
                    // The first commit made the reflog's directory.
                    self.watches.add_git(&path, RecursiveMode::NonRecursive);
                }
                continue;
            }
            let Ok(rel) = path.strip_prefix(&self.root) else {
                continue;
            };
            if rel.as_os_str().is_empty() || rel.starts_with(".git") || paths.contains(rel) {
                continue;
            }
            let rel = rel.to_path_buf();
            if rel.file_name().is_some_and(|n| n == ".gitignore") {
                // What git ignores under it may have changed. Looked at once
                // the batch's window is over: at its create event the file
                // is still empty, and the write that follows may come late.
                if let Some(parent) = path.parent() {
                    self.ignore_changed.insert(parent.to_path_buf());
                }
            }
            if may_be_dir {
                match std::fs::symlink_metadata(&path) {
                    Ok(meta) if meta.is_dir() => {
                        if !self.watches.is_watched(&path) && !self.ignored(&rel) {
                            self.sync(&path, Some(&mut *paths), stop);
                        }
                        continue;
                    }
                    Ok(_) => {}
                    Err(_) => {
                        if self.watches.remove_under(&path) {
                            // A directory moved or deleted at once: its
                            // tracked files leave no event of their own.
                            paths.extend(self.tracked_under(&rel));
                        }
                    }
                }
            }
            if !self.ignored(&rel) {
                paths.insert(rel);
            }
        }
    }

    fn ignored(&self, rel: &Path) -> bool {
        self.repo.status_should_ignore(rel).unwrap_or(false)
    }

    /// A commit, reset or checkout moves HEAD: the checkpoint and every row
    /// change. The cockpit's own session refs do not.
    fn moves_head(&self, path: &Path) -> bool {
        let refs = self.common_dir.join("refs");
        path == self.git_dir.join("HEAD")
            || path == self.git_dir.join("logs/HEAD")
            || path == self.common_dir.join("packed-refs")
            || (path.starts_with(&refs) && !path.starts_with(refs.join("cockpit")))
    }

    /// The paths in the index under `rel`.
    fn tracked_under(&self, rel: &Path) -> Vec<PathBuf> {
        let Ok(index) = self.repo.index() else {
            return Vec::new();
        };
        index
            .iter()
            .map(|entry| PathBuf::from(String::from_utf8_lossy(&entry.path).into_owned()))
            .filter(|path| path.starts_with(rel))
            .collect()
    }

    fn flush(&mut self, paths: BTreeSet<PathBuf>, force: bool, send: &dyn Fn(WorktreeBatch)) {
        self.touched.extend(paths.iter().cloned());
        let result = match self
            .differ
            .diff(&self.repo, &self.touched, crate::clock::now_millis())
        {
            Ok(result) => result,
            Err(err) => {
                // The whole tree could not be read and there is no earlier
                // read to stand in for it: the batch waits for the next try.
                tracing::debug!("worktree: diff failed, trying again: {err}");
                self.retry = Some((paths, force));
                self.failures += 1;
                return;
            }
        };
        if result.is_complete() {
            self.failures = 0;
        } else {
            // Files changed while they were read (a burst): their rows are
            // as at their last read. Send what is known now, and diff again
            // soon, so that the rows are right once the files hold still
            // (forced after a partial read: only the totals may change).
            self.retry = Some((result.skipped.clone(), result.partial));
            self.failures += 1;
        }
        let (checkpoint, since_start) = (result.checkpoint, result.rows);
        // A path under a changed directory counts for that directory too
        // (a removed directory reports only itself).
        let changes: Vec<FileChange> = since_start
            .iter()
            .filter(|c| c.path.ancestors().any(|p| paths.contains(p)))
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
