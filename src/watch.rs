//! The one notify wrapper, used by the transcript sources and the
//! working-tree watcher: the native watcher, and a poller made on first need
//! for what the kernel will not watch, both feeding one handler. Which paths
//! each holds, and what a refused watch means, is the caller's business.

use std::sync::Arc;
use std::time::Duration;

use notify::{
    Config as NotifyConfig, ErrorKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher,
};

pub type RawEvent = notify::Result<notify::Event>;

/// The command that raises inotify's watch limit, for the messages that
/// say it was reached.
pub const RAISE_WATCH_LIMIT: &str = "sudo sysctl fs.inotify.max_user_watches=524288";

/// The watch limit (inotify's ENOSPC) was reached.
pub fn is_limit(err: &notify::Error) -> bool {
    match &err.kind {
        ErrorKind::MaxFilesWatch => true,
        // Backends that pass ENOSPC through unmapped.
        ErrorKind::Io(io) => io.kind() == std::io::ErrorKind::StorageFull,
        _ => false,
    }
}

type Handler = Arc<dyn Fn(RawEvent) + Send + Sync>;

pub struct Watches {
    native: Option<RecommendedWatcher>,
    poller: Option<PollWatcher>,
    handler: Handler,
    poll_interval: Duration,
}

impl Watches {
    /// The native watcher may fail to start (no inotify instance left): then
    /// its error comes back beside watches that can only poll.
    pub fn new(
        poll_interval: Duration,
        handler: impl Fn(RawEvent) + Send + Sync + 'static,
    ) -> (Self, Option<notify::Error>) {
        let handler: Handler = Arc::new(handler);
        let native_handler = handler.clone();
        let (native, err) =
            match RecommendedWatcher::new(move |r| native_handler(r), NotifyConfig::default()) {
                Ok(watcher) => (Some(watcher), None),
                Err(err) => (None, Some(err)),
            };
        let watches = Self {
            native,
            poller: None,
            handler,
            poll_interval,
        };
        (watches, err)
    }

    pub fn has_native(&self) -> bool {
        self.native.is_some()
    }

    pub fn watch_native(
        &mut self,
        path: &std::path::Path,
        mode: RecursiveMode,
    ) -> notify::Result<()> {
        match self.native.as_mut() {
            Some(native) => native.watch(path, mode),
            None => Err(notify::Error::generic("no native watcher")),
        }
    }

    /// Polls `path`; the poller is made the first time one is needed.
    pub fn watch_polled(
        &mut self,
        path: &std::path::Path,
        mode: RecursiveMode,
    ) -> notify::Result<()> {
        if self.poller.is_none() {
            let handler = self.handler.clone();
            let config = NotifyConfig::default().with_poll_interval(self.poll_interval);
            match PollWatcher::new(move |r| handler(r), config) {
                Ok(poller) => self.poller = Some(poller),
                Err(err) => {
                    tracing::error!(%err, "polling fallback unavailable");
                    return Err(err);
                }
            }
        }
        match self.poller.as_mut() {
            Some(poller) => poller.watch(path, mode),
            None => Err(notify::Error::generic("no poller")),
        }
    }

    pub fn unwatch_native(&mut self, path: &std::path::Path) {
        if let Some(native) = self.native.as_mut() {
            // inotify usually dropped it already, with the directory.
            let _ = native.unwatch(path);
        }
    }

    pub fn unwatch_polled(&mut self, path: &std::path::Path) {
        if let Some(poller) = self.poller.as_mut() {
            let _ = poller.unwatch(path);
        }
    }
}
