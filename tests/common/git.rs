//! The real `git` CLI for tests, with the user's and the system's git
//! configuration and any `GIT_DIR` of the caller shut out: one helper for
//! every test that makes a repository.

use std::path::Path;
use std::process::{Command, Output};

/// A git command in `dir` with no system or global config and a throwaway HOME.
pub fn git_cmd(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    let home = std::env::temp_dir().join("cockpit-store-test-home");
    std::fs::create_dir_all(&home).unwrap();
    cmd.current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_EDITOR", "true")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE");
    cmd
}

/// Runs git and returns its output; panics with stderr when it fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_out(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn git_out(dir: &Path, args: &[&str]) -> Output {
    git_cmd(dir).args(args).output().unwrap()
}
