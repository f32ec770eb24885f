//! The inner loop's view of the working tree: files changed since the
//! session began (against HEAD) and the checkpoint, as the watcher last said.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::clock::Millis;
use crate::loops::changes::FileChange;
use crate::loops::diff::Checkpoint;
use crate::loops::worktree::WorktreeBatch;

#[derive(Debug, Clone, Default)]
pub struct Worktree {
    /// The repository root being watched; `None` while not watching.
    pub root: Option<PathBuf>,
    /// Why the tree is not watched (not a git repository ...), said once.
    pub unavailable: Option<String>,
    /// Files changed since the watch began that still differ from HEAD,
    /// most recently changed first.
    pub files: Vec<FileChange>,
    pub checkpoint: Checkpoint,
    /// When each path last changed (orders `files`).
    last_change: HashMap<PathBuf, Millis>,
    /// Batches received; each one that moved HEAD counts too.
    pub batches: u64,
}

impl Worktree {
    pub fn watching(root: PathBuf) -> Self {
        Self {
            root: Some(root),
            ..Self::default()
        }
    }

    pub fn apply(&mut self, batch: &WorktreeBatch) {
        self.batches += 1;
        for change in &batch.changes {
            self.last_change.insert(change.path.clone(), change.at);
        }
        // A set, not a scan per path: 1,000 rows would cost a million
        // path comparisons on the UI task.
        let now: HashSet<&PathBuf> = batch.since_start.iter().map(|c| &c.path).collect();
        self.last_change.retain(|path, _| now.contains(path));
        let mut files = batch.since_start.clone();
        files.sort_by(|a, b| {
            let at = |c: &FileChange| self.last_change.get(&c.path).copied().unwrap_or(c.at);
            at(b).cmp(&at(a)).then_with(|| a.path.cmp(&b.path))
        });
        self.files = files;
        self.checkpoint = batch.checkpoint;
    }

    /// Added and removed lines over the files of this session.
    pub fn lines(&self) -> (u64, u64) {
        self.files
            .iter()
            .fold((0, 0), |(a, r), f| (a + f.lines_added, r + f.lines_removed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loops::changes::ChangeKind;

    fn change(path: &str, at: Millis, added: u64) -> FileChange {
        FileChange {
            path: PathBuf::from(path),
            kind: ChangeKind::Modified,
            lines_added: added,
            lines_removed: 1,
            lines_now: Some(10),
            largest_added_block: added,
            at,
        }
    }

    #[test]
    fn newest_change_first_and_files_back_at_head_leave() {
        let mut tree = Worktree::watching(PathBuf::from("/repo"));
        let a = change("a.rs", 1_000, 3);
        let b = change("b.rs", 2_000, 5);
        tree.apply(&WorktreeBatch {
            changes: vec![a.clone(), b.clone()],
            since_start: vec![a.clone(), b.clone()],
            checkpoint: Checkpoint::default(),
            warning: None,
        });
        let order: Vec<_> = tree.files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(order, [PathBuf::from("b.rs"), PathBuf::from("a.rs")]);
        assert_eq!(tree.lines(), (8, 2));
        // a.rs edited again: on top. b.rs reverted: gone.
        let a2 = change("a.rs", 3_000, 4);
        tree.apply(&WorktreeBatch {
            changes: vec![a2.clone()],
            since_start: vec![a2],
            checkpoint: Checkpoint::default(),
            warning: None,
        });
        assert_eq!(tree.files.len(), 1);
        assert_eq!(tree.files[0].lines_added, 4);
        assert_eq!(tree.batches, 2);
    }
}
