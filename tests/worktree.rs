//! The working-tree watcher in a temporary git repository, with the user's
//! git config shut out. No assertion on time: events are waited for with a
//! generous deadline, and silence is shown by a later sentinel write whose
//! batch must be the first one.

mod common;

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cockpit::loops::changes::ChangeKind;
use cockpit::loops::worktree::{
    WatchCounts, WatchOptions, WorktreeBatch, WorktreeWatch, spawn, spawn_with, watch_limit_message,
};
use common::git::git;

const DEADLINE: Duration = Duration::from_secs(30);

/// A repository with `files` (path, content) committed.
fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    git(root, &["config", "user.name", "t"]);
    git(root, &["config", "user.email", "t@t.invalid"]);
    git(root, &["config", "commit.gpgsign", "false"]);
    for (path, content) in files {
        write(root, path, content);
    }
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "init"]);
    dir
}

fn write(root: &Path, path: &str, content: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// Starts the watcher and waits for its first walk.
fn watch(root: &Path, options: WatchOptions) -> (WorktreeWatch, mpsc::Receiver<WorktreeBatch>) {
    let (tx, rx) = mpsc::channel();
    let watch = spawn_with(root, options, move |b| drop(tx.send(b))).unwrap();
    assert!(watch.wait_ready(DEADLINE), "the first walk never ended");
    (watch, rx)
}

fn fast() -> WatchOptions {
    WatchOptions {
        batch: Duration::from_millis(50),
        ..WatchOptions::default()
    }
}

/// Waits for a batch satisfying `done`, returning every batch seen.
fn wait_for(
    rx: &mpsc::Receiver<WorktreeBatch>,
    done: impl Fn(&WorktreeBatch) -> bool,
) -> Vec<WorktreeBatch> {
    let deadline = Instant::now() + DEADLINE;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Ok(batch) = rx.recv_timeout(left) {
            let stop = done(&batch);
            seen.push(batch);
            if stop {
                return seen;
            }
        }
    }
    panic!("no matching batch; saw {seen:#?}");
}

fn has_change(batch: &WorktreeBatch, path: &str) -> bool {
    batch.changes.iter().any(|c| c.path == Path::new(path))
}

fn rows(batch: &WorktreeBatch) -> Vec<(String, ChangeKind)> {
    batch
        .since_start
        .iter()
        .map(|c| (c.path.to_string_lossy().into_owned(), c.kind))
        .collect()
}

#[test]
fn edits_deletes_and_renames_are_rows() {
    let dir = repo(&[("src/a.rs", "a\nb\nc\n"), ("src/b.rs", "1\n2\n")]);
    let root = dir.path();
    // The public entry point the app uses.
    let (tx, rx) = mpsc::channel();
    let watch = spawn(root, Duration::from_millis(50), move |b| drop(tx.send(b))).unwrap();
    assert!(watch.wait_ready(DEADLINE));

    std::fs::write(root.join("src/a.rs"), "a\nb\nc\nd\ne\n").unwrap();
    let seen = wait_for(&rx, |b| has_change(b, "src/a.rs"));
    let a = &seen.last().unwrap().changes[0];
    assert_eq!(
        (a.kind, a.lines_added, a.lines_removed, a.lines_now),
        (ChangeKind::Modified, 2, 0, Some(5))
    );
    let checkpoint = seen.last().unwrap().checkpoint;
    assert!(checkpoint.head_at.is_some());
    assert_eq!((checkpoint.files_changed, checkpoint.lines_added), (1, 2));

    std::fs::remove_file(root.join("src/b.rs")).unwrap();
    let seen = wait_for(&rx, |b| {
        b.changes.iter().any(|c| c.kind == ChangeKind::Removed)
    });
    let b = &seen.last().unwrap().changes[0];
    assert_eq!(
        (b.path.as_path(), b.lines_removed),
        (Path::new("src/b.rs"), 2)
    );

    std::fs::rename(root.join("src/a.rs"), root.join("src/c.rs")).unwrap();
    let seen = wait_for(&rx, |b| {
        b.since_start
            .iter()
            .any(|c| c.path == Path::new("src/c.rs"))
    });
    assert_eq!(
        rows(seen.last().unwrap()),
        [
            ("src/a.rs".to_string(), ChangeKind::Removed),
            ("src/b.rs".to_string(), ChangeKind::Removed),
            ("src/c.rs".to_string(), ChangeKind::Added),
        ]
    );
}

