//! The sources thread's watches: a directory watched, or its nearest
//! existing ancestor until it appears (then scanned once), or polled where
//! the kernel will not watch it.

use std::path::{Path, PathBuf};

use notify::RecursiveMode;

use super::Follower;
use crate::agents::discover;
use crate::event::Event;
use crate::watch;

impl Follower {
    /// Watches `dir` recursively, or its nearest existing ancestor until it appears.
    /// A directory we waited for now exists and is watched: what was written
    /// in it before the watch (an agent makes the directory and its first
    /// file at once) would raise no event, so look at it now.
    pub(super) fn scan_appeared(&mut self, dir: &Path) {
        if self.claude_dirs.iter().any(|d| d == dir) {
            for found in discover::scan_claude_project(dir) {
                self.follow(found);
            }
        }
        if self.codex_sessions.as_deref() == Some(dir) {
            let projects: Vec<PathBuf> = self.settings.project_dirs().cloned().collect();
            for project in &projects {
                for found in discover::scan_codex(dir, project, self.settings.codex_days) {
                    self.follow(found);
                }
            }
        }
    }

    pub(super) fn watch_or_wait(&mut self, dir: &Path) {
        loop {
            if dir.is_dir() {
                self.waiting_for.retain(|w| w != dir);
                self.watch(dir, RecursiveMode::Recursive);
                return;
            }
            if !self.waiting_for.iter().any(|w| w == dir) {
                self.waiting_for.push(dir.to_path_buf());
            }
            let Some(ancestor) = dir.ancestors().skip(1).find(|a| a.is_dir()) else {
                return;
            };
            // The ancestor's child on the way to `dir` may appear later.
            self.watch(ancestor, RecursiveMode::NonRecursive);
            // Or it appeared before the watch took: no event will come for
            // it, so go on from there.
            let next = dir.ancestors().take_while(|a| *a != ancestor).last();
            if !next.is_some_and(Path::is_dir) {
                return;
            }
        }
    }

    pub(super) fn watch(&mut self, dir: &Path, mode: RecursiveMode) {
        let Err(err) = self.watches.watch_native(dir, mode) else {
            return;
        };
        let hint = if watch::is_limit(&err) {
            format!(
                " (inotify watch limit reached: raise it with `{}`)",
                watch::RAISE_WATCH_LIMIT
            )
        } else {
            String::new()
        };
        let message = format!(
            "cannot watch {}: {err}{hint}; polling it every 2 s instead",
            dir.display()
        );
        tracing::warn!("{message}");
        let _ = self.events.send(Event::Notice(message));
        if let Err(err) = self.watches.watch_polled(dir, mode) {
            tracing::error!(%err, dir = %dir.display(), "polling fallback failed");
        }
    }
}
