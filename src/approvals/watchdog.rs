//! A hook that hangs is killed by the agent, and a killed hook lets the call
//! run (Codex always; Claude Code unless `onFailure: block`); so does one the
//! kernel kills for eating memory. So everything the hook does on its own
//! (reading stdin, parsing, resolving paths, deciding, printing) has a
//! deadline and a memory ceiling: past either, the hook blocks the call with
//! exit code 2, which both agents honour. The wait for the cockpit has its
//! own bound (`approvals.timeout_secs`) and pauses the deadline. (Found:
//! brush-parser 0.4.0 allocates without end on `$(cat <<` and two blanks.)

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Work of milliseconds; a hung filesystem, a writer that never closes
/// stdin, or a bug may take forever.
const DEADLINE: Duration = Duration::from_secs(20);

/// Far above what the hook needs (a 16 MiB input parsed: about 100 MiB).
const MAX_RSS_MIB: u64 = 1024;
/// How often the memory is looked at: a runaway allocates about 0.4 GiB/s.
const POLL: Duration = Duration::from_millis(50);

/// When the deadline falls, if it is running.
static DUE: Mutex<Option<Instant>> = Mutex::new(None);
/// Someone (the hook or the watchdog) is printing the one answer.
static ANSWERED: AtomicBool = AtomicBool::new(false);

// Tests lower both; the agent, not the model, sets the hook's environment.
fn setting(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn limit() -> Duration {
    setting("COCKPIT_HOOK_DEADLINE_MS").map_or(DEADLINE, Duration::from_millis)
}

/// The hook's resident memory in MiB (Linux).
fn resident_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib >> 10)
}

/// Starts the deadline and the thread that enforces it and the ceiling.
pub fn start() {
    resume();
    let ceiling = setting("COCKPIT_HOOK_MAX_RSS_MB").unwrap_or(MAX_RSS_MIB);
    std::thread::spawn(move || {
        let why = loop {
            std::thread::sleep(POLL);
            let due = *DUE.lock().unwrap_or_else(|e| e.into_inner());
            if due.is_some_and(|due| due <= Instant::now()) {
                break format!("no answer within {} s (the hook hung)", limit().as_secs());
            }
            if let Some(mib) = resident_mib().filter(|&mib| mib > ceiling) {
                break format!("the hook took {mib} MiB of memory, over its {ceiling} MiB");
            }
        };
        if claim() {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "cockpit hook: {why}; blocking the call (exit 2)"
            );
            std::process::exit(2);
        }
    });
}

/// The cockpit is deciding, within its own bounded wait.
pub fn pause() {
    *DUE.lock().unwrap_or_else(|e| e.into_inner()) = None;
}

/// The hook works alone again: a fresh deadline.
pub fn resume() {
    *DUE.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now() + limit());
}

/// Whether the caller is the one to print the answer (only one ever does).
pub fn claim() -> bool {
    !ANSWERED.swap(true, Ordering::SeqCst)
}
