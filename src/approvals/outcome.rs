//! What a deciding hook call ends in, and where it belongs: shared by the
//! hook's normal path (`hook.rs`) and its path for input the policy cannot
//! check (`unreadable.rs`).

use std::path::PathBuf;

use serde_json::Value;

use crate::agents::AgentKind;

/// The most of its stdin the hook reads (the rest is drained and dropped).
pub const MAX_STDIN: usize = 16 << 20;

/// What the hook prints and how it exits.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub stdout: Option<String>,
    pub stderr: Option<String>,
    pub exit_code: i32,
}

impl Outcome {
    pub(super) fn print(stdout: Option<String>, stderr: Option<String>) -> Self {
        Outcome {
            stdout,
            stderr,
            exit_code: 0,
        }
    }
}

/// The project the call belongs to: for Claude Code `$CLAUDE_PROJECT_DIR`,
/// else the hook's `cwd`, else the current directory. Codex does not set
/// that variable: one it inherited (Codex started from a Claude Code
/// session) names another project.
pub(super) fn project_dir(agent: AgentKind, hook: &Value) -> PathBuf {
    std::env::var_os("CLAUDE_PROJECT_DIR")
        .filter(|_| agent == AgentKind::Claude)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            hook.get("cwd")
                .and_then(Value::as_str)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        })
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"))
}
