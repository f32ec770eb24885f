//! The watcher thread's loop: events gathered over a short window, the
//! directories that came and went followed, and each batch diffed against
//! HEAD and sent.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Instant;

use git2::Repository;
use notify::RecursiveMode;

use super::dirs::{Watches, walk};
use super::shared::{MAX_WINDOW, WatchOptions, WorktreeBatch, watch_limit_message};
use crate::loops::changes::FileChange;
use crate::loops::diff::Differ;
use crate::watch::RawEvent as Raw;

mod events;

pub(super) struct Loop {
    pub(super) repo: Repository,
    pub(super) root: PathBuf,
    /// Where HEAD and its reflog live (per worktree in a linked worktree).
    pub(super) git_dir: PathBuf,
    /// Where the refs live (shared by linked worktrees).
    pub(super) common_dir: PathBuf,
    pub(super) touched: BTreeSet<PathBuf>,
    pub(super) rows: BTreeSet<PathBuf>,
    /// The kernel dropped events (its queue overflowed) since the last
    /// batch: files whose counts moved are changes though no event said so.
    pub(super) lost_events: bool,
    /// Waiting to go out with the next batch.
    pub(super) warning: Option<String>,
    /// The limit message went out already.
    pub(super) warned: bool,
    pub(super) watches: Watches,
    /// The paths and HEAD flag of a batch whose diff failed, or the paths a
    /// diff skipped.
    pub(super) retry: Option<(BTreeSet<PathBuf>, bool)>,
    /// Diffs failed or incomplete in a row.
    pub(super) failures: u32,
    /// Remembers each changed file's counts for the files a diff skips.
    pub(super) differ: Differ,
    /// Directories whose `.gitignore` changed in this batch's window.
    pub(super) ignore_changed: BTreeSet<PathBuf>,
}

impl Loop {
    /// The git directory's watches, then the first walk.
    pub(super) fn start(&mut self, stop: &AtomicBool) {
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
    pub(super) fn sync(
        &mut self,
        dir: &Path,
        mut files: Option<&mut BTreeSet<PathBuf>>,
        stop: &AtomicBool,
    ) {
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
    pub(super) fn drop_stale(&mut self, dir: &Path, dirs: &[PathBuf]) {
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
    pub(super) fn note_limit(&mut self) {
        if self.watches.limit_hit && !self.warned {
            self.warned = true;
            let counts = self.watches.shared.polled.load(Ordering::Relaxed);
            tracing::warn!("worktree: watch limit reached, {counts} directories polled");
            self.warning = Some(watch_limit_message(&self.root));
        }
    }

    pub(super) fn run(
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

    pub(super) fn flush(
        &mut self,
        mut paths: BTreeSet<PathBuf>,
        force: bool,
        send: &dyn Fn(WorktreeBatch),
    ) {
        if std::mem::take(&mut self.lost_events) {
            // Which files changed while events were lost: those whose
            // counts moved since the last diff (one more whole diff, rare).
            let before = self.differ.counted();
            if self
                .differ
                .diff(&self.repo, &paths, crate::clock::now_millis())
                .is_ok()
            {
                paths.extend(self.differ.moved_since(&before));
            }
        }
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