#[test]
fn ten_thousand_writes_under_ignored_target_send_no_batch() {
    let dir = repo(&[
        (".gitignore", "target/\nnode_modules/\n"),
        ("src/a.rs", "a\n"),
    ]);
    let root = dir.path();
    write(root, "target/debug/build/x.o", "old");
    let (watch, rx) = watch(root, fast());
    // The root and src/: the ignored tree costs no watch.
    assert_eq!(
        watch.counts(),
        WatchCounts {
            native: 2,
            polled: 0
        }
    );

    let deps = root.join("target/debug/deps");
    std::fs::create_dir_all(&deps).unwrap();
    std::fs::create_dir_all(root.join("node_modules/x")).unwrap();
    for i in 0..10_000 {
        std::fs::write(deps.join(format!("f{}.o", i % 500)), i.to_string()).unwrap();
    }
    // Events arrive in order: if the burst had made a batch, it would come
    // before the sentinel's.
    write(root, "src/sentinel.rs", "s\n");
    let seen = wait_for(&rx, |b| has_change(b, "src/sentinel.rs"));
    assert_eq!(seen.len(), 1, "the burst made batches: {seen:#?}");
    assert_eq!(
        rows(&seen[0]),
        [("src/sentinel.rs".to_string(), ChangeKind::Added)]
    );
    assert_eq!(watch.counts().native, 2);
}

#[test]
fn a_directory_made_after_start_is_watched_and_dropped_when_removed() {
    let dir = repo(&[("src/a.rs", "a\n")]);
    let root = dir.path();
    let (watch, rx) = watch(root, fast());
    assert_eq!(watch.counts().native, 2);

    // Written at once: the file may land before the new directory's watch.
    write(root, "new/deep/x.rs", "x\n");
    wait_for(&rx, |b| has_change(b, "new/deep/x.rs"));
    assert_eq!(watch.counts().native, 4);
    // Now through the directory's own watch.
    write(root, "new/deep/y.rs", "y\n");
    let seen = wait_for(&rx, |b| has_change(b, "new/deep/y.rs"));
    assert_eq!(
        rows(seen.last().unwrap()),
        [
            ("new/deep/x.rs".to_string(), ChangeKind::Added),
            ("new/deep/y.rs".to_string(), ChangeKind::Added),
        ]
    );

    std::fs::remove_dir_all(root.join("new")).unwrap();
    wait_for(&rx, |b| b.since_start.is_empty());
    assert_eq!(watch.counts().native, 2);
}

#[test]
fn a_renamed_directory_moves_its_rows_and_its_watch() {
    let dir = repo(&[("src/a.rs", "a\n"), ("src/sub/b.rs", "b\n")]);
    let root = dir.path();
    let (watch, rx) = watch(root, fast());
    assert_eq!(watch.counts().native, 3);

    std::fs::rename(root.join("src"), root.join("lib")).unwrap();
    let seen = wait_for(&rx, |b| b.since_start.len() == 4);
    assert_eq!(
        rows(seen.last().unwrap()),
        [
            ("lib/a.rs".to_string(), ChangeKind::Added),
            ("lib/sub/b.rs".to_string(), ChangeKind::Added),
            ("src/a.rs".to_string(), ChangeKind::Removed),
            ("src/sub/b.rs".to_string(), ChangeKind::Removed),
        ]
    );
    // The watches follow the new name: an edit there is seen under it.
    std::fs::write(root.join("lib/sub/b.rs"), "b\nc\n").unwrap();
    wait_for(&rx, |b| {
        b.changes
            .iter()
            .any(|c| c.path == Path::new("lib/sub/b.rs") && c.lines_now == Some(2))
    });
    assert_eq!(watch.counts().native, 3);
}

