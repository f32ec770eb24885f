//! Every detector on hand-written transcripts (tests/fixtures/detect): the
//! ones that must trigger it and the near misses that must not.

mod common;

use std::path::{Path, PathBuf};

use cockpit::agents::{AgentKind, parse_all};
use cockpit::config::Config;
use cockpit::detect::Pattern;
use cockpit::loops::changes::{ChangeKind, FileChange};
use cockpit::loops::validation::Outcome;
use cockpit::state::replay::Detectors;
use common::fixture;

fn feed(detectors: &mut Detectors, file: &str) {
    let bytes = std::fs::read(fixture(&format!("detect/{file}"))).unwrap();
    let (records, malformed) = parse_all(AgentKind::Claude, false, &bytes);
    assert_eq!(malformed, 0, "{file}");
    for record in &records {
        detectors.on_record(file, record);
    }
}

fn run(files: &[&str]) -> Detectors {
    let mut detectors = Detectors::new(&Config::default());
    for file in files {
        feed(&mut detectors, file);
    }
    detectors
}

fn counts(d: &Detectors) -> Vec<(Pattern, u64)> {
    d.counters()
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(p, n)| (*p, *n))
        .collect()
}

#[test]
fn tests_passing_lie_after_a_failed_run_and_after_an_unvalidated_edit() {
    let d = run(&["lie_after_failure.jsonl"]);
    assert_eq!(counts(&d), [(Pattern::TestsPassingLie, 1)]);
    let alert = &d.alerts()[0];
    assert!(alert.message.contains("cargo test"), "{}", alert.message);
    assert_eq!(alert.factor, "IV. Continuous Validation");
    assert_eq!(d.validation_runs()[0].1.outcome, Outcome::Failed);

    let d = run(&["lie_no_run_since_edit.jsonl"]);
    assert_eq!(counts(&d), [(Pattern::TestsPassingLie, 1)]);
    assert!(d.alerts()[0].message.contains("since the last edit"));
}

#[test]
fn tests_passing_lie_near_miss_claim_after_a_green_run() {
    let d = run(&["lie_near_miss.jsonl"]);
    assert_eq!(counts(&d), []);
    let runs: Vec<_> = d.validation_runs().iter().map(|(_, r)| r.outcome).collect();
    assert_eq!(runs, [Outcome::Failed, Outcome::Passed]);
}

#[test]
fn context_amnesia_marks_and_rereads_after_compaction() {
    let d = run(&["amnesia.jsonl"]);
    assert_eq!(d.count(Pattern::ContextAmnesia), 3, "{:#?}", d.alerts());
    let messages: Vec<_> = d
        .alerts()
        .iter()
        .filter(|a| a.pattern == Pattern::ContextAmnesia)
        .map(|a| a.message.clone())
        .collect();
    assert!(messages[0].contains("40%") && messages[1].contains("60%"));
    assert!(messages[2].contains("re-read 2 files"));
}

#[test]
fn context_amnesia_near_miss() {
    let d = run(&["amnesia_near_miss.jsonl"]);
    assert_eq!(counts(&d), []);
}

#[test]
fn debug_loop_spiral_same_failure_three_times() {
    let d = run(&["spiral.jsonl"]);
    assert_eq!(counts(&d), [(Pattern::DebugLoopSpiral, 1)]);
    assert!(d.alerts()[0].message.contains("3 times in a row"));
    let run = &d.validation_runs()[0].1;
    assert_eq!(run.counts.map(|c| (c.passed, c.failed)), Some((2, 1)));
}

#[test]
fn debug_loop_spiral_same_file_edited_while_failing() {
    let d = run(&["spiral_edits.jsonl"]);
    assert_eq!(counts(&d), [(Pattern::DebugLoopSpiral, 1)]);
    assert!(d.alerts()[0].message.contains("math.ex edited 6 times"));
}

#[test]
fn debug_loop_spiral_near_miss_a_pass_breaks_the_streak() {
    assert_eq!(counts(&run(&["spiral_near_miss.jsonl"])), []);
}

#[test]
fn workspace_collision_two_sessions_one_file() {
    let d = run(&["collision_a.jsonl", "collision_b.jsonl"]);
    assert_eq!(counts(&d), [(Pattern::AgentWorkspaceCollision, 1)]);
    assert!(d.alerts()[0].message.contains("shared.rs"));
}

