//! `cockpit demo` in a pty: it says what is replayed and what a key changes,
//! and the replay agrees with the decision the user made.

mod support;

use std::path::Path;

use support::pty::Pty;

fn start_demo(dir: &Path) -> Pty {
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
    // Fast: the whole recording in a few seconds.
    let args = ["demo", "--speed", "5000", "--max-pause-ms", "3"];
    Pty::start(&args, dir, &env, (40, 150))
}

/// The feed's row of the recorded push that set the upstream (the feed's
/// column only: the details beside it may name the same command).
fn push_row(pty: &Pty) -> Option<String> {
    pty.contents()
        .lines()
        .map(|l| l.split("││").next().unwrap_or(l))
        .find(|l| l.contains("Bash") && l.contains("git push --set-upstream"))
        .map(str::to_string)
}

/// Waits for the approval prompt and answers it with `keys`.
fn answer_the_push(pty: &mut Pty, keys: &str) {
    pty.wait_for("Approval needed");
    pty.wait_for("git push");
    pty.wait_for("allow once");
    pty.keys(keys);
}

#[test]
fn denying_the_push_shows_it_denied_and_the_replay_says_it_stops_there() {
    let dir = tempfile::tempdir().unwrap();
    let mut demo = start_demo(dir.path());
    answer_the_push(&mut demo, "n");
    demo.wait_for("reason");
    demo.keys("\r");
    demo.wait_for("git push --set-upstream");
    demo.pump(std::time::Duration::from_millis(500));
    let row = push_row(&demo).unwrap();
    assert!(
        row.contains("✗") && !row.contains(" ok "),
        "{row}\n{}",
        demo.contents()
    );
    demo.wait_for("you denied");
    assert!(!demo.contents().contains("replay finished"));
}

#[test]
fn allowing_the_push_replays_it_as_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut demo = start_demo(dir.path());
    answer_the_push(&mut demo, "y");
    demo.wait_for("replay finished");
    let row = push_row(&demo).unwrap_or_default();
    // The feed may have scrolled past it; if shown, it ran.
    assert!(row.is_empty() || row.contains(" ok "), "{row}");
    assert!(demo.contents().contains("you allowed"));
}

#[test]
fn the_demo_promises_no_save_it_does_not_make() {
    let dir = tempfile::tempdir().unwrap();
    let mut demo = start_demo(dir.path());
    // What is replayed and what a key changes, said from the start.
    demo.wait_for("your keys");
    demo.keys("o");
    demo.wait_for("No stored session");
    let text = demo.contents();
    assert!(!text.contains("saved on quit"), "{text}");
    assert!(text.contains("not kept"), "{text}");
}
