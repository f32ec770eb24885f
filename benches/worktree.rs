//! The working-tree watcher (`cockpit::loops::worktree`) on big trees and
//! write bursts (see BENCHMARKS.md).
//!
//! ```text
//! cargo bench --bench worktree                  # both parts
//! cargo bench --bench worktree -- ready [--dirs 2000] [--files 50] [--target-dirs 4000] [--runs 5]
//! cargo bench --bench worktree -- burst [--writes 10000]
//! ```
//!
//! `ready`: a tree of dirs x files tracked-to-be files plus an ignored
//! `target/` of target-dirs x files more. Each run starts a child process
//! (this binary, re-executed with `child`), which times from the watcher's
//! start to ready and prints its peak resident memory (`VmHWM`), so every
//! run starts with a fresh heap. Side by side: the watcher, the same with a
//! cap that polls half the directories, the old way (one recursive notify
//! watch on the root, which also watches `target/`), and a floor (the child
//! opens the repository and does nothing else).
//!
//! `burst`: N writes under the ignored `target/`, then N writes to tracked
//! files, as fast as the disk takes them; batches sent and the time from
//! the last write to the last batch.
//!
//! Nothing here asserts. Without `--bench` and without a named part it does
//! nothing, so `cargo test --benches` never starts a minute-long run.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cockpit::loops::worktree::{WatchOptions, spawn_with};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use support::{Res, git, load_average, status_kb};

struct Options {
    ready: bool,
    burst: bool,
    dirs: usize,
    files: usize,
    target_dirs: usize,
    runs: usize,
    writes: usize,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("child") {
        if let Err(err) = child(&args[1..]) {
            eprintln!("worktree bench child: {err}");
            std::process::exit(1);
        }
        return;
    }
    let mut opts = Options {
        ready: false,
        burst: false,
        dirs: 2_000,
        files: 50,
        target_dirs: 4_000,
        runs: 5,
        writes: 10_000,
    };
    let mut bench = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut number = || -> usize {
            it.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| die(&format!("{arg} wants a number")))
        };
        match arg.as_str() {
            "--bench" => bench = true,
            "ready" => opts.ready = true,
            "burst" => opts.burst = true,
            "--dirs" => opts.dirs = number().max(1),
            "--files" => opts.files = number().max(1),
            "--target-dirs" => opts.target_dirs = number(),
            "--runs" => opts.runs = number().max(1),
            "--writes" => opts.writes = number().max(1),
            other => die(&format!("unknown argument {other:?}")),
        }
    }
    if !opts.ready && !opts.burst {
        if !bench {
            println!("worktree bench: run it with `cargo bench --bench worktree`");
            return;
        }
        (opts.ready, opts.burst) = (true, true);
    }
    println!("load average at start: {}", load_average());
    if opts.ready {
        ready(&opts).unwrap_or_else(|e| die(&format!("ready: {e}")));
    }
    if opts.burst {
        burst(&opts).unwrap_or_else(|e| die(&format!("burst: {e}")));
    }
}

fn die(message: &str) -> ! {
    eprintln!("worktree bench: {message}");
    std::process::exit(2);
}

// ---------------------------------------------------------------- trees

/// `dirs` directories of `files` files, 100 to a parent (`d7/d712/f3.rs`);
/// empty ones unless `content` (an empty file has no data block, so a big
/// tree is made and deleted far faster, and a walk never reads contents).
fn fill(under: &Path, dirs: usize, files: usize, content: bool) -> Res<Vec<PathBuf>> {
    let mut paths = Vec::with_capacity(dirs * files);
    for d in 0..dirs {
        let dir = under.join(format!("d{}/d{d}", d / 100));
        std::fs::create_dir_all(&dir)?;
        for f in 0..files {
            let path = dir.join(format!("f{f}.rs"));
            let text = if content {
                format!("// {d} {f}\nfn f() {{}}\n")
            } else {
                String::new()
            };
            std::fs::write(&path, text)?;
            paths.push(path);
        }
    }
    Ok(paths)
}

// ---------------------------------------------------------------- ready

