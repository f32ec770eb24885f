//! What a session did, for the handoff: the prompts the human typed (the
//! first, which usually states the task, and the latest few) and every file
//! the agent's edit tools named, however long the run (the tool feed keeps
//! only the newest calls).

use crate::agents::ToolStart;
use crate::agents::tools::EDIT_TOOLS;
use crate::clock::Millis;

/// Prompts kept after the first.
const LATEST_PROMPTS: usize = 3;
/// Files kept, in the order first edited (a bound for week-long runs).
const MAX_FILES: usize = 200;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkLog {
    /// The first prompt, then the latest ones, oldest first.
    pub prompts: Vec<String>,
    /// When the last prompt came (the transcript's time).
    pub last_prompt_at: Option<Millis>,
    /// Paths as the agent wrote them, each once.
    pub edited: Vec<String>,
}

impl WorkLog {
    pub fn prompt(&mut self, text: &str, at: Option<Millis>) {
        self.prompts.push(text.to_string());
        if self.prompts.len() > LATEST_PROMPTS + 1 {
            self.prompts.remove(1);
        }
        self.last_prompt_at = at.or(self.last_prompt_at);
    }

    pub fn tool(&mut self, start: &ToolStart) {
        if !EDIT_TOOLS.contains(&start.name.as_str()) {
            return;
        }
        for path in &start.paths {
            if self.edited.len() < MAX_FILES && !self.edited.contains(path) {
                self.edited.push(path.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_prompt_and_the_latest_ones() {
        let mut log = WorkLog::default();
        for (n, text) in ["task", "a", "b", "c", "d"].iter().enumerate() {
            log.prompt(text, Some(n as Millis));
        }
        assert_eq!(log.prompts, ["task", "b", "c", "d"]);
        assert_eq!(log.last_prompt_at, Some(4));
    }

    #[test]
    fn only_edits_name_files_each_once() {
        let mut log = WorkLog::default();
        for name in ["Read", "Edit", "Write", "apply_patch"] {
            log.tool(&ToolStart {
                name: name.into(),
                paths: vec![format!("{name}.rs"), "same.rs".into()],
                id: String::new(),
                summary: String::new(),
                input: String::new(),
                command: None,
                at: None,
            });
        }
        assert_eq!(
            log.edited,
            ["Edit.rs", "same.rs", "Write.rs", "apply_patch.rs"]
        );
    }
}
