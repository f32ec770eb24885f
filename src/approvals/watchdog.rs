//! A hook that hangs is killed by the agent, and a killed hook lets the call
//! run (Codex always; Claude Code unless `onFailure: block`). So everything
//! the hook does on its own (reading stdin, parsing, resolving paths,
//! deciding, printing) has a deadline: past it, the hook blocks the call
//! with exit code 2, which both agents honour. The wait for the cockpit has
//! its own bound (`approvals.timeout_secs`) and pauses the deadline.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Work of milliseconds; a hung filesystem, a writer that never closes
/// stdin, or a bug may take forever.
const DEADLINE: Duration = Duration::from_secs(20);

/// When the deadline falls, if it is running.
static DUE: Mutex<Option<Instant>> = Mutex::new(None);
/// Someone (the hook or the watchdog) is printing the one answer.
static ANSWERED: AtomicBool = AtomicBool::new(false);

fn limit() -> Duration {
    // Tests shorten it; the agent, not the model, sets the hook's environment.
    std::env::var("COCKPIT_HOOK_DEADLINE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(DEADLINE, Duration::from_millis)
}

/// Starts the deadline and the thread that enforces it.
pub fn start() {
    resume();
    std::thread::spawn(|| {
        loop {
            let due = *DUE.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            match due {
                Some(due) if due <= now => break,
                Some(due) => std::thread::sleep(due - now),
                None => std::thread::sleep(Duration::from_millis(200)),
            }
        }
        if claim() {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "cockpit hook: no answer within {} s (the hook hung); blocking the call (exit 2)",
                limit().as_secs()
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
