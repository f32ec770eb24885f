//! The outer loop's git history read from real repositories made with the git
//! CLI (the user's git configuration shut out).

mod common;
mod store_support;

use std::path::Path;

use cockpit::loops::git_history::{self, GitHistory, WEEKS};
use store_support::{git, git_cmd, init};

const HOUR: i64 = 3_600_000;
/// Tuesday 2026-12-01 08:00 UTC.
const NOW: i64 = 1_796_112_000_000;

/// A commit of `name` with `text`, authored and committed at `at_ms`.
fn commit_at(dir: &Path, name: &str, text: &str, message: &str, at_ms: i64) {
    std::fs::write(dir.join(name), text).unwrap();
    git(dir, &["add", name]);
    git_at(dir, &["commit", "-q", "-m", message], at_ms);
}

/// A git command whose commits are authored and committed at `at_ms`.
fn git_at(dir: &Path, args: &[&str], at_ms: i64) {
    let date = format!("@{} +0000", at_ms / 1000);
    let out = git_cmd(dir)
        .args(args)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn read(dir: &Path, since: i64, max: usize) -> GitHistory {
    git_history::read_at(dir, since, NOW, max).unwrap()
}

#[test]
fn commits_since_the_session_began_newest_first() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir, true);
    commit_at(dir, "old.txt", "x\n", "ancient", NOW - 200 * 24 * HOUR);
    commit_at(dir, "a.txt", "one\n", "three days ago", NOW - 72 * HOUR);
    commit_at(dir, "a.txt", "one\ntwo\n", "yesterday", NOW - 24 * HOUR);
    commit_at(dir, "b.txt", "b\nb\nb\n", "session one", NOW - 2 * HOUR);
    commit_at(dir, "a.txt", "two\nthree\n", "session two", NOW - HOUR);
    let since = NOW - 3 * HOUR;

    let history = read(dir, since, 10);
    assert_eq!(history.branch.as_deref(), Some("main"));
    assert_eq!(history.upstream, None);
    assert_eq!((history.ahead, history.behind), (0, 0));
    assert_eq!(history.commits_total, 2);
    let summaries: Vec<&str> = history.commits.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(summaries, ["session two", "session one"]);
    let newest = &history.commits[0];
    assert_eq!(newest.at, NOW - HOUR);
    assert_eq!(newest.author, "Test Person");
    assert_eq!(newest.short_id.len(), 7);
    assert!(newest.id.starts_with(&newest.short_id));
    assert_eq!(history.head.as_deref(), Some(newest.short_id.as_str()));
    assert_eq!(
        (
            newest.files_changed,
            newest.lines_added,
            newest.lines_removed
        ),
        (1, 1, 1)
    );
    // What a saved session records of it.
    let made = cockpit::store::schema::CommitMade::from(newest);
    assert_eq!(
        (made.id.as_str(), made.at),
        (newest.id.as_str(), NOW - HOUR)
    );
    assert_eq!(made.summary, "session two");
    let first = &history.commits[1];
    assert_eq!((first.files_changed, first.lines_added), (1, 3));
    assert!(!first.merge);

    // Weeks: the ancient commit is outside the window; the other four are in.
    assert_eq!(history.weeks.len(), WEEKS);
    assert_eq!(history.weeks.iter().map(|w| w.commits).sum::<usize>(), 4);
    let this_week = history.weeks.last().unwrap();
    assert_eq!(this_week.start, git_history::week_start(NOW));
    // Monday 00:00 to now (Tuesday 08:00): yesterday's and the session's.
    assert_eq!(this_week.commits, 3);
    assert!(history.weeks.windows(2).all(|w| w[1].start > w[0].start));
    assert!(!history.truncated);

    // The cap keeps the newest; the total still counts them all.
    let capped = read(dir, since, 1);
    assert_eq!(capped.commits.len(), 1);
    assert_eq!(capped.commits[0].summary, "session two");
    assert_eq!(capped.commits_total, 2);

    // Found from a subdirectory too.
    std::fs::create_dir(dir.join("sub")).unwrap();
    assert_eq!(read(&dir.join("sub"), since, 10).commits_total, 2);
}