#[test]
fn workspace_collision_near_miss_far_apart_or_same_session() {
    assert_eq!(
        counts(&run(&["collision_a.jsonl", "collision_late.jsonl"])),
        []
    );
    assert_eq!(counts(&run(&["spiral_edits.jsonl"])).len(), 1); // one session, many edits: no collision
}

#[test]
fn repository_deletion_destructive_commands() {
    let d = run(&["deletion.jsonl"]);
    assert_eq!(counts(&d), [(Pattern::RepositoryDeletion, 2)]);
}

#[test]
fn repository_deletion_near_miss() {
    assert_eq!(counts(&run(&["deletion_near_miss.jsonl"])), []);
}

#[test]
fn memory_tattoo_decay_compaction_without_handoff() {
    let mut d = run(&["memory_decay.jsonl"]);
    assert_eq!(counts(&d), [(Pattern::MemoryTattooDecay, 1)]);
    d.session_ended("memory_decay.jsonl", None);
    assert_eq!(d.count(Pattern::MemoryTattooDecay), 2);
    d.handoff_saved("memory_decay.jsonl", None);
    d.session_ended("memory_decay.jsonl", None);
    assert_eq!(d.count(Pattern::MemoryTattooDecay), 2);
}

#[test]
fn memory_tattoo_decay_near_miss_handoff_written() {
    assert_eq!(counts(&run(&["memory_near_miss.jsonl"])), []);
}

fn change(
    path: &str,
    kind: ChangeKind,
    added: u64,
    removed: u64,
    now: Option<u64>,
    block: u64,
) -> FileChange {
    FileChange {
        path: PathBuf::from(path),
        kind,
        lines_added: added,
        lines_removed: removed,
        lines_now: now,
        largest_added_block: block,
        at: 1_000,
    }
}

#[test]
fn eldritch_code_horror_growth_and_huge_blocks() {
    let mut d = Detectors::new(&Config::default());
    let root = Path::new("/repo");
    d.on_changes(
        root,
        vec![change(
            "src/big.rs",
            ChangeKind::Modified,
            300,
            0,
            Some(1_200),
            40,
        )],
    );
    d.on_changes(
        root,
        vec![change(
            "src/big.rs",
            ChangeKind::Modified,
            310,
            0,
            Some(1_210),
            40,
        )],
    );
    d.on_changes(
        root,
        vec![change(
            "src/new.rs",
            ChangeKind::Added,
            200,
            0,
            Some(200),
            200,
        )],
    );
    assert_eq!(counts(&d), [(Pattern::EldritchCodeHorror, 2)]);
    // Near misses: already big at HEAD, small edits.
    let mut d = Detectors::new(&Config::default());
    d.on_changes(
        root,
        vec![change(
            "src/old.rs",
            ChangeKind::Modified,
            5,
            2,
            Some(4_000),
            5,
        )],
    );
    d.on_changes(
        root,
        vec![change(
            "src/a.rs",
            ChangeKind::Modified,
            120,
            0,
            Some(900),
            120,
        )],
    );
    assert_eq!(counts(&d), []);
}

#[test]
fn repository_deletion_in_the_working_tree() {
    let mut d = Detectors::new(&Config::default());
    let root = Path::new("/repo");
    let removed = |p: &str| change(p, ChangeKind::Removed, 0, 50, None, 0);
    d.on_changes(
        root,
        vec![removed("a.rs"), removed("b.rs"), removed("c.rs")],
    );
    d.on_changes(
        root,
        vec![change("d.rs", ChangeKind::Modified, 1, 400, Some(10), 1)],
    );
    assert_eq!(counts(&d), [(Pattern::RepositoryDeletion, 2)]);
    // Near miss: one file removed, a modest rewrite.
    let mut d = Detectors::new(&Config::default());
    d.on_changes(
        root,
        vec![
            removed("a.rs"),
            change("d.rs", ChangeKind::Modified, 150, 200, Some(10), 100),
        ],
    );
    assert_eq!(counts(&d), []);
}

#[test]
fn alerts_can_be_acknowledged() {
    let mut d = run(&["deletion.jsonl"]);
    assert_eq!(d.unacknowledged().count(), 2);
    let id = d.alerts()[0].id;
    assert!(d.acknowledge(id));
    assert!(!d.acknowledge(9_999));
    assert_eq!(d.unacknowledged().count(), 1);
    d.acknowledge_all();
    assert_eq!(d.unacknowledged().count(), 0);
    assert_eq!(d.count(Pattern::RepositoryDeletion), 2);
}
