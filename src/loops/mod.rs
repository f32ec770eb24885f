//! The inner loop seen from outside the agent: validation runs in its tool
//! stream and the files it changes in the working tree.

pub mod changes;
pub mod config;
pub mod counts;
pub mod diff;
pub mod git_history;
pub mod repo;
pub mod test_names;
pub mod validation;
pub mod worktree;

pub use config::LoopsConfig;
