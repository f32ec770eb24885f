//! Words on the screen stay true, in the real binary: a notice lives a few
//! seconds, or goes when what it says stops being true, with no key pressed.

mod support;

use std::path::Path;
use std::time::Duration;

use cockpit::agents::discover::project_key;
use support::hooks::{Cockpit, Env};
use support::pty::Pty;

fn assistant(session: &str, tokens: u64) -> String {
    format!(
        r#"{{"type":"assistant","isSidechain":false,"sessionId":"{session}","timestamp":"2026-02-12T16:02:27.718Z","message":{{"model":"claude-opus-4-6","content":[],"usage":{{"input_tokens":{tokens},"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":5}}}}}}
"#
    )
}

fn start_discovering(dir: &Path, project: &Path) -> Pty {
    let (claude, codex) = (dir.join("claude"), dir.join("codex"));
    let (config, state, run) = (dir.join("config"), dir.join("state"), dir.join("run"));
    let env = [
        ("HOME", dir),
        ("CLAUDE_CONFIG_DIR", claude.as_path()),
        ("CODEX_HOME", codex.as_path()),
        ("XDG_CONFIG_HOME", config.as_path()),
        ("XDG_STATE_HOME", state.as_path()),
        ("COCKPIT_RUNTIME_DIR", run.as_path()),
    ];
    Pty::start(&[], project, &env, (30, 140))
}

#[test]
fn the_waiting_notice_goes_when_a_session_appears() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("app");
    std::fs::create_dir_all(&project).unwrap();
    let project = project.canonicalize().unwrap();
    let sessions = dir
        .path()
        .join("claude/projects")
        .join(project_key(&project.to_string_lossy()));
    std::fs::create_dir_all(&sessions).unwrap();

    let mut cockpit = start_discovering(dir.path(), &project);
    cockpit.wait_for("no agent transcript");
    std::fs::write(
        sessions.join("cccccccc-live.jsonl"),
        assistant("cccccccc-live", 22_222),
    )
    .unwrap();
    cockpit.wait_for("22,222");
    cockpit.wait_gone("reading history");
    cockpit.pump(Duration::from_millis(500));
    assert!(
        !cockpit.contents().contains("no agent transcript"),
        "{}",
        cockpit.contents()
    );
}

#[test]
fn a_passing_notice_goes_by_itself() {
    let env = Env::new();
    let mut cockpit = Cockpit::start(&env);
    cockpit.keys("L");
    cockpit.wait_for("learning");
    cockpit.keys("tests first\r");
    cockpit.wait_for("learning saved");
    // No key, no event: it goes by itself.
    cockpit.wait_gone("learning saved");
}

#[test]
fn approvals_off_goes_when_the_other_cockpit_quits_with_no_key_pressed() {
    let env = Env::new();
    let mut first = Cockpit::start(&env);
    let mut second = Cockpit::start(&env);
    second.wait_for("approvals OFF");
    first.signal("TERM");
    first.wait_exit();
    second.wait_gone("approvals OFF");
    second.wait_gone("approvals off");
}
