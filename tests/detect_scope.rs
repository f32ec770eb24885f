//! Instruction Drift and Stewnami on hand-written transcripts
//! (tests/fixtures/detect) that trigger them and near misses that must not,
//! and every detector over the real transcripts, where neither these two nor
//! Bridge Torching may raise a HIGH or CRITICAL alert.

mod common;

use std::path::{Path, PathBuf};

use cockpit::agents::{AgentKind, parse_all};
use cockpit::config::Config;
use cockpit::detect::{Pattern, Severity};
use cockpit::state::replay::Detectors;
use common::fixture;

fn run(file: &str) -> Detectors {
    let mut d = Detectors::new(&Config::default());
    let bytes = std::fs::read(fixture(&format!("detect/{file}"))).unwrap();
    let (records, malformed) = parse_all(AgentKind::Claude, false, &bytes);
    assert_eq!(malformed, 0, "{file}");
    for record in &records {
        d.on_record(file, record);
    }
    d
}

fn messages(d: &Detectors, pattern: Pattern) -> Vec<String> {
    d.alerts()
        .iter()
        .filter(|a| a.pattern == pattern)
        .map(|a| a.message.clone())
        .collect()
}

fn others(d: &Detectors, pattern: Pattern) -> Vec<(Pattern, u64)> {
    d.counters()
        .iter()
        .filter(|(p, n)| **n > 0 && **p != pattern)
        .map(|(p, n)| (*p, *n))
        .collect()
}

#[test]
fn instruction_drift_outside_the_scope_and_into_a_forbidden_file() {
    let d = run("drift.jsonl");
    // Cargo.toml is forbidden by name (and said so at once); routes.rs
    // twice is one file, so util.rs is the third file outside the scope.
    assert_eq!(
        messages(&d, Pattern::InstructionDrift),
        [
            "wrote Cargo.toml, which the prompt said not to touch (`Cargo.toml`)",
            "3 files written outside the prompt's scope (src/parser, tests/parser.rs): src/api/routes.rs, src/ui/view.rs, src/util.rs",
        ]
        .map(String::from)
    );
    let alert = &d.alerts()[0];
    assert_eq!(alert.severity, Severity::Medium);
    assert_eq!(alert.factor, "III. Focused Agents, X. Small Iterations");
    assert_eq!(others(&d, Pattern::InstructionDrift), []);
}

#[test]
fn instruction_drift_near_misses() {
    // One stray file outside the scope, a "don't change" aimed at a signature,
    // scratch files outside the project (/tmp, a plan), a later prompt about
    // other files that ends the scope, a "go on" after.
    let d = run("drift_near_miss.jsonl");
    assert_eq!(d.count(Pattern::InstructionDrift), 0, "{:#?}", d.alerts());
}

#[test]
fn stewnami_cargo_test_broken_in_another_module() {
    let d = run("stewnami.jsonl");
    // The same failure run twice is one alert; README.md is no code edit.
    assert_eq!(
        messages(&d, Pattern::Stewnami),
        [
            "1 test that passed earlier now fails (parser::tests::lexes) in parser, after edits only in api"
        ]
    );
    let alert = &d.alerts()[0];
    assert_eq!(alert.severity, Severity::High);
    assert_eq!(alert.factor, "X. Small Iterations, XII. Package Patterns");
    assert_eq!(others(&d, Pattern::Stewnami), []);
}

#[test]
fn stewnami_pytest_named_passing_earlier() {
    let d = run("stewnami_pytest.jsonl");
    assert_eq!(
        messages(&d, Pattern::Stewnami),
        [
            "1 test that passed earlier now fails (tests/test_auth.py::test_login) in auth, after edits only in shop"
        ]
    );
}

#[test]
fn stewnami_near_misses() {
    // The failing test is in the module edited; a root file (Cargo.toml)
    // edited since the green run; a failure with nothing edited since.
    let d = run("stewnami_near_miss.jsonl");
    assert_eq!(d.count(Pattern::Stewnami), 0, "{:#?}", d.alerts());
    assert_eq!(d.validation_runs().len(), 6);
    // The test never passed: failing from the start is not a stewnami, nor
    // is a green run of a narrower command.
    let d = run("stewnami_failing_from_start.jsonl");
    assert_eq!(d.count(Pattern::Stewnami), 0, "{:#?}", d.alerts());
}

/// Every real transcript: Claude sessions (their subagents too) and Codex rollouts.
fn real_transcripts() -> Vec<(PathBuf, AgentKind, bool)> {
    fn walk(dir: &Path, kind: AgentKind, out: &mut Vec<(PathBuf, AgentKind, bool)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, kind, out);
            } else if path.extension().is_some_and(|e| e == "jsonl") {
                let subagent = path.components().any(|c| c.as_os_str() == "subagents");
                out.push((path, kind, subagent));
            }
        }
    }
    let mut out = Vec::new();
    walk(&fixture("claude"), AgentKind::Claude, &mut out);
    walk(&fixture("codex"), AgentKind::Codex, &mut out);
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn real_transcripts_raise_no_drift_stewnami_or_bridge_alert() {
    let transcripts = real_transcripts();
    assert!(transcripts.len() >= 7, "{transcripts:?}");
    let mut d = Detectors::new(&Config::default());
    let mut prompts = 0;
    for (path, kind, subagent) in &transcripts {
        let bytes = std::fs::read(path).unwrap();
        let (records, _) = parse_all(*kind, *subagent, &bytes);
        prompts += records
            .iter()
            .filter(|r| matches!(r, cockpit::agents::Record::Prompt { .. }))
            .count();
        let key = path.to_string_lossy();
        for record in &records {
            d.on_record(&key, record);
        }
    }
    // The sweep saw prompts and validation runs to judge.
    assert!(prompts > 0 && !d.validation_runs().is_empty());
    for pattern in [
        Pattern::InstructionDrift,
        Pattern::Stewnami,
        Pattern::BridgeTorching,
    ] {
        assert_eq!(
            d.count(pattern),
            0,
            "{pattern:?}: {:#?}",
            messages(&d, pattern)
        );
    }
}
