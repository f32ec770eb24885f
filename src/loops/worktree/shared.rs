//! What the watcher's parts share: the batch it sends, how it watches, how
//! many directories each way, the message past the watch limit.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize};
use std::time::Duration;

use crate::loops::changes::FileChange;
use crate::loops::diff::Checkpoint;
use crate::watch;

#[derive(Debug, Clone, PartialEq)]
pub struct WorktreeBatch {
    /// Rows that changed in this batch.
    pub changes: Vec<FileChange>,
    /// Every file changed since the watch began that still differs from HEAD.
    pub since_start: Vec<FileChange>,
    pub checkpoint: Checkpoint,
    /// Set once, when the watcher had to fall back (the inotify limit).
    pub warning: Option<String>,
}

/// How [`spawn_with`](super::spawn_with) watches.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// How long events are gathered after the first one of a burst.
    pub batch: Duration,
    /// At most this many native directory watches in the working tree, the
    /// rest polled as if the system's limit had been hit (for tests and
    /// benches: the real limit is a sysctl). `None`: as many as the system
    /// allows. The few watches on the git directory are not counted.
    pub max_native_watches: Option<usize>,
    /// How often polled directories are scanned.
    pub poll_interval: Duration,
    /// Send one batch as soon as the walk is done, changes or not, so the
    /// checkpoint (the last commit's age) is known from the start.
    pub initial_batch: bool,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            batch: Duration::from_millis(100),
            max_native_watches: None,
            poll_interval: POLL_INTERVAL,
            initial_batch: false,
        }
    }
}

/// The longest a batch gathers, after diffs failed in a row.
pub(super) const MAX_WINDOW: Duration = Duration::from_secs(1);

/// The interval the limit message promises.
pub(super) const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// How many directories are watched each way, as of now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WatchCounts {
    pub native: usize,
    pub polled: usize,
}

/// What the watcher thread tells the handle, without a message.
#[derive(Default)]
pub(super) struct Shared {
    pub(super) ready: AtomicBool,
    pub(super) native: AtomicUsize,
    pub(super) polled: AtomicUsize,
}

/// The message shown when inotify runs out of watches.
pub fn watch_limit_message(root: &Path) -> String {
    format!(
        "inotify watch limit reached watching {}: the directories past it are polled every 2 s. Raise it with `{}`",
        root.display(),
        watch::RAISE_WATCH_LIMIT
    )
}
