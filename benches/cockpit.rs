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

#[path = "cockpit/big.rs"]
mod big;
#[path = "cockpit/idle.rs"]
mod idle;
#[path = "cockpit/latency.rs"]
mod latency;
#[path = "cockpit/lines.rs"]
mod lines;
#[path = "cockpit/procfs.rs"]
mod procfs;
#[path = "cockpit/pty.rs"]
mod pty;
mod support;
#[path = "cockpit/worktree_burst.rs"]
mod worktree_burst;

use std::ffi::OsStr;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use big::*;
use cockpit::text::thousands;
use idle::*;
use latency::*;
use lines::*;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use procfs::*;
use pty::*;
use support::{Res, git, load_average, status_kb};
use worktree_burst::*;

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
