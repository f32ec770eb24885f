//! A program in a pseudo-terminal: its screen, its output, its process.

use super::*;

pub(crate) struct Chunk {
    pub(crate) at: Instant,
    pub(crate) data: Vec<u8>,
}

/// A program running in its own pseudo-terminal. A dedicated thread reads the
/// terminal and timestamps every chunk as it arrives, so the time spent here
/// checking the screen never skews a measurement.
pub(crate) struct Term {
    pub(crate) name: &'static str,
    pub(crate) child: Box<dyn Child + Send + Sync>,
    pub(crate) pid: u32,
    pub(crate) _master: Box<dyn MasterPty + Send>,
    pub(crate) chunks: Receiver<Chunk>,
    /// Bytes the program wrote to the terminal, counted by the reader thread.
    pub(crate) bytes: Arc<AtomicU64>,
    /// Chunks (reads) seen by the reader thread.
    pub(crate) reads: Arc<AtomicU64>,
    pub(crate) screen: vt100::Parser,
    /// Raw output since the last [`Term::clear_raw`].
    pub(crate) raw: Vec<u8>,
    /// Keys go here; the reader thread answers cursor queries through it too.
    pub(crate) keys: Arc<std::sync::Mutex<Box<dyn Write + Send>>>,
    /// When each frame arrived: ratatui hides the cursor once at the end of
    /// every frame it draws, so each `ESC[?25l` is one redraw.
    pub(crate) frames: Vec<Instant>,
    /// The last bytes of the previous chunk, for a marker split between two.
    pub(crate) frame_tail: Vec<u8>,
    pub(crate) last_at: Option<Instant>,
    pub(crate) closed: bool,
}

impl Term {
    pub(crate) fn spawn(
        name: &'static str,
        program: impl AsRef<OsStr>,
        args: &[&OsStr],
        home: &Path,
    ) -> Res<Self> {
        Self::spawn_in(name, program, args, home, home)
    }

    /// [`Term::spawn`] with another working directory than `home`.
    pub(crate) fn spawn_in(
        name: &'static str,
        program: impl AsRef<OsStr>,
        args: &[&OsStr],
        home: &Path,
        cwd: &Path,
    ) -> Res<Self> {
        let pair = native_pty_system().openpty(PtySize {
            rows: ROWS,
            cols: COLS,
            pixel_width: 0,
            pixel_height: 0,
        })?;
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env_clear();
        cmd.env(
            "PATH",
            std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()),
        );
        cmd.env("HOME", home);
        cmd.env("XDG_STATE_HOME", home.join("state"));
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.cwd(cwd);
        let child = pair.slave.spawn_command(cmd)?;
        drop(pair.slave);
        let pid = child.process_id().ok_or("no pid")?;
        let mut reader = pair.master.try_clone_reader()?;
        let keys = Arc::new(std::sync::Mutex::new(pair.master.take_writer()?));
        let writer = keys.clone();
        let (tx, rx) = channel();
        let bytes = Arc::new(AtomicU64::new(0));
        let reads = Arc::new(AtomicU64::new(0));
        let (count, chunks) = (bytes.clone(), reads.clone());
        std::thread::Builder::new()
            .name(format!("pty-{name}"))
            .spawn(move || {
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    let n = match reader.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    let at = Instant::now();
                    count.fetch_add(n as u64, Ordering::SeqCst);
                    chunks.fetch_add(1, Ordering::SeqCst);
                    let data = buf[..n].to_vec();
                    // Answer a cursor position query, as a terminal would.
                    if data.windows(4).any(|w| w == b"\x1b[6n") {
                        let _ = writer.lock().unwrap().write_all(b"\x1b[1;1R");
                    }
                    if tx.send(Chunk { at, data }).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Self {
            name,
            child,
            pid,
            _master: pair.master,
            chunks: rx,
            bytes,
            reads,
            screen: vt100::Parser::new(ROWS, COLS, 0),
            raw: Vec::new(),
            keys,
            frames: Vec::new(),
            frame_tail: Vec::new(),
            last_at: None,
            closed: false,
        })
    }

    pub(crate) fn feed(&mut self, chunk: &Chunk) {
        const HIDE: &[u8] = b"\x1b[?25l";
        let mut joined = std::mem::take(&mut self.frame_tail);
        joined.extend_from_slice(&chunk.data);
        let frames = joined.windows(HIDE.len()).filter(|w| *w == HIDE).count();
        self.frames.extend(std::iter::repeat_n(chunk.at, frames));
        // Shorter than the marker: no frame is counted twice.
        self.frame_tail = joined[joined.len().saturating_sub(HIDE.len() - 1)..].to_vec();
        self.screen.process(&chunk.data);
        self.raw.extend_from_slice(&chunk.data);
        self.last_at = Some(chunk.at);
    }

    pub(crate) fn contents(&self) -> String {
        self.screen.screen().contents()
    }

    pub(crate) fn screen_has(&self, text: &str) -> bool {
        self.contents().contains(text)
    }

    pub(crate) fn raw_has(&self, text: &str) -> bool {
        let needle = text.as_bytes();
        self.raw.windows(needle.len()).any(|w| w == needle)
    }

    /// Writes `keys` to the program and returns when they were written.
    pub(crate) fn send(&self, keys: &[u8]) -> Res<Instant> {
        let mut writer = self.keys.lock().map_err(|_| "pty writer poisoned")?;
        writer.write_all(keys)?;
        writer.flush()?;
        Ok(Instant::now())
    }

    pub(crate) fn clear_raw(&mut self) {
        self.raw.clear();
    }

    /// Feeds everything already read.
    pub(crate) fn drain(&mut self) {
        while let Ok(chunk) = self.chunks.try_recv() {
            self.feed(&chunk);
        }
    }

    /// Feeds chunks until `done` holds, and returns the arrival time of the
    /// chunk that made it hold (`None` at the deadline or when the program ended).
    pub(crate) fn wait_until(
        &mut self,
        deadline: Instant,
        mut done: impl FnMut(&Self) -> bool,
    ) -> Option<Instant> {
        if self.last_at.is_some() && done(self) {
            return self.last_at;
        }
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match self.chunks.recv_timeout(left) {
                Ok(chunk) => {
                    self.feed(&chunk);
                    if done(self) {
                        return Some(chunk.at);
                    }
                }
                Err(RecvTimeoutError::Timeout) => return None,
                Err(RecvTimeoutError::Disconnected) => {
                    self.closed = true;
                    return None;
                }
            }
        }
    }

    pub(crate) fn stop(mut self) {
        let _ = self.child.kill(); // SIGHUP: the cockpit leaves cleanly on it
        let until = Instant::now() + Duration::from_secs(3);
        while Instant::now() < until {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = Command::new("kill")
            .args(["-KILL", &self.pid.to_string()])
            .status();
        let _ = self.child.wait();
    }
}