#[test]
fn a_clone_two_ahead_and_one_behind_its_upstream() {
    let tmp = tempfile::tempdir().unwrap();
    let origin = tmp.path().join("origin");
    let clone = tmp.path().join("clone");
    std::fs::create_dir(&origin).unwrap();
    init(&origin, true);
    commit_at(&origin, "a.txt", "a\n", "base", NOW - 10 * HOUR);
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            origin.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    git(&clone, &["config", "user.name", "Clone Person"]);
    git(&clone, &["config", "user.email", "clone@example.invalid"]);
    commit_at(&origin, "o.txt", "o\n", "upstream moved", NOW - 5 * HOUR);
    commit_at(&clone, "c1.txt", "1\n", "local one", NOW - 4 * HOUR);
    commit_at(&clone, "c2.txt", "2\n", "local two", NOW - 3 * HOUR);
    git(&clone, &["fetch", "-q"]);

    let history = read(&clone, NOW - 6 * HOUR, 10);
    assert_eq!(history.branch.as_deref(), Some("main"));
    assert_eq!(history.upstream.as_deref(), Some("origin/main"));
    assert_eq!((history.ahead, history.behind), (2, 1));
    // The upstream's commit is not on HEAD: not made here.
    assert_eq!(history.commits_total, 2);
    assert_eq!(history.commits[0].author, "Clone Person");
}

#[test]
fn a_detached_head_has_no_branch() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir, true);
    commit_at(dir, "a.txt", "a\n", "one", NOW - 2 * HOUR);
    commit_at(dir, "a.txt", "b\n", "two", NOW - HOUR);
    git(dir, &["checkout", "-q", "--detach", "HEAD~1"]);

    let history = read(dir, NOW - 3 * HOUR, 10);
    assert_eq!(history.branch, None);
    assert_eq!(history.upstream, None);
    assert_eq!(history.commits_total, 1);
    assert_eq!(history.commits[0].summary, "one");
    assert_eq!(
        history.head.as_deref(),
        Some(history.commits[0].short_id.as_str())
    );
}

#[test]
fn an_empty_repository_names_its_branch_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), true);
    let history = read(tmp.path(), NOW - HOUR, 10);
    assert_eq!(history.branch.as_deref(), Some("main"));
    assert_eq!(history.head, None);
    assert_eq!(history.commits_total, 0);
    assert!(history.commits.is_empty());
    assert!(history.weeks.is_empty());
}

#[test]
fn a_merge_counts_against_its_first_parent() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir, true);
    commit_at(dir, "a.txt", "a\n", "base", NOW - 5 * HOUR);
    git(dir, &["checkout", "-q", "-b", "feature"]);
    commit_at(dir, "f.txt", "f1\nf2\n", "feature work", NOW - 3 * HOUR);
    git(dir, &["checkout", "-q", "main"]);
    commit_at(dir, "m.txt", "m\n", "main work", NOW - 2 * HOUR);
    git_at(
        dir,
        &["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"],
        NOW - HOUR,
    );

    let history = read(dir, NOW - 4 * HOUR, 10);
    let summaries: Vec<&str> = history.commits.iter().map(|c| c.summary.as_str()).collect();
    assert_eq!(summaries, ["Merge feature", "main work", "feature work"]);
    let merge = &history.commits[0];
    assert!(merge.merge);
    // What the merge brought into main: the feature's file.
    assert_eq!(
        (merge.files_changed, merge.lines_added, merge.lines_removed),
        (1, 2, 0)
    );
}

#[test]
fn outside_any_repository_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(git_history::read_at(tmp.path(), 0, NOW, 10).is_err());
}

#[test]
fn a_linked_worktree_and_a_shallow_clone_read_too() {
    let tmp = tempfile::tempdir().unwrap();
    let main = tmp.path().join("main");
    std::fs::create_dir(&main).unwrap();
    init(&main, true);
    commit_at(&main, "a.txt", "a\n", "one", NOW - 3 * HOUR);
    commit_at(&main, "a.txt", "b\n", "two", NOW - 2 * HOUR);

    let linked = tmp.path().join("linked");
    git(
        &main,
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "side",
            linked.to_str().unwrap(),
        ],
    );
    commit_at(&linked, "s.txt", "s\n", "on the side", NOW - HOUR);
    let history = read(&linked, NOW - 4 * HOUR, 10);
    assert_eq!(history.branch.as_deref(), Some("side"));
    assert_eq!(history.commits_total, 3);
    assert_eq!(history.commits[0].summary, "on the side");

    // Depth 1: the walk ends at the shallow boundary, which diffs as a root.
    let shallow = tmp.path().join("shallow");
    let url = format!("file://{}", main.display());
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ],
    );
    let history = read(&shallow, NOW - 4 * HOUR, 10);
    assert_eq!(history.upstream.as_deref(), Some("origin/main"));
    assert_eq!(history.commits_total, 1);
    assert_eq!(history.commits[0].summary, "two");
    assert_eq!(history.commits[0].lines_added, 1);
}
