//! The `[detect]` config section: the thresholds of every detector.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DetectConfig {
    /// Context Amnesia: alert when the gauge rises past each of these percents.
    pub context_thresholds: Vec<f64>,
    /// Context Amnesia: after a compaction, this many re-reads of files read
    /// before it raise an alert.
    pub rereads_after_compaction: u32,
    /// Debug Loop Spiral: the same failing command this many times in a row.
    pub same_failure_repeats: u32,
    /// Debug Loop Spiral: one file edited this many times within
    /// `edit_window_secs` while validation keeps failing.
    pub edits_per_file: u32,
    pub edit_window_secs: u64,
    /// Agent Workspace Collision: two sessions edit one file within this window.
    pub collision_window_secs: u64,
    /// Repository Deletion: files removed, or lines removed net, in one batch.
    pub deleted_files: u64,
    pub deleted_lines: u64,
    /// Repository Deletion: shell commands that destroy work (regexes).
    pub destructive_commands: Vec<String>,
    /// Eldritch Code Horror: a file grows past this many lines.
    pub max_file_lines: u64,
    /// Eldritch Code Horror: one change adds this many consecutive lines.
    pub max_added_block: u64,
    /// Tests Passing Lie: assistant text that claims success (regexes, case-insensitive).
    pub done_claims: Vec<String>,
    /// Multi-Agent Deadlock: every agent blocked and nothing progressed this long.
    pub deadlock_quiet_secs: u64,
    /// Process Gridlock: an agent waited on humans `gridlock_wait_percent` of
    /// the last `gridlock_window_secs`, over `gridlock_min_requests` requests
    /// at least; or one request answered the same way `gridlock_same_answers`
    /// times within the window.
    pub gridlock_window_secs: u64,
    pub gridlock_wait_percent: u64,
    pub gridlock_min_requests: u32,
    pub gridlock_same_answers: u32,
    /// Instruction Drift: distinct files written outside the scope the prompt
    /// named before it is drift (a write to a path it forbade always is).
    pub drift_outside_files: u32,
    /// Stewnami: tests that passed earlier and now fail, with every edit
    /// since in another part of the tree, this many at least.
    pub stewnami_failing_tests: u32,
    /// Bridge Torching: a removed or changed public item still referenced
    /// this long after it was first seen (an agent mid-rename fixes callers).
    pub bridge_grace_secs: u64,
    /// Bridge Torching: at most this many tracked files are searched for
    /// references (files over 512 KiB are skipped).
    pub bridge_max_files: u64,
}

impl Default for DetectConfig {
    fn default() -> Self {
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        Self {
            context_thresholds: vec![40.0, 60.0, 80.0],
            rereads_after_compaction: 2,
            same_failure_repeats: 3,
            edits_per_file: 6,
            edit_window_secs: 600,
            collision_window_secs: 300,
            deleted_files: 3,
            deleted_lines: 300,
            destructive_commands: list(&[
                r"\bgit\s+reset\s+--hard\b",
                r"\bgit\s+clean\s+-[a-zA-Z]*f",
                r"\bgit\s+push\s+(.*\s)?(--force\b|-f\b|--force-with-lease\b)",
                r"\bgit\s+(checkout|restore)\s+(--\s+)?\.(\s|$)",
                r"\bgit\s+branch\s+-D\b",
                r"\brm\s+(-[a-zA-Z]*[rR][a-zA-Z]*f|-[a-zA-Z]*f[a-zA-Z]*[rR]|-[rR]\s+-f|-f\s+-[rR])",
            ]),
            max_file_lines: 1_000,
            max_added_block: 150,
            done_claims: list(&[
                r"\b(all|the)\s+(\d+\s+)?tests\s+(now\s+)?pass",
                r"\btests\s+(are\s+)?(now\s+)?(passing|green)\b",
                r"\ball\s+green\b",
                r"\beverything\s+(now\s+)?(works|is\s+working)\b",
                r"\b(task|work|implementation|fix)\s+is\s+(now\s+)?(done|complete)\b",
                r"\bready\s+to\s+(merge|ship)\b",
            ]),
            deadlock_quiet_secs: 300,
            gridlock_window_secs: 1_800,
            gridlock_wait_percent: 50,
            gridlock_min_requests: 3,
            gridlock_same_answers: 3,
            drift_outside_files: 3,
            stewnami_failing_tests: 1,
            bridge_grace_secs: 120,
            bridge_max_files: 5_000,
        }
    }
}