#[test]
fn a_directory_newly_ignored_loses_its_watch() {
    let dir = repo(&[("src/a.rs", "a\n"), ("docs/d.md", "d\n")]);
    let root = dir.path();
    let (watch, rx) = watch(root, fast());
    assert_eq!(watch.counts().native, 3);

    write(root, ".gitignore", "docs/\n");
    wait_for(&rx, |b| has_change(b, ".gitignore"));
    assert_eq!(watch.counts().native, 2);
    // A write there is not seen; the sentinel's batch comes first.
    write(root, "docs/new.md", "n\n");
    write(root, "src/sentinel.rs", "s\n");
    let seen = wait_for(&rx, |b| has_change(b, "src/sentinel.rs"));
    assert_eq!(seen.len(), 1, "{seen:#?}");
    assert!(
        seen[0]
            .since_start
            .iter()
            .all(|c| !c.path.starts_with("docs"))
    );
}

#[test]
fn a_commit_moves_the_checkpoint() {
    let dir = repo(&[("a.rs", "a\n")]);
    let root = dir.path();
    let (_watch, rx) = watch(root, fast());
    std::fs::write(root.join("a.rs"), "a\nb\n").unwrap();
    let seen = wait_for(&rx, |b| has_change(b, "a.rs"));
    assert_eq!(seen.last().unwrap().checkpoint.files_changed, 1);

    git(root, &["commit", "-q", "-am", "second"]);
    let seen = wait_for(&rx, |b| b.checkpoint.files_changed == 0);
    assert!(seen.last().unwrap().since_start.is_empty());
}

#[test]
fn a_linked_worktree_is_watched_with_its_own_head() {
    let dir = repo(&[("a.rs", "a\n")]);
    let outside = tempfile::tempdir().unwrap();
    let linked = outside.path().join("linked");
    git(
        dir.path(),
        &[
            "worktree",
            "add",
            "-q",
            "-b",
            "side",
            linked.to_str().unwrap(),
        ],
    );
    // `.git` is a file here; HEAD and its reflog are in the main repository.
    assert!(linked.join(".git").is_file());
    let (watch, rx) = watch(&linked, fast());
    assert_eq!(
        watch.root.canonicalize().unwrap(),
        linked.canonicalize().unwrap()
    );

    std::fs::write(linked.join("a.rs"), "a\nb\n").unwrap();
    wait_for(&rx, |b| has_change(b, "a.rs"));
    git(&linked, &["commit", "-q", "-am", "on side"]);
    let seen = wait_for(&rx, |b| b.checkpoint.files_changed == 0);
    assert!(seen.last().unwrap().since_start.is_empty());
}

