//! Temporary repositories driven by the real `git` CLI, with the user's git
//! configuration shut out, and snapshots of everything a save must not touch.

#![allow(dead_code)]

pub mod writer;

// The one git helper; every crate that includes this module includes `common`.
#[allow(unused_imports)]
pub use crate::common::git::{git, git_cmd, git_out};

use std::path::{Path, PathBuf};
use std::process::Command;

use cockpit::store::SessionRecord;
use tempfile::TempDir;

pub fn fixture_record() -> SessionRecord {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/store/session-v1.json");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The v1 fixture as session `id`.
pub fn record(id: &str) -> SessionRecord {
    SessionRecord {
        id: id.to_string(),
        ..fixture_record()
    }
}

/// A repository with a local user ([`init`]) and an empty state directory
/// for the [`cockpit`] run against it.
pub fn repo_and_state() -> (TempDir, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    init(dir.path(), true);
    (dir, state)
}

/// An empty repository on `main`; `identity` sets a local user.name.
pub fn init(dir: &Path, identity: bool) {
    git(dir, &["init", "-q", "-b", "main"]);
    if identity {
        git(dir, &["config", "user.name", "Test Person"]);
        git(dir, &["config", "user.email", "test@example.invalid"]);
    }
}

pub fn commit_file(dir: &Path, name: &str, text: &str, message: &str) {
    std::fs::write(dir.join(name), text).unwrap();
    git(dir, &["add", name]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// A repository with two commits, a staged change, an unstaged change, an
/// untracked file and a stash: every kind of state a save must leave alone.
pub fn busy_repo(dir: &Path) {
    init(dir, true);
    commit_file(dir, "a.txt", "one\n", "first");
    commit_file(dir, "b.txt", "two\n", "second");
    std::fs::write(dir.join("a.txt"), "stashed\n").unwrap();
    git(dir, &["stash", "-q"]);
    std::fs::write(dir.join("a.txt"), "staged\n").unwrap();
    git(dir, &["add", "a.txt"]);
    std::fs::write(dir.join("b.txt"), "unstaged\n").unwrap();
    std::fs::write(dir.join("untracked.txt"), "new\n").unwrap();
}

/// Everything of a repository that is not the cockpit's own refs.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    head: Vec<u8>,
    index: Option<Vec<u8>>,
    status: String,
    refs: String,
    files: Vec<(PathBuf, Vec<u8>)>,
    git_state: Vec<(PathBuf, Vec<u8>)>,
}

/// `work` is the work tree, `git_dir` its own git dir (a worktree's lives
/// under the main one's `worktrees/`).
pub fn snapshot(work: &Path, git_dir: &Path) -> Snapshot {
    let mut files = Vec::new();
    walk(work, work, &mut files, &|p| p.ends_with(".git"));
    // Rebase and merge state, lock files, ORIG_HEAD: anything but the
    // object database, the refs and logs (where the cockpit writes).
    let mut git_state = Vec::new();
    walk(git_dir, git_dir, &mut git_state, &|p| {
        ["objects", "refs", "logs", "worktrees", "packed-refs"]
            .iter()
            .any(|skip| p.file_name().is_some_and(|n| n == *skip))
    });
    let refs = git(work, &["for-each-ref", "--format=%(refname) %(objectname)"])
        .lines()
        .filter(|l| !l.starts_with("refs/cockpit/"))
        .collect::<Vec<_>>()
        .join("\n");
    Snapshot {
        head: std::fs::read(git_dir.join("HEAD")).unwrap(),
        index: std::fs::read(git_dir.join("index")).ok(),
        status: git(
            work,
            &[
                "--no-optional-locks",
                "status",
                "--porcelain=v1",
                "--untracked-files=all",
            ],
        ),
        refs,
        files,
        git_state,
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>, skip: &dyn Fn(&Path) -> bool) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if skip(&path) {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, out, skip);
        } else {
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            out.push((rel, std::fs::read(&path).unwrap_or_default()));
        }
    }
}

/// The cockpit binary with the user's git config and state dir shut out.
pub fn cockpit(dir: &Path, state: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cockpit"));
    cmd.current_dir(dir)
        .env("HOME", state)
        .env("XDG_CONFIG_HOME", state.join("config"))
        .env("XDG_STATE_HOME", state.join("state"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR");
    cmd
}

/// `git fsck --strict` passes with nothing worse than dangling objects.
pub fn assert_fsck_clean(dir: &Path) {
    let out = git_out(dir, &["fsck", "--strict", "--no-progress"]);
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let bad: Vec<&str> = report
        .lines()
        .filter(|l| {
            !l.starts_with("dangling ") && !l.starts_with("notice:") && !l.trim().is_empty()
        })
        .collect();
    assert!(out.status.success() && bad.is_empty(), "fsck: {report}");
}
