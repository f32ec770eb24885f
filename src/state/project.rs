//! What belongs to one project: its root, branch, working tree, git
//! history, past sessions and learnings, and the agents' sessions in it.
//! The cockpit of one directory holds one; approvals, alerts, the view and
//! the settings span projects and stay on `Cockpit`.

use super::past_sessions::PastSession;
use super::session::Session;
use super::{learning_search, worktree};

#[derive(Debug)]
pub struct Project {
    /// The project's root as the header names it.
    pub name: String,
    pub git_branch: Option<String>,
    pub sessions: Vec<Session>,
    /// Index into `sessions` of the one on screen.
    pub selected: Option<usize>,
    /// The outer loop: past sessions of this repository, newest first.
    pub past_sessions: Vec<PastSession>,
    /// The inner loop's working tree (files changed, checkpoint).
    pub worktree: worktree::Worktree,
    /// Validation runs recognised in every session's tool stream, oldest
    /// first, each with its session key (the transcript path).
    pub validation_runs: Vec<(String, crate::loops::validation::ValidationRun)>,
    /// The outer loop's git side; `None` when the project is not in a git
    /// repository (or it could not be read).
    pub git_history: Option<crate::loops::git_history::GitHistory>,
    /// The learnings of this repository's past sessions, newest first.
    pub past_learnings: Vec<learning_search::PastLearning>,
}

impl Project {
    pub fn new(name: String, git_branch: Option<String>) -> Self {
        Self {
            name,
            git_branch,
            sessions: Vec::new(),
            selected: None,
            past_sessions: Vec::new(),
            worktree: worktree::Worktree::default(),
            validation_runs: Vec::new(),
            git_history: None,
            past_learnings: Vec::new(),
        }
    }
}
