//! End-to-end benchmarks of the release `cockpit` binary, driven through a
//! pseudo-terminal exactly as a user would run it (see BENCHMARKS.md).
//!
//! ```text
//! cargo bench --bench cockpit                      # everything
//! cargo bench --bench cockpit -- latency [--lines 300]
//! cargo bench --bench cockpit -- idle [--idle-secs 20]
//! cargo bench --bench cockpit -- idle-repo [--idle-secs 20]   # per thread, in a git repository
//! cargo bench --bench cockpit -- big [--size-mb 1024]
//! cargo bench --bench cockpit -- worktree [--writes 10000]
//! cargo bench --bench cockpit -- generate --size-mb 256 --out FILE   # the big file only
//! ```
//!
//! Each part runs the cockpit side by side with a floor (`tail -f`, `sleep`,
//! `cat`) measured the same way, and prints a table. Nothing here asserts: the
//! figures are reported, and BENCHMARKS.md compares them with the targets.
//!
//! Without `--bench` (as `cargo test --benches` runs it) and without a named
//! part, it does nothing, so a test run never starts a minute-long benchmark.

mod support;

use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use cockpit::text::thousands;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use support::{Res, git, load_average, status_kb};

/// Built by cargo for benches and integration tests, with the bench profile
/// (which inherits `release`).
const COCKPIT: &str = env!("CARGO_BIN_EXE_cockpit");
const ROWS: u16 = 40;
const COLS: u16 = 120;
const MODEL: &str = "claude-opus-4-6";
const SESSION: &str = "b3c4d5e6-0000-4000-8000-00000000be4c";
const CWD: &str = "/home/dev/projects/bench";

// ---------------------------------------------------------------- options

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Latency,
    Idle,
    /// Idle in a git repository (the working-tree watcher on), per thread.
    IdleRepo,
    Big,
    /// Keys answered and redraws while writes hit the working tree.
    Worktree,
    /// Only writes the big-file transcript to `--out` (for profiling by hand).
    Generate,
}

struct Options {
    parts: Vec<Part>,
    lines: usize,
    idle_secs: u64,
    settle_secs: u64,
    size_mb: u64,
    writes: usize,
    out: Option<PathBuf>,
    /// A private copy of the binary, so that a build in a shared target
    /// directory cannot replace it halfway through a run.
    binary: PathBuf,
}

