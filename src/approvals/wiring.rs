//! Which hook events `install-hooks` wires for each agent, with what
//! timeout, and what the user must still do before the agent runs them.
//! Facts from FORMATS.md 6 (measured on Claude Code 2.1.328 and Codex 0.169.0).

use std::path::Path;

/// Events whose hook asks for (or may need) a decision.
pub const DECIDING: &[&str] = &["PreToolUse", "PermissionRequest"];

/// Events the cockpit listens to, in both agents. `PostToolUse` tells it a
/// call went ahead, `UserPromptSubmit` that a new prompt was typed (so a
/// request answered in the agent's own dialog can be retired).
const LISTENING: &[&str] = &[
    "SessionStart",
    "SessionEnd",
    "Stop",
    "SubagentStart",
    "SubagentStop",
    "PreCompact",
    "PostCompact",
    "PostToolUse",
    "UserPromptSubmit",
];

/// Codex has no `Notification` event (it drops the entry with a warning).
const CLAUDE_ONLY: &[&str] = &["Notification"];

/// Every event the cockpit has ever installed, for either agent: what
/// uninstall (and a re-install) looks through to find its own entries.
pub fn all_events() -> impl Iterator<Item = &'static str> {
    DECIDING.iter().chain(LISTENING).chain(CLAUDE_ONLY).copied()
}

/// The events wired for `agent` (`claude` or `codex`).
pub fn events(agent: &str) -> Vec<&'static str> {
    let mut events: Vec<&'static str> = DECIDING.iter().chain(LISTENING).copied().collect();
    if agent == "claude" {
        events.extend(CLAUDE_ONLY);
    }
    events
}

/// The handler timeout, in seconds.
pub fn timeout(agent: &str, event: &str) -> u64 {
    match (agent, event) {
        // Deciding hooks may wait for a human: longer than the cockpit's own
        // approvals.timeout_secs, so the cockpit's fail-safe answers first.
        (_, "PreToolUse" | "PermissionRequest") => 600,
        // Codex clamps a longer SessionEnd timeout to 3 s and warns at start.
        ("codex", "SessionEnd") => 3,
        // Listening hooks return within a fraction of a second.
        _ => 10,
    }
}

/// What to tell the user after writing `path` for `agent`.
pub fn advice(agent: &str, path: &Path, project_scope: bool, project: &Path) -> String {
    match agent {
        "claude" => format!(
            "{}: Claude Code runs these hooks at once. Hooks wait up to 600 s (\"timeout\"); the cockpit answers within approvals.timeout_secs (300 s by default). \
             A hook that crashes lets the call proceed unless \"onFailure\": \"block\" is set on its entry: add it for strict setups.",
            path.display()
        ),
        _ => {
            let project_note = if project_scope {
                format!(
                    " Codex reads {} only in a trusted project ([projects.\"{}\"] trust_level = \"trusted\" in config.toml, or accept the trust prompt).",
                    path.display(),
                    project.display()
                )
            } else {
                String::new()
            };
            format!(
                "{}: Codex runs NO hook until you trust it.{project_note} \
                 Start `codex` (the interactive TUI) in {}: it shows \"Hooks need review\"; choose \"Trust all and continue\" (or review them in /hooks), or run `cockpit install-hooks --trust-codex` to have Codex record trust for the cockpit's hooks only. \
                 Codex records each in config.toml as [hooks.state.\"<file>:<event>:<group>:<handler>\"] trusted_hash; a changed command or timeout (a re-install from another path, too) needs review again. \
                 Until then `codex exec` skips these hooks silently (only --dangerously-bypass-hook-trust runs them untrusted), so no call reaches the cockpit.",
                path.display(),
                project.display()
            )
        }
    }
}
