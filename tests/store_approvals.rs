//! Approvals in the saved record say what happened to them, under the agent
//! that asked: the real binary in a pty, real `cockpit hook` processes and
//! the real store in a git repository.

mod common;
mod support;

use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

use common::git::git;
use serde_json::{Value, json};
use support::hooks::{Env, hook_stdin, stdout, wait};
use support::pty::Pty;

const CLAUDE_ID: &str = "4d5611e5-241a-462a-8d15-5122611a9569";
const CODEX_ID: &str = "019a2d7a-7c1e-7d3a-9f0e-1b2c3d4e5f60";
const CODEX: &str = "codex/rollout-2026-03-01T10-00-00-019a2d7a-7c1e-7d3a-9f0e-1b2c3d4e5f60.jsonl";
const PUSH: &str = "git push origin main";

/// A project that is a git repository, saving every second.
fn project() -> Env {
    let env = Env::new();
    git(&env.project(), &["init", "-q", "-b", "main"]);
    env.write_config("[store]\nask_learning_on_quit = false\nautosave_secs = 1\n");
    env
}

fn claude_transcript(env: &Env) -> std::path::PathBuf {
    let path = env.dir.path().join(format!("{CLAUDE_ID}.jsonl"));
    let line = format!(
        r#"{{"type":"assistant","isSidechain":false,"sessionId":"{CLAUDE_ID}","cwd":"/p","timestamp":"2026-02-12T16:02:27.718Z","message":{{"model":"claude-opus-4-6","content":[],"usage":{{"input_tokens":45678,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":5}}}}}}"#
    );
    std::fs::write(&path, format!("{line}\n")).unwrap();
    path
}

fn start(env: &Env, args: &[&str]) -> Pty {
    let vars = env.vars();
    let vars: Vec<(&str, &std::path::Path)> = vars.iter().map(|(k, v)| (*k, v.as_path())).collect();
    let pty = Pty::start(args, &env.project(), &vars, (30, 120));
    let deadline = Instant::now() + Duration::from_secs(10);
    while !env.socket().exists() {
        assert!(Instant::now() < deadline, "no socket");
        std::thread::sleep(Duration::from_millis(20));
    }
    pty
}

fn cockpit(env: &Env, args: &[&str]) -> Output {
    let mut cmd = Command::new(support::pty::BIN);
    cmd.args(args)
        .current_dir(env.project())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    for (key, value) in env.vars() {
        cmd.env(key, value);
    }
    cmd.output().unwrap()
}

fn text(env: &Env, args: &[&str]) -> String {
    let out = cockpit(env, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn only_id(env: &Env) -> String {
    let refs = git(
        &env.project(),
        &["for-each-ref", "--format=%(refname)", "refs/cockpit/"],
    );
    let refs: Vec<&str> = refs.lines().collect();
    assert_eq!(refs.len(), 1, "{refs:?}");
    refs[0].rsplit('/').next().unwrap().to_string()
}

fn record(env: &Env, id: &str) -> Value {
    serde_json::from_str(&text(env, &["show", id, "--json"])).unwrap()
}

/// The saved record once `ready` holds for it (the autosave comes each second).
fn saved_until(env: &Env, ready: impl Fn(&Value) -> bool) -> (String, Value) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let refs = git(
            &env.project(),
            &["for-each-ref", "--format=%(refname)", "refs/cockpit/"],
        );
        if !refs.trim().is_empty() {
            let id = only_id(env);
            let record = record(env, &id);
            if ready(&record) {
                return (id, record);
            }
        }
        assert!(Instant::now() < deadline, "never saved as expected");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn approvals(record: &Value) -> Vec<Value> {
    record["approvals"].as_array().unwrap().clone()
}

fn pending(record: &Value) -> usize {
    approvals(record)
        .iter()
        .filter(|a| a["decision"] == "pending")
        .count()
}

/// Claude Code's PermissionRequest for `git push`, from its session.
fn claude_asks(env: &Env, transcript: &std::path::Path) -> Child {
    let mut hook = hook_stdin(
        "claude",
        "PermissionRequest",
        "Bash",
        json!({"command": PUSH, "description": "push"}),
        transcript,
        &env.project(),
    );
    hook["session_id"] = CLAUDE_ID.into();
    env.spawn_hook_as("claude", hook.to_string().into_bytes()).0
}

/// Codex's PreToolUse for `git push`, naming its session by id only (a
/// Codex hook may send `transcript_path: null`).
fn codex_asks(env: &Env) -> Child {
    let mut hook = hook_stdin(
        "codex",
        "PreToolUse",
        "Bash",
        json!({"command": PUSH}),
        std::path::Path::new("/unused"),
        &env.project(),
    );
    hook["session_id"] = CODEX_ID.into();
    hook["transcript_path"] = Value::Null;
    env.spawn_hook_as("codex", hook.to_string().into_bytes()).0
}

fn of_agent<'a>(approvals: &'a [Value], session: &str) -> &'a Value {
    approvals
        .iter()
        .find(|a| a["agent_session_id"] == session)
        .unwrap_or_else(|| panic!("no approval of {session}: {approvals:?}"))
}

