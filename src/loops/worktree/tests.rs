//! Events the kernel dropped: files changed in that time are found.

use std::io::Write;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::*;

/// A repository with `a.txt` committed, and a hard link to it outside the
/// working tree: a write through the link changes the file with no event
/// from the directory watches, as a write lost in a queue overflow does.
fn repo_with_hidden_door(dir: &Path) -> (PathBuf, PathBuf) {
    let root = dir.join("repo");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("a.txt"), "one\n").unwrap();
    let repo = Repository::init(&root).unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("a.txt")).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let who = git2::Signature::now("t", "t@example.com").unwrap();
    repo.commit(Some("HEAD"), &who, &who, "init", &tree, &[])
        .unwrap();
    let door = dir.join("outside");
    std::fs::create_dir_all(&door).unwrap();
    let alias = door.join("a.txt");
    std::fs::hard_link(root.join("a.txt"), &alias).unwrap();
    (root, alias)
}

fn next_batch(
    rx: &mpsc::Receiver<WorktreeBatch>,
    done: impl Fn(&WorktreeBatch) -> bool,
) -> WorktreeBatch {
    let deadline = Instant::now() + Duration::from_secs(15);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Ok(batch) = rx.recv_timeout(left)
            && done(&batch)
        {
            return batch;
        }
    }
    panic!("no such batch");
}

#[test]
fn a_file_changed_while_events_were_lost_is_a_change_after_the_rescan() {
    let dir = tempfile::tempdir().unwrap();
    let (root, alias) = repo_with_hidden_door(dir.path());
    let (tx, rx) = mpsc::channel();
    let options = WatchOptions {
        batch: Duration::from_millis(50),
        ..WatchOptions::default()
    };
    let watch = spawn_with(&root, options, move |b| drop(tx.send(b))).unwrap();
    assert!(watch.wait_ready(Duration::from_secs(15)));

    // In place, through the other name: the inode changes, no event comes.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&alias)
        .unwrap();
    file.write_all(b"two\nthree\n").unwrap();
    drop(file);
    // What notify delivers after IN_Q_OVERFLOW.
    let lost = notify::Event::new(notify::EventKind::Other).set_flag(notify::event::Flag::Rescan);
    watch.wake.send(Ok(lost)).unwrap();

    let batch = next_batch(&rx, |b| b.since_start.iter().any(|c| c.lines_added == 2));
    let change = batch.changes.iter().find(|c| c.path == Path::new("a.txt"));
    assert!(
        change.is_some_and(|c| c.lines_added == 2),
        "the file is a change, not only a row: {batch:#?}"
    );
}
