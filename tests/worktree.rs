//! The working-tree watcher in a temporary git repository, with the user's
//! git config shut out.

use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cockpit::loops::changes::ChangeKind;
use cockpit::loops::worktree::{WorktreeBatch, spawn, watch_limit_message};

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// Waits for a batch satisfying `done`, returning every batch seen.
fn wait_for(
    rx: &mpsc::Receiver<WorktreeBatch>,
    done: impl Fn(&WorktreeBatch) -> bool,
) -> Vec<WorktreeBatch> {
    let deadline = Instant::now() + Duration::from_secs(10);
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

#[test]
fn ignored_bursts_are_silent_and_edits_deletes_renames_are_rows() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    std::fs::write(root.join(".gitignore"), "target/\n").unwrap();
    std::fs::create_dir(root.join("src")).unwrap();
    std::fs::write(root.join("src/a.rs"), "a\nb\nc\n").unwrap();
    std::fs::write(root.join("src/b.rs"), "1\n2\n").unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "init"]);

    let (tx, rx) = mpsc::channel();
    let _watch = spawn(root, Duration::from_millis(50), move |b| drop(tx.send(b))).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let target = root.join("target/debug/deps");
    std::fs::create_dir_all(&target).unwrap();
    for i in 0..10_000 {
        std::fs::write(target.join(format!("f{}.o", i % 500)), i.to_string()).unwrap();
    }
    std::thread::sleep(Duration::from_millis(1_500));
    let burst: Vec<_> = rx.try_iter().collect();
    assert!(burst.len() <= 3, "{} batches", burst.len());
    assert!(burst.iter().all(|b| b.changes.is_empty()), "{burst:#?}");

    std::fs::write(root.join("src/a.rs"), "a\nb\nc\nd\ne\n").unwrap();
    let seen = wait_for(&rx, |b| {
        b.changes.iter().any(|c| c.path == Path::new("src/a.rs"))
    });
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
    let rows: Vec<_> = seen
        .last()
        .unwrap()
        .since_start
        .iter()
        .map(|c| (c.path.to_string_lossy().into_owned(), c.kind))
        .collect();
    assert_eq!(
        rows,
        [
            ("src/a.rs".to_string(), ChangeKind::Removed),
            ("src/b.rs".to_string(), ChangeKind::Removed),
            ("src/c.rs".to_string(), ChangeKind::Added),
        ]
    );
}

#[test]
fn the_watch_limit_message_names_the_sysctl() {
    assert!(watch_limit_message(Path::new("/repo")).contains("fs.inotify.max_user_watches"));
}
