//! Resizes in the real binary: every resize is redrawn at once and whole,
//! the same screen a fresh start at that size draws; Ctrl-L redraws a
//! screen the terminal lost.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::pty::Pty;

/// (rows, cols): growing, shrinking, both at once, the 40x10 to 200x50.
const SIZES: [(u16, u16); 6] = [
    (24, 80),
    (10, 40),
    (50, 200),
    (30, 120),
    (15, 60),
    (48, 160),
];

/// A redraw that has not come by then was missed (it used to wait for a key).
const AT_ONCE: Duration = Duration::from_secs(3);

/// Starts the cockpit in a new repository at `dir/project` (the same path
/// each time, as the screen names it; new, as a stopped cockpit saves to it).
fn start(dir: &Path, size: (u16, u16)) -> Pty {
    let project = dir.join("project");
    let _ = std::fs::remove_dir_all(&project);
    std::fs::create_dir_all(&project).unwrap();
    let git = std::process::Command::new("git")
        .args(["init", "-q", "-b", "main"])
        .current_dir(&project)
        .status()
        .unwrap();
    assert!(git.success());
    let (config, state, run) = (dir.join("config"), dir.join("state"), dir.join("run"));
    let (claude, codex) = (dir.join("claude"), dir.join("codex"));
    let env = [
        ("HOME", dir),
        ("CLAUDE_CONFIG_DIR", claude.as_path()),
        ("CODEX_HOME", codex.as_path()),
        ("XDG_CONFIG_HOME", config.as_path()),
        ("XDG_STATE_HOME", state.as_path()),
        ("COCKPIT_RUNTIME_DIR", run.as_path()),
    ];
    Pty::start(&[], &project, &env, size)
}

/// Stops a cockpit and waits until it is gone (its last save made).
fn stop(mut pty: Pty) {
    pty.child.kill().unwrap();
    pty.child.wait().unwrap();
}

/// The screen once nothing has changed on it for a while.
fn settled(pty: &mut Pty) -> String {
    pty.wait_for("quit");
    let mut last = pty.contents();
    loop {
        pty.pump(Duration::from_millis(400));
        let now = pty.contents();
        if now == last {
            return now;
        }
        last = now;
    }
}

/// What a fresh start draws at each size.
fn fresh_screens(dir: &Path) -> Vec<String> {
    SIZES
        .iter()
        .map(|&size| {
            let mut pty = start(dir, size);
            let screen = settled(&mut pty);
            stop(pty);
            screen
        })
        .collect()
}

/// Waits until the screen is `want`; panics with both if it is not by `AT_ONCE`.
fn wait_for_screen(pty: &mut Pty, want: &str, what: &str) {
    let deadline = Instant::now() + AT_ONCE;
    while pty.contents() != want {
        assert!(
            Instant::now() < deadline,
            "{what}: not redrawn as a fresh start draws it.\n--- shown:\n{}\n--- fresh start:\n{want}",
            pty.contents()
        );
        pty.pump(Duration::from_millis(20));
    }
}

#[test]
fn every_resize_is_redrawn_at_once_and_whole() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = fresh_screens(dir.path());
    let mut cockpit = start(dir.path(), SIZES[0]);
    assert_eq!(settled(&mut cockpit), fresh[0]);
    // Several rounds: a lost resize was about one in six.
    for round in 0..4 {
        for (i, &(rows, cols)) in SIZES.iter().enumerate().skip(1).chain([(0, &SIZES[0])]) {
            cockpit.resize(rows, cols);
            wait_for_screen(
                &mut cockpit,
                &fresh[i],
                &format!("round {round}, resized to {cols}x{rows}"),
            );
        }
    }
}

#[test]
fn ctrl_l_redraws_a_screen_the_terminal_lost() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = start(dir.path(), SIZES[0]);
    let fresh = settled(&mut first);
    stop(first);
    let mut cockpit = start(dir.path(), SIZES[0]);
    assert_eq!(settled(&mut cockpit), fresh);
    // The terminal's screen is wiped behind the program's back (another
    // program wrote over it, a terminal laid it out at another size).
    cockpit.screen.process(b"\x1b[2J\x1b[Hgarbage");
    cockpit.keys("\x0c");
    wait_for_screen(&mut cockpit, &fresh, "after Ctrl-L");
}
