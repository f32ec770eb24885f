//! Stewnami: a validation run fails in tests that passed earlier in the
//! session, and every edit since was in another part of the tree than the
//! failing tests': a change broke something it was not about.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::alert::{Alert, Detector, Pattern};
use super::event::Event;
use crate::loops::test_names::{self, NamedTest, Verdict, path_parts};
use crate::loops::validation::Outcome;

struct Run {
    command: String,
    outcome: Outcome,
    passed: HashSet<String>,
}

/// Runs remembered per session: a test that passed longer ago than this
/// many runs is not looked for (a long session stays bounded in memory).
const RUNS_KEPT: usize = 50;
/// Edits remembered per session; past it the oldest go, and a question
/// about a time they covered has no answer (silence, never a guess).
const EDITS_KEPT: usize = 2_000;
/// Passing test names kept of one run.
const NAMES_KEPT: usize = 1_000;

#[derive(Default)]
struct Track {
    cwd: Option<PathBuf>,
    /// The newest [`RUNS_KEPT`] runs; `runs[0]` is run number `first_run`.
    runs: std::collections::VecDeque<Run>,
    first_run: usize,
    /// Edits: how many runs came before each, and the file.
    edits: std::collections::VecDeque<(usize, PathBuf)>,
    /// Edits with a run count up to this were dropped past [`EDITS_KEPT`].
    edits_lost_before: Option<usize>,
    /// Test names of a finished shell call, until its validation run comes.
    named: HashMap<String, Vec<NamedTest>>,
    /// What was reported, until the same command passes again.
    reported: HashSet<(String, Vec<String>)>,
}

pub struct Stewnami {
    min_tests: usize,
    sessions: HashMap<String, Track>,
}

impl Stewnami {
    pub fn new(min_tests: u32) -> Self {
        Self {
            min_tests: min_tests.max(1) as usize,
            sessions: HashMap::new(),
        }
    }
}

fn normalize(command: &str) -> String {
    command.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Edits that cannot break a test (documentation) are not counted at all.
fn counts(path: &Path) -> bool {
    !matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "txt" | "rst" | "adoc")
    )
}

impl Track {
    /// The latest earlier run in which `test` passed: named as passed, or a
    /// green run of the same command.
    fn passed_at(&self, test: &str, command: &str) -> Option<usize> {
        let at = self.runs.iter().rposition(|r| {
            r.passed.contains(test) || (r.outcome == Outcome::Passed && r.command == command)
        })?;
        Some(self.first_run + at)
    }

    fn runs_so_far(&self) -> usize {
        self.first_run + self.runs.len()
    }

    fn push_run(&mut self, run: Run) {
        self.runs.push_back(run);
        if self.runs.len() > RUNS_KEPT {
            self.runs.pop_front();
            self.first_run += 1;
            // Edits before every kept run can no longer matter.
            while self
                .edits
                .front()
                .is_some_and(|(before, _)| *before <= self.first_run)
            {
                self.edits.pop_front();
            }
        }
    }

    fn push_edit(&mut self, path: PathBuf) {
        self.edits.push_back((self.runs_so_far(), path));
        if self.edits.len() > EDITS_KEPT
            && let Some((before, _)) = self.edits.pop_front()
        {
            self.edits_lost_before = Some(before);
        }
    }

    /// The parts of the tree touched by the edits after run `since`; `None`
    /// when one of them could be anywhere (outside the cwd, a root file).
    fn parts_edited_after(&self, since: usize) -> Option<Vec<Vec<String>>> {
        let cwd = self.cwd.as_deref()?;
        if self.edits_lost_before.is_some_and(|lost| lost > since) {
            return None;
        }
        self.edits
            .iter()
            .filter(|(before, path)| *before > since && counts(path))
            .map(|(_, path)| {
                let rel = path.strip_prefix(cwd).ok()?;
                let parts = path_parts(rel);
                (!parts.is_empty()).then_some(parts)
            })
            .collect()
    }
}