fn ready(opts: &Options) -> Res<()> {
    let tree = tempfile::tempdir()?;
    let root = tree.path();
    let made = Instant::now();
    git(root, &["init", "-q"])?;
    std::fs::write(root.join(".gitignore"), "target/\n")?;
    fill(&root.join("src"), opts.dirs, opts.files, false)?;
    fill(&root.join("target"), opts.target_dirs, opts.files, false)?;
    let watched = opts.dirs * opts.files;
    let ignored = opts.target_dirs * opts.files;
    println!(
        "\nready: {} files in {} directories watched, {} more under the ignored target/ \
         (empty files, made in {:.1} s; untracked: a walk reads no index)",
        thousands(watched),
        thousands(opts.dirs + opts.dirs.div_ceil(100) + 2),
        thousands(ignored),
        made.elapsed().as_secs_f64()
    );
    // Reads every directory once, so all runs find it in the page cache.
    run_child("floor", root, &[])?;
    let cap = (opts.dirs / 2).to_string();
    let cases: [(&str, &str, Vec<&str>); 4] = [
        ("floor: open the repository, nothing else", "floor", vec![]),
        ("watcher (non-recursive per directory)", "watch", vec![]),
        ("watcher, cap at half: the rest polled", "watch", vec![&cap]),
        ("old: one recursive notify watch", "recursive", vec![]),
    ];
    let mut results: Vec<Vec<ChildRun>> = vec![Vec::new(); cases.len()];
    for _ in 0..opts.runs {
        // Interleaved, so that load from other work spreads over all cases.
        for (i, (_, mode, extra)) in cases.iter().enumerate() {
            results[i].push(run_child(mode, root, extra)?);
        }
    }
    println!(
        "\n| case | ready ms (median of {}) | min | max | peak RSS MiB (median) | native / polled dirs |",
        opts.runs
    );
    println!("|---|---:|---:|---:|---:|---|");
    let mut medians = Vec::new();
    for ((name, _, _), runs) in cases.iter().zip(&results) {
        let mut ms: Vec<f64> = runs.iter().map(|r| r.ready_ms).collect();
        let mut kb: Vec<u64> = runs.iter().map(|r| r.hwm_kb).collect();
        ms.sort_by(f64::total_cmp);
        kb.sort_unstable();
        let (median_ms, median_kb) = (ms[ms.len() / 2], kb[kb.len() / 2]);
        medians.push((median_ms, median_kb));
        println!(
            "| {name} | {median_ms:.0} | {:.0} | {:.0} | {:.1} | {} |",
            ms[0],
            ms[ms.len() - 1],
            median_kb as f64 / 1024.0,
            runs[0].counts
        );
    }
    let (new, old) = (medians[1], medians[3]);
    println!(
        "\nold / new: ready time {:.2}x, peak RSS {:.2}x (above the floor: {:.2}x)",
        old.0 / new.0.max(0.001),
        old.1 as f64 / new.1 as f64,
        old.1.saturating_sub(medians[0].1) as f64
            / new.1.saturating_sub(medians[0].1).max(1) as f64
    );
    Ok(())
}

#[derive(Clone)]
struct ChildRun {
    ready_ms: f64,
    hwm_kb: u64,
    counts: String,
}

