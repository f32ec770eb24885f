//! Any program in a pseudo-terminal, its screen read back through vt100, and
//! the terminal's answers to the queries a TUI sends at start (cursor
//! position, device attributes, background colour), as a real terminal gives.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub struct Term {
    pub name: String,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    output: Receiver<Vec<u8>>,
    parser: vt100::Parser,
    /// The last bytes seen, so a query split across reads is still found.
    tail: Vec<u8>,
    pub raw: Vec<u8>,
}

impl Term {
    pub fn spawn(
        name: &str,
        program: &Path,
        args: &[&str],
        cwd: &Path,
        env: &HashMap<String, String>,
        (rows, cols): (u16, u16),
    ) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env_clear();
        for (key, value) in env {
            cmd.env(key, value);
        }
        let child = pty
            .slave
            .spawn_command(cmd)
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", program.display()));
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16384];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Self {
            name: name.to_string(),
            child,
            _master: pty.master,
            writer,
            output: rx,
            parser: vt100::Parser::new(rows, cols, 0),
            tail: Vec::new(),
            raw: Vec::new(),
        }
    }

    pub fn contents(&self) -> String {
        self.parser.screen().contents()
    }

    /// Takes what the program wrote so far, answering its terminal queries.
    pub fn pump(&mut self, wait: Duration) {
        let Ok(bytes) = self.output.recv_timeout(wait) else {
            return;
        };
        self.feed(&bytes);
        while let Ok(bytes) = self.output.try_recv() {
            self.feed(&bytes);
        }
    }

    fn feed(&mut self, bytes: &[u8]) {
        self.parser.process(bytes);
        self.raw.extend_from_slice(bytes);
        self.tail.extend_from_slice(bytes);
        let mut answers: Vec<u8> = Vec::new();
        loop {
            let text = &self.tail;
            let found = [
                &b"\x1b[6n"[..],
                b"\x1b[5n",
                b"\x1b[c",
                b"\x1b[0c",
                b"\x1b]11;?",
                b"\x1b]10;?",
                b"\x1b[?u",
            ]
            .iter()
            .filter_map(|q| find(text, q).map(|at| (at, *q)))
            .min_by_key(|(at, _)| *at);
            let Some((at, query)) = found else { break };
            match query {
                b"\x1b[6n" => {
                    let (row, col) = self.parser.screen().cursor_position();
                    answers.extend(format!("\x1b[{};{}R", row + 1, col + 1).bytes());
                }
                b"\x1b[5n" => answers.extend(b"\x1b[0n"),
                b"\x1b[c" | b"\x1b[0c" => answers.extend(b"\x1b[?62;22c"),
                b"\x1b]11;?" => answers.extend(b"\x1b]11;rgb:0000/0000/0000\x1b\\"),
                b"\x1b]10;?" => answers.extend(b"\x1b]10;rgb:ffff/ffff/ffff\x1b\\"),
                _ => {}
            }
            self.tail.drain(..at + query.len());
        }
        let keep = self.tail.len().saturating_sub(8);
        self.tail.drain(..keep);
        if !answers.is_empty() {
            let _ = self.writer.write_all(&answers);
            let _ = self.writer.flush();
        }
    }

    /// Reads the screen until `pred` holds, or panics with both the screen
    /// and what it was waiting for after `deadline`.
    pub fn wait_until(&mut self, what: &str, deadline: Duration, pred: impl Fn(&str) -> bool) {
        let end = Instant::now() + deadline;
        loop {
            if pred(&self.contents()) {
                return;
            }
            assert!(
                Instant::now() < end,
                "{}: waited {:?} for {what}; the screen:\n{}",
                self.name,
                deadline,
                self.contents()
            );
            self.pump(Duration::from_millis(50));
        }
    }

    pub fn wait_for(&mut self, text: &str, deadline: Duration) {
        self.wait_until(&format!("`{text}`"), deadline, |s| s.contains(text));
    }

    /// Waits until `text` was drawn at some point (it may be gone again:
    /// a notice the next event replaces).
    pub fn wait_drawn(&mut self, text: &str, deadline: Duration) {
        let end = Instant::now() + deadline;
        let needle = text.as_bytes();
        while !strip_csi(&self.raw)
            .windows(needle.len())
            .any(|w| w == needle)
        {
            assert!(
                Instant::now() < end,
                "{}: `{text}` was never drawn; the screen:\n{}",
                self.name,
                self.contents()
            );
            self.pump(Duration::from_millis(50));
        }
    }

    pub fn wait_gone(&mut self, text: &str, deadline: Duration) {
        self.wait_until(&format!("`{text}` to go"), deadline, |s| !s.contains(text));
    }

    /// Keeps reading for `time`, answering queries (lets a TUI settle).
    pub fn settle(&mut self, time: Duration) {
        let end = Instant::now() + time;
        while Instant::now() < end {
            self.pump(Duration::from_millis(20));
        }
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Types text as a person would: one key at a time.
    pub fn type_text(&mut self, text: &str) {
        for ch in text.chars() {
            let mut buf = [0u8; 4];
            self.send(ch.encode_utf8(&mut buf));
            self.settle(Duration::from_millis(15));
        }
    }

    pub fn signal_hup(&self) {
        if let Some(pid) = self.child.process_id() {
            let _ = std::process::Command::new("kill")
                .args(["-HUP", &pid.to_string()])
                .status();
        }
    }

    /// Reads until the program exits (its last frames land on the screen).
    pub fn wait_exit(&mut self, deadline: Duration) {
        let end = Instant::now() + deadline;
        while !self.exited() {
            assert!(Instant::now() < end, "{} did not exit", self.name);
            self.pump(Duration::from_millis(20));
        }
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    pub fn exited(&mut self) -> bool {
        self.child.try_wait().ok().flatten().is_some()
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        if let Some(keep) = std::env::var_os("COCKPIT_LIVE_KEEP") {
            let _ = std::fs::create_dir_all(&keep);
            let file = Path::new(&keep).join(format!("{}-{}.raw", self.name, std::process::id()));
            let _ = std::fs::write(file, &self.raw);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The bytes without CSI sequences (colours, cursor moves), the text a
/// program drew in the order it drew it.
fn strip_csi(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            i += 2;
            while i < bytes.len() && !(0x40..=0x7e).contains(&bytes[i]) {
                i += 1;
            }
            i += 1;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
