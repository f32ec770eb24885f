//! Signals become events: the loop, not a handler, decides what they do, so
//! the terminal is restored (or suspended and taken back) in one place.

use crate::event::{Event, EventSender};

pub(super) fn listen(sender: EventSender) {
    use tokio::signal::unix::{SignalKind, signal};
    // Every signal whose default ends the process leaves through the loop,
    // which restores the terminal; SIGTSTP suspends (see `Tui::suspend`).
    for (kind, name) in [
        (SignalKind::terminate(), "SIGTERM"),
        (SignalKind::hangup(), "SIGHUP"),
        (SignalKind::interrupt(), "SIGINT"),
        (SignalKind::quit(), "SIGQUIT"),
        (SignalKind::user_defined1(), "SIGUSR1"),
        (SignalKind::user_defined2(), "SIGUSR2"),
        (SignalKind::alarm(), "SIGALRM"),
        (
            SignalKind::from_raw(signal_hook::consts::SIGTSTP),
            "SIGTSTP",
        ),
    ] {
        let sender = sender.clone();
        match signal(kind) {
            Ok(mut stream) => {
                tokio::spawn(async move {
                    while stream.recv().await.is_some() {
                        if sender.send(Event::Signal(name)).is_err() {
                            break;
                        }
                    }
                });
            }
            Err(err) => tracing::warn!(%err, name, "cannot listen for signal"),
        }
    }
}
