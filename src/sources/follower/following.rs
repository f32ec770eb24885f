//! Following a transcript: its reader started (or woken, when it was
//! already followed), and a transcript a hook named watched and followed.

use std::path::PathBuf;

use notify::RecursiveMode;

use super::Follower;
use crate::agents::discover::{self, Found};
use crate::agents::reader;
use crate::agents::source::{Role, Source, SourceId};
use crate::event::Event;
use crate::sources::select::sniff_kind;

impl Follower {
    /// A transcript a hook told us about: watch its directory and follow it.
    pub(super) fn follow_named(&mut self, path: PathBuf) {
        if self.readers.contains_key(&path) {
            return;
        }
        if let Some(parent) = path.parent() {
            let covered = self.claude_dirs.iter().any(|d| parent.starts_with(d));
            if !covered {
                self.watch(parent, RecursiveMode::NonRecursive);
            }
        }
        let role = self
            .claude_dirs
            .iter()
            .find_map(|dir| discover::classify_claude(dir, &path))
            .unwrap_or(Role::Main);
        // A session a hook just announced has no file yet: it is the newest.
        let modified_ms = match discover::modified_ms(&path) {
            0 => crate::clock::now_millis(),
            ms => ms,
        };
        self.follow(Found {
            modified_ms,
            kind: sniff_kind(&path),
            role,
            path,
        });
    }

    pub(super) fn follow(&mut self, found: Found) {
        if let Some(reader) = self.readers.get(&found.path) {
            // Already followed (a hook named it before the file existed): the
            // file may have been written before its directory was watched,
            // so no event would ever wake the reader. Read now.
            reader.wake();
            return;
        }
        let id = SourceId(self.next_id);
        self.next_id += 1;
        let source = Source {
            id,
            path: found.path.clone(),
            kind: found.kind,
            role: found.role.clone(),
            modified_ms: found.modified_ms,
        };
        // The app must know the source before its first batch arrives.
        if self.events.send(Event::SourceAdded(source)).is_err() {
            return;
        }
        let subagent = matches!(found.role, Role::Subagent { .. });
        let events = self.events.clone();
        match reader::spawn(
            id,
            found.path.clone(),
            found.kind,
            subagent,
            self.settings.line_cap,
            Box::new(move |batch| events.send(Event::Transcript(id, batch)).is_ok()),
            std::sync::Arc::clone(&self.budget),
        ) {
            Ok(handle) => {
                self.readers.insert(found.path, handle);
            }
            Err(err) => tracing::error!(%err, "could not start a reader thread"),
        }
    }
}
