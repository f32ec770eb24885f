//! Eldritch Code Horror: a changed file grows past a size limit, or one change
//! adds a huge block (a very long function pasted in one go).

use std::collections::HashSet;
use std::path::PathBuf;

use super::alert::{Alert, Detector, Pattern};
use super::event::Event;

pub struct EldritchCodeHorror {
    max_lines: u64,
    max_block: u64,
    reported_size: HashSet<PathBuf>,
    /// The largest block already reported per file, so a batch repeating the
    /// same diff does not alert again.
    reported_block: std::collections::HashMap<PathBuf, u64>,
}

impl EldritchCodeHorror {
    pub fn new(max_lines: u64, max_block: u64) -> Self {
        Self {
            max_lines: max_lines.max(1),
            max_block: max_block.max(1),
            reported_size: HashSet::new(),
            reported_block: Default::default(),
        }
    }
}

impl Detector for EldritchCodeHorror {
    fn pattern(&self) -> Pattern {
        Pattern::EldritchCodeHorror
    }

    fn observe(&mut self, event: &Event, out: &mut Vec<Alert>) {
        let Event::FilesChanged { changes, .. } = event else {
            return;
        };
        for change in changes {
            // Only growth the agent caused: a file already that big at HEAD
            // and barely touched is not news.
            if let Some(lines) = change.lines_now
                && lines > self.max_lines
                && lines.saturating_sub(change.lines_added) <= self.max_lines
                && self.reported_size.insert(change.path.clone())
            {
                out.push(Alert::new(
                    Pattern::EldritchCodeHorror,
                    None,
                    Some(change.at),
                    format!(
                        "{} grew to {lines} lines (limit {})",
                        change.path.display(),
                        self.max_lines
                    ),
                    "Split the file before it grows further; ask for small, reviewable iterations.",
                ));
            }
            let block = change.largest_added_block;
            let seen = self.reported_block.get(&change.path).copied().unwrap_or(0);
            if block >= self.max_block && block > seen {
                self.reported_block.insert(change.path.clone(), block);
                out.push(Alert::new(
                    Pattern::EldritchCodeHorror,
                    None,
                    Some(change.at),
                    format!(
                        "{} gained a {block}-line block in one change",
                        change.path.display()
                    ),
                    "Review it now and ask for it to be broken into small functions with tests.",
                ));
            }
        }
    }
}
