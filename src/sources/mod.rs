//! Finding and following transcripts: discovery at start, directory watches
//! for sessions that start later, and one reader thread per followed file.
//!
//! Runs on its own thread and talks to the app only through [`Event`]s. File
//! events wake the reader of the file they concern; nothing here polls (unless
//! the kernel refuses a watch, and then only that directory, and the user is told).

use std::path::PathBuf;
use std::sync::mpsc::channel;

use crate::event::{Event, EventSender};

pub use select::FollowSettings;

/// Keeps the sources thread alive; dropping it stops watching.
pub struct Sources {
    _thread: std::thread::JoinHandle<()>,
    control: std::sync::mpsc::Sender<Message>,
    /// For the agent-exit watches ([`exit`]).
    events: EventSender,
    exit_watches: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Sources {
    /// Follow a transcript a hook named (`SessionStart`'s `transcript_path`).
    pub fn follow(&self, path: PathBuf) {
        let _ = self.control.send(Message::Follow(path));
    }
}

mod exit;
mod follower;
mod select;

use follower::{Message, run};

pub fn start(settings: FollowSettings, events: EventSender) -> std::io::Result<Sources> {
    let (tx, rx) = channel::<Message>();
    let control = tx.clone();
    let thread = std::thread::Builder::new().name("sources".into()).spawn({
        let events = events.clone();
        move || {
            if let Err(err) = run(settings, events.clone(), tx, rx) {
                let _ = events.send(Event::Notice(format!("watching stopped: {err}")));
            }
        }
    })?;
    Ok(Sources {
        _thread: thread,
        control,
        events,
        exit_watches: Default::default(),
    })
}
