//! The repositories and readings the diff's tests are built from.

use super::*;

/// A repository with `files` committed.
pub(super) fn repo(files: &[(&str, &str)]) -> (tempfile::TempDir, Repository) {
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

/// [`repo`] with an attributes file: what is read is converted as libgit2
/// would (`to_odb.rs`).
pub(super) fn filtered_repo(files: &[(&str, &str)]) -> (tempfile::TempDir, Repository) {
    let mut files = files.to_vec();
    files.push((".gitattributes", "*.rs diff\n"));
    repo(&files)
}

pub(super) fn write(root: &Path, path: &str, content: &str) {
    std::fs::write(root.join(path), content).unwrap();
}

pub(super) fn set(paths: &[&str]) -> BTreeSet<PathBuf> {
    paths.iter().map(PathBuf::from).collect()
}

/// (path, added, removed) of each row.
pub(super) fn rows(diff: &Diff) -> Vec<(String, u64, u64)> {
    diff.rows
        .iter()
        .map(|r| {
            let path = r.path.to_string_lossy().into_owned();
            (path, r.lines_added, r.lines_removed)
        })
        .collect()
}

pub(super) fn totals(diff: &Diff) -> (u64, u64, u64) {
    let c = diff.checkpoint;
    (c.files_changed, c.lines_added, c.lines_removed)
}

/// Rewrites `path` with one more line on every call, from three: a
/// size the tests' files never had, which is what libgit2 notices.
pub(super) fn grower(root: &Path, path: &str) -> Box<dyn FnMut()> {
    let path = root.join(path);
    let mut lines = String::from("a\nx\n");
    Box::new(move || {
        lines.push_str("x\n");
        std::fs::write(&path, &lines).unwrap();
    })
}
