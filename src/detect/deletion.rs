//! Repository Deletion: destructive commands in the tool stream, patches that
//! delete files, and working-tree batches that remove many files or lines.

use regex::Regex;

use super::alert::{Alert, Detector, Pattern};
use super::event::Event;
use crate::loops::changes::ChangeKind;

pub struct RepositoryDeletion {
    commands: Vec<Regex>,
    files: u64,
    lines: u64,
}

impl RepositoryDeletion {
    pub fn new(commands: &[String], files: u64, lines: u64) -> Self {
        Self {
            commands: commands.iter().filter_map(|c| Regex::new(c).ok()).collect(),
            files: files.max(1),
            lines: lines.max(1),
        }
    }
}

const UNDO: &str = "Check `git status` and `git reflog` now; restore from the last commit if this was not intended, and require approval for destructive commands.";

impl Detector for RepositoryDeletion {
    fn pattern(&self) -> Pattern {
        Pattern::RepositoryDeletion
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
                if let Some(command) = &start.command
                    && let Some(found) = self.commands.iter().find_map(|re| re.find(command))
                {
                    out.push(Alert::new(
                        Pattern::RepositoryDeletion,
                        Some(session),
                        end.at,
                        format!("destructive command: `{}`", found.as_str()),
                        UNDO,
                    ));
                }
                let deleted = edits.iter().filter(|e| e.deleted).count() as u64;
                if deleted >= self.files {
                    out.push(Alert::new(
                        Pattern::RepositoryDeletion,
                        Some(session),
                        end.at,
                        format!("one patch deleted {deleted} files"),
                        UNDO,
                    ));
                }
            }
            Event::FilesChanged { changes, .. } => {
                let removed: Vec<_> = changes
                    .iter()
                    .filter(|c| c.kind == ChangeKind::Removed)
                    .collect();
                let net: u64 = changes
                    .iter()
                    .map(|c| c.lines_removed.saturating_sub(c.lines_added))
                    .sum();
                let at = changes.iter().map(|c| c.at).max();
                if removed.len() as u64 >= self.files {
                    let first = removed[0].path.display();
                    out.push(Alert::new(
                        Pattern::RepositoryDeletion,
                        None,
                        at,
                        format!(
                            "{} files deleted from the working tree ({first} …)",
                            removed.len()
                        ),
                        UNDO,
                    ));
                } else if net >= self.lines {
                    out.push(Alert::new(
                        Pattern::RepositoryDeletion,
                        None,
                        at,
                        format!("{net} lines deleted since the last commit in one burst"),
                        UNDO,
                    ));
                }
            }
            _ => {}
        }
    }
}