#[test]
fn past_the_watch_cap_directories_are_polled_and_the_message_comes_once() {
    let dir = repo(&[("src/a.rs", "a\n"), ("docs/d.md", "d\n")]);
    let root = dir.path();
    let options = WatchOptions {
        batch: Duration::from_millis(50),
        max_native_watches: Some(1),
        poll_interval: Duration::from_millis(100),
        ..WatchOptions::default()
    };
    let (watch, rx) = watch(root, options);
    // The root natively, src/ and docs/ polled.
    assert_eq!(
        watch.counts(),
        WatchCounts {
            native: 1,
            polled: 2
        }
    );
    let message = watch_limit_message(&watch.root);
    let mut seen = wait_for(&rx, |b| b.warning.is_some());
    assert_eq!(seen[0].warning.as_deref(), Some(message.as_str()));

    // A change in a polled directory. notify's poller compares mtimes in
    // whole seconds: a rewrite in the second of its first scan is not news.
    let scanned = std::time::SystemTime::now();
    while scanned.elapsed().unwrap() < Duration::from_millis(1_100) {
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::write(root.join("src/a.rs"), "a\nb\nc\n").unwrap();
    seen.extend(wait_for(&rx, |b| has_change(b, "src/a.rs")));
    // A directory made in a polled one is polled too, and still reported.
    write(root, "src/new/n.rs", "n\n");
    seen.extend(wait_for(&rx, |b| has_change(b, "src/new/n.rs")));
    write(root, "src/new/m.rs", "m\n");
    seen.extend(wait_for(&rx, |b| has_change(b, "src/new/m.rs")));
    assert_eq!(watch.counts().polled, 3);
    // And the native one still works.
    write(root, "top.rs", "t\n");
    seen.extend(wait_for(&rx, |b| has_change(b, "top.rs")));

    let warnings = seen.iter().filter(|b| b.warning.is_some()).count();
    assert_eq!(warnings, 1, "{seen:#?}");
}

#[test]
fn the_watch_limit_message_names_the_sysctl() {
    assert!(watch_limit_message(Path::new("/repo")).contains("fs.inotify.max_user_watches"));
}

#[test]
fn the_first_batch_can_come_at_once_with_the_checkpoint() {
    let dir = repo(&[("src/a.rs", "a\n")]);
    let options = WatchOptions {
        initial_batch: true,
        ..fast()
    };
    let (_watch, rx) = watch(dir.path(), options);
    let first = rx
        .recv_timeout(DEADLINE)
        .expect("a batch without any change");
    assert!(first.changes.is_empty() && first.since_start.is_empty());
    assert!(first.checkpoint.head_at.is_some(), "{first:?}");
    assert_eq!(first.checkpoint.files_changed, 0);
}

#[test]
fn rows_come_during_a_burst_of_rewrites_and_are_right_once_it_ends() {
    const FILES: usize = 1_000;
    let names: Vec<String> = (0..FILES).map(|i| format!("d{}/f{i}.rs", i % 10)).collect();
    let committed: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "base\n")).collect();
    let dir = repo(&committed);
    let root = dir.path().to_path_buf();
    let (_watch, rx) = watch(&root, fast());

    // Rewrites every file over and over, each time with a size it did not
    // have just before: libgit2 then finds files changed between its scan
    // and its read of them. Returns how many lines each file got last.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (stop, root, names) = (stop.clone(), root.clone(), names.clone());
        std::thread::spawn(move || {
            let mut last = vec![0; names.len()];
            let mut round = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let lines = round % 4 + 1;
                let text = format!("base\n{}", format!("r{round}\n").repeat(lines));
                for (name, last) in names.iter().zip(&mut last) {
                    std::fs::write(root.join(name), &text).unwrap();
                    *last = lines as u64;
                }
                round += 1;
            }
            last
        })
    };
    // Every file has a row while the writes go on: the diffs do not all
    // fail. (Before, every diff failed until the files held still.)
    wait_for(&rx, |b| b.since_start.len() == FILES);
    assert!(!writer.is_finished(), "the burst ended before the batch");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let last = writer.join().unwrap();

    // Once the files hold still, every row and the totals are exact.
    let expected: Vec<(String, u64, u64, Option<u64>)> = {
        let mut rows: Vec<_> = names
            .iter()
            .zip(&last)
            .map(|(n, &k)| (n.clone(), k, 0, Some(k + 1)))
            .collect();
        rows.sort();
        rows
    };
    let counts = |b: &WorktreeBatch| -> Vec<(String, u64, u64, Option<u64>)> {
        b.since_start
            .iter()
            .map(|c| {
                let path = c.path.to_string_lossy().into_owned();
                (path, c.lines_added, c.lines_removed, c.lines_now)
            })
            .collect()
    };
    let seen = wait_for(&rx, |b| counts(b) == expected);
    let checkpoint = seen.last().unwrap().checkpoint;
    assert_eq!(
        (checkpoint.files_changed, checkpoint.lines_added),
        (FILES as u64, last.iter().sum())
    );
}
