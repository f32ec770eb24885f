//! Bridge Torching in the real binary: the alert is on screen once the grace
//! has passed, with nothing else happening (no transcript line, no key, no
//! running call, a session idle for months: no tick of the loop's own).

mod common;
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use common::git::git;
use support::pty::Pty;

const GRACE_SECS: u64 = 2;

const PARSER: &str = "pub fn parse(input: &str) -> u32 {\n    input.len() as u32\n}\n";
const MAIN: &str = "mod parser;\nfn main() {\n    println!(\"{}\", parser::parse(\"a\"));\n}\n";
/// An old answer: the session is long idle, so no minute tick is due.
const ANSWER: &str = r#"{"type":"assistant","isSidechain":false,"sessionId":"s1","timestamp":"2026-03-01T10:00:01.000Z","message":{"model":"claude-opus-4-6","id":"m1","content":[{"type":"text","text":"Renaming parse."}],"usage":{"input_tokens":30000,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":5}}}
"#;

fn repo(dir: &Path) -> std::path::PathBuf {
    let repo = dir.join("app");
    std::fs::create_dir_all(repo.join("src")).unwrap();
    let repo = repo.canonicalize().unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["config", "user.name", "T"]);
    git(&repo, &["config", "user.email", "t@example.invalid"]);
    std::fs::write(repo.join("src/parser.rs"), PARSER).unwrap();
    std::fs::write(repo.join("src/main.rs"), MAIN).unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "first"]);
    repo
}

#[test]
fn a_rename_that_breaks_callers_alerts_when_the_grace_ends_with_nothing_else_happening() {
    let dir = tempfile::tempdir().unwrap();
    let repo = repo(dir.path());
    let transcript = dir.path().join("s1.jsonl");
    std::fs::write(&transcript, ANSWER).unwrap();
    let (config, state, run) = (
        dir.path().join("config"),
        dir.path().join("state"),
        dir.path().join("run"),
    );
    std::fs::create_dir_all(config.join("cockpit")).unwrap();
    std::fs::write(
        config.join("cockpit/config.toml"),
        format!("[detect]\nbridge_grace_secs = {GRACE_SECS}\n"),
    )
    .unwrap();
    let env = [
        ("HOME", dir.path()),
        ("XDG_CONFIG_HOME", config.as_path()),
        ("XDG_STATE_HOME", state.as_path()),
        ("COCKPIT_RUNTIME_DIR", run.as_path()),
    ];
    let mut cockpit = Pty::start(
        &["--transcript", transcript.to_str().unwrap()],
        &repo,
        &env,
        (50, 200),
    );
    cockpit.wait_for("no file changed since the session began");
    // The watcher is live once an edit shows (one made before it took its
    // baseline counts as no change, so edit again until one shows).
    let ready_by = Instant::now() + Duration::from_secs(15);
    let mut lines = String::new();
    while !cockpit.contents().contains("notes.md") {
        assert!(Instant::now() < ready_by, "{}", cockpit.contents());
        lines.push_str("note\n");
        std::fs::write(repo.join("notes.md"), &lines).unwrap();
        cockpit.pump(Duration::from_millis(300));
    }

    let edited = Instant::now();
    std::fs::write(
        repo.join("src/parser.rs"),
        PARSER.replace("fn parse(", "fn parse_input("),
    )
    .unwrap();
    cockpit.wait_for("M src/parser.rs");
    // Inside the grace the agent may be on its way to the callers.
    let inside = edited + Duration::from_millis(GRACE_SECS * 1_000 - 300);
    cockpit.pump(inside.saturating_duration_since(Instant::now()));
    assert!(
        !cockpit.contents().contains("Bridge Torching"),
        "alerted inside the grace:\n{}",
        cockpit.contents()
    );
    // Due at the grace's end; a generous margin for a loaded machine.
    let by = edited + Duration::from_secs(GRACE_SECS + 3);
    while !cockpit.contents().contains("Bridge Torching") {
        assert!(
            Instant::now() < by,
            "no alert {} s after the edit:\n{}",
            GRACE_SECS + 3,
            cockpit.contents()
        );
        cockpit.pump(Duration::from_millis(50));
    }
}
