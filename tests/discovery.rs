//! Discovery in the real binary: the cockpit started in a project directory
//! finds the newest Claude Code session under `$CLAUDE_CONFIG_DIR`, a Codex
//! rollout whose `session_meta` names the directory, and a session that
//! starts while it runs (through directory watches, no polling).

mod common;
mod support;

use std::path::Path;

use cockpit::agents::discover::project_key;
use support::pty::Pty;

fn assistant(session: &str, tokens: u64) -> String {
    format!(
        r#"{{"type":"assistant","isSidechain":false,"sessionId":"{session}","timestamp":"2026-02-12T16:02:27.718Z","message":{{"model":"claude-opus-4-6","content":[],"usage":{{"input_tokens":{tokens},"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":5}}}}}}
"#
    )
}

fn start(dir: &Path, project: &Path) -> Pty {
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
    Pty::start(&[], project, &env, (30, 120))
}

#[test]
fn finds_the_newest_claude_session_and_picks_up_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("my_app.v2");
    std::fs::create_dir_all(&project).unwrap();
    let project = project.canonicalize().unwrap();
    let key = project_key(&project.to_string_lossy());
    let sessions = dir.path().join("claude/projects").join(&key);
    std::fs::create_dir_all(&sessions).unwrap();
    std::fs::write(
        sessions.join("aaaaaaaa-old.jsonl"),
        assistant("aaaaaaaa-old", 11_111),
    )
    .unwrap();
    // Written later: the one shown first.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(
        sessions.join("bbbbbbbb-new.jsonl"),
        assistant("bbbbbbbb-new", 22_222),
    )
    .unwrap();

    let mut cockpit = start(dir.path(), &project);
    cockpit.wait_for("22,222");
    cockpit.wait_for("Agents 2 agents");

    // A session that starts while the cockpit runs takes the screen.
    std::fs::write(
        sessions.join("cccccccc-live.jsonl"),
        assistant("cccccccc-live", 33_333),
    )
    .unwrap();
    cockpit.wait_for("33,333");
    cockpit.wait_for("cccccccc");
}

#[test]
fn finds_a_codex_rollout_for_this_directory_only() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("app");
    std::fs::create_dir_all(&project).unwrap();
    let project = project.canonicalize().unwrap();
    let day = dir.path().join("codex/sessions/2026/03/01");
    std::fs::create_dir_all(&day).unwrap();
    let rollout = |cwd: &Path, tokens: u64| {
        format!(
            concat!(
                r#"{{"timestamp":"2026-03-01T10:00:00.100Z","type":"session_meta","payload":{{"id":"019a2d7a-0000","cwd":"{}"}}}}"#,
                "\n",
                r#"{{"timestamp":"2026-03-01T10:00:00.200Z","type":"turn_context","payload":{{"model":"gpt-5-codex"}}}}"#,
                "\n",
                r#"{{"timestamp":"2026-03-01T10:00:05.400Z","type":"event_msg","payload":{{"type":"token_count","info":{{"last_token_usage":{{"total_tokens":{}}},"model_context_window":272000}}}}}}"#,
                "\n"
            ),
            cwd.display(),
            tokens
        )
    };
    std::fs::write(
        day.join("rollout-2026-03-01T10-00-00-mine.jsonl"),
        rollout(&project, 54_400),
    )
    .unwrap();
    std::fs::write(
        day.join("rollout-2026-03-01T11-00-00-other.jsonl"),
        rollout(Path::new("/somewhere/else"), 99_999),
    )
    .unwrap();
    let mut cockpit = start(dir.path(), &project);
    cockpit.wait_for("54,400");
    cockpit.wait_for("272,000");
    cockpit.wait_for("Codex");
    assert!(!cockpit.contents().contains("99,999"));
}

#[test]
fn follows_the_sessions_of_the_repositorys_other_worktrees() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("app");
    std::fs::create_dir_all(&main).unwrap();
    let main = main.canonicalize().unwrap();
    let git = |args: &[&str]| common::git::git(&main, args);
    git(&["init", "-q", "-b", "main"]);
    git(&[
        "-c",
        "user.name=T",
        "-c",
        "user.email=t@e.invalid",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "first",
    ]);
    let linked = dir.path().join("app-feature");
    git(&[
        "worktree",
        "add",
        "-q",
        "-b",
        "feature",
        linked.to_str().unwrap(),
    ]);
    let linked = linked.canonicalize().unwrap();
    // One session in each working tree.
    for (tree, id, tokens) in [
        (&main, "aaaaaaaa-main", 11_111),
        (&linked, "dddddddd-feat", 44_444),
    ] {
        let sessions = dir
            .path()
            .join("claude/projects")
            .join(project_key(&tree.to_string_lossy()));
        std::fs::create_dir_all(&sessions).unwrap();
        std::fs::write(sessions.join(format!("{id}.jsonl")), assistant(id, tokens)).unwrap();
    }
    let mut cockpit = start(dir.path(), &main);
    cockpit.wait_for("Agents 2 agents");
    cockpit.wait_for("aaaaaaaa");
    cockpit.wait_for("dddddddd");
}

/// Without `$CLAUDE_CONFIG_DIR`, `report` reads `$XDG_CONFIG_HOME/claude` as
/// well as `~/.claude` (some Claude Code versions wrote there): the live
/// cockpit follows the same roots, so a session `report` lists is one it
/// follows.
#[test]
fn follows_a_session_under_the_xdg_config_root_that_report_lists() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("app");
    std::fs::create_dir_all(&project).unwrap();
    let project = project.canonicalize().unwrap();
    let config = dir.path().join("config");
    let sessions = config
        .join("claude/projects")
        .join(project_key(&project.to_string_lossy()));
    std::fs::create_dir_all(&sessions).unwrap();
    std::fs::write(
        sessions.join("eeeeeeee-xdg.jsonl"),
        assistant("eeeeeeee-xdg", 55_555),
    )
    .unwrap();
    let (codex, state, run) = (
        dir.path().join("codex"),
        dir.path().join("state"),
        dir.path().join("run"),
    );
    // An empty CLAUDE_CONFIG_DIR counts as unset.
    let env = [
        ("HOME", dir.path()),
        ("CLAUDE_CONFIG_DIR", Path::new("")),
        ("CODEX_HOME", codex.as_path()),
        ("XDG_CONFIG_HOME", config.as_path()),
        ("XDG_STATE_HOME", state.as_path()),
        ("COCKPIT_RUNTIME_DIR", run.as_path()),
    ];
    let report = std::process::Command::new(support::pty::BIN)
        .args(["report", "--json", "--project"])
        .arg(&project)
        .envs(env.iter().map(|(k, v)| (k, v.as_os_str())))
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&report.stdout);
    assert!(listed.contains("eeeeeeee-xdg"), "report: {listed}");

    let mut cockpit = Pty::start(&[], &project, &env, (30, 120));
    cockpit.wait_for("55,555");
    cockpit.wait_for("eeeeeeee");
}
