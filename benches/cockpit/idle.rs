//! 2. What a cockpit costs when nothing happens.

use super::*;

pub(crate) struct IdleSample {
    pub(crate) ticks: u64,
    pub(crate) switches: u64,
    pub(crate) bytes: u64,
    pub(crate) reads: u64,
}

pub(crate) fn idle_sample(term: &Term) -> IdleSample {
    IdleSample {
        ticks: cpu_ticks(term.pid).unwrap_or(0),
        switches: context_switches(term.pid).unwrap_or(0),
        bytes: term.bytes.load(Ordering::SeqCst),
        reads: term.reads.load(Ordering::SeqCst),
    }
}

pub(crate) fn idle(opts: &Options) -> Res<()> {
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
    // An agent caught mid-write leaves half a line: the wake it causes
    // finds nothing whole to read (a reader once re-read the file at full
    // speed from such a wake until the line was finished).
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)?
        .write_all(br#"{"type":"user","sessionId":"#)?;
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
pub(crate) fn switches_by_thread(pid: u32) -> std::collections::BTreeMap<(u32, String), u64> {
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
pub(crate) fn idle_repo(opts: &Options) -> Res<()> {
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
