//! Keys, pastes and resizes, read on a thread of their own.
//!
//! crossterm 0.29 never returns from a read once the terminal has hung up:
//! the tty stays readable, read(2) returns 0, and its read loop retries at
//! once, forever (crossterm-rs/crossterm#1067). Read on the loop's thread,
//! that froze the loop, so a closed pane's SIGHUP was never handled and the
//! last save never made. Here the terminal is polled first: a hang-up ends
//! the thread with `Input::Gone`, and crossterm reads only what is there.

use std::io::IsTerminal;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use crossterm::event::Event as TermEvent;
use rustix::event::{PollFd, PollFlags, poll};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

pub(super) enum Input {
    /// Everything one read of the terminal held: handled back to back, so a
    /// burst of keys is seen as one, with no frame drawn between them.
    Events(Vec<TermEvent>),
    /// The terminal hung up or cannot be read.
    Gone,
}

pub(super) fn spawn() -> UnboundedReceiver<Input> {
    let (tx, rx) = unbounded_channel();
    let started = std::thread::Builder::new()
        .name("terminal-input".into())
        .spawn(move || read_terminal(&tx));
    if let Err(err) = started {
        tracing::error!(%err, "cannot start the terminal reader");
    }
    rx
}

/// The descriptor crossterm reads: stdin when it is the terminal, else the
/// controlling terminal, as crossterm chooses.
enum Tty {
    Stdin(std::io::Stdin),
    Opened(OwnedFd),
}

impl Tty {
    fn open() -> Option<Self> {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return Some(Tty::Stdin(stdin));
        }
        let file = std::fs::File::open("/dev/tty").ok()?;
        Some(Tty::Opened(file.into()))
    }

    fn fd(&self) -> BorrowedFd<'_> {
        match self {
            Tty::Stdin(stdin) => stdin.as_fd(),
            Tty::Opened(fd) => fd.as_fd(),
        }
    }
}

fn read_terminal(tx: &UnboundedSender<Input>) {
    let Some(tty) = Tty::open() else {
        let _ = tx.send(Input::Gone);
        return;
    };
    // A resize is a signal, not input: its wake-up comes through this pipe,
    // and the new size is reported from here. crossterm also listens for it,
    // but its report can be missed: its pipe may not yet be written when this
    // one wakes us, and its edge-triggered poll drops a resize that arrives
    // with a key. A missed resize left the old layout up until a key.
    let resized = match UnixStream::pair() {
        Ok((ours, theirs)) => {
            let registered =
                signal_hook::low_level::pipe::register(signal_hook::consts::SIGWINCH, theirs);
            match (ours.set_nonblocking(true), registered) {
                (Ok(()), Ok(_)) => Some(ours),
                _ => None,
            }
        }
        Err(_) => None,
    };
    loop {
        match wait(&tty, resized.as_ref()) {
            Wait::Ready => {}
            Wait::Gone => {
                let _ = tx.send(Input::Gone);
                return;
            }
        }
        let mut events = Vec::new();
        // Drained before the size is read: a resize after this read wakes
        // us again.
        if resized.as_ref().is_some_and(drain)
            && let Ok((cols, rows)) = crossterm::terminal::size()
        {
            events.push(TermEvent::Resize(cols, rows));
        }
        loop {
            match crossterm::event::poll(Duration::ZERO) {
                Ok(true) => match crossterm::event::read() {
                    Ok(event) => events.push(event),
                    Err(_) => break,
                },
                Ok(false) => break,
                Err(_) => {
                    let _ = tx.send(Input::Gone);
                    return;
                }
            }
        }
        if !events.is_empty() && tx.send(Input::Events(events)).is_err() {
            return;
        }
    }
}

enum Wait {
    Ready,
    Gone,
}

fn wait(tty: &Tty, resized: Option<&UnixStream>) -> Wait {
    let mut fds = vec![PollFd::from_borrowed_fd(tty.fd(), PollFlags::IN)];
    if let Some(pipe) = resized {
        fds.push(PollFd::new(pipe, PollFlags::IN));
    }
    loop {
        match poll(&mut fds, None) {
            Ok(_) => break,
            Err(rustix::io::Errno::INTR) => continue,
            Err(_) => return Wait::Gone,
        }
    }
    let hung_up = PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL;
    match fds[0].revents().intersects(hung_up) {
        true => Wait::Gone,
        false => Wait::Ready,
    }
}

/// Empties the pipe; true when it held a wake-up.
fn drain(pipe: &UnixStream) -> bool {
    use std::io::Read;
    let mut buf = [0u8; 64];
    let mut woken = false;
    while matches!((&*pipe).read(&mut buf), Ok(n) if n > 0) {
        woken = true;
    }
    woken
}
