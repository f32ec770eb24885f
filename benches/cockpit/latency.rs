//! 1. From an appended line to the figure on screen.

use super::*;

pub(crate) struct LatencyRun {
    pub(crate) samples: Vec<Duration>,
    pub(crate) missed: usize,
}

/// Appends `lines` assistant lines one at a time and measures, for each, the
/// time from `write` returning to the terminal showing it.
pub(crate) fn latency_of(program: &'static str, opts: &Options) -> Res<LatencyRun> {
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

pub(crate) fn latency(opts: &Options) -> Res<()> {
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

pub(crate) fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "MISSED" }
}