impl Detector for Stewnami {
    fn pattern(&self) -> Pattern {
        Pattern::Stewnami
    }

    fn observe(&mut self, event: &Event, out: &mut Vec<Alert>) {
        match event {
            Event::Prompt { session, cwd, .. } if cwd.is_some() => {
                self.sessions.entry(session.clone()).or_default().cwd = cwd.clone();
            }
            Event::Tool {
                session,
                start,
                end,
                edits,
                ..
            } => {
                let track = self.sessions.entry(session.clone()).or_default();
                for edit in edits {
                    track.push_edit(edit.path.clone());
                }
                if start.command.is_some() {
                    let named = test_names::parse(&end.output);
                    if !named.is_empty() {
                        // Calls that were no validation run are never taken.
                        if track.named.len() > 64 {
                            track.named.clear();
                        }
                        track.named.insert(end.id.clone(), named);
                    }
                }
            }
            Event::Validation { session, run } => {
                let track = self.sessions.entry(session.clone()).or_default();
                let named = track.named.remove(&run.tool_id).unwrap_or_default();
                let command = normalize(&run.command);
                if run.outcome == Outcome::Passed {
                    track.reported.retain(|(c, _)| *c != command);
                }
                if run.outcome == Outcome::Failed
                    && let Some((tests, parts, edited)) = stewed(track, &named, &command)
                    && tests.len() >= self.min_tests
                    && track.reported.insert((command.clone(), parts.clone()))
                {
                    let shown: Vec<&str> = tests.iter().take(3).map(String::as_str).collect();
                    out.push(Alert::new(
                        Pattern::Stewnami,
                        Some(session),
                        run.ended,
                        format!(
                            "{} test{} that passed earlier now fail{} ({}{}) in {}, after edits only in {}",
                            tests.len(),
                            if tests.len() == 1 { "" } else { "s" },
                            if tests.len() == 1 { "s" } else { "" },
                            shown.join(", "),
                            if tests.len() > 3 { ", …" } else { "" },
                            parts.join(", "),
                            edited.join(", "),
                        ),
                        "The change reached a part it was not about: look at what couples them, fix or revert before going on, and keep changes inside one module per iteration.",
                    ));
                }
                let passed = named
                    .iter()
                    .filter(|t| t.verdict == Verdict::Passed)
                    .take(NAMES_KEPT)
                    .map(|t| t.name.clone())
                    .collect();
                track.push_run(Run {
                    command,
                    outcome: run.outcome,
                    passed,
                });
            }
            _ => {}
        }
    }
}

/// The failing tests that passed earlier, their parts, and the parts edited
/// since, when no edit since touched any failing test's part. `None` when a
/// test's part cannot be told, an edit could be anywhere, or nothing was
/// edited since it passed (a flaky test is not a stewnami).
fn stewed(
    track: &Track,
    named: &[NamedTest],
    command: &str,
) -> Option<(Vec<String>, Vec<String>, Vec<String>)> {
    let mut tests = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    let mut edited: Vec<String> = Vec::new();
    for test in named.iter().filter(|t| t.verdict == Verdict::Failed) {
        let Some(since) = track.passed_at(&test.name, command) else {
            continue;
        };
        if test.parts.is_empty() {
            return None;
        }
        let edits = track.parts_edited_after(since)?;
        if edits.is_empty() || edits.iter().flatten().any(|p| test.parts.contains(p)) {
            return None;
        }
        tests.push(test.name.clone());
        parts.push(test.parts[0].clone());
        // An edit is named by its top part (`api` for src/api/handler.rs).
        edited.extend(edits.iter().map(|e| e[0].clone()));
    }
    if tests.is_empty() {
        return None;
    }
    for list in [&mut parts, &mut edited] {
        list.sort();
        list.dedup();
    }
    Some((tests, parts, edited))
}
