//! The working tree against HEAD through git2: per-file added and removed
//! lines, the longest added block, and the checkpoint (the last commit).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use git2::{Delta, DiffOptions, Patch, Repository};

use super::changes::{ChangeKind, FileChange};
use crate::agents::Millis;

/// Time since the last commit and how much changed since.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checkpoint {
    /// Commit time of HEAD (`None` before the first commit).
    pub head_at: Option<Millis>,
    pub files_changed: u64,
    pub lines_added: u64,
    pub lines_removed: u64,
}

impl Checkpoint {
    pub fn age_ms(&self, now: Millis) -> Option<i64> {
        self.head_at.map(|at| (now - at).max(0))
    }
}

/// Files bigger than this are not counted line by line.
const COUNT_LIMIT: u64 = 8 << 20;

/// Diffs the whole working tree (untracked files included, ignored ones not)
/// against HEAD. Returns the checkpoint and the rows for `paths`.
pub fn diff(
    repo: &Repository,
    paths: &BTreeSet<PathBuf>,
    at: Millis,
) -> Result<(Checkpoint, Vec<FileChange>), git2::Error> {
    let head = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let tree = head.as_ref().map(|c| c.tree()).transpose()?;
    let mut opts = DiffOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .show_untracked_content(true)
        .context_lines(0);
    let diff = repo.diff_tree_to_workdir_with_index(tree.as_ref(), Some(&mut opts))?;
    let mut checkpoint = Checkpoint {
        head_at: head.map(|c| c.time().seconds() * 1_000),
        ..Checkpoint::default()
    };
    let mut rows: HashMap<PathBuf, FileChange> = HashMap::new();
    let workdir = repo.workdir().unwrap_or(Path::new("."));
    for index in 0..diff.deltas().len() {
        let Some(delta) = diff.get_delta(index) else {
            continue;
        };
        let kind = match delta.status() {
            Delta::Added | Delta::Untracked | Delta::Copied => ChangeKind::Added,
            Delta::Deleted => ChangeKind::Removed,
            Delta::Modified | Delta::Renamed | Delta::Typechange => ChangeKind::Modified,
            _ => continue,
        };
        let file = if kind == ChangeKind::Removed {
            delta.old_file()
        } else {
            delta.new_file()
        };
        let Some(path) = file.path().map(Path::to_path_buf) else {
            continue;
        };
        let (added, removed, block) = match Patch::from_diff(&diff, index)? {
            Some(patch) => line_counts(&patch)?,
            None => (0, 0, 0),
        };
        checkpoint.files_changed += 1;
        checkpoint.lines_added += added;
        checkpoint.lines_removed += removed;
        if paths.contains(&path) {
            let lines_now = (kind != ChangeKind::Removed)
                .then(|| count_lines(&workdir.join(&path)))
                .flatten();
            rows.insert(
                path.clone(),
                FileChange {
                    path,
                    kind,
                    lines_added: added,
                    lines_removed: removed,
                    lines_now,
                    largest_added_block: block,
                    at,
                },
            );
        }
    }
    let mut rows: Vec<FileChange> = rows.into_values().collect();
    rows.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((checkpoint, rows))
}

/// (added, removed, longest run of consecutive added lines).
fn line_counts(patch: &Patch) -> Result<(u64, u64, u64), git2::Error> {
    let (mut added, mut removed, mut block) = (0, 0, 0);
    for hunk in 0..patch.num_hunks() {
        let mut run = 0;
        for line in 0..patch.num_lines_in_hunk(hunk)? {
            match patch.line_in_hunk(hunk, line)?.origin() {
                '+' => {
                    added += 1;
                    run += 1;
                    block = block.max(run);
                }
                '-' => {
                    removed += 1;
                    run = 0;
                }
                _ => run = 0,
            }
        }
    }
    Ok((added, removed, block))
}

fn count_lines(path: &Path) -> Option<u64> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > COUNT_LIMIT {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    if bytes.contains(&0) {
        return None; // binary
    }
    let newlines = memchr::memchr_iter(b'\n', &bytes).count() as u64;
    Some(newlines + u64::from(!bytes.is_empty() && !bytes.ends_with(b"\n")))
}
