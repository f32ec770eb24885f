//! Tool names of both agents that more than one part of the cockpit reads
//! the same way: one list each, so a tool an agent adds is added once.

/// Shell tools: Claude Code's `Bash`, Codex's `shell`, `exec_command`,
/// `local_shell` and `shell_command`. Each says what it runs in `command`
/// (a string or an argv array) or `cmd`.
pub const SHELL_TOOLS: &[&str] = &[
    "Bash",
    "shell",
    "exec_command",
    "local_shell",
    "shell_command",
];

/// Tools that write files: Claude Code's, and Codex's `apply_patch`.
pub const EDIT_TOOLS: &[&str] = &["Edit", "Write", "MultiEdit", "NotebookEdit", "apply_patch"];

/// File tools and the input key that names their one file.
pub const FILE_TOOLS: &[(&str, &str)] = &[
    ("Write", "file_path"),
    ("Edit", "file_path"),
    ("MultiEdit", "file_path"),
    ("NotebookEdit", "notebook_path"),
    ("Read", "file_path"),
];