fn options() -> Result<Option<Options>, String> {
    let mut opts = Options {
        parts: Vec::new(),
        lines: 300,
        idle_secs: 20,
        settle_secs: 3,
        size_mb: 1024,
        writes: 10_000,
        out: None,
        binary: PathBuf::from(COCKPIT),
    };
    let mut bench_flag = false;
    let mut args = std::env::args().skip(1);
    let number = |name: &str, value: Option<String>| -> Result<u64, String> {
        value
            .as_deref()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{name} wants a number"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => bench_flag = true,
            "latency" => opts.parts.push(Part::Latency),
            "idle" => opts.parts.push(Part::Idle),
            "idle-repo" => opts.parts.push(Part::IdleRepo),
            "big" => opts.parts.push(Part::Big),
            "worktree" => opts.parts.push(Part::Worktree),
            "generate" => opts.parts.push(Part::Generate),
            "--out" => opts.out = args.next().map(PathBuf::from),
            // Another build of the binary (a "before" for a comparison).
            "--binary" => {
                opts.binary = args
                    .next()
                    .map(PathBuf::from)
                    .ok_or("--binary wants a path")?
            }
            "all" => opts.parts.extend(ALL),
            "--lines" => opts.lines = number("--lines", args.next())?.max(1) as usize,
            "--idle-secs" => opts.idle_secs = number("--idle-secs", args.next())?.max(1),
            "--settle-secs" => opts.settle_secs = number("--settle-secs", args.next())?,
            "--size-mb" => opts.size_mb = number("--size-mb", args.next())?.max(1),
            "--writes" => opts.writes = number("--writes", args.next())?.max(1) as usize,
            "-h" | "--help" => {
                println!(
                    "usage: cargo bench --bench cockpit -- [latency] [idle] [idle-repo] [big] [worktree] \
                     [--lines N] [--idle-secs N] [--settle-secs N] [--size-mb N] [--writes N]\n       \
                     cargo bench --bench cockpit -- generate --size-mb N --out FILE"
                );
                return Ok(None);
            }
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    if opts.parts.is_empty() {
        if !bench_flag {
            println!("cockpit bench: run it with `cargo bench --bench cockpit`");
            return Ok(None);
        }
        opts.parts = ALL.to_vec();
    }
    opts.parts.dedup();
    Ok(Some(opts))
}

const ALL: [Part; 5] = [
    Part::Latency,
    Part::Idle,
    Part::IdleRepo,
    Part::Big,
    Part::Worktree,
];

fn main() {
    let mut opts = match options() {
        Ok(Some(opts)) => opts,
        Ok(None) => return,
        Err(message) => {
            eprintln!("cockpit bench: {message}");
            std::process::exit(2);
        }
    };
    if let Err(err) = run(&mut opts) {
        eprintln!("cockpit bench: {err}");
        std::process::exit(1);
    }
}

fn run(opts: &mut Options) -> Res<()> {
    // Removed on return, failed or not.
    let bin_dir = tempfile::tempdir()?;
    let source = std::mem::replace(&mut opts.binary, bin_dir.path().join("cockpit"));
    std::fs::copy(&source, &opts.binary)
        .map_err(|err| format!("cannot copy {}: {err}", source.display()))?;
    println!("cockpit benchmarks: {} (run from a copy)", source.display());
    println!("machine: {}", machine());
    for part in opts.parts.clone() {
        println!("\nload average before {part:?}: {}", load_average());
        let result = match part {
            Part::Latency => latency(opts),
            Part::Idle => idle(opts),
            Part::IdleRepo => idle_repo(opts),
            Part::Big => big(opts),
            Part::Worktree => worktree(opts),
            Part::Generate => match &opts.out {
                Some(out) => generate(out, opts.size_mb).map(|bytes| {
                    println!("wrote {bytes} bytes to {}", out.display());
                }),
                None => Err("generate wants --out FILE".into()),
            },
        };
        result.map_err(|err| format!("{part:?} failed: {err}"))?;
    }
    Ok(())
}

// ---------------------------------------------------------------- a program in a pty

struct Chunk {
    at: Instant,
    data: Vec<u8>,
}

/// A program running in its own pseudo-terminal. A dedicated thread reads the
/// terminal and timestamps every chunk as it arrives, so the time spent here
/// checking the screen never skews a measurement.
struct Term {
    name: &'static str,
    child: Box<dyn Child + Send + Sync>,
    pid: u32,
    _master: Box<dyn MasterPty + Send>,
    chunks: Receiver<Chunk>,
    /// Bytes the program wrote to the terminal, counted by the reader thread.
    bytes: Arc<AtomicU64>,
    /// Chunks (reads) seen by the reader thread.
    reads: Arc<AtomicU64>,
    screen: vt100::Parser,
    /// Raw output since the last [`Term::clear_raw`].
    raw: Vec<u8>,
    /// Keys go here; the reader thread answers cursor queries through it too.
    keys: Arc<std::sync::Mutex<Box<dyn Write + Send>>>,
    /// When each frame arrived: ratatui hides the cursor once at the end of
    /// every frame it draws, so each `ESC[?25l` is one redraw.
    frames: Vec<Instant>,
    /// The last bytes of the previous chunk, for a marker split between two.
    frame_tail: Vec<u8>,
    last_at: Option<Instant>,
    closed: bool,
}

impl Term {
    fn spawn(
        name: &'static str,
        program: impl AsRef<OsStr>,
        args: &[&OsStr],
        home: &Path,
    ) -> Res<Self> {
        Self::spawn_in(name, program, args, home, home)
    }

    /// [`Term::spawn`] with another working directory than `home`.
    fn spawn_in(
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

    fn feed(&mut self, chunk: &Chunk) {
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

    fn contents(&self) -> String {
        self.screen.screen().contents()
    }

    fn screen_has(&self, text: &str) -> bool {
        self.contents().contains(text)
    }

    fn raw_has(&self, text: &str) -> bool {
        let needle = text.as_bytes();
        self.raw.windows(needle.len()).any(|w| w == needle)
    }

    /// Writes `keys` to the program and returns when they were written.
    fn send(&self, keys: &[u8]) -> Res<Instant> {
        let mut writer = self.keys.lock().map_err(|_| "pty writer poisoned")?;
        writer.write_all(keys)?;
        writer.flush()?;
        Ok(Instant::now())
    }

    fn clear_raw(&mut self) {
        self.raw.clear();
    }

    /// Feeds everything already read.
    fn drain(&mut self) {
        while let Ok(chunk) = self.chunks.try_recv() {
            self.feed(&chunk);
        }
    }

    /// Feeds chunks until `done` holds, and returns the arrival time of the
    /// chunk that made it hold (`None` at the deadline or when the program ended).
    fn wait_until(
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

    fn stop(mut self) {
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

// ---------------------------------------------------------------- /proc

fn clock_ticks_per_sec() -> u64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

/// utime + stime of the whole process, in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of stat(5); `after` starts at field 3.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Voluntary + involuntary context switches summed over every thread.
fn context_switches(pid: u32) -> Option<u64> {
    let mut total = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
        let Ok(task) = task else { continue };
        let Ok(status) = std::fs::read_to_string(task.path().join("status")) else {
            continue;
        };
        for line in status.lines() {
            if line.starts_with("voluntary_ctxt_switches:")
                || line.starts_with("nonvoluntary_ctxt_switches:")
            {
                total += line
                    .split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
    }
    Some(total)
}

fn thread_count(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task")).map_or(0, |d| d.count())
}

fn machine() -> String {
    let run = |cmd: &str, args: &[&str]| {
        Command::new(cmd)
            .args(args)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_default()
    };
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_default();
    let mem = run("free", &["-h"])
        .lines()
        .find(|l| l.starts_with("Mem:"))
        .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
        .unwrap_or_default();
    format!(
        "{} cores ({cpu}), {mem} RAM, Linux {}",
        run("nproc", &[]),
        run("uname", &["-r"])
    )
}

// ---------------------------------------------------------------- transcript lines

/// xorshift64*: deterministic, good enough for gaps and filler.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn now_ms() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    now.as_millis() as i64
}

/// `2026-02-10T21:11:59.186Z`
fn iso(ms: i64) -> String {
    let when = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        when.year(),
        u8::from(when.month()),
        when.day(),
        when.hour(),
        when.minute(),
        when.second(),
        when.millisecond()
    )
}

fn head(kind: &str, uuid: u64, ms: i64) -> String {
    format!(
        r#""parentUuid":"00000000-0000-4000-8000-{:012x}","isSidechain":false,"userType":"external","cwd":"{CWD}","sessionId":"{SESSION}","version":"2.1.38","gitBranch":"main","type":"{kind}","uuid":"00000000-0000-4000-8000-{uuid:012x}","timestamp":"{}""#,
        uuid.saturating_sub(1),
        iso(ms)
    )
}

fn usage(total: u64, output: u64) -> String {
    let created = total / 12;
    let read = total - 3 - created;
    format!(
        r#""usage":{{"input_tokens":3,"cache_creation_input_tokens":{created},"cache_read_input_tokens":{read},"cache_creation":{{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":{created}}},"output_tokens":{output},"service_tier":"standard","inference_geo":"not_available"}}"#
    )
}

/// An assistant reply on the main chain reporting `total` context tokens;
/// `marker` is unique to the line (its request id).
fn assistant_text(uuid: u64, ms: i64, total: u64, text: &str, marker: &str) -> String {
    format!(
        r#"{{{},"message":{{"model":"{MODEL}","id":"msg_{marker}","type":"message","role":"assistant","content":[{{"type":"text","text":"{text}"}}],"stop_reason":null,"stop_sequence":null,{}}},"requestId":"req_{marker}"}}"#,
        head("assistant", uuid, ms),
        usage(total, 40 + total % 500)
    ) + "\n"
}

fn assistant_tool(
    uuid: u64,
    ms: i64,
    total: u64,
    tool_id: &str,
    name: &str,
    input: &str,
) -> String {
    format!(
        r#"{{{},"message":{{"model":"{MODEL}","id":"msg_{uuid:x}","type":"message","role":"assistant","content":[{{"type":"tool_use","id":"{tool_id}","name":"{name}","input":{input}}}],"stop_reason":"tool_use","stop_sequence":null,{}}},"requestId":"req_{uuid:x}"}}"#,
        head("assistant", uuid, ms),
        usage(total, 120 + total % 300)
    ) + "\n"
}

fn tool_result(uuid: u64, ms: i64, tool_id: &str, output: &str) -> String {
    format!(
        r#"{{{},"message":{{"role":"user","content":[{{"tool_use_id":"{tool_id}","type":"tool_result","content":"{output}","is_error":false}}]}},"toolUseResult":{{"stdout":"{output}","stderr":"","interrupted":false,"isImage":false}}}}"#,
        head("user", uuid, ms)
    ) + "\n"
}

fn user_prompt(uuid: u64, ms: i64, text: &str) -> String {
    format!(
        r#"{{{},"message":{{"role":"user","content":"{text}"}},"permissionMode":"default"}}"#,
        head("user", uuid, ms)
    ) + "\n"
}

fn progress(uuid: u64, ms: i64, output: &str) -> String {
    format!(
        r#"{{{},"data":{{"type":"bash_progress","output":"{output}","fullOutput":"{output}","elapsedTimeSeconds":3,"totalLines":12}},"toolUseID":"bash-progress-{uuid}","parentToolUseID":"toolu_{uuid:x}"}}"#,
        head("progress", uuid, ms)
    ) + "\n"
}

/// Deterministic JSON-safe filler text (escaped newlines, no quotes).
struct Corpus {
    text: String,
}

impl Corpus {
    fn new(rng: &mut Rng, bytes: usize) -> Self {
        const WORDS: &[&str] = &[
            "fn",
            "let",
            "mut",
            "self",
            "return",
            "match",
            "Some",
            "None",
            "Ok(())",
            "error:",
            "warning:",
            "src/app.rs",
            "src/state/mod.rs",
            "test",
            "passed",
            "failed",
            "the",
            "context",
            "window",
            "tokens",
            "render",
            "frame",
            "buffer",
            "cargo",
            "build",
            "Compiling",
            "Finished",
            "release",
            "=>",
            "{",
            "}",
            "//",
            "pub",
            "struct",
            "impl",
            "async",
            "await",
            "tokio::spawn",
            "Vec<u8>",
            "String",
            "usize",
            "0x1f",
            "42",
            "1024",
            "line",
            "column",
            "diff",
            "--git",
            "a/README.md",
            "b/README.md",
            "@@",
            "+",
            "-",
        ];
        let mut text = String::with_capacity(bytes + 64);
        let mut col = 0;
        while text.len() < bytes {
            let word = WORDS[rng.below(WORDS.len() as u64) as usize];
            text.push_str(word);
            col += word.len() + 1;
            if col > 60 + rng.below(40) as usize {
                text.push_str("\\n");
                col = 0;
            } else {
                text.push(' ');
            }
        }
        Self { text }
    }

    /// `min` to `min + spread - 1` bytes of filler, from somewhere chosen by `rng`.
    fn slice(&self, rng: &mut Rng, min: usize, spread: u64) -> &str {
        let len = (min + rng.below(spread) as usize).min(self.text.len() - 1);
        let start = rng.below((self.text.len() - len) as u64) as usize;
        let piece = &self.text[start..start + len];
        // Never end on a lone backslash: it would escape the closing quote.
        piece.trim_end_matches('\\')
    }
}

// ---------------------------------------------------------------- statistics

fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

// ---------------------------------------------------------------- 1. latency

struct LatencyRun {
    samples: Vec<Duration>,
    missed: usize,
}

/// Appends `lines` assistant lines one at a time and measures, for each, the
/// time from `write` returning to the terminal showing it.
fn latency_of(program: &'static str, opts: &Options) -> Res<LatencyRun> {
    let home = tempfile::tempdir()?;
    let path = home.path().join(format!("{SESSION}.jsonl"));
    let start_ms = now_ms() - 60_000;
    let mut initial = user_prompt(1, start_ms, "measure the latency");
    initial += &assistant_text(2, start_ms + 1_000, 9_990, "Ready.", "bench_initial");
    std::fs::write(&path, initial)?;
    let is_cockpit = program == "cockpit";
    let mut term = if is_cockpit {
        let args = [OsStr::new("--transcript"), path.as_os_str()];
        Term::spawn("cockpit", &opts.binary, &args, home.path())?
    } else {
        let args = [OsStr::new("-f"), path.as_os_str()];
        Term::spawn("tail", "tail", &args, home.path())?
    };
    let ready = term.wait_until(Instant::now() + Duration::from_secs(15), |t| {
        if is_cockpit {
            t.screen_has(" 9,990/")
        } else {
            t.raw_has("req_bench_initial")
        }
    });
    if ready.is_none() {
        let screen = term.contents();
        term.stop();
        return Err(format!("{program} never showed the initial line; screen:\n{screen}").into());
    }
    // Let start-up work (the tokenizer warm-up thread) finish first.
    std::thread::sleep(Duration::from_millis(1_500));
    let mut file = OpenOptions::new().append(true).open(&path)?;
    let mut rng = Rng(0x5eed_1a7e_0c0c_4b17);
    let mut samples = Vec::with_capacity(opts.lines);
    let mut missed = 0;
    for i in 0..opts.lines {
        std::thread::sleep(Duration::from_millis(20 + rng.below(31)));
        term.drain();
        term.clear_raw();
        let total = 10_000 + i as u64 * 37;
        let marker = format!("bench{i:06}x");
        let line = assistant_text(
            10 + i as u64,
            now_ms(),
            total,
            "Done: the change is in and the tests pass.",
            &marker,
        );
        file.write_all(line.as_bytes())?;
        let written = Instant::now();
        let figure = format!(" {}/", thousands(total));
        let request = format!("req_{marker}");
        let shown = term.wait_until(written + Duration::from_secs(2), |t| {
            if is_cockpit {
                t.screen_has(&figure)
            } else {
                t.raw_has(&request)
            }
        });
        match shown {
            Some(at) => samples.push(at.saturating_duration_since(written)),
            None => {
                missed += 1;
                if term.closed {
                    break;
                }
            }
        }
    }
    term.stop();
    samples.sort();
    Ok(LatencyRun { samples, missed })
}

fn latency(opts: &Options) -> Res<()> {
    println!(
        "\n## latency: appended line -> new figure on screen ({} lines, 20-50 ms apart, pty {COLS}x{ROWS})\n",
        opts.lines
    );
    let cockpit = latency_of("cockpit", opts)?;
    let tail = latency_of("tail", opts)?;
    println!("| program | samples | missed | p50 ms | p90 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (name, run) in [("cockpit", &cockpit), ("tail -f (floor)", &tail)] {
        let s = &run.samples;
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} |",
            s.len(),
            run.missed,
            ms(percentile(s, 0.50)),
            ms(percentile(s, 0.90)),
            ms(percentile(s, 0.99)),
            ms(s.last().copied().unwrap_or_default())
        );
    }
    let ratio = |q: f64| {
        let t = percentile(&tail.samples, q).as_secs_f64();
        let c = percentile(&cockpit.samples, q).as_secs_f64();
        if t > 0.0 {
            format!("{:.1}x", c / t)
        } else {
            "-".into()
        }
    };
    println!(
        "\ncockpit / tail: p50 {}, p99 {}. Target: p99 < 30 ms -> {}",
        ratio(0.50),
        ratio(0.99),
        verdict(
            percentile(&cockpit.samples, 0.99) < Duration::from_millis(30) && cockpit.missed == 0
        )
    );
    Ok(())
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}

// ---------------------------------------------------------------- 2. idle

struct IdleSample {
    ticks: u64,
    switches: u64,
    bytes: u64,
    reads: u64,
}

fn idle_sample(term: &Term) -> IdleSample {
    IdleSample {
        ticks: cpu_ticks(term.pid).unwrap_or(0),
        switches: context_switches(term.pid).unwrap_or(0),
        bytes: term.bytes.load(Ordering::SeqCst),
        reads: term.reads.load(Ordering::SeqCst),
    }
}

fn idle(opts: &Options) -> Res<()> {
    println!(
        "\n## idle: nothing changes for {} s (after {} s to settle)\n",
        opts.idle_secs, opts.settle_secs
    );
    let home = tempfile::tempdir()?;
    let path = home.path().join(format!("{SESSION}.jsonl"));
    // A finished session: its last line is 30 minutes old.
    let t0 = now_ms() - 40 * 60_000;
    let mut text = user_prompt(1, t0, "fix the flaky test");
    text += &assistant_tool(
        2,
        t0 + 5_000,
        31_234,
        "toolu_idle1",
        "Bash",
        r#"{"command":"cargo test","description":"Run the tests"}"#,
    );
    text += &tool_result(3, t0 + 9_000, "toolu_idle1", "test result: ok. 42 passed");
    text += &assistant_text(4, t0 + 10 * 60_000, 32_345, "All green.", "bench_idle");
    std::fs::write(&path, text)?;

    // A reference that is not idle: a tool call still running, whose duration
    // counts up on screen every second (shows that redraws are seen at all).
    let running_path = home.path().join("running.jsonl");
    let now = now_ms();
    let mut text = user_prompt(1, now - 20_000, "run the slow suite");
    text += &assistant_tool(
        2,
        now - 10_000,
        41_234,
        "toolu_running1",
        "Bash",
        r#"{"command":"sleep 3600","description":"A long call"}"#,
    );
    std::fs::write(&running_path, text)?;

    let cockpit_args = [OsStr::new("--transcript"), path.as_os_str()];
    let mut cockpit = Term::spawn("cockpit", &opts.binary, &cockpit_args, home.path())?;
    let tail_args = [OsStr::new("-f"), path.as_os_str()];
    let tail = Term::spawn("tail", "tail", &tail_args, home.path())?;
    let sleep = Term::spawn("sleep", "sleep", &[OsStr::new("3600")], home.path())?;
    let running_args = [OsStr::new("--transcript"), running_path.as_os_str()];
    let mut running = Term::spawn("running", &opts.binary, &running_args, home.path())?;
    let deadline = Instant::now() + Duration::from_secs(15);
    let shown = cockpit
        .wait_until(deadline, |t| {
            t.screen_has("idle since") && t.screen_has(" 32,345/")
        })
        .and(running.wait_until(deadline, |t| t.screen_has(" 41,234/")));
    if shown.is_none() {
        let screen = cockpit.contents() + &running.contents();
        for term in [cockpit, tail, sleep, running] {
            term.stop();
        }
        return Err(format!("the cockpit never showed the sessions; screens:\n{screen}").into());
    }
    std::thread::sleep(Duration::from_secs(opts.settle_secs));
    let ticks_per_sec = clock_ticks_per_sec();
    let terms = [&cockpit, &tail, &sleep, &running];
    let before: Vec<IdleSample> = terms.iter().map(|t| idle_sample(t)).collect();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(opts.idle_secs));
    let secs = started.elapsed().as_secs_f64();
    let after: Vec<IdleSample> = terms.iter().map(|t| idle_sample(t)).collect();
    println!(
        "| program | threads | RSS MiB | CPU % of one core | CPU ticks ({ticks_per_sec}/s) | wake-ups/s (ctx switches) | bytes drawn | terminal writes |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut cockpit_figures = (0.0, 0.0, 0);
    for (i, term) in terms.iter().enumerate() {
        let (b, a) = (&before[i], &after[i]);
        let ticks = a.ticks.saturating_sub(b.ticks);
        let cpu = ticks as f64 / ticks_per_sec as f64 / secs * 100.0;
        let wakeups = a.switches.saturating_sub(b.switches) as f64 / secs;
        let bytes = a.bytes - b.bytes;
        let label = match term.name {
            "cockpit" => "cockpit".to_string(),
            "tail" => "tail -f (floor)".to_string(),
            "running" => "reference, not idle: cockpit with a tool call running".to_string(),
            other => format!("{other} 3600 (floor)"),
        };
        println!(
            "| {label} | {} | {:.1} | {cpu:.2} | {ticks} | {wakeups:.2} | {bytes} | {} |",
            thread_count(term.pid),
            status_kb(Some(term.pid), "VmRSS:").unwrap_or(0) as f64 / 1024.0,
            a.reads - b.reads
        );
        if i == 0 {
            cockpit_figures = (cpu, wakeups, bytes);
        }
    }
    let (cpu, wakeups, bytes) = cockpit_figures;
    println!(
        "\nTargets: no redraws -> {} ({bytes} bytes); CPU < 0.5% -> {} ({cpu:.2}%); <= 1 wake-up/s -> {} ({wakeups:.2}/s)",
        verdict(bytes == 0),
        verdict(cpu < 0.5),
        verdict(wakeups <= 1.0)
    );
    for term in [cockpit, tail, sleep, running] {
        term.stop();
    }
    Ok(())
}

/// Context switches of each thread: (tid, name) -> voluntary + involuntary.
fn switches_by_thread(pid: u32) -> std::collections::BTreeMap<(u32, String), u64> {
    let mut out = std::collections::BTreeMap::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return out;
    };
    for task in tasks.flatten() {
        let Some(tid) = task.file_name().to_str().and_then(|t| t.parse().ok()) else {
            continue;
        };
        let name = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        let Ok(status) = std::fs::read_to_string(task.path().join("status")) else {
            continue;
        };
        let switches = status
            .lines()
            .filter(|l| {
                l.starts_with("voluntary_ctxt_switches:")
                    || l.starts_with("nonvoluntary_ctxt_switches:")
            })
            .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .sum();
        out.insert((tid, name.trim().to_string()), switches);
    }
    out
}

/// The idle session of [`idle`], with the cockpit started in a git
/// repository (so the working-tree watcher and git history run), its wake-ups
/// counted per thread. Threads are grouped by name (`comm`, cut at 15 bytes).
fn idle_repo(opts: &Options) -> Res<()> {
    println!(
        "\n## idle-repo: nothing changes for {} s (after {} s to settle), the cockpit in a git repository, per thread\n",
        opts.idle_secs, opts.settle_secs
    );
    let home = tempfile::tempdir()?;
    let repo = home.path().join("repo");
    std::fs::create_dir_all(repo.join("src"))?;
    std::fs::write(repo.join("src/main.rs"), "fn main() {}\n")?;
    std::fs::write(repo.join(".gitignore"), "target/\n")?;
    git(&repo, &["init", "-q"])?;
    git(&repo, &["add", "."])?;
    git(&repo, &["commit", "-q", "-m", "first"])?;
    let path = home.path().join(format!("{SESSION}.jsonl"));
    let t0 = now_ms() - 40 * 60_000;
    let mut text = user_prompt(1, t0, "fix the flaky test");
    text += &assistant_text(2, t0 + 10 * 60_000, 32_345, "All green.", "bench_idle");
    std::fs::write(&path, text)?;
    let args = [OsStr::new("--transcript"), path.as_os_str()];
    let mut term = Term::spawn_in("cockpit", &opts.binary, &args, home.path(), &repo)?;
    let shown = term.wait_until(Instant::now() + Duration::from_secs(15), |t| {
        t.screen_has("idle since") && t.screen_has(" 32,345/")
    });
    if shown.is_none() {
        let screen = term.contents();
        term.stop();
        return Err(format!("the cockpit never showed the session; screen:\n{screen}").into());
    }
    std::thread::sleep(Duration::from_secs(opts.settle_secs));
    let before = switches_by_thread(term.pid);
    let bytes = term.bytes.load(Ordering::SeqCst);
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(opts.idle_secs));
    let secs = started.elapsed().as_secs_f64();
    let after = switches_by_thread(term.pid);
    let drawn = term.bytes.load(Ordering::SeqCst) - bytes;
    // Grouped by name; a thread that started or ended in the window counts
    // what it did in /proc while it was there.
    let mut by_name: std::collections::BTreeMap<String, (usize, u64)> = Default::default();
    for ((tid, name), a) in &after {
        let b = before.get(&(*tid, name.clone())).copied().unwrap_or(0);
        let entry = by_name.entry(name.clone()).or_default();
        entry.0 += 1;
        entry.1 += a.saturating_sub(b);
    }
    println!("| thread | threads of that name | switches in {secs:.1} s | wake-ups/s |");
    println!("|---|---:|---:|---:|");
    let mut total = 0;
    for (name, (count, switches)) in &by_name {
        total += switches;
        println!(
            "| {name} | {count} | {switches} | {:.2} |",
            *switches as f64 / secs
        );
    }
    let per_sec = total as f64 / secs;
    println!("| **all** | {} | {total} | {per_sec:.2} |", after.len());
    println!(
        "\nbytes drawn: {drawn}. Target <= 1 wake-up/s in all -> {} ({per_sec:.2}/s)",
        verdict(per_sec <= 1.0)
    );
    term.stop();
    Ok(())
}

// ---------------------------------------------------------------- 3. big

/// The final usage figure of the generated transcript (no earlier line has it).
const LAST_TOTAL: u64 = 177_777;

/// Writes a realistic transcript of about `size_mb` MiB: turns of prompts,
/// hook/bash progress, replies, tool calls (small Bash/Read, larger Edit and
/// Write inputs) and tool results, a few of them large.
fn generate(path: &Path, size_mb: u64) -> Res<u64> {
    let target = size_mb * 1024 * 1024;
    let mut rng = Rng(0x0b16_f11e_2026_0001);
    let corpus = Corpus::new(&mut rng, 4 << 20);
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let end_ms = now_ms() - 120_000;
    let span_ms: i64 = 2 * 24 * 3600 * 1000;
    let mut written: u64 = 0;
    let mut uuid: u64 = 0;
    let mut turn: u64 = 0;
    let mut emit = |line: String, written: &mut u64| -> Res<()> {
        *written += line.len() as u64;
        out.write_all(line.as_bytes())?;
        Ok(())
    };
    while written < target {
        turn += 1;
        let ms = end_ms - span_ms + (span_ms as f64 * written as f64 / target as f64) as i64;
        let total = 20_000 + (turn * 7_919) % 150_000;
        let mut next = || {
            uuid += 1;
            uuid
        };
        if turn % 8 == 1 {
            let prompt = corpus.slice(&mut rng, 100, 400).to_string();
            emit(user_prompt(next(), ms, &prompt), &mut written)?;
            for _ in 0..2 {
                let id = next();
                emit(progress(id, ms, "hook ok"), &mut written)?;
            }
        }
        let thought = corpus.slice(&mut rng, 200, 2_500).to_string();
        emit(
            assistant_text(next(), ms + 1, total, &thought, &format!("t{turn:x}")),
            &mut written,
        )?;
        let tool_id = format!("toolu_{turn:016x}");
        let (name, input) = match rng.below(20) {
            0..=7 => (
                "Bash",
                format!(
                    r#"{{"command":"cargo test -p cockpit -- {}","description":"Run the tests"}}"#,
                    corpus
                        .slice(&mut rng, 30, 1)
                        .replace("\\n", " ")
                        .trim_end_matches('\\')
                ),
            ),
            8..=13 => (
                "Read",
                format!(r#"{{"file_path":"{CWD}/src/file_{}.rs"}}"#, rng.below(400)),
            ),
            14..=16 => (
                "Edit",
                format!(
                    r#"{{"file_path":"{CWD}/src/file_{}.rs","old_string":"{}","new_string":"{}"}}"#,
                    rng.below(400),
                    corpus.slice(&mut rng, 200, 1_500),
                    corpus.slice(&mut rng, 200, 1_500)
                ),
            ),
            17 => (
                "Write",
                format!(
                    r#"{{"file_path":"{CWD}/src/new_{}.rs","content":"{}"}}"#,
                    rng.below(400),
                    corpus.slice(&mut rng, 1_000, 8_000)
                ),
            ),
            _ => (
                "Grep",
                r#"{"pattern":"fn render","path":"src"}"#.to_string(),
            ),
        };
        emit(
            assistant_tool(next(), ms + 2, total + 150, &tool_id, name, &input),
            &mut written,
        )?;
        if name == "Bash" {
            for _ in 0..rng.below(3) {
                let id = next();
                let partial = corpus.slice(&mut rng, 100, 800).to_string();
                emit(progress(id, ms + 3, &partial), &mut written)?;
            }
        }
        // Mostly 0.5-16 kB, every 500th turn 256 kB to 1.5 MB (a big file read).
        let size = if turn.is_multiple_of(500) {
            256 * 1024 + rng.below(1_280 * 1024) as usize
        } else {
            500 + rng.below(16_000) as usize
        };
        let output = corpus.slice(&mut rng, size, 1).to_string();
        emit(tool_result(next(), ms + 4, &tool_id, &output), &mut written)?;
    }
    uuid += 1;
    emit(
        assistant_text(
            uuid,
            end_ms,
            LAST_TOTAL,
            "That is everything.",
            "bench_last",
        ),
        &mut written,
    )?;
    out.flush()?;
    Ok(written)
}

fn big(opts: &Options) -> Res<()> {
    println!("\n## big: following a {} MiB transcript\n", opts.size_mb);
    let home = tempfile::tempdir()?;
    let path: PathBuf = home.path().join(format!("{SESSION}.jsonl"));
    let started = Instant::now();
    let bytes = generate(&path, opts.size_mb)?;
    let mib = bytes as f64 / (1024.0 * 1024.0);
    println!(
        "generated {mib:.0} MiB in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        path.display()
    );

    // The floor: reading the same (page-cached) bytes and doing nothing with them.
    let cat_started = Instant::now();
    let status = Command::new("cat")
        .arg(&path)
        .stdout(Stdio::null())
        .status()?;
    let cat_secs = cat_started.elapsed().as_secs_f64();
    if !status.success() {
        return Err("cat failed".into());
    }

    let args = [OsStr::new("--transcript"), path.as_os_str()];
    let spawned = Instant::now();
    let mut term = Term::spawn("cockpit", &opts.binary, &args, home.path())?;
    let pid = term.pid;
    let first = term.wait_until(spawned + Duration::from_secs(30), |t| {
        t.screen_has("cockpit")
    });
    let Some(first) = first else {
        term.stop();
        return Err("no first frame within 30 s".into());
    };
    let first_frame = first.saturating_duration_since(spawned);
    // Shown while the history is read in the background, at any time before catch-up.
    let mut saw_reading = term.screen_has("reading history");
    let figure = format!(" {}/", thousands(LAST_TOTAL));
    let limit = spawned + Duration::from_secs(60 + opts.size_mb / 2);
    let mut peak_rss_seen = 0;
    let mut samples = 0;
    let caught_up = loop {
        if let Some(rss) = status_kb(Some(pid), "VmRSS:") {
            peak_rss_seen = peak_rss_seen.max(rss);
            samples += 1;
        }
        let step = (Instant::now() + Duration::from_millis(100)).min(limit);
        let done = term.wait_until(step, |t| {
            let screen = t.contents();
            saw_reading |= screen.contains("reading history");
            screen.contains(&figure)
        });
        if let Some(at) = done {
            break Some(at);
        }
        if term.closed || Instant::now() >= limit {
            break None;
        }
    };
    let hwm_at_catch_up = status_kb(Some(pid), "VmHWM:").unwrap_or(0);
    std::thread::sleep(Duration::from_secs(2));
    term.drain();
    let hwm_end = status_kb(Some(pid), "VmHWM:").unwrap_or(0);
    let rss_end = status_kb(Some(pid), "VmRSS:").unwrap_or(0);
    let threads = thread_count(pid);
    let screen = term.contents();
    term.stop();

    let caught = caught_up.map(|at| at.saturating_duration_since(spawned));
    let mb_s = |secs: f64| format!("{:.0}", mib / secs);
    println!("\n| what | time | read speed MB/s | peak RSS (VmHWM) | RSS after catch-up |");
    println!("|---|---:|---:|---:|---:|");
    println!("| cockpit: first frame | {} ms | | | |", ms(first_frame));
    match caught {
        Some(c) => println!(
            "| cockpit: history caught up (last figure on screen) | {:.2} s | {} | {:.1} MiB | {:.1} MiB |",
            c.as_secs_f64(),
            mb_s(c.as_secs_f64()),
            hwm_end as f64 / 1024.0,
            rss_end as f64 / 1024.0
        ),
        None => println!(
            "| cockpit: history caught up | NOT within the limit | | {:.1} MiB | {:.1} MiB |",
            hwm_end as f64 / 1024.0,
            rss_end as f64 / 1024.0
        ),
    }
    println!(
        "| cat file > /dev/null (floor) | {cat_secs:.2} s | {} | | |",
        mb_s(cat_secs)
    );
    println!(
        "\n({samples} RSS samples while reading, highest VmRSS seen {:.1} MiB; VmHWM at catch-up {:.1} MiB; {threads} threads at the end)",
        peak_rss_seen as f64 / 1024.0,
        hwm_at_catch_up as f64 / 1024.0
    );
    println!(
        "Targets: first frame < 200 ms -> {} ({} ms); RSS < 40 MB -> {} (peak {:.1} MiB = {:.1} MB); history read in the background (\"reading history…\" shown before catch-up) -> {}",
        verdict(first_frame < Duration::from_millis(200)),
        ms(first_frame),
        verdict(hwm_end * 1024 < 40_000_000),
        hwm_end as f64 / 1024.0,
        hwm_end as f64 * 1024.0 / 1e6,
        verdict(saw_reading && caught.is_some_and(|c| c > first_frame))
    );
    if caught.is_none() {
        println!("last screen:\n{screen}");
    }
    Ok(())
}

// ---------------------------------------------------------------- 4. working tree under a write burst

struct KeyRun {
    /// Keypress to the screen showing its effect, sorted.
    samples: Vec<Duration>,
    missed: usize,
    /// Frames drawn in the window, and the most in any one second of it.
    frames: usize,
    busiest: usize,
    window: Duration,
}

const HELP_OPEN: &str = "any key closes";

/// Opens and closes the help overlay (`?`, `Esc`) over and over, 30 ms
/// between keys, while `busy` holds (and for at least `min`), timing each
/// key to the frame that shows its effect and counting every frame drawn.
/// Without `press`, only counts the frames.
fn keys_while(term: &mut Term, busy: &dyn Fn() -> bool, min: Duration, press: bool) -> Res<KeyRun> {
    term.drain();
    let start = Instant::now();
    let first = term.frames.len();
    let (mut samples, mut missed) = (Vec::new(), 0);
    while (busy() || start.elapsed() < min) && !term.closed {
        if !press {
            std::thread::sleep(Duration::from_millis(10));
            term.drain();
            continue;
        }
        for (key, open) in [(&b"?"[..], true), (&b"\x1b"[..], false)] {
            std::thread::sleep(Duration::from_millis(30));
            term.drain();
            let sent = term.send(key)?;
            let shown = term.wait_until(sent + Duration::from_secs(2), |t| {
                t.screen_has(HELP_OPEN) == open
            });
            match shown {
                Some(at) => samples.push(at.saturating_duration_since(sent)),
                None => {
                    missed += 1;
                    // Back to a closed overlay before going on.
                    if term.screen_has(HELP_OPEN) {
                        let sent = term.send(b"\x1b")?;
                        term.wait_until(sent + Duration::from_secs(5), |t| {
                            !t.screen_has(HELP_OPEN)
                        });
                    }
                    break;
                }
            }
        }
    }
    let end = Instant::now();
    term.drain();
    let frames: Vec<Instant> = term.frames[first..]
        .iter()
        .copied()
        .filter(|at| *at <= end)
        .collect();
    let busiest = (0..frames.len())
        .map(|i| {
            frames[i..]
                .iter()
                .take_while(|t| t.duration_since(frames[i]) < Duration::from_secs(1))
                .count()
        })
        .max()
        .unwrap_or(0);
    samples.sort();
    Ok(KeyRun {
        samples,
        missed,
        frames: frames.len(),
        busiest,
        window: end - start,
    })
}

/// `writes` writes cycling over `paths`, on a thread; `busy` is true until
/// the last one.
fn write_burst(
    paths: Vec<PathBuf>,
    writes: usize,
) -> (Arc<AtomicU64>, std::thread::JoinHandle<Res2<Duration>>) {
    let busy = Arc::new(AtomicU64::new(1));
    let flag = busy.clone();
    let thread = std::thread::spawn(move || {
        let start = Instant::now();
        let result = (0..writes).try_for_each(|i| {
            std::fs::write(
                &paths[i % paths.len()],
                format!("// write {i}\nfn g() {{}}\n"),
            )
        });
        flag.store(0, Ordering::SeqCst);
        result.map(|()| start.elapsed()).map_err(|e| e.to_string())
    });
    (busy, thread)
}

type Res2<T> = Result<T, String>;

fn worktree(opts: &Options) -> Res<()> {
    let home = tempfile::tempdir()?;
    let repo = home.path().join("repo");
    let mut tracked = Vec::new();
    for d in 0..100 {
        let dir = repo.join(format!("src/d{d}"));
        std::fs::create_dir_all(&dir)?;
        for f in 0..20 {
            let path = dir.join(format!("f{f}.rs"));
            std::fs::write(&path, format!("// {d} {f}\nfn f() {{}}\n"))?;
            tracked.push(path);
        }
    }
    std::fs::write(repo.join(".gitignore"), "target/\n")?;
    git(&repo, &["init", "-q"])?;
    git(&repo, &["add", "."])?;
    git(&repo, &["commit", "-q", "-m", "tree"])?;
    let deps = repo.join("target/debug/deps");
    std::fs::create_dir_all(&deps)?;
    let ignored: Vec<PathBuf> = (0..500).map(|i| deps.join(format!("f{i}.o"))).collect();
    tracked.truncate(1_000);

    let path = home.path().join(format!("{SESSION}.jsonl"));
    let start_ms = now_ms() - 60_000;
    let mut initial = user_prompt(1, start_ms, "change many files");
    initial += &assistant_text(2, start_ms + 1_000, 9_990, "Ready.", "bench_initial");
    std::fs::write(&path, initial)?;
    let args = [OsStr::new("--transcript"), path.as_os_str()];
    let mut term = Term::spawn_in("cockpit", &opts.binary, &args, home.path(), &repo)?;
    if term
        .wait_until(Instant::now() + Duration::from_secs(15), |t| {
            t.screen_has(" 9,990/")
        })
        .is_none()
    {
        let screen = term.contents();
        term.stop();
        return Err(format!("the cockpit never showed the session; screen:\n{screen}").into());
    }
    // Start-up work (tokenizer warm-up, the watcher's walk) ends first.
    std::thread::sleep(Duration::from_millis(1_500));
    println!(
        "\n## worktree: keys and redraws while {} writes hit the working tree \
         (the cockpit in {}: 2,000 tracked files in 100 directories, an ignored target/; \
         pty {COLS}x{ROWS})\n",
        thousands(opts.writes as u64),
        repo.display()
    );
    println!(
        "| while | writes took s | keys | missed | p50 ms | p99 ms | max ms | frames/s | most frames in 1 s |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let quiet = keys_while(&mut term, &|| false, Duration::from_secs(3), true)?;
    print_keys("nothing (floor), keys", None, &quiet);
    let mut worst = 0;
    let mut worst_p99 = Duration::ZERO;
    for (name, paths) in [
        ("writes under ignored target/", ignored),
        ("writes to 1,000 tracked files", tracked),
    ] {
        // First the redraws the writes cause alone, then with keys pressed.
        for press in [false, true] {
            let (busy, writer) = write_burst(paths.clone(), opts.writes);
            let run = keys_while(
                &mut term,
                &|| busy.load(Ordering::SeqCst) != 0,
                Duration::ZERO,
                press,
            )?;
            let took = writer.join().map_err(|_| "writer panicked")??;
            let name = format!("{name}, {}", if press { "keys" } else { "no keys" });
            print_keys(&name, Some(took), &run);
            worst = worst.max(run.busiest);
            if press {
                worst_p99 = worst_p99.max(percentile(&run.samples, 0.99));
            }
            // Let the last batch land before the next run.
            std::thread::sleep(Duration::from_millis(1_500));
        }
    }
    let screen = term.contents();
    term.stop();
    println!(
        "\nTargets during the bursts: a keypress answered within 50 ms (p99 {} ms) -> {}; \
         at most 60 redraws a second (most in any second: {worst}) -> {}",
        ms(worst_p99),
        verdict(worst_p99 <= Duration::from_millis(50)),
        verdict(worst <= 60)
    );
    println!("\nlast screen:\n{screen}");
    Ok(())
}

fn print_keys(name: &str, took: Option<Duration>, run: &KeyRun) {
    let s = &run.samples;
    println!(
        "| {name} | {} | {} | {} | {} | {} | {} | {:.1} | {} |",
        took.map_or("-".into(), |d| format!("{:.1}", d.as_secs_f64())),
        s.len(),
        run.missed,
        ms(percentile(s, 0.50)),
        ms(percentile(s, 0.99)),
        ms(s.last().copied().unwrap_or_default()),
        run.frames as f64 / run.window.as_secs_f64().max(0.001),
        run.busiest
    );
}
