//! Logs go to a file under the state directory, never to the screen.

use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

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
    let dir = state_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::never(&dir, "cockpit.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("COCKPIT_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
