//! The working tree's directories: which git does not ignore (one walk that
//! reads `.gitignore` as git does), and which of them are watched natively
//! and which polled past the watch limit.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;

use notify::RecursiveMode;

use super::shared::{Shared, WatchOptions};
use crate::watch::{self, RawEvent as Raw};

/// Which working-tree directories are watched natively and which polled.
pub(super) struct Watches {
    pub(super) watches: watch::Watches,
    pub(super) cap: Option<usize>,
    /// Working-tree directories, absolute. Ordered, so that a directory's
    /// descendants are one range.
    pub(super) native_dirs: BTreeSet<PathBuf>,
    pub(super) polled_dirs: BTreeSet<PathBuf>,
    /// The limit (or the cap) was hit at least once.
    pub(super) limit_hit: bool,
    pub(super) shared: Arc<Shared>,
}

impl Watches {
    pub(super) fn new(
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

    pub(super) fn is_watched(&self, dir: &Path) -> bool {
        self.native_dirs.contains(dir) || self.polled_dirs.contains(dir)
    }

    /// One working-tree directory: natively while the limit allows, else polled.
    pub(super) fn add_dir(&mut self, dir: &Path) {
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
    pub(super) fn add_git(&mut self, path: &Path, mode: RecursiveMode) {
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
    pub(super) fn remove_under(&mut self, dir: &Path) -> bool {
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

    pub(super) fn publish(&self) {
        let shared = &self.shared;
        shared
            .native
            .store(self.native_dirs.len(), Ordering::Relaxed);
        shared
            .polled
            .store(self.polled_dirs.len(), Ordering::Relaxed);
    }
}

pub(super) fn take_under(set: &mut BTreeSet<PathBuf>, dir: &Path) -> Vec<PathBuf> {
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
pub(super) fn walk(
    dir: &Path,
    mut files: Option<&mut Vec<PathBuf>>,
    stop: &AtomicBool,
) -> Vec<PathBuf> {
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
