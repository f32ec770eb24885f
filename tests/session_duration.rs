//! The real cockpit, run for a while and quit: `cockpit sessions` gives the
//! time it ran (issue 12 saw "0ms" for a cockpit that ran a second or more).

mod live_support;

use std::time::Duration;

use live_support::{SLOW, World};

#[test]
fn a_cockpit_that_ran_two_seconds_lists_about_two_seconds() {
    let world = World::new();
    let mut cockpit = world.start_cockpit((24, 80));
    cockpit.wait_for("no agent session", SLOW);
    std::thread::sleep(Duration::from_secs(2));
    cockpit.send("q");
    // A learning is asked for on the way out; Esc skips it.
    cockpit.settle(Duration::from_millis(300));
    cockpit.send("\x1b");
    cockpit.wait_exit(SLOW);
    let out = world.cockpit(&["sessions"]);
    assert!(out.status.success(), "{out:?}");
    let table = String::from_utf8_lossy(&out.stdout).to_string();
    let seconds: Vec<f64> = table
        .split_whitespace()
        .filter_map(|w| w.strip_suffix('s')?.parse().ok())
        .collect();
    assert_eq!(seconds.len(), 1, "one duration in seconds: {table}");
    assert!((2.0..30.0).contains(&seconds[0]), "{table}");
}
