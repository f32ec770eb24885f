//! 3. Following a very large transcript.

use super::*;

/// The final usage figure of the generated transcript (no earlier line has it).
pub(crate) const LAST_TOTAL: u64 = 177_777;

/// Writes a realistic transcript of about `size_mb` MiB: turns of prompts,
/// hook/bash progress, replies, tool calls (small Bash/Read, larger Edit and
/// Write inputs) and tool results, a few of them large.
pub(crate) fn generate(path: &Path, size_mb: u64) -> Res<u64> {
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

pub(crate) fn big(opts: &Options) -> Res<()> {
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
