//! The store under concurrent writers and under SIGKILL, each writer a
//! process of its own (`store_support::writer`).

mod common;
mod store_support;

use std::time::{Duration, Instant};

use cockpit::store::Store;
use store_support::writer::{writer, writer_process_main};
use store_support::*;

/// Not a test: the writer process `writer` starts.
#[test]
#[ignore = "the writer process the other tests start"]
fn writer_process() {
    writer_process_main();
}

fn count(dir: &std::path::Path, refname: &str) -> usize {
    git(dir, &["rev-list", "--count", refname])
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn two_writers_lose_no_save() {
    const SAVES: u64 = 40;
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    init(dir.path(), true);
    let writers: Vec<_> = ["aaaa", "bbbb"]
        .iter()
        .map(|own| {
            writer(dir.path(), state.path(), own, "cccc", SAVES)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut writer in writers {
        assert!(writer.wait().unwrap().success());
    }
    assert_eq!(
        count(dir.path(), "refs/cockpit/sessions/aaaa"),
        SAVES as usize
    );
    assert_eq!(
        count(dir.path(), "refs/cockpit/sessions/bbbb"),
        SAVES as usize
    );
    // Every save of both writers is on the shared session's history.
    assert_eq!(
        count(dir.path(), "refs/cockpit/sessions/cccc"),
        2 * SAVES as usize
    );
    let log = git(
        dir.path(),
        &["log", "--format=%s", "refs/cockpit/sessions/cccc"],
    );
    for writer in ["aaaa", "bbbb"] {
        let mine = log
            .lines()
            .filter(|l| l.contains(&format!("writer {writer},")))
            .count();
        assert_eq!(mine, SAVES as usize, "{writer}");
    }
    assert_fsck_clean(dir.path());
}

/// A tiny deterministic generator: the test needs spread, not quality.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

#[test]
fn a_writer_killed_at_any_point_leaves_valid_refs() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    init(dir.path(), true);
    let started = Instant::now();
    let mut rng = Lcg(0x5eed);
    let mut stale_locks = 0;
    for round in 0..100 {
        let mut writer = writer(dir.path(), state.path(), "aaaa", "cccc", 1_000_000)
            .spawn()
            .unwrap();
        // Wait for the writer's first save, then kill it somewhere in the
        // next few (a save takes a few milliseconds).
        let tip = dir.path().join(".git/refs/cockpit/sessions/cccc");
        let before = std::fs::read(&tip).ok();
        let deadline = Instant::now() + Duration::from_secs(5);
        while std::fs::read(&tip).ok() == before && Instant::now() < deadline {
            std::thread::sleep(Duration::from_micros(200));
        }
        std::thread::sleep(Duration::from_micros(rng.below(15_000)));
        writer.kill().unwrap(); // SIGKILL
        writer.wait().unwrap();
        // A kill between taking a ref's lock and renaming it leaves the lock
        // (as it would for git). The store removes such locks once they are
        // old (tested below); here they are cleared at once to keep it fast.
        for lock in ["aaaa.lock", "cccc.lock"] {
            let path = dir.path().join(".git/refs/cockpit/sessions").join(lock);
            stale_locks += usize::from(std::fs::remove_file(path).is_ok());
        }
        // Every ref still names a complete, readable record.
        let store = Store::at(dir.path()).unwrap();
        for summary in store.list().unwrap() {
            store
                .load(&summary.id)
                .unwrap_or_else(|e| panic!("round {round}: {e}"));
        }
    }
    // Every kill landed inside the save loop, not before it.
    let saves = count(dir.path(), "refs/cockpit/sessions/cccc");
    assert!(saves >= 100, "only {saves} saves got in");
    assert_fsck_clean(dir.path());
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    eprintln!(
        "{saves} saves, {stale_locks} stale ref locks in {:?}",
        started.elapsed()
    );
}

#[test]
fn a_stale_ref_lock_is_removed_and_a_fresh_one_respected() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), true);
    let store = Store::at(dir.path()).unwrap();
    let mut record = fixture_record();
    record.id = "abcd".into();
    store.save(&record).unwrap();
    let lock = dir.path().join(".git/refs/cockpit/sessions/abcd.lock");
    // A fresh lock: another writer is in the middle of its update.
    std::fs::write(&lock, b"").unwrap();
    let err = store.save(&record).unwrap_err();
    assert!(err.to_string().contains("abcd.lock"), "{err}");
    assert!(lock.exists());
    // A lock a minute old was left by a writer that died.
    let file = std::fs::File::options().write(true).open(&lock).unwrap();
    file.set_modified(std::time::SystemTime::now() - Duration::from_secs(60))
        .unwrap();
    store.save(&record).unwrap();
    assert!(!lock.exists());
    assert_eq!(count(dir.path(), "refs/cockpit/sessions/abcd"), 2);
}
