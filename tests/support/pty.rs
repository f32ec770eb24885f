//! The real `cockpit` binary in a pseudo-terminal, its screen read back
//! through vt100. Shared by the end-to-end tests.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_cockpit");
const DEADLINE: Duration = Duration::from_secs(15);

/// portable-pty marks a new pty close-on-exec only after opening it: a
/// program another test starts in that moment keeps the pty open for its
/// whole life, and a hang-up never reaches this one. Opening and starting
/// one at a time closes the gap for the long-lived programs tests start.
static SPAWNING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Held while starting any long-lived program (see `SPAWNING`).
pub fn spawning() -> std::sync::MutexGuard<'static, ()> {
    SPAWNING.lock().unwrap_or_else(|e| e.into_inner())
}

pub struct Pty {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    /// The pty's master side, for resizing; let go of on a hang-up.
    master: Option<Box<dyn portable_pty::MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    /// Tells the reader thread to let go of the pty's master side.
    let_go: std::sync::Arc<std::sync::atomic::AtomicBool>,
    output: Receiver<Vec<u8>>,
    pub screen: vt100::Parser,
    /// Every byte the program wrote, for escape sequences vt100 does not keep.
    pub raw: Vec<u8>,
}

impl Pty {
    /// Starts `cockpit ARGS` in `cwd` with `env` (plus TERM) on a rows x cols terminal.
    pub fn start(args: &[&str], cwd: &Path, env: &[(&str, &Path)], size: (u16, u16)) -> Self {
        let (rows, cols) = size;
        let spawning = spawning();
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        cmd.env("GIT_CONFIG_NOSYSTEM", "1");
        cmd.env("GIT_CONFIG_GLOBAL", "/dev/null");
        for (key, value) in env {
            cmd.env(key, value);
        }
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(spawning);
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let (tx, rx) = channel();
        let let_go = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = let_go.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
            }
        });
        Self {
            child,
            master: Some(pty.master),
            writer: Some(writer),
            let_go,
            output: rx,
            screen: vt100::Parser::new(rows, cols, 0),
            raw: Vec::new(),
        }
    }

    pub fn contents(&self) -> String {
        self.screen.screen().contents()
    }

    /// Reads output until `text` is on screen (frames arrive in pieces).
    pub fn wait_for(&mut self, text: &str) {
        let deadline = Instant::now() + DEADLINE;
        while !self.contents().contains(text) {
            assert!(
                Instant::now() < deadline,
                "`{text}` never appeared:\n{}",
                self.contents()
            );
            self.read(Duration::from_millis(50));
        }
    }

    /// Reads output until `text` is no longer on screen.
    pub fn wait_gone(&mut self, text: &str) {
        let deadline = Instant::now() + DEADLINE;
        while self.contents().contains(text) {
            assert!(
                Instant::now() < deadline,
                "`{text}` never went away:\n{}",
                self.contents()
            );
            self.read(Duration::from_millis(50));
        }
    }

    /// Reads what arrives within `limit` into the screen.
    fn read(&mut self, limit: Duration) {
        if let Ok(bytes) = self.output.recv_timeout(limit) {
            self.screen.process(&bytes);
            self.raw.extend_from_slice(&bytes);
        }
    }

    /// Keeps the screen up to date for `time`.
    pub fn pump(&mut self, time: Duration) {
        let until = Instant::now() + time;
        while Instant::now() < until {
            self.read(until.saturating_duration_since(Instant::now()));
        }
    }

    /// Reads output until the program exits and its output ends.
    pub fn drain(&mut self) {
        let deadline = Instant::now() + DEADLINE;
        while Instant::now() < deadline {
            match self.output.recv_timeout(Duration::from_millis(200)) {
                Ok(bytes) => {
                    self.screen.process(&bytes);
                    self.raw.extend_from_slice(&bytes);
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                Err(_) if self.child.try_wait().unwrap().is_some() => return,
                Err(_) => {}
            }
        }
    }

    pub fn keys(&mut self, keys: &str) {
        let writer = self.writer.as_mut().expect("the pty was hung up");
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
    }

    /// Closes the terminal as a closed pane or a dropped ssh connection
    /// does: every descriptor of the pty's master side goes away, and the
    /// kernel hangs up the program's terminal (SIGHUP, then EIO on writes).
    /// `key` must make the program draw, so the reader thread wakes up and
    /// lets go of its descriptors.
    pub fn hang_up(&mut self, key: &str) {
        self.let_go.store(true, std::sync::atomic::Ordering::SeqCst);
        self.keys(key);
        // The reader's last bytes arrive, then its side is closed.
        while self.output.recv_timeout(DEADLINE).is_ok() {}
        self.writer = None;
        self.master = None;
    }

    /// Resizes the terminal as a window manager or tmux does (the program
    /// gets SIGWINCH); what it draws from now on is read at the new size.
    pub fn resize(&mut self, rows: u16, cols: u16) {
        // What was drawn before the resize is laid out at the old size.
        while let Ok(bytes) = self.output.try_recv() {
            self.screen.process(&bytes);
            self.raw.extend_from_slice(&bytes);
        }
        let master = self.master.as_ref().expect("the pty was hung up");
        master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        self.screen.screen_mut().set_size(rows, cols);
    }

    pub fn signal(&self, name: &str) {
        let pid = self.child.process_id().unwrap();
        std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid.to_string()])
            .status()
            .unwrap();
    }

    pub fn wait_exit(&mut self) {
        let deadline = Instant::now() + DEADLINE;
        while self.child.try_wait().unwrap().is_none() {
            if Instant::now() >= deadline {
                let pid = self.child.process_id().unwrap();
                panic!("did not exit; its threads:\n{}", threads_of(pid));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Each thread of `pid` with its state and CPU ticks: a thread in `R` with
/// many ticks is spinning (how a hang-up that froze the loop was found).
fn threads_of(pid: u32) -> String {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return "(gone)".into();
    };
    let mut out = String::new();
    for task in tasks.flatten() {
        let stat = std::fs::read_to_string(task.path().join("stat")).unwrap_or_default();
        let (name, rest) = stat.split_once(") ").unwrap_or(("?", ""));
        let fields: Vec<&str> = rest.split(' ').collect();
        // State, then utime and stime (fields 14 and 15 of stat).
        let (state, user, system) = (fields.first(), fields.get(11), fields.get(12));
        out += &format!(
            "  {} {:?} user {:?} system {:?}\n",
            name.split_once('(').map_or(name, |(_, n)| n),
            state.unwrap_or(&"?"),
            user.unwrap_or(&"?"),
            system.unwrap_or(&"?")
        );
    }
    out
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
