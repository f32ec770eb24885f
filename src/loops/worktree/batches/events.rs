//! One watcher event read: its relative, not-ignored paths kept, a moved
//! HEAD seen, directories that came or went followed.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use notify::{EventKind, RecursiveMode};

use super::Loop;
use crate::watch::RawEvent as Raw;

impl Loop {
    /// Keeps the relative, not-ignored file paths of one event, and follows
    /// directories coming and going.
    pub(super) fn note(
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
            self.lost_events = true;
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

    pub(super) fn ignored(&self, rel: &Path) -> bool {
        self.repo.status_should_ignore(rel).unwrap_or(false)
    }

    /// A commit, reset or checkout moves HEAD: the checkpoint and every row
    /// change. The cockpit's own session refs do not.
    pub(super) fn moves_head(&self, path: &Path) -> bool {
        let refs = self.common_dir.join("refs");
        path == self.git_dir.join("HEAD")
            || path == self.git_dir.join("logs/HEAD")
            || path == self.common_dir.join("packed-refs")
            || (path.starts_with(&refs) && !path.starts_with(refs.join("cockpit")))
    }

    /// The paths in the index under `rel`.
    pub(super) fn tracked_under(&self, rel: &Path) -> Vec<PathBuf> {
        let Ok(index) = self.repo.index() else {
            return Vec::new();
        };
        index
            .iter()
            .map(|entry| PathBuf::from(String::from_utf8_lossy(&entry.path).into_owned()))
            .filter(|path| path.starts_with(rel))
            .collect()
    }
}
