//! What to follow: the settings, the newest and recently written
//! transcripts among those found, and the kind of a file given by name.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::agents::discover::Found;
use crate::agents::source::{Role, guess_kind};
use crate::clock::now_millis;

#[derive(Debug, Clone)]
pub struct FollowSettings {
    pub cwd: PathBuf,
    /// Follow exactly these files (no discovery) when not empty.
    pub transcripts: Vec<PathBuf>,
    pub line_cap: usize,
    /// Main transcripts written within this many hours are followed too.
    pub recent_hours: u64,
    pub codex_days: usize,
    /// The repository's other working trees (`git worktree`): their agents'
    /// sessions are followed too, for the middle loop.
    pub other_worktrees: Vec<PathBuf>,
}

impl FollowSettings {
    /// This directory first, then the other working trees.
    pub(super) fn project_dirs(&self) -> impl Iterator<Item = &PathBuf> {
        std::iter::once(&self.cwd).chain(self.other_worktrees.iter())
    }
}

/// The newest main transcript, every main written in the last `recent_hours`,
/// and the subagents of those sessions.
pub(super) fn select_recent(mut found: Vec<Found>, recent_hours: u64) -> Vec<Found> {
    found.sort_by_key(|f| std::cmp::Reverse(f.modified_ms));
    let cutoff = now_millis() - (recent_hours as i64) * 3_600_000;
    let newest_main = found.iter().position(|f| f.role == Role::Main);
    let mut sessions: HashSet<String> = HashSet::new();
    let mut chosen = Vec::new();
    for (i, item) in found.iter().enumerate() {
        if item.role == Role::Main && (Some(i) == newest_main || item.modified_ms >= cutoff) {
            if let Some(stem) = item.path.file_stem() {
                sessions.insert(stem.to_string_lossy().into_owned());
            }
            chosen.push(item.clone());
        }
    }
    for item in found {
        if let Role::Subagent { .. } = item.role {
            let parent_followed = item
                .path
                .ancestors()
                .filter_map(|a| a.file_name())
                .any(|name| sessions.contains(name.to_string_lossy().as_ref()));
            if parent_followed || item.modified_ms >= cutoff {
                chosen.push(item);
            }
        }
    }
    chosen
}

/// A file given with `--transcript`: Codex when its first line is a Codex
/// envelope, else by its name.
pub(super) fn sniff_kind(path: &Path) -> crate::agents::AgentKind {
    use std::io::{BufRead, BufReader, Read};
    let mut first = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = BufReader::new(file.take(1 << 20)).read_until(b'\n', &mut first);
    }
    let head = String::from_utf8_lossy(&first);
    if head.contains("\"payload\"") && head.contains("\"session_meta\"") {
        crate::agents::AgentKind::Codex
    } else {
        guess_kind(path)
    }
}
