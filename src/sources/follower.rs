//! The sources thread: file events and hook-named paths in, transcripts
//! found and followed, directories waited for until they appear.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};

use super::select::{FollowSettings, select_recent, sniff_kind};
use crate::agents::budget::Budget;
use crate::agents::discover::{self, Found};
use crate::agents::reader::{self, ReaderHandle};
use crate::agents::source::Role;
use crate::clock::now_millis;
use crate::event::{Event, EventSender};
use crate::formats::roots;
use crate::watch::{RawEvent, Watches};

mod following;
mod watching;

/// How often a directory the kernel will not watch is scanned.
const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// What the sources thread waits for: file events, or a path to follow.
pub(super) enum Message {
    Fs(RawEvent),
    Follow(PathBuf),
}

struct Follower {
    settings: FollowSettings,
    events: EventSender,
    next_id: u32,
    readers: HashMap<PathBuf, ReaderHandle>,
    /// Claude project directories of this cwd (one per config root).
    claude_dirs: Vec<PathBuf>,
    codex_sessions: Option<PathBuf>,
    /// Codex rollouts whose first line was not complete when last looked at.
    codex_undecided: HashSet<PathBuf>,
    codex_rejected: HashSet<PathBuf>,
    /// Directories watched non-recursively while waiting for a child to appear.
    waiting_for: Vec<PathBuf>,
    watches: Watches,
    /// Shared by every reader: what they read that the app has not applied.
    budget: std::sync::Arc<Budget>,
}

pub(super) fn run(
    settings: FollowSettings,
    events: EventSender,
    raw_tx: std::sync::mpsc::Sender<Message>,
    raw_rx: Receiver<Message>,
) -> notify::Result<()> {
    let (watches, err) = Watches::new(POLL_INTERVAL, move |res| {
        let _ = raw_tx.send(Message::Fs(res));
    });
    if let Some(err) = err {
        return Err(err);
    }
    let mut follower = Follower {
        settings,
        events,
        next_id: 0,
        readers: HashMap::new(),
        claude_dirs: Vec::new(),
        codex_sessions: None,
        codex_undecided: HashSet::new(),
        codex_rejected: HashSet::new(),
        waiting_for: Vec::new(),
        watches,
        budget: Budget::new(reader::IN_FLIGHT_BYTES),
    };
    follower.discover();
    follower.pump(&raw_rx);
    Ok(())
}

impl Follower {
    fn discover(&mut self) {
        if !self.settings.transcripts.is_empty() {
            for path in self.settings.transcripts.clone() {
                let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
                self.watch(&parent, RecursiveMode::NonRecursive);
                let found = Found {
                    modified_ms: discover::modified_ms(&path),
                    kind: sniff_kind(&path),
                    role: discover::role_from_name(&path),
                    path,
                };
                self.follow(found);
            }
            return;
        }
        let cwd = self.settings.cwd.to_string_lossy().into_owned();
        let keys: Vec<String> = self
            .settings
            .project_dirs()
            .map(|d| roots::project_key(&d.to_string_lossy()))
            .collect();
        let mut found = Vec::new();
        for root in roots::claude_roots() {
            for key in &keys {
                let dir = root.join("projects").join(key);
                self.watch_or_wait(&dir);
                found.extend(discover::scan_claude_project(&dir));
                self.claude_dirs.push(dir);
            }
        }
        if let Some(home) = roots::codex_home() {
            let sessions = home.join("sessions");
            self.watch_or_wait(&sessions);
            let dirs: Vec<PathBuf> = self.settings.project_dirs().cloned().collect();
            for dir in &dirs {
                found.extend(discover::scan_codex(
                    &sessions,
                    dir,
                    self.settings.codex_days,
                ));
            }
            self.codex_sessions = Some(sessions);
        }
        for item in select_recent(found, self.settings.recent_hours) {
            self.follow(item);
        }
        if self.readers.is_empty() {
            let _ = self.events.send(Event::Waiting(format!(
                "no agent transcript for {cwd} yet: waiting for Claude Code or Codex to start here"
            )));
        }
    }

    fn pump(&mut self, raw_rx: &Receiver<Message>) {
        while let Ok(first) = raw_rx.recv() {
            let mut paths: Vec<PathBuf> = Vec::new();
            let mut to_follow: Vec<PathBuf> = Vec::new();
            let mut collect = |message: Message, paths: &mut Vec<PathBuf>| match message {
                Message::Fs(Ok(event)) if !matches!(event.kind, EventKind::Access(_)) => {
                    paths.extend(event.paths)
                }
                Message::Fs(Ok(_)) => {}
                Message::Fs(Err(err)) => tracing::warn!(%err, "watch error"),
                Message::Follow(path) => to_follow.push(path),
            };
            collect(first, &mut paths);
            // Coalesce a burst (one append can raise several events).
            while let Ok(more) = raw_rx.try_recv() {
                collect(more, &mut paths);
            }
            for path in to_follow {
                self.follow_named(path);
            }
            paths.sort();
            paths.dedup();
            for path in paths {
                self.on_path(&path);
            }
        }
    }

    fn on_path(&mut self, path: &Path) {
        if let Some(reader) = self.readers.get(path) {
            reader.wake();
            return;
        }
        if self.waiting_for.iter().any(|w| w == path) && path.is_dir() {
            self.waiting_for.retain(|w| w != path);
            self.watch(path, RecursiveMode::Recursive);
            self.scan_appeared(path);
            return;
        }
        // A missing ancestor of a directory we wait for has appeared.
        if path.is_dir() && self.waiting_for.iter().any(|w| w.starts_with(path)) {
            let waiting = std::mem::take(&mut self.waiting_for);
            for dir in waiting {
                self.watch_or_wait(&dir);
                if dir.is_dir() {
                    self.scan_appeared(&dir);
                }
            }
            return;
        }
        if !path.is_file() {
            return;
        }
        let claude_role = self
            .claude_dirs
            .iter()
            .find_map(|dir| discover::classify_claude(dir, path));
        if let Some(role) = claude_role {
            self.follow(Found {
                path: path.to_path_buf(),
                kind: crate::agents::AgentKind::Claude,
                role,
                modified_ms: now_millis(),
            });
            return;
        }
        let in_codex = self
            .codex_sessions
            .as_ref()
            .is_some_and(|dir| path.starts_with(dir));
        if in_codex && discover::is_codex_rollout(path) && !self.codex_rejected.contains(path) {
            let verdicts: Vec<Option<bool>> = self
                .settings
                .project_dirs()
                .map(|dir| discover::codex_cwd_matches(path, dir))
                .collect();
            let verdict = if verdicts.contains(&Some(true)) {
                Some(true)
            } else if verdicts.contains(&None) {
                None
            } else {
                Some(false)
            };
            match verdict {
                Some(true) => {
                    self.codex_undecided.remove(path);
                    self.follow(Found {
                        path: path.to_path_buf(),
                        kind: crate::agents::AgentKind::Codex,
                        role: Role::Main,
                        modified_ms: now_millis(),
                    });
                }
                Some(false) => {
                    self.codex_undecided.remove(path);
                    self.codex_rejected.insert(path.to_path_buf());
                }
                None => {
                    self.codex_undecided.insert(path.to_path_buf());
                }
            }
        }
    }
}
