//! The context windows agents reported, per session id, kept across restarts
//! of the cockpit: Claude Code tells its window only through the status line,
//! and a cockpit started later (or `report`) would otherwise fall back to the
//! model table. A small JSON file in the state directory, written whole to a
//! temporary file and renamed, so it is never half-written.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Sessions remembered; the oldest reported go first.
const KEEP: usize = 1_000;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
struct Entry {
    window: u64,
    /// When it was last reported (epoch ms): the order of forgetting.
    at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct KnownWindows {
    path: Option<PathBuf>,
    windows: BTreeMap<String, Entry>,
}

impl KnownWindows {
    /// The state directory's file.
    pub fn default_path() -> PathBuf {
        crate::logging::state_dir().join("windows.json")
    }

    /// What `path` holds; an unreadable or damaged file is logged and
    /// starts empty (the model table stands in, as before any report).
    pub fn load(path: &Path) -> Self {
        let windows = match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|err| {
                tracing::warn!("{}: not read ({err}), starting empty", path.display());
                BTreeMap::new()
            }),
            Err(_) => BTreeMap::new(),
        };
        Self {
            path: Some(path.to_path_buf()),
            windows,
        }
    }

    pub fn get(&self, session_id: &str) -> Option<u64> {
        self.windows.get(session_id).map(|e| e.window)
    }

    /// Keeps `window` for `session_id` and saves when it is news (a status
    /// line comes every few seconds with the same figure).
    pub fn remember(&mut self, session_id: &str, window: u64, now: i64) {
        if self.note(session_id, window, now) {
            self.save();
        }
    }

    /// Keeps `window` for `session_id` in memory; whether it is news (and so
    /// worth a `save`).
    pub fn note(&mut self, session_id: &str, window: u64, now: i64) -> bool {
        if self.get(session_id) == Some(window) || window == 0 {
            return false;
        }
        self.windows
            .insert(session_id.to_string(), Entry { window, at: now });
        while self.windows.len() > KEEP {
            let oldest = self
                .windows
                .iter()
                .min_by_key(|(_, e)| e.at)
                .map(|(id, _)| id.clone());
            match oldest {
                Some(id) => self.windows.remove(&id),
                None => break,
            };
        }
        true
    }

    /// Writes the file whole (a temporary file renamed over it).
    pub fn save(&self) {
        if let Some(path) = &self.path
            && let Err(err) = save(path, &self.windows)
        {
            tracing::warn!("{}: not saved: {err}", path.display());
        }
    }
}

fn save(path: &Path, windows: &BTreeMap<String, Entry>) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // Owner-only, as the log: it names the user's sessions.
    let mut file = tempfile::Builder::new()
        .prefix(".windows")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .tempfile_in(dir)?;
    file.write_all(&serde_json::to_vec(windows)?)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reported_window_is_there_after_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state/windows.json");
        let mut known = KnownWindows::load(&path);
        known.remember("s1", 1_000_000, 1);
        known.remember("s2", 200_000, 2);
        let again = KnownWindows::load(&path);
        assert_eq!(
            (again.get("s1"), again.get("s2")),
            (Some(1_000_000), Some(200_000))
        );
        assert_eq!(again.get("s3"), None);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_damaged_file_starts_empty_and_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("windows.json");
        std::fs::write(&path, "{\"s1\": {\"window\": 10").unwrap();
        let mut known = KnownWindows::load(&path);
        assert_eq!(known.get("s1"), None);
        known.remember("s1", 1_000_000, 1);
        assert_eq!(KnownWindows::load(&path).get("s1"), Some(1_000_000));
    }

    #[test]
    fn the_oldest_are_forgotten_past_the_bound() {
        let mut known = KnownWindows::default();
        for i in 0..(KEEP as i64 + 5) {
            known.remember(&format!("s{i}"), 1_000_000, i);
        }
        assert_eq!(known.windows.len(), KEEP);
        assert_eq!(known.get("s0"), None);
        assert_eq!(known.get(&format!("s{}", KEEP + 4)), Some(1_000_000));
    }
}
