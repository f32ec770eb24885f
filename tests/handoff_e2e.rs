//! The handoff of a real 150-call session (the bundled fixture), saved by
//! the real binary in a pseudo-terminal beside a real repository: it says
//! what was done and what is left, from what the cockpit saw.

mod common;
mod support;

use std::path::Path;
use std::process::Command;

use common::git::git;
use support::pty::Pty;

const FIXTURE: &str = "claude/4d5611e5-241a-462a-8d15-5122611a9569.jsonl";

fn commit(repo: &Path, message: &str) {
    git(repo, &["add", "-A"]);
    git(
        repo,
        &[
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.invalid",
            "commit",
            "-qm",
            message,
        ],
    );
}

#[test]
fn the_handoff_of_a_long_session_says_what_was_done_and_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("app");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("README"), "hello\n").unwrap();
    commit(&repo, "init");
    let transcript = dir.path().join("t.jsonl");
    std::fs::copy(common::fixture(FIXTURE), &transcript).unwrap();
    let (config, state, run) = (
        dir.path().join("config"),
        dir.path().join("state"),
        dir.path().join("run"),
    );
    let env = [
        ("HOME", dir.path()),
        ("XDG_CONFIG_HOME", config.as_path()),
        ("XDG_STATE_HOME", state.as_path()),
        ("COCKPIT_RUNTIME_DIR", run.as_path()),
    ];
    let path = transcript.to_string_lossy();
    let mut pty = Pty::start(&["--transcript", &path], &repo, &env, (30, 110));
    pty.wait_for("claude-opus-4-6");
    // Git keeps whole seconds: a commit in the cockpit's first second would
    // read as made before it started.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // Work in the repository while the cockpit runs: a commit, and a file
    // changed and not committed.
    std::fs::write(repo.join("parser.rs"), "fn parse() {}\n").unwrap();
    commit(&repo, "Add the parser");
    std::fs::write(repo.join("README"), "hello again\n").unwrap();
    pty.wait_for("1 commit");
    pty.wait_for("1 files +1");
    pty.keys("q");
    pty.wait_for("one learning");
    pty.keys("\x1b");
    pty.wait_exit();

    let out = Command::new(env!("CARGO_BIN_EXE_cockpit"))
        .arg("handoff")
        .current_dir(&repo)
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", &config)
        .env("XDG_STATE_HOME", &state)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let handoff = String::from_utf8(out.stdout).unwrap();
    let section = |heading: &str| -> String {
        let start = handoff
            .find(&format!("{heading}\n"))
            .unwrap_or_else(|| panic!("no {heading}:\n{handoff}"));
        let body = &handoff[start + heading.len() + 1..];
        body[..body.find("\n#").unwrap_or(body.len())].to_string()
    };
    let (done, left) = {
        let at = handoff.find("## What is left").expect(&handoff);
        (&handoff[..at], &handoff[at..])
    };
    assert!(done.contains("## What was done"), "{handoff}");
    // What the human asked: the task first, then the latest prompt.
    let asked = section("### Asked (first, then the latest)");
    assert!(asked.starts_with("- Work on bead spotter-dov."), "{asked}");
    assert!(asked.trim_end().ends_with("- continue"), "{asked}");
    // The files the agent edited, named from its working directory.
    let edited = section("### Files edited by the agents");
    for file in [
        "lib/spotter/services/waiting_summary.ex",
        "lib/spotter_web/live/session_live.ex",
    ] {
        assert!(edited.contains(&format!("- {file}\n")), "{edited}");
    }
    assert!(!edited.contains("/home/USER"), "{edited}");
    // The repository's side: the change not committed and the commit made.
    assert!(section("### Files changed in the repository").contains("- README\n"));
    let short = git(&repo, &["rev-parse", "--short=7", "HEAD"]);
    assert!(
        section("### Commits made").contains(&format!("- {} Add the parser", short.trim())),
        "{handoff}"
    );
    let runs = section("### Validation (the last run of each)");
    assert!(
        runs.contains(r#"- `mix test 2>&1 | grep -E "(tests|failures)"`: passed (424 passed, 0 failed, 0 skipped)"#),
        "{runs}"
    );
    // What is left: the last request, which no end of turn followed.
    assert!(
        section("### Last request (not seen finished: no end of the agent's turn came after it)")
            .trim()
            == "continue",
        "{left}"
    );
    assert!(left.contains("### Alerts"), "{left}");
    // Still short enough to paste into a fresh session.
    let said = String::from_utf8_lossy(&out.stderr);
    let tokens: u64 = said
        .split_whitespace()
        .find_map(|w| w.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    assert!(tokens < 1_500, "{tokens} tokens: {said}");
}