#[test]
fn requests_waiting_at_quit_end_as_their_hooks_end_them_under_their_agents() {
    let env = project();
    let claude = claude_transcript(&env);
    let codex = env.dir.path().join("rollout.jsonl");
    std::fs::copy(common::fixture(CODEX), &codex).unwrap();
    let (claude_path, codex_path) = (
        claude.to_string_lossy().into_owned(),
        codex.to_string_lossy().into_owned(),
    );
    let mut pty = start(
        &env,
        &["--transcript", &claude_path, "--transcript", &codex_path],
    );
    pty.wait_for("claude 4d5611e5");
    pty.wait_for("codex 019a2d7a");
    let claude_hook = claude_asks(&env, &claude);
    pty.wait_for("Approval needed");
    let codex_hook = codex_asks(&env);
    pty.wait_for("1 of 2");

    // While the cockpit runs, both are open, each under its own agent.
    let (id, running) = saved_until(&env, |r| pending(r) == 2);
    let asked = approvals(&running);
    assert_eq!(
        of_agent(&asked, CLAUDE_ID)["transcript"],
        claude_path.as_str()
    );
    assert_eq!(
        of_agent(&asked, CODEX_ID)["transcript"],
        codex_path.as_str()
    );
    let summary: Value = serde_json::from_str(&text(&env, &["sessions", "--json"])).unwrap();
    let main = summary[0]["agent_session_id"].as_str().unwrap().to_string();
    assert_eq!(summary[0]["approvals"], 1, "the named agent's only");
    assert_eq!(summary[0]["open_approvals"], 1);
    let other = if main == CLAUDE_ID {
        CODEX_ID
    } else {
        CLAUDE_ID
    };
    let handoff = text(&env, &["handoff", &id]);
    let open = handoff.split("## Open approvals\n").nth(1).unwrap_or("");
    let open: Vec<&str> = open.lines().take_while(|l| l.starts_with("- ")).collect();
    assert_eq!(open, [format!("- Bash: {PUSH}")], "{handoff}");
    let other_line = handoff
        .lines()
        .find(|l| l.contains(other))
        .unwrap_or_else(|| panic!("{handoff}"));
    assert!(
        other_line.contains(&format!("open approvals: Bash: {PUSH}")),
        "{handoff}"
    );
    let shown = text(&env, &["show", &id]);
    for (session, kind) in [(CLAUDE_ID, "claude"), (CODEX_ID, "codex")] {
        let line = format!("Pending Bash {PUSH} by human ({kind} {})", &session[..8]);
        assert!(shown.contains(&line), "{line}\n{shown}");
    }

    // Quit with both waiting: each hook gets no answer and falls back.
    pty.keys("\x03");
    pty.wait_exit();
    let claude_out = wait(claude_hook, Duration::from_secs(15));
    let codex_out = wait(codex_hook, Duration::from_secs(15));
    let claude_said = stdout(&claude_out);
    assert!(!claude_said.contains("\"allow\""), "{claude_said}");
    let codex_said: Value = serde_json::from_str(&stdout(&codex_out)).unwrap();
    assert_eq!(
        codex_said["hookSpecificOutput"]["permissionDecision"], "deny",
        "{codex_said}"
    );

    let ended = record(&env, &id);
    let ended_approvals = approvals(&ended);
    assert_eq!(ended_approvals.len(), 2, "{ended_approvals:?}");
    let claude_one = of_agent(&ended_approvals, CLAUDE_ID);
    assert_eq!(claude_one["decision"], "handed_back", "{claude_one}");
    assert_eq!(claude_one["decider"]["kind"], "hook");
    let reason = claude_one["reason"].as_str().unwrap();
    assert!(
        reason.contains("the cockpit quit") && reason.contains("Claude Code's own prompt"),
        "{reason}"
    );
    let codex_one = of_agent(&ended_approvals, CODEX_ID);
    assert_eq!(codex_one["decision"], "deny", "{codex_one}");
    assert_eq!(codex_one["decider"]["kind"], "hook");
    let reason = codex_one["reason"].as_str().unwrap();
    assert!(reason.contains("Codex has no prompt"), "{reason}");
    let handoff = text(&env, &["handoff", &id]);
    assert!(!handoff.contains("pen approvals"), "{handoff}");

    // Resumed and quit again: nothing open, nothing twice.
    let mut resumed = start(&env, &["resume", &id]);
    resumed.wait_for(&format!("resumed session {}", &id[..8]));
    resumed.keys("q");
    resumed.wait_exit();
    let again = record(&env, &id);
    assert_eq!(approvals(&again), ended_approvals);
    let handoff = text(&env, &["handoff", &id]);
    assert!(!handoff.contains("pen approvals"), "{handoff}");
    let summary: Value = serde_json::from_str(&text(&env, &["sessions", "--json"])).unwrap();
    assert_eq!(summary[0]["open_approvals"], 0);
}