fn run_child(mode: &str, root: &Path, extra: &[&str]) -> Res<ChildRun> {
    let out = Command::new(std::env::current_exe()?)
        .arg("child")
        .arg(mode)
        .arg(root)
        .args(extra)
        .output()?;
    if !out.status.success() {
        return Err(format!("child {mode}: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    let text = String::from_utf8(out.stdout)?;
    let field = |key: &str| -> Option<String> {
        text.split_whitespace()
            .find_map(|w| w.strip_prefix(key).map(str::to_string))
    };
    Ok(ChildRun {
        ready_ms: field("ready_ms=")
            .and_then(|v| v.parse().ok())
            .ok_or("no ready_ms")?,
        hwm_kb: field("hwm_kb=")
            .and_then(|v| v.parse().ok())
            .ok_or("no hwm_kb")?,
        counts: field("counts=").unwrap_or_default(),
    })
}

/// In the child: one way of watching `root`, timed to ready, then the peak
/// resident memory of this process.
fn child(args: &[String]) -> Res<()> {
    let [mode, root, rest @ ..] = args else {
        return Err("child MODE ROOT [CAP]".into());
    };
    let root = Path::new(root);
    let start = Instant::now();
    let (counts, _keep): (String, Box<dyn std::any::Any>) = match mode.as_str() {
        "floor" => {
            let repo = git2::Repository::discover(root)?;
            ("-".into(), Box::new(repo.path().to_path_buf()))
        }
        "watch" => {
            let options = WatchOptions {
                max_native_watches: rest.first().and_then(|c| c.parse().ok()),
                ..WatchOptions::default()
            };
            let watch = spawn_with(root, options, |_| {})?;
            if !watch.wait_ready(Duration::from_secs(120)) {
                return Err("never ready".into());
            }
            let c = watch.counts();
            (format!("{}/{}", c.native, c.polled), Box::new(watch))
        }
        "recursive" => {
            // What the watcher did before: notify walks and watches every
            // directory itself, ignored ones included, inside `watch`.
            let mut w = RecommendedWatcher::new(|_| {}, notify::Config::default())?;
            w.watch(root, RecursiveMode::Recursive)?;
            let repo = git2::Repository::discover(root)?;
            ("all/0".into(), Box::new((w, repo.path().to_path_buf())))
        }
        other => return Err(format!("unknown mode {other}").into()),
    };
    let ready_ms = start.elapsed().as_secs_f64() * 1e3;
    let hwm = status_kb(None, "VmHWM:").ok_or("no VmHWM")?;
    println!("ready_ms={ready_ms:.2} hwm_kb={hwm} counts={counts}");
    // Measured: leave now, without waiting for the watcher's first batch.
    std::process::exit(0)
}

// ---------------------------------------------------------------- burst

fn burst(opts: &Options) -> Res<()> {
    let tree = tempfile::tempdir()?;
    let root = tree.path();
    git(root, &["init", "-q"])?;
    std::fs::write(root.join(".gitignore"), "target/\n")?;
    let tracked = fill(&root.join("src"), 100, 20, true)?;
    git(root, &["add", "."])?;
    git(root, &["commit", "-q", "-m", "tree"])?;
    let deps = root.join("target/debug/deps");
    std::fs::create_dir_all(&deps)?;

    let batches: Arc<Mutex<Vec<(Instant, usize)>>> = Arc::default();
    let options = WatchOptions::default();
    let batch_ms = options.batch.as_millis();
    let watch = {
        let batches = batches.clone();
        spawn_with(root, options, move |b| {
            batches
                .lock()
                .unwrap()
                .push((Instant::now(), b.since_start.len()));
        })?
    };
    if !watch.wait_ready(Duration::from_secs(60)) {
        return Err("never ready".into());
    }
    println!(
        "\nburst: {} writes each, watcher batch window {batch_ms} ms, {} tracked files in {} \
         directories; load average {}",
        thousands(opts.writes),
        thousands(tracked.len()),
        watch.counts().native,
        load_average()
    );
    println!(
        "\n| writes | took ms | batches | max batches in any 1 s | last write to last batch ms | rows at the end |"
    );
    println!("|---|---:|---:|---:|---:|---:|");

    let ignored: Vec<PathBuf> = (0..500).map(|i| deps.join(format!("f{i}.o"))).collect();
    let (took, last) = write_burst(&ignored, opts.writes)?;
    report("under ignored target/", &batches, took, last);

    // 1,000 distinct tracked files, each rewritten several times.
    let (took, last) = write_burst(&tracked[..1_000.min(tracked.len())], opts.writes)?;
    report("to tracked files", &batches, took, last);

    // Every batch diffs the whole tree against HEAD (`loops::diff`): that,
    // not the watching, sets the pace of batches once many files differ.
    let repo = git2::Repository::open(root)?;
    let touched = tracked[..1_000.min(tracked.len())]
        .iter()
        .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let _ = cockpit::loops::diff::diff(&repo, &touched, 0);
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "
one diff of the tree against HEAD with 1,000 files changed (what each batch costs): median {:.0} ms of 5 (min {:.0}, max {:.0})",
        times[2], times[0], times[4]
    );
    Ok(())
}

/// `writes` writes cycling over `paths`; returns how long they took and the
/// moment of the last one.
fn write_burst(paths: &[PathBuf], writes: usize) -> Res<(Duration, Instant)> {
    let start = Instant::now();
    for i in 0..writes {
        std::fs::write(
            &paths[i % paths.len()],
            format!("// write {i}\nfn g() {{}}\n"),
        )?;
    }
    Ok((start.elapsed(), Instant::now()))
}

/// Waits for quiet (3 s without a batch), then prints one row and forgets
/// the batches.
fn report(name: &str, batches: &Mutex<Vec<(Instant, usize)>>, took: Duration, last: Instant) {
    let quiet = Duration::from_secs(3);
    loop {
        std::thread::sleep(Duration::from_millis(100));
        let newest = batches
            .lock()
            .unwrap()
            .last()
            .map_or(last, |b| b.0.max(last));
        if newest.elapsed() >= quiet {
            break;
        }
    }
    let seen = std::mem::take(&mut *batches.lock().unwrap());
    let mut busiest = 0;
    for (i, (at, _)) in seen.iter().enumerate() {
        let within = seen[i..]
            .iter()
            .take_while(|(t, _)| t.duration_since(*at) < Duration::from_secs(1))
            .count();
        busiest = busiest.max(within);
    }
    let tail = seen
        .last()
        .filter(|(at, _)| *at >= last)
        .map_or("-".to_string(), |(at, _)| {
            format!("{:.0}", at.duration_since(last).as_secs_f64() * 1e3)
        });
    println!(
        "| {name} | {:.0} | {} | {busiest} | {tail} | {} |",
        took.as_secs_f64() * 1e3,
        seen.len(),
        seen.last().map_or(0, |b| b.1)
    );
}

// ---------------------------------------------------------------- helpers

fn thousands(n: usize) -> String {
    cockpit::text::thousands(n as u64)
}
