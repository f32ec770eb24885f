//! Validation runs recognised in real Claude Code transcripts (marot/spotter,
//! MIT): `mix test` runs whose ExUnit summaries give the counts.

mod common;

use cockpit::agents::{AgentKind, Record, parse_all};
use cockpit::loops::LoopsConfig;
use cockpit::loops::validation::{Matcher, Outcome, Tracker, ValidationKind, ValidationRun};
use common::fixture;

fn runs(file: &str) -> Vec<ValidationRun> {
    let bytes = std::fs::read(fixture(file)).unwrap();
    let (records, _) = parse_all(AgentKind::Claude, false, &bytes);
    let (matcher, _) = Matcher::new(&LoopsConfig::default());
    let mut tracker = Tracker::default();
    let mut runs = Vec::new();
    for record in &records {
        match record {
            Record::ToolStart(start) => tracker.start(&matcher, start),
            Record::ToolEnd(end) => runs.extend(tracker.end(end)),
            _ => {}
        }
    }
    runs
}

#[test]
fn mix_test_runs_in_the_long_session() {
    let runs = runs("claude/4d5611e5-241a-462a-8d15-5122611a9569.jsonl");
    let tests: Vec<_> = runs
        .iter()
        .filter(|r| r.kind == ValidationKind::Test)
        .collect();
    assert!(!tests.is_empty());
    assert!(tests.iter().all(|r| r.command.contains("mix test")));
    // `14 doctests, 410 tests, 0 failures`: doctests count as tests.
    let passed: Vec<_> = tests
        .iter()
        .filter_map(|r| r.counts)
        .map(|c| c.passed)
        .collect();
    assert_eq!(passed, [10, 84, 411, 59, 72, 424, 424, 424, 424]);
    let kinds = |k| runs.iter().filter(|r| r.kind == k).count();
    assert_eq!(
        [
            ValidationKind::Build,
            ValidationKind::Lint,
            ValidationKind::TypeCheck
        ]
        .map(kinds),
        [11, 5, 5]
    );
    assert!(
        tests
            .iter()
            .filter(|r| r.counts.is_some())
            .all(|r| r.outcome == Outcome::Passed)
    );
}
