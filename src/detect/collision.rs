//! Agent Workspace Collision: two sessions write the same file within a
//! short window.

use std::collections::HashMap;
use std::path::PathBuf;

use super::alert::{Alert, Detector, Pattern};
use super::event::Event;
use crate::agents::Millis;

pub struct WorkspaceCollision {
    window_ms: i64,
    last_writer: HashMap<PathBuf, (String, Millis)>,
}

impl WorkspaceCollision {
    pub fn new(window_secs: u64) -> Self {
        Self {
            window_ms: i64::try_from(window_secs.saturating_mul(1_000)).unwrap_or(i64::MAX),
            last_writer: HashMap::new(),
        }
    }
}

impl Detector for WorkspaceCollision {
    fn pattern(&self) -> Pattern {
        Pattern::AgentWorkspaceCollision
    }

    fn observe(&mut self, event: &Event, out: &mut Vec<Alert>) {
        let Event::Tool {
            session,
            start,
            end,
            edits,
            ..
        } = event
        else {
            return;
        };
        let Some(at) = end.at.or(start.at) else {
            return;
        };
        for edit in edits {
            let previous = self
                .last_writer
                .insert(edit.path.clone(), (session.clone(), at));
            if let Some((other, then)) = previous
                && other != *session
                && (at - then).abs() <= self.window_ms
            {
                out.push(Alert::new(
                    Pattern::AgentWorkspaceCollision,
                    Some(session),
                    Some(at),
                    format!(
                        "{} written by session {} and {} within {} s",
                        edit.path.display(),
                        short(&other),
                        short(session),
                        (at - then).abs() / 1_000
                    ),
                    "Partition the work: give each agent its own git worktree or its own files, and merge through commits.",
                ));
            }
        }
    }
}

fn short(session: &str) -> &str {
    session.split('-').next().unwrap_or(session)
}
