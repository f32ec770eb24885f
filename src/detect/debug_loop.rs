//! Debug Loop Spiral: the same command fails again and again, or one file is
//! edited over and over while validation keeps failing.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;

use super::alert::{Alert, Detector, Pattern};
use super::event::Event;
use crate::agents::Millis;
use crate::loops::validation::Outcome;

#[derive(Default)]
struct Track {
    last_failed: Option<String>,
    streak: u32,
    edits: HashMap<PathBuf, VecDeque<Millis>>,
    /// Failed validation runs in a row (a pass resets it).
    failing_runs: u32,
    reported_files: Vec<PathBuf>,
}

pub struct DebugLoopSpiral {
    repeats: u32,
    edits_per_file: u32,
    window_ms: i64,
    sessions: HashMap<String, Track>,
}

impl DebugLoopSpiral {
    pub fn new(repeats: u32, edits_per_file: u32, window_secs: u64) -> Self {
        Self {
            repeats: repeats.max(2),
            edits_per_file: edits_per_file.max(2),
            window_ms: i64::try_from(window_secs.saturating_mul(1_000)).unwrap_or(i64::MAX),
            sessions: HashMap::new(),
        }
    }
}

fn normalize(command: &str) -> String {
    command.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Detector for DebugLoopSpiral {
    fn pattern(&self) -> Pattern {
        Pattern::DebugLoopSpiral
    }

    fn observe(&mut self, event: &Event, out: &mut Vec<Alert>) {
        match event {
            Event::Tool {
                session,
                start,
                end,
                edits,
                ..
            } => {
                let track = self.sessions.entry(session.clone()).or_default();
                if let Some(command) = &start.command {
                    let command = normalize(command);
                    if end.ok && end.exit_code.is_none_or(|c| c == 0) {
                        track.last_failed = None;
                        track.streak = 0;
                    } else if track.last_failed.as_deref() == Some(command.as_str()) {
                        track.streak += 1;
                        if track.streak == self.repeats {
                            out.push(Alert::new(
                                Pattern::DebugLoopSpiral,
                                Some(session),
                                end.at,
                                format!("`{command}` failed {} times in a row", track.streak),
                                "Stop the loop: interrupt, state the hypothesis, and route the problem (a fresh agent, a narrower task, or a human look).",
                            ));
                        }
                    } else {
                        track.last_failed = Some(command);
                        track.streak = 1;
                    }
                }
                let Some(at) = end.at.or(start.at) else {
                    return;
                };
                for edit in edits {
                    let times = track.edits.entry(edit.path.clone()).or_default();
                    times.push_back(at);
                    while times.front().is_some_and(|&t| at - t > self.window_ms) {
                        times.pop_front();
                    }
                    let many = times.len() as u32 >= self.edits_per_file;
                    if many && track.failing_runs >= 2 && !track.reported_files.contains(&edit.path)
                    {
                        track.reported_files.push(edit.path.clone());
                        out.push(Alert::new(
                            Pattern::DebugLoopSpiral,
                            Some(session),
                            Some(at),
                            format!(
                                "{} edited {} times in {} min while validation failed {} times running",
                                edit.path.display(),
                                times.len(),
                                self.window_ms / 60_000,
                                track.failing_runs
                            ),
                            "The agent is guessing. Roll back to the last green checkpoint and restate the problem, or hand it to someone else.",
                        ));
                    }
                }
            }
            Event::Validation { session, run } => {
                let track = self.sessions.entry(session.clone()).or_default();
                match run.outcome {
                    Outcome::Failed => track.failing_runs += 1,
                    Outcome::Passed => {
                        track.failing_runs = 0;
                        track.reported_files.clear();
                    }
                    Outcome::Unknown => {}
                }
            }
            _ => {}
        }
    }
}
