//! The agent's own process, for the one agent whose session has no honest end
//! in its files or hooks: Codex 0.169.0's TUI leaves its background
//! app-server running after `/quit`, and that server keeps the rollout open
//! and runs the hooks, so `SessionEnd` never comes. The TUI process itself
//! does exit. It is found once, when `SessionStart` arrives, and only when
//! exactly one Codex process works in the session's directory: with two or
//! more, which one owns the session cannot be told, and nothing is claimed.

use std::os::fd::OwnedFd;
use std::path::{Path, PathBuf};

use rustix::event::{PollFd, PollFlags, poll};
use rustix::process::{Pid, PidfdFlags, pidfd_open};

/// A Codex process (the TUI, or `codex exec`) whose working directory is
/// `cwd`; `None` when there is none or more than one.
pub fn find_codex(cwd: &Path) -> Option<u32> {
    let cwd = std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
    let mut found = None;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let dir = entry.path();
        if !is_codex_client(&dir) || std::fs::read_link(dir.join("cwd")).ok() != Some(cwd.clone()) {
            continue;
        }
        if found.replace(pid).is_some() {
            return None;
        }
    }
    found
}

/// The native `codex` binary, not its node launcher (which exits with it)
/// and not the app-server, which outlives every session.
fn is_codex_client(proc_dir: &Path) -> bool {
    let exe: Option<PathBuf> = std::fs::read_link(proc_dir.join("exe")).ok();
    if exe.as_deref().and_then(Path::file_name) != Some("codex".as_ref()) {
        return false;
    }
    let Ok(cmdline) = std::fs::read(proc_dir.join("cmdline")) else {
        return false;
    };
    !cmdline.split(|b| *b == 0).any(|arg| arg == b"app-server")
}

/// A handle on a process that becomes readable when it exits.
pub struct ExitWatch(OwnedFd);

impl ExitWatch {
    /// `None` when the process is gone already or the kernel has no pidfd
    /// (before Linux 5.3).
    pub fn open(pid: u32) -> Option<Self> {
        let pid = Pid::from_raw(i32::try_from(pid).ok()?)?;
        pidfd_open(pid, PidfdFlags::empty()).ok().map(Self)
    }

    /// Blocks until the process exits: asleep in the kernel, no timer.
    pub fn wait(self) {
        let mut fds = [PollFd::new(&self.0, PollFlags::IN)];
        while poll(&mut fds, None).is_err() {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_that_exits_wakes_its_watch() {
        let mut child = std::process::Command::new("sleep")
            .arg("0.2")
            .spawn()
            .unwrap();
        let watch = ExitWatch::open(child.id()).expect("pidfd");
        watch.wait();
        // Exited, not merely woken: the status is there without blocking.
        assert!(child.try_wait().unwrap().is_some());
    }

    #[test]
    fn no_codex_is_found_where_none_runs() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(find_codex(dir.path()), None);
    }
}
