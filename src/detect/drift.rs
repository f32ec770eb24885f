//! Instruction Drift: the prompt named a scope and the agent's writes left
//! it: several distinct files outside every path it confined the work to, or
//! any file it said not to touch.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::alert::{Alert, Detector, Pattern};
use super::event::Event;
use super::scope::{self, Scope};

#[derive(Default)]
struct Track {
    cwd: Option<PathBuf>,
    scope: Scope,
    outside: BTreeSet<PathBuf>,
    reported_outside: bool,
    reported_forbidden: HashSet<PathBuf>,
}

pub struct InstructionDrift {
    /// Distinct files written outside the scope before it counts as drift:
    /// one stray file (a test beside the code) is not.
    outside_files: usize,
    sessions: HashMap<String, Track>,
}

impl InstructionDrift {
    pub fn new(outside_files: u32) -> Self {
        Self {
            outside_files: outside_files.max(1) as usize,
            sessions: HashMap::new(),
        }
    }
}

fn shown(path: &Path, cwd: Option<&Path>) -> String {
    cwd.and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path)
        .display()
        .to_string()
}

impl Detector for InstructionDrift {
    fn pattern(&self) -> Pattern {
        Pattern::InstructionDrift
    }

    fn observe(&mut self, event: &Event, out: &mut Vec<Alert>) {
        match event {
            Event::Prompt {
                session, text, cwd, ..
            } => {
                let track = self.sessions.entry(session.clone()).or_default();
                track.cwd = cwd.clone().or(track.cwd.take());
                let scope = scope::parse(text);
                // A new scope replaces the old; a prompt about other paths
                // ends it; "go on" keeps it.
                if !scope.is_empty() || scope.names_paths {
                    *track = Track {
                        cwd: track.cwd.take(),
                        scope,
                        ..Track::default()
                    };
                }
            }
            Event::Tool {
                session,
                end,
                edits,
                ..
            } if !edits.is_empty() => {
                let Some(track) = self.sessions.get_mut(session) else {
                    return;
                };
                let cwd = track.cwd.clone();
                let cwd = cwd.as_deref();
                for edit in edits {
                    let path = &edit.path;
                    if let Some(named) = track
                        .scope
                        .forbidden
                        .iter()
                        .find(|n| scope::covers(n, path, cwd))
                    {
                        if track.reported_forbidden.insert(path.clone()) {
                            out.push(Alert::new(
                                Pattern::InstructionDrift,
                                Some(session),
                                end.at,
                                format!(
                                    "wrote {}, which the prompt said not to touch (`{named}`)",
                                    shown(path, cwd)
                                ),
                                "Revert that file unless you now want the change; repeat the constraint to the agent, or deny writes there in the approval policy.",
                            ));
                        }
                        continue;
                    }
                    let allowed = &track.scope.allowed;
                    // Scratch files and plans outside the project (/tmp,
                    // ~/.claude/plans) are no part of the code's scope.
                    let outside_project = cwd.is_some_and(|c| !path.starts_with(c));
                    if allowed.is_empty()
                        || outside_project
                        || allowed.iter().any(|n| scope::covers(n, path, cwd))
                    {
                        continue;
                    }
                    track.outside.insert(path.clone());
                    if track.outside.len() >= self.outside_files && !track.reported_outside {
                        track.reported_outside = true;
                        let files: Vec<String> = track
                            .outside
                            .iter()
                            .map(|p| shown(p, cwd))
                            .take(3)
                            .collect();
                        out.push(Alert::new(
                            Pattern::InstructionDrift,
                            Some(session),
                            end.at,
                            format!(
                                "{} files written outside the prompt's scope ({}): {}{}",
                                track.outside.len(),
                                allowed.join(", "),
                                files.join(", "),
                                if track.outside.len() > 3 { " …" } else { "" }
                            ),
                            "Stop and restate the scope: revert the files outside it, or give the extra work its own task (one agent, one job).",
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}
