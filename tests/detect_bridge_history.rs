//! Bridge Torching over this repository's own history (real code, real
//! refactors): every commit that touches Rust, applied to a clone's working
//! tree whole, keeps its callers in step and must raise nothing; two real
//! API changes applied without their callers must be named. Needs the full
//! history (a shallow CI clone has not), so it runs on request:
//! `cargo test --test detect_bridge_history -- --ignored`.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cockpit::config::Config;
use cockpit::detect::Pattern;
use cockpit::loops::changes::{ChangeKind, FileChange};
use cockpit::state::replay::Detectors;
use common::git::git;

fn clone() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("clone");
    git(
        dir.path(),
        &[
            "clone",
            "-q",
            env!("CARGO_MANIFEST_DIR"),
            root.to_str().unwrap(),
        ],
    );
    (dir, root)
}

/// The clone at `commit`'s parent with `paths` of `commit` (all when empty)
/// in its working tree; returns the changes a watcher would report.
fn apply(root: &Path, commit: &str, only: Option<&str>) -> Vec<FileChange> {
    let parent = format!("{commit}^");
    git(root, &["checkout", "-q", "-f", &parent]);
    git(root, &["clean", "-qfd"]);
    let mut changes = Vec::new();
    for line in git(
        root,
        &["diff", "--name-status", "--no-renames", &parent, commit],
    )
    .lines()
    {
        let (status, path) = line.split_once('\t').unwrap();
        if only.is_some_and(|o| o != path) {
            continue;
        }
        let kind = match status {
            "D" => {
                std::fs::remove_file(root.join(path)).unwrap();
                ChangeKind::Removed
            }
            "A" => ChangeKind::Added,
            _ => ChangeKind::Modified,
        };
        if kind != ChangeKind::Removed {
            git(root, &["checkout", "-q", commit, "--", path]);
        }
        changes.push(FileChange {
            path: PathBuf::from(path),
            kind,
            lines_added: 1,
            lines_removed: 1,
            lines_now: None,
            largest_added_block: 0,
            at: 1_000,
        });
    }
    // The index back at the parent: HEAD is the session's checkpoint.
    git(root, &["reset", "-q"]);
    changes
}

/// Bridge Torching's messages once the scan is done and the grace is over.
fn torched(root: &Path, changes: Vec<FileChange>) -> Vec<String> {
    let mut d = Detectors::new(&Config::default());
    d.on_changes(root, changes);
    let deadline = Instant::now() + Duration::from_secs(60);
    while d.busy() {
        assert!(Instant::now() < deadline, "scan never finished");
        std::thread::sleep(Duration::from_millis(5));
        d.poll(1_000);
    }
    d.poll(1_000_000);
    d.alerts()
        .iter()
        .filter(|a| a.pattern == Pattern::BridgeTorching)
        .map(|a| a.message.clone())
        .collect()
}

#[test]
#[ignore = "needs the repository's full history"]
fn whole_commits_raise_nothing_and_callers_left_behind_are_named() {
    let (_dir, root) = clone();
    let commits = git(&root, &["log", "--no-merges", "--format=%H", "--", "*.rs"]);
    let mut applied = 0;
    for commit in commits.lines() {
        let has_parent = git(&root, &["rev-list", "--parents", "-n", "1", commit])
            .split_whitespace()
            .count()
            > 1;
        if !has_parent {
            continue;
        }
        let changes = apply(&root, commit, None);
        assert_eq!(torched(&root, changes), Vec::<String>::new(), "{commit}");
        applied += 1;
    }
    assert!(applied > 100, "{applied} commits: is the history shallow?");

    let cases = [
        (
            "4fa82218",
            "src/ui/alerts.rs",
            "`height` (src/ui/alerts.rs) changed its parameters",
        ),
        (
            "35008db3",
            "src/ui/inner.rs",
            "`truncate_spans` (src/ui/inner.rs) was removed or renamed",
        ),
    ];
    for (commit, path, said) in cases {
        let changes = apply(&root, commit, Some(path));
        let messages = torched(&root, changes);
        assert!(
            messages.len() == 1 && messages[0].starts_with(said),
            "{commit}: {messages:?}"
        );
    }
}
