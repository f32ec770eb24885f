//! 4. The working tree under a write burst.

use super::*;

pub(crate) struct KeyRun {
    /// Keypress to the screen showing its effect, sorted.
    pub(crate) samples: Vec<Duration>,
    pub(crate) missed: usize,
    /// Frames drawn in the window, and the most in any one second of it.
    pub(crate) frames: usize,
    pub(crate) busiest: usize,
    pub(crate) window: Duration,
}

pub(crate) const HELP_OPEN: &str = "any key closes";

/// Opens and closes the help overlay (`?`, `Esc`) over and over, 30 ms
/// between keys, while `busy` holds (and for at least `min`), timing each
/// key to the frame that shows its effect and counting every frame drawn.
/// Without `press`, only counts the frames.
pub(crate) fn keys_while(
    term: &mut Term,
    busy: &dyn Fn() -> bool,
    min: Duration,
    press: bool,
) -> Res<KeyRun> {
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
pub(crate) fn write_burst(
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

pub(crate) type Res2<T> = Result<T, String>;

pub(crate) fn worktree(opts: &Options) -> Res<()> {
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

pub(crate) fn print_keys(name: &str, took: Option<Duration>, run: &KeyRun) {
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
