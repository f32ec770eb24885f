//! The working tree against HEAD through git2: per-file added and removed
//! lines, the longest added block, and the checkpoint (the last commit).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use git2::{Delta, DiffOptions, FileMode, Patch, Repository};

use super::changes::{ChangeKind, FileChange};
use crate::clock::Millis;

mod differ;
mod line_counts;
mod to_odb;

use line_counts::{count_lines, line_counts};

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

/// One file's share of the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    kind: ChangeKind,
    added: u64,
    removed: u64,
    block: u64,
}

/// What one diff found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    pub checkpoint: Checkpoint,
    /// The rows for the paths asked for, by path.
    pub rows: Vec<FileChange>,
    /// Files that changed while they were read: counted (and shown) as at
    /// their last good read. Diff them again once they hold still.
    pub skipped: BTreeSet<PathBuf>,
    /// The tree as a whole could not be read: the files outside the paths
    /// asked for are counted as at the last whole read. Diff again.
    pub partial: bool,
}

impl Diff {
    /// Everything was read this time.
    pub fn is_complete(&self) -> bool {
        self.skipped.is_empty() && !self.partial
    }
}

/// Diffs the working tree against HEAD, remembering each changed file's
/// counts, so that a file rewritten while libgit2 reads it ("file changed
/// before we could read it") costs that file's freshness, not the whole diff.
#[derive(Default)]
pub struct Differ {
    /// Every file that differed from HEAD at the last diff, and its counts.
    known: HashMap<PathBuf, Counts>,
    /// The HEAD `known` was counted against, once a whole-tree read worked.
    base: Option<Option<git2::Oid>>,
    #[cfg(test)]
    faults: Faults,
}

/// Failures made on purpose: libgit2's come from races too short to hit
/// reliably in a unit test.
#[cfg(test)]
#[derive(Default)]
struct Faults {
    /// A scan of the whole tree, or of more paths than this, fails.
    scan_over: Option<usize>,
    /// Runs after each scan, before the contents are read.
    after_scan: Option<Box<dyn FnMut()>>,
    /// Reading a file's content fails where this says so.
    unreadable: Option<FailRead>,
}

/// [`Differ::diff`] without memory: a file that cannot be read has its
/// kind but no line counts, and a failed scan of the tree is an error.
pub fn diff(repo: &Repository, paths: &BTreeSet<PathBuf>, at: Millis) -> Result<Diff, git2::Error> {
    Differ::default().diff(repo, paths, at)
}

fn options() -> DiffOptions {
    let mut opts = DiffOptions::new();
    opts.include_untracked(true)
        .recurse_untracked_dirs(true)
        .show_untracked_content(true)
        .context_lines(0);
    opts
}

/// How the working tree's files are read for their line counts: always with
/// read(2), never by libgit2, which maps a file it reads unfiltered into
/// memory, and a file truncated while mapped (an agent rewriting it
/// mid-diff) kills the process with SIGBUS.
struct Reads<'a> {
    repo: &'a Repository,
    workdir: &'a Path,
    /// A filter (line endings, `ident`) may apply: what was read is
    /// converted as libgit2 would before diffing (`to_odb.rs`).
    filtered: bool,
    #[cfg(test)]
    unreadable: Option<FailRead>,
}

/// Which reads fail on purpose, in tests.
#[cfg(test)]
type FailRead = std::rc::Rc<dyn Fn(&Path) -> bool>;

impl<'a> Reads<'a> {
    fn new(repo: &'a Repository, workdir: &'a Path) -> Self {
        Self {
            repo,
            workdir,
            filtered: may_filter(repo),
            #[cfg(test)]
            unreadable: None,
        }
    }

    /// (added, removed, longest added block) of one delta.
    fn lines(
        &self,
        diff: &git2::Diff,
        index: usize,
        delta: &git2::DiffDelta,
        path: &Path,
    ) -> Result<(u64, u64, u64), git2::Error> {
        #[cfg(test)]
        if self.unreadable.as_ref().is_some_and(|fail| fail(path)) {
            return Err(git2::Error::from_str("read failed on purpose"));
        }
        let regular = matches!(
            delta.new_file().mode(),
            FileMode::Blob | FileMode::BlobExecutable
        );
        if !regular || delta.status() == Delta::Deleted {
            // Blobs, links and submodules: nothing libgit2 maps.
            return match Patch::from_diff(diff, index)? {
                Some(patch) => line_counts(&patch),
                None => Ok((0, 0, 0)),
            };
        }
        let content = std::fs::read(self.workdir.join(path))
            .map_err(|e| git2::Error::from_str(&format!("{}: {e}", path.display())))?;
        let content = if self.filtered {
            to_odb::convert(self.repo, path, content)
        } else {
            content
        };
        let old_id = delta.old_file().id();
        let old = (!old_id.is_zero())
            .then(|| self.repo.find_blob(old_id))
            .transpose()?;
        let patch = Patch::from_buffers(
            old.as_ref().map_or(&[][..], |b| b.content()),
            delta.old_file().path(),
            &content,
            Some(path),
            Some(&mut options()),
        )?;
        line_counts(&patch)
    }
}

/// Whether any filter could change a file between the disk and the diff:
/// `core.autocrlf`, or any attributes file (in the tree, untracked, in the
/// git directory or the user's).
fn may_filter(repo: &Repository) -> bool {
    let config = repo.config().ok();
    let setting = |key: &str| config.as_ref().and_then(|c| c.get_string(key).ok());
    if setting("core.autocrlf").is_some_and(|v| !v.eq_ignore_ascii_case("false"))
        || setting("core.attributesFile").is_some()
        || repo.path().join("info/attributes").exists()
    {
        return true;
    }
    let user = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".config")));
    if user.is_some_and(|dir| dir.join("git/attributes").exists()) {
        return true;
    }
    let attributes = |path: &[u8]| path == b".gitattributes" || path.ends_with(b"/.gitattributes");
    if repo
        .index()
        .is_ok_and(|index| index.iter().any(|e| attributes(&e.path)))
    {
        return true;
    }
    // An untracked one is in the diff: see `collect`.
    false
}

/// Kind, path and counts of each delta; the paths whose content could not
/// be read go to `unread`.
fn collect(
    reads: &Reads,
    diff: &git2::Diff,
    counted: &mut HashMap<PathBuf, Counts>,
    unread: &mut Vec<(PathBuf, Option<ChangeKind>)>,
) {
    // An untracked attributes file may filter what it covers.
    let untracked_attributes = !reads.filtered
        && diff.deltas().any(|d| {
            d.new_file()
                .path()
                .is_some_and(|p| p.file_name().is_some_and(|n| n == ".gitattributes"))
        });
    let filtered_reads;
    let reads = if untracked_attributes {
        filtered_reads = Reads {
            filtered: true,
            #[cfg(test)]
            unreadable: reads.unreadable.clone(),
            ..*reads
        };
        &filtered_reads
    } else {
        reads
    };
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
        match reads.lines(diff, index, &delta, &path) {
            Ok((added, removed, block)) => {
                counted.insert(
                    path,
                    Counts {
                        kind,
                        added,
                        removed,
                        block,
                    },
                );
            }
            Err(err) => {
                tracing::debug!("diff: {}: {err}", path.display());
                unread.push((path, Some(kind)));
            }
        }
    }
}

#[cfg(test)]
mod test_repos;
#[cfg(test)]
mod tests;
