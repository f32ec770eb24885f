//! Logs go to a file under the state directory, never to the screen.
//!
//! The log can hold paths, commands and prompts: the directory is 0700 and the
//! file 0600. It is bounded: past [`MAX_BYTES`] at start it is moved to
//! `cockpit.log.1` (replacing the one before), and one run writes at most
//! [`MAX_BYTES`] more, then one line saying so.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// The most one log file holds (two files are kept: this and `.1`).
pub const MAX_BYTES: u64 = 8 << 20;

/// Lines waiting for the writer thread; past it new lines are dropped. The
/// appender's default (128,000) sets aside 4 MB up front, for a log that
/// gets a few lines a minute.
const BUFFERED_LINES: usize = 1_024;

/// `$XDG_STATE_HOME/cockpit` (`~/.local/state/cockpit`).
pub fn state_dir() -> PathBuf {
    std::env::var_os("XDG_STATE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(dirs::state_dir)
        .or_else(|| dirs::home_dir().map(|h| h.join(".local").join("state")))
        .unwrap_or_else(std::env::temp_dir)
        .join("cockpit")
}

/// Starts logging to `cockpit.log`; the level comes from `COCKPIT_LOG`
/// (default `info`). Returns the guard that flushes the file on drop, or
/// `None` when the directory cannot be created (the cockpit runs on unlogged).
pub fn init() -> Option<WorkerGuard> {
    let file = open_log(&state_dir()).ok()?;
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .buffered_lines_limit(BUFFERED_LINES)
        .finish(Capped::new(file, MAX_BYTES));
    let filter = EnvFilter::try_from_env("COCKPIT_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}

/// Creates (or tightens) the owner-only directory, rotates a full log, and
/// opens `cockpit.log` for appending, owner-only.
pub fn open_log(dir: &Path) -> io::Result<File> {
    owner_only_dir(dir)?;
    let path = dir.join("cockpit.log");
    if std::fs::metadata(&path).is_ok_and(|m| m.len() >= MAX_BYTES) {
        std::fs::rename(&path, dir.join("cockpit.log.1"))?;
        tighten(&dir.join("cockpit.log.1"), 0o600)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(&path)?;
    // A log made by an older cockpit kept its 0644.
    tighten(&path, 0o600)?;
    Ok(file)
}

fn owner_only_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)?;
    tighten(dir, 0o700)
}

#[cfg(unix)]
fn tighten(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn tighten(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// A writer that stops after `left` bytes, saying so once: a debug log of a
/// week-long run never fills the disk.
pub struct Capped<W> {
    inner: W,
    left: u64,
    said: bool,
}

impl<W: Write> Capped<W> {
    pub fn new(inner: W, limit: u64) -> Self {
        Self {
            inner,
            left: limit,
            said: false,
        }
    }
}

impl<W: Write> Write for Capped<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let len = buf.len() as u64;
        if len <= self.left {
            self.left -= len;
            // Log lines can quote commands and requests: no secret in them.
            let text = String::from_utf8_lossy(buf);
            self.inner
                .write_all(crate::redact::redact(&text).as_bytes())?;
        } else if !self.said {
            self.said = true;
            self.left = 0;
            self.inner
                .write_all(b"log size bound reached: nothing more is logged in this run\n")?;
        }
        // Dropped lines are reported as written: logging never fails the app.
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capped_writer_stops_and_says_so_once() {
        let mut capped = Capped::new(Vec::new(), 10);
        for _ in 0..5 {
            capped.write_all(b"12345\n").unwrap();
        }
        let text = String::from_utf8(capped.inner).unwrap();
        assert_eq!(text.matches("12345").count(), 1);
        assert_eq!(text.matches("size bound").count(), 1);
    }
}
