//! The loops in the real binary: a cockpit in a pseudo-terminal on a real
//! git repository, following a transcript. Files written in the tree show in
//! the working-tree panel (ignored ones never do), a commit moves the
//! checkpoint, a validation run appended to the transcript shows with its
//! counts, and a failing run after a claim of passing tests raises an alert.

mod common;
mod support;

use std::io::Write;
use std::path::Path;

use common::git::git;
use support::pty::Pty;

fn append(path: &Path, text: &str) {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

const TOOL_USE: &str = r#"{"type":"assistant","isSidechain":false,"sessionId":"s1","timestamp":"2026-03-01T10:00:01.000Z","message":{"model":"claude-opus-4-6","id":"m1","content":[{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"cargo test"}}],"usage":{"input_tokens":30000,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":5}}}
"#;
const TOOL_RESULT: &str = r#"{"type":"user","isSidechain":false,"sessionId":"s1","timestamp":"2026-03-01T10:00:09.000Z","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","is_error":true,"content":"running 12 tests\ntest result: FAILED. 10 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out\nerror: test failed"}]}}
"#;
const CLAIM: &str = r#"{"type":"assistant","isSidechain":false,"sessionId":"s1","timestamp":"2026-03-01T10:00:12.000Z","message":{"model":"claude-opus-4-6","id":"m2","content":[{"type":"text","text":"All tests pass now. The work is done."}],"usage":{"input_tokens":31000,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":9}}}
"#;

#[test]
fn working_tree_checkpoint_validation_and_an_alert_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("app");
    std::fs::create_dir_all(&repo).unwrap();
    let repo = repo.canonicalize().unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["config", "user.name", "T"]);
    git(&repo, &["config", "user.email", "t@example.invalid"]);
    std::fs::write(repo.join(".gitignore"), "target/\n").unwrap();
    std::fs::write(repo.join("lib.rs"), "fn a() {}\n").unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "first"]);
    let transcript = dir.path().join("s1.jsonl");
    append(&transcript, TOOL_USE);

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
    let mut cockpit = Pty::start(
        &["--transcript", transcript.to_str().unwrap()],
        &repo,
        &env,
        (50, 200),
    );
    cockpit.wait_for("no file changed since the session began");
    // The watcher's first batch is its baseline ("since the session
    // began"): an edit made before it would be part of it.
    cockpit.wait_for("last commit");

    // A build's churn under an ignored directory, then a real edit.
    std::fs::create_dir_all(repo.join("target/debug")).unwrap();
    for i in 0..200 {
        std::fs::write(repo.join(format!("target/debug/o{i}")), "x").unwrap();
    }
    std::fs::write(repo.join("lib.rs"), "fn a() {}\nfn b() {}\nfn c() {}\n").unwrap();
    std::fs::write(repo.join("notes.md"), "one\ntwo\n").unwrap();
    cockpit.wait_for("Working tree 2 files +4 −0");
    cockpit.wait_for("A notes.md");
    cockpit.wait_for("M lib.rs");
    assert!(
        !cockpit.contents().contains("target/debug"),
        "{}",
        cockpit.contents()
    );

    // A commit is a checkpoint: the rows clear, the age restarts.
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "second"]);
    cockpit.wait_for("no file changed since the session began");
    cockpit.wait_for("ago · 0 files +0 −0 since");

    // A failing `cargo test`, then the agent says the tests pass.
    append(&transcript, TOOL_RESULT);
    cockpit.wait_for("10 passed, 2 failed");
    append(&transcript, CLAIM);
    cockpit.wait_for("Tests Passing Lie");
    cockpit.keys("x");
    cockpit.wait_gone("Tests Passing Lie");
}
