//! The working tree against HEAD through git2: per-file added and removed
//! lines, the longest added block, and the checkpoint (the last commit).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use git2::{Delta, DiffOptions, FileMode, Patch, Repository};

use super::changes::{ChangeKind, FileChange};
use crate::clock::Millis;

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

/// How the working tree's files are read for their line counts.
struct Reads<'a> {
    repo: &'a Repository,
    workdir: &'a Path,
    /// No filter (CRLF, ident) can apply, so the bytes on disk are what
    /// libgit2 would diff: read them with read(2). libgit2 maps them, and a
    /// file truncated while mapped (a rewrite mid-read) kills the process
    /// with SIGBUS.
    own: bool,
}

impl<'a> Reads<'a> {
    fn new(repo: &'a Repository, workdir: &'a Path) -> Self {
        let own = !may_filter(repo);
        Self { repo, workdir, own }
    }

    /// (added, removed, longest added block) of one delta.
    fn lines(
        &self,
        diff: &git2::Diff,
        index: usize,
        delta: &git2::DiffDelta,
        path: &Path,
    ) -> Result<(u64, u64, u64), git2::Error> {
        let regular = matches!(
            delta.new_file().mode(),
            FileMode::Blob | FileMode::BlobExecutable
        );
        if !self.own || !regular || delta.status() == Delta::Deleted {
            // Blobs, links and submodules: nothing libgit2 maps.
            return match Patch::from_diff(diff, index)? {
                Some(patch) => line_counts(&patch),
                None => Ok((0, 0, 0)),
            };
        }
        let content = std::fs::read(self.workdir.join(path))
            .map_err(|e| git2::Error::from_str(&format!("{}: {e}", path.display())))?;
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
    // An untracked attributes file may filter what it covers: libgit2 reads.
    let untracked_attributes = reads.own
        && diff.deltas().any(|d| {
            d.new_file()
                .path()
                .is_some_and(|p| p.file_name().is_some_and(|n| n == ".gitattributes"))
        });
    let reads = &Reads {
        own: reads.own && !untracked_attributes,
        ..*reads
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

impl Differ {
    /// Diffs the whole working tree (untracked files included, ignored ones
    /// not) against HEAD. Returns the checkpoint and the rows for `paths`.
    ///
    /// Files rewritten during the read are the normal case in a burst, and
    /// each costs only itself: a file whose content changed between the
    /// tree's scan and its read is diffed again alone, and if that fails
    /// too, it keeps its counts of the last diff that read it (so the
    /// totals stay those of real reads, not a sum that silently drops a
    /// busy file). If the scan itself fails (a file truncated while it was
    /// hashed), only `paths` are diffed, in groups split in two on failure,
    /// and the rest of the tree, which sent no event since, keeps its
    /// counts; that needs a whole read against the same HEAD before, else
    /// this is an error and the caller tries again. Either way the result
    /// says so, and the caller diffs again once the files hold still.
    pub fn diff(
        &mut self,
        repo: &Repository,
        paths: &BTreeSet<PathBuf>,
        at: Millis,
    ) -> Result<Diff, git2::Error> {
        let head = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let head_id = head.as_ref().map(|c| c.id());
        let tree = head.as_ref().map(|c| c.tree()).transpose()?;
        let workdir = repo.workdir().unwrap_or(Path::new("."));
        let reads = Reads::new(repo, workdir);
        let mut counted = HashMap::new();
        let mut unread = Vec::new();
        let mut partial = false;
        match self.scan(repo, tree.as_ref(), None) {
            Ok(whole) => collect(&reads, &whole, &mut counted, &mut unread),
            Err(err) if self.base == Some(head_id) && !paths.is_empty() => {
                tracing::debug!("diff: the whole tree failed ({err}), the touched paths alone");
                partial = true;
                // Untouched files sent no event: as at the last read.
                let under = |p: &Path| p.ancestors().any(|a| paths.contains(a));
                counted.extend(
                    self.known
                        .iter()
                        .filter(|(p, _)| !under(p))
                        .map(|(p, c)| (p.clone(), *c)),
                );
                let all: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
                self.by_groups(&reads, tree.as_ref(), &all, &mut counted, &mut unread);
            }
            Err(err) => return Err(err),
        }
        let mut skipped = BTreeSet::new();
        for (path, kind) in unread {
            // Read alone, right away: usually fine, the burst moved on.
            let mut again = Vec::new();
            let alone = self.scan(repo, tree.as_ref(), Some(&[&path]));
            match alone {
                Ok(d) => collect(&reads, &d, &mut counted, &mut again),
                Err(_) => again.push((path.clone(), kind)),
            }
            if again.is_empty() {
                continue;
            }
            match kind {
                // Its last good counts under this diff's kind; never read
                // yet: no lines until the next read.
                Some(kind) => {
                    let last = self.known.get(&path).copied().unwrap_or(Counts {
                        kind,
                        added: 0,
                        removed: 0,
                        block: 0,
                    });
                    counted.insert(path.clone(), Counts { kind, ..last });
                }
                // Not even scanned: as at the last read, whatever is under it.
                None => counted.extend(
                    self.known
                        .iter()
                        .filter(|(p, _)| p.starts_with(&path))
                        .map(|(p, c)| (p.clone(), *c)),
                ),
            }
            skipped.insert(path);
        }
        if !partial {
            self.base = Some(head_id);
        }
        let mut checkpoint = Checkpoint {
            head_at: head.map(|c| c.time().seconds() * 1_000),
            ..Checkpoint::default()
        };
        let mut rows = Vec::new();
        for (path, c) in &counted {
            checkpoint.files_changed += 1;
            checkpoint.lines_added += c.added;
            checkpoint.lines_removed += c.removed;
            if paths.contains(path) {
                let lines_now = (c.kind != ChangeKind::Removed)
                    .then(|| count_lines(&workdir.join(path)))
                    .flatten();
                rows.push(FileChange {
                    path: path.clone(),
                    kind: c.kind,
                    lines_added: c.added,
                    lines_removed: c.removed,
                    lines_now,
                    largest_added_block: c.block,
                    at,
                });
            }
        }
        rows.sort_by(|a, b| a.path.cmp(&b.path));
        self.known = counted;
        Ok(Diff {
            checkpoint,
            rows,
            skipped,
            partial,
        })
    }
}

impl Differ {
    /// The tree against HEAD: all of it, or `paths` only, each taken
    /// literally (a directory covers what is under it).
    fn scan<'r>(
        &mut self,
        repo: &'r Repository,
        tree: Option<&git2::Tree>,
        paths: Option<&[&Path]>,
    ) -> Result<git2::Diff<'r>, git2::Error> {
        let mut opts = options();
        if let Some(paths) = paths {
            opts.disable_pathspec_match(true);
            for path in paths {
                opts.pathspec(*path);
            }
        }
        #[cfg(test)]
        if let Some(over) = self.faults.scan_over
            && paths.is_none_or(|p| p.len() > over)
        {
            return Err(git2::Error::from_str("scan failed on purpose"));
        }
        let diff = repo.diff_tree_to_workdir_with_index(tree, Some(&mut opts));
        #[cfg(test)]
        if let Some(after) = self.faults.after_scan.as_mut() {
            after();
        }
        diff
    }

    /// Diffs `paths` as one group, halving a group whose scan fails; a
    /// single path that still fails is unread. A few busy files cost a few
    /// diffs of ever smaller groups, not one diff per path.
    fn by_groups(
        &mut self,
        reads: &Reads,
        tree: Option<&git2::Tree>,
        paths: &[&Path],
        counted: &mut HashMap<PathBuf, Counts>,
        unread: &mut Vec<(PathBuf, Option<ChangeKind>)>,
    ) {
        match self.scan(reads.repo, tree, Some(paths)) {
            Ok(d) => collect(reads, &d, counted, unread),
            Err(err) if paths.len() == 1 => {
                tracing::debug!("diff: {}: {err}", paths[0].display());
                unread.push((paths[0].to_path_buf(), None));
            }
            Err(_) => {
                let (a, b) = paths.split_at(paths.len() / 2);
                self.by_groups(reads, tree, a, counted, unread);
                self.by_groups(reads, tree, b, counted, unread);
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A repository with `files` committed.
    fn repo(files: &[(&str, &str)]) -> (tempfile::TempDir, Repository) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        for (path, content) in files {
            write(dir.path(), path, content);
        }
        {
            let mut index = repo.index().unwrap();
            index
                .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
                .unwrap();
            index.write().unwrap();
            let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
            let who = git2::Signature::now("t", "t@t.invalid").unwrap();
            repo.commit(Some("HEAD"), &who, &who, "init", &tree, &[])
                .unwrap();
        }
        (dir, repo)
    }

    /// [`repo`] with an attributes file: libgit2 reads the files itself,
    /// and fails on one whose size changed since its scan.
    fn filtered_repo(files: &[(&str, &str)]) -> (tempfile::TempDir, Repository) {
        let mut files = files.to_vec();
        files.push((".gitattributes", "*.rs diff\n"));
        repo(&files)
    }

    fn write(root: &Path, path: &str, content: &str) {
        std::fs::write(root.join(path), content).unwrap();
    }

    fn set(paths: &[&str]) -> BTreeSet<PathBuf> {
        paths.iter().map(PathBuf::from).collect()
    }

    /// (path, added, removed) of each row.
    fn rows(diff: &Diff) -> Vec<(String, u64, u64)> {
        diff.rows
            .iter()
            .map(|r| {
                let path = r.path.to_string_lossy().into_owned();
                (path, r.lines_added, r.lines_removed)
            })
            .collect()
    }

    fn totals(diff: &Diff) -> (u64, u64, u64) {
        let c = diff.checkpoint;
        (c.files_changed, c.lines_added, c.lines_removed)
    }

    /// Rewrites `path` with one more line on every call, from three: a
    /// size the tests' files never had, which is what libgit2 notices.
    fn grower(root: &Path, path: &str) -> Box<dyn FnMut()> {
        let path = root.join(path);
        let mut lines = String::from("a\nx\n");
        Box::new(move || {
            lines.push_str("x\n");
            std::fs::write(&path, &lines).unwrap();
        })
    }

    #[test]
    fn a_quiet_tree_is_read_whole() {
        let (dir, repo) = repo(&[("a.rs", "a\n"), ("b.rs", "b\n")]);
        write(dir.path(), "a.rs", "a\nb\n");
        write(dir.path(), "new.rs", "n\n");
        let d = Differ::default()
            .diff(&repo, &set(&["a.rs", "new.rs"]), 0)
            .unwrap();
        assert!(d.is_complete(), "{d:?}");
        assert_eq!(rows(&d), [("a.rs".into(), 1, 0), ("new.rs".into(), 1, 0)]);
        assert_eq!(totals(&d), (2, 2, 0));
    }

    #[test]
    fn own_reads_count_as_libgit2_reads_do() {
        let files = [("a.rs", "1\n2\n3\n4\n"), ("b.rs", "x\n"), ("c.bin", "a\0b")];
        let edit = |root: &Path| {
            write(root, "a.rs", "1\nnew\n3\nmore\nmore\n");
            write(root, "b.rs", "x");
            write(root, "c.bin", "a\0c\n");
            write(root, "d.rs", "d\nd\n");
            std::fs::remove_file(root.join("b.rs")).unwrap();
            write(root, "b.rs", "y\nx\n");
        };
        let paths = set(&["a.rs", "b.rs", "c.bin", "d.rs"]);
        let (own_dir, own_repo) = repo(&files);
        let (lib_dir, lib_repo) = filtered_repo(&files);
        edit(own_dir.path());
        edit(lib_dir.path());
        // (The first reads with read(2) unless the user's git config has
        // attributes or autocrlf.)
        assert!(!Reads::new(&lib_repo, lib_dir.path()).own);
        let own = diff(&own_repo, &paths, 0).unwrap();
        let lib = diff(&lib_repo, &paths, 0).unwrap();
        assert_eq!(own.rows, lib.rows);
        assert_eq!(totals(&own), totals(&lib));
        assert_eq!(
            rows(&own),
            [
                ("a.rs".into(), 3, 2),
                ("b.rs".into(), 1, 0),
                ("c.bin".into(), 0, 0),
                ("d.rs".into(), 2, 0)
            ]
        );
    }

    #[test]
    fn without_filters_a_file_is_read_as_it_is_now_in_one_scan() {
        let (dir, repo) = repo(&[("a.rs", "a\n")]);
        write(dir.path(), "a.rs", "a\nb\n");
        let mut differ = Differ::default();
        let mut grow = grower(dir.path(), "a.rs");
        let scans = std::rc::Rc::new(std::cell::Cell::new(0));
        let counter = scans.clone();
        differ.faults.after_scan = Some(Box::new(move || {
            counter.set(counter.get() + 1);
            grow();
        }));
        let d = differ.diff(&repo, &set(&["a.rs"]), 0).unwrap();
        assert!(d.is_complete(), "{d:?}");
        assert_eq!(scans.get(), 1);
        // "a\nx\nx\n", read with read(2), not mapped.
        assert_eq!(rows(&d), [("a.rs".into(), 2, 0)]);
    }

    #[test]
    fn a_file_changed_between_scan_and_read_is_read_again_alone() {
        let (dir, repo) = filtered_repo(&[("a.rs", "a\n"), ("b.rs", "b\n")]);
        write(dir.path(), "a.rs", "a\nb\n");
        write(dir.path(), "b.rs", "b\nc\n");
        let mut differ = Differ::default();
        // Once, after the whole tree's scan: its read of a.rs then fails.
        let mut grow = grower(dir.path(), "a.rs");
        let scans = std::rc::Rc::new(std::cell::Cell::new(0));
        let counter = scans.clone();
        differ.faults.after_scan = Some(Box::new(move || {
            counter.set(counter.get() + 1);
            if counter.get() == 1 {
                grow();
            }
        }));
        let d = differ.diff(&repo, &set(&["a.rs", "b.rs"]), 0).unwrap();
        assert!(d.is_complete(), "{d:?}");
        assert_eq!(scans.get(), 2, "the whole tree, then a.rs alone");
        // a.rs as it is now: "a\nx\nx\n".
        assert_eq!(rows(&d), [("a.rs".into(), 2, 0), ("b.rs".into(), 1, 0)]);
        assert_eq!(totals(&d), (2, 3, 0));
    }

    #[test]
    fn a_file_that_keeps_changing_keeps_its_last_counts_until_it_holds_still() {
        let (dir, repo) = filtered_repo(&[("a.rs", "a\n"), ("b.rs", "b\n")]);
        write(dir.path(), "a.rs", "a\nb\n");
        let mut differ = Differ::default();
        let paths = set(&["a.rs", "b.rs"]);
        assert!(differ.diff(&repo, &paths, 0).unwrap().is_complete());

        // Every read of a.rs now finds it changed; b.rs reads fine.
        write(dir.path(), "b.rs", "b\nc\nd\n");
        differ.faults.after_scan = Some(grower(dir.path(), "a.rs"));
        let d = differ.diff(&repo, &paths, 0).unwrap();
        assert_eq!(d.skipped, set(&["a.rs"]));
        assert!(!d.partial);
        assert_eq!(rows(&d), [("a.rs".into(), 1, 0), ("b.rs".into(), 2, 0)]);
        assert_eq!(totals(&d), (2, 3, 0));

        // Still: the next diff repairs it.
        differ.faults.after_scan = None;
        let d = differ.diff(&repo, &paths, 0).unwrap();
        assert!(d.is_complete(), "{d:?}");
        let a = std::fs::read_to_string(dir.path().join("a.rs")).unwrap();
        let added = a.lines().count() as u64 - 1;
        assert!(added > 1, "a.rs was rewritten: {a:?}");
        assert_eq!(rows(&d), [("a.rs".into(), added, 0), ("b.rs".into(), 2, 0)]);
        assert_eq!(totals(&d), (2, added + 2, 0));
    }

    #[test]
    fn a_file_never_read_has_its_kind_and_no_lines_until_read() {
        let (dir, repo) = filtered_repo(&[("a.rs", "a\n")]);
        write(dir.path(), "a.rs", "a\nb\n");
        let mut differ = Differ::default();
        differ.faults.after_scan = Some(grower(dir.path(), "a.rs"));
        let d = differ.diff(&repo, &set(&["a.rs"]), 0).unwrap();
        assert_eq!(d.skipped, set(&["a.rs"]));
        assert_eq!(d.rows[0].kind, ChangeKind::Modified);
        assert_eq!(rows(&d), [("a.rs".into(), 0, 0)]);
        assert_eq!(totals(&d), (1, 0, 0));
    }

    #[test]
    fn a_failed_whole_scan_reads_the_touched_paths_and_keeps_the_rest() {
        let (dir, repo) = repo(&[("a.rs", "a\n"), ("b.rs", "b\n"), ("c.rs", "c\n")]);
        let root = dir.path();
        write(root, "a.rs", "a\nb\n");
        write(root, "c.rs", "");
        let mut differ = Differ::default();
        // c.rs changed before the watch: counted, not a row.
        assert!(
            differ
                .diff(&repo, &set(&["a.rs"]), 0)
                .unwrap()
                .is_complete()
        );

        write(root, "a.rs", "a\n");
        write(root, "b.rs", "b\n1\n2\n");
        write(root, "new.rs", "n\n");
        let paths = set(&["a.rs", "b.rs", "new.rs"]);
        // The whole tree and every group fail, single paths read: the
        // groups are split down to them.
        differ.faults.scan_over = Some(1);
        let d = differ.diff(&repo, &paths, 0).unwrap();
        assert!(d.partial && d.skipped.is_empty(), "{d:?}");
        // a.rs is back at HEAD: no row.
        assert_eq!(rows(&d), [("b.rs".into(), 2, 0), ("new.rs".into(), 1, 0)]);
        // The same totals as a whole read.
        let whole = diff(&repo, &paths, 0).unwrap();
        assert!(whole.is_complete());
        assert_eq!(totals(&d), totals(&whole));
        assert_eq!(totals(&d), (3, 3, 1));
    }

    #[test]
    fn a_path_whose_scan_fails_alone_keeps_its_last_counts() {
        let (dir, repo) = repo(&[("a.rs", "a\n"), ("b.rs", "b\n")]);
        write(dir.path(), "a.rs", "a\nb\n");
        let mut differ = Differ::default();
        let paths = set(&["a.rs"]);
        assert!(differ.diff(&repo, &paths, 0).unwrap().is_complete());

        write(dir.path(), "a.rs", "a\nb\nc\n");
        differ.faults.scan_over = Some(0);
        let d = differ.diff(&repo, &paths, 0).unwrap();
        assert!(d.partial);
        assert_eq!(d.skipped, paths);
        assert_eq!(rows(&d), [("a.rs".into(), 1, 0)]);

        differ.faults.scan_over = None;
        let d = differ.diff(&repo, &paths, 0).unwrap();
        assert!(d.is_complete());
        assert_eq!(rows(&d), [("a.rs".into(), 2, 0)]);
    }

    #[test]
    fn a_failed_whole_scan_is_an_error_without_a_read_against_this_head() {
        let (dir, repo) = repo(&[("a.rs", "a\n")]);
        write(dir.path(), "a.rs", "a\nb\n");
        let paths = set(&["a.rs"]);
        let mut differ = Differ::default();
        differ.faults.scan_over = Some(usize::MAX);
        assert!(differ.diff(&repo, &paths, 0).is_err(), "no read yet");

        differ.faults.scan_over = None;
        assert!(differ.diff(&repo, &paths, 0).unwrap().is_complete());
        // A commit: what was counted is against the old HEAD.
        let mut index = repo.index().unwrap();
        index.add_path(Path::new("a.rs")).unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let parent = repo.head().unwrap().peel_to_commit().unwrap();
        let who = git2::Signature::now("t", "t@t.invalid").unwrap();
        repo.commit(Some("HEAD"), &who, &who, "2", &tree, &[&parent])
            .unwrap();
        differ.faults.scan_over = Some(usize::MAX);
        assert!(differ.diff(&repo, &paths, 0).is_err(), "HEAD moved");
    }
}