#[test]
fn a_request_left_waiting_by_a_killed_cockpit_has_ended_once_resumed() {
    let env = project();
    let claude = claude_transcript(&env);
    let path = claude.to_string_lossy().into_owned();
    let mut pty = start(&env, &["--transcript", &path]);
    pty.wait_for("45,678");
    let hook = claude_asks(&env, &claude);
    pty.wait_for("Approval needed");
    let (id, _) = saved_until(&env, |r| pending(r) == 1);
    pty.signal("KILL");
    pty.wait_exit();
    let said = stdout(&wait(hook, Duration::from_secs(15)));
    assert!(!said.contains("\"allow\""), "{said}");

    let mut resumed = start(&env, &["resume", &id]);
    resumed.wait_for(&format!("resumed session {}", &id[..8]));
    // Not waiting here: the killed cockpit's request is not on screen.
    assert!(!resumed.contents().contains("Approval needed"));
    resumed.keys("q");
    resumed.wait_exit();
    let approvals = approvals(&record(&env, &id));
    assert_eq!(approvals.len(), 1, "{approvals:?}");
    let approval = &approvals[0];
    assert_eq!(approval["decision"], "handed_back", "{approval}");
    assert_eq!(approval["decider"]["kind"], "hook");
    assert_eq!(approval["transcript"], path.as_str());
    let reason = approval["reason"].as_str().unwrap();
    assert!(
        reason.contains("ended without quitting") && reason.contains("Claude Code's own prompt"),
        "{reason}"
    );
    let handoff = text(&env, &["handoff", &id]);
    assert!(!handoff.contains("pen approvals"), "{handoff}");
}
