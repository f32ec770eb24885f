//! What keeps a call from running that no human saw, with the real binary in
//! a pty and real `cockpit hook claude` processes: pastes and bursts never
//! answer, a key answers only the request on screen when it was pressed, a
//! call longer than the prompt is allowed only once all of it was on screen,
//! requests answered in the agent are retired, and decisions survive SIGKILL.

mod support;

use std::process::Child;
use std::time::Duration;

use support::hooks::{Cockpit, Env, armed, deny_with_reason, stdout, wait};

const SESSION: &str = "5b1c0000-1111-2222-3333-444455556666";

/// What Claude Code 2.1.328 sends when it would show its own dialog: no
/// `tool_use_id`.
fn permission_request(env: &Env, command: &str) -> serde_json::Value {
    serde_json::json!({
        "session_id": SESSION,
        "transcript_path": env.dir.path().join("t.jsonl"),
        "cwd": env.project(),
        "permission_mode": "default",
        "hook_event_name": "PermissionRequest",
        "tool_name": "Bash",
        "tool_input": {"command": command, "description": "push"},
        "permission_suggestions": [],
        "prompt_id": "p1",
        "effort": "high"
    })
}

fn still_waiting(hook: &mut Child, what: &str) {
    assert!(
        hook.try_wait().unwrap().is_none(),
        "{what}: the hook got an answer"
    );
}

#[test]
fn a_paste_never_answers_a_request() {
    let env = Env::new();
    let mut cockpit = Cockpit::start(&env);
    let request = permission_request(&env, "git push --force origin main");
    let mut hook = env.spawn_hook(&request.to_string());
    cockpit.wait_for("Approval needed");
    armed(&mut cockpit);
    // A terminal with bracketed paste: one paste event.
    cockpit.keys("\x1b[200~please check the status of the build\x1b[201~");
    cockpit.pump(Duration::from_millis(600));
    still_waiting(&mut hook, "bracketed paste");
    // A terminal without it: the same text as a burst of keys (`a` is allow
    // and remember, `n` deny).
    cockpit.keys("please check the status of the build");
    cockpit.pump(Duration::from_millis(600));
    still_waiting(&mut hook, "a burst of keys");
    assert!(cockpit.contents().contains("Approval needed"));
    assert!(
        cockpit.contents().contains("burst"),
        "{}",
        cockpit.contents()
    );
    // In the deny reason a paste is text, control characters stripped.
    cockpit.keys("n");
    cockpit.wait_for("reason for the agent");
    cockpit.keys("\x1b[200~not \x07while the build runs\x1b[201~");
    cockpit.wait_for("not while the build runs");
    // Enter a human presses, not the end of the same burst.
    cockpit.pump(Duration::from_millis(60));
    cockpit.keys("\r");
    let output = wait(hook, Duration::from_secs(15));
    assert_eq!(
        stdout(&output),
        r#"{"hookSpecificOutput":{"decision":{"behavior":"deny","message":"not while the build runs"},"hookEventName":"PermissionRequest"}}"#
    );
    assert!(
        cockpit.raw.windows(8).any(|w| w == b"\x1b[?2004h"),
        "bracketed paste is enabled"
    );
    // Every way out restores the terminal: bracketed paste off again.
    cockpit.signal("TERM");
    cockpit.wait_exit();
    cockpit.drain();
    let on = cockpit.raw.windows(8).rposition(|w| w == b"\x1b[?2004h");
    let off = cockpit.raw.windows(8).rposition(|w| w == b"\x1b[?2004l");
    assert!(off > on, "bracketed paste left on: {on:?} {off:?}");
}

#[test]
fn a_key_meant_for_one_request_never_lands_on_the_next() {
    let env = Env::new();
    let mut cockpit = Cockpit::start(&env);
    let first = env.spawn_hook(&permission_request(&env, "git push origin one").to_string());
    cockpit.wait_for("git push origin one");
    let mut second =
        env.spawn_hook(&permission_request(&env, "git push --force origin main").to_string());
    cockpit.wait_for("1 of 2");
    armed(&mut cockpit);
    // The agent is interrupted: A's hook goes away, B comes to the front
    // just as the human presses `y` for A.
    let mut first = first;
    first.kill().unwrap();
    let _ = first.wait();
    cockpit.wait_gone("1 of 2");
    cockpit.keys("y");
    cockpit.pump(Duration::from_millis(200));
    let early = cockpit.contents();
    cockpit.pump(Duration::from_millis(800));
    still_waiting(&mut second, "a key pressed for the request before");
    assert!(early.contains("arming"), "{early}");
    assert!(
        cockpit.contents().contains("key ignored"),
        "{}",
        cockpit.contents()
    );
    // Once armed, B takes its own answer.
    armed(&mut cockpit);
    cockpit.keys("n");
    cockpit.wait_for("reason for the agent");
    cockpit.keys("\r");
    let output = wait(second, Duration::from_secs(15));
    assert!(
        stdout(&output).contains(r#""behavior":"deny""#),
        "{}",
        stdout(&output)
    );
}

/// An event hook (`PostToolUse`, `UserPromptSubmit`) through the real
/// `cockpit hook claude`, which forwards it to the cockpit.
fn event_hook(env: &Env, payload: serde_json::Value) {
    let output = wait(
        env.spawn_hook(&payload.to_string()),
        Duration::from_secs(15),
    );
    assert!(output.status.success());
    assert_eq!(stdout(&output), "");
}

fn now_iso() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

/// A retired request's hook ends with no decision, so Claude Code keeps
/// its own answer; it never turns into an allow.
fn ended_without_allow(hook: Child) {
    let output = wait(hook, Duration::from_secs(15));
    assert!(output.status.success());
    // Nothing, or only a message for the user: never a decision.
    let out = stdout(&output);
    if !out.is_empty() {
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(
            value.get("hookSpecificOutput").is_none(),
            "no decision printed: {out}"
        );
        assert!(value["systemMessage"].is_string(), "{out}");
    }
}

#[test]
fn requests_answered_in_claude_code_leave_the_queue() {
    let env = Env::new();
    let mut cockpit = Cockpit::start(&env);
    let force = "git push --force origin main";
    let mut other_session = permission_request(&env, force);
    other_session["session_id"] = "9f9f0000-1111-2222-3333-444455556666".into();
    let first = env.spawn_hook(&permission_request(&env, force).to_string());
    cockpit.wait_for("1 waiting");
    let mut twin = env.spawn_hook(&permission_request(&env, force).to_string());
    cockpit.wait_for("1 of 2");
    let mut elsewhere = env.spawn_hook(&other_session.to_string());
    cockpit.wait_for("1 of 3");
    let mut other_input =
        env.spawn_hook(&permission_request(&env, "git push --force origin dev").to_string());
    cockpit.wait_for("1 of 4");

    // The human allowed it in Claude Code's dialog: the call ran.
    let mut post = permission_request(&env, force);
    let post = post.as_object_mut().unwrap();
    post.insert("hook_event_name".into(), "PostToolUse".into());
    post.insert("tool_use_id".into(), "toolu_01A".into());
    post.insert("duration_ms".into(), 812.into());
    post.insert(
        "tool_response".into(),
        serde_json::json!({"stdout": "", "stderr": "forced update", "interrupted": false, "isImage": false}),
    );
    event_hook(&env, post.clone().into());
    ended_without_allow(first);
    cockpit.wait_for("answered in Claude Code: ran");
    cockpit.wait_for("1 of 3");
    for (hook, what) in [
        (&mut twin, "the identical twin"),
        (&mut elsewhere, "another session"),
        (&mut other_input, "another input"),
    ] {
        still_waiting(hook, what);
    }

    // The other session's call, answered there, seen in the transcript: its
    // tool_use and tool_result. An older prompt (before the request) retires
    // nothing.
    let other = other_session["session_id"].as_str().unwrap();
    let lines = [
        serde_json::json!({"type": "user", "uuid": "u1", "sessionId": other,
            "timestamp": "2026-01-01T00:00:00.000Z",
            "message": {"role": "user", "content": "push it"}}),
        serde_json::json!({"type": "assistant", "uuid": "a1", "sessionId": other,
            "timestamp": now_iso(),
            "message": {"id": "msg_1", "role": "assistant", "model": "claude-opus-5-5",
                "content": [{"type": "tool_use", "id": "toolu_09", "name": "Bash",
                    "input": {"command": force, "description": "push"}}]}}),
        serde_json::json!({"type": "user", "uuid": "u2", "sessionId": other,
            "timestamp": now_iso(),
            "message": {"role": "user", "content": [{"type": "tool_result",
                "tool_use_id": "toolu_09", "content": "forced update"}]}}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(env.dir.path().join("t.jsonl"))
        .unwrap();
    std::io::Write::write_all(&mut file, text.as_bytes()).unwrap();
    cockpit.wait_for("1 of 2");
    ended_without_allow(elsewhere);
    still_waiting(&mut twin, "the twin, after the transcript");
    still_waiting(&mut other_input, "another input, after the transcript");

    // A new prompt in the first session: its dialogs are gone.
    let mut prompt = permission_request(&env, force);
    let prompt = prompt.as_object_mut().unwrap();
    for key in [
        "tool_name",
        "tool_input",
        "permission_suggestions",
        "effort",
    ] {
        prompt.remove(key);
    }
    prompt.insert("hook_event_name".into(), "UserPromptSubmit".into());
    prompt.insert("prompt".into(), "never mind, push to dev".into());
    event_hook(&env, prompt.clone().into());
    cockpit.wait_for("withdrawn: a new prompt in Claude Code");
    ended_without_allow(twin);
    ended_without_allow(other_input);
    cockpit.wait_gone("Approval needed");
}

#[test]
fn a_decision_and_its_reason_survive_sigkill() {
    let env = Env::new();
    let mut cockpit = Cockpit::start(&env);
    let hook = env.spawn_hook(&permission_request(&env, "npm publish").to_string());
    cockpit.wait_for("npm publish");
    deny_with_reason(&mut cockpit, "not from a laptop");
    let output = wait(hook, Duration::from_secs(15));
    assert!(stdout(&output).contains("not from a laptop"));
    // The agent heard the decision: the cockpit dies at once, no save on exit.
    cockpit.signal("KILL");
    cockpit.wait_exit();

    let run = |args: &[&str]| {
        let mut cmd = std::process::Command::new(support::pty::BIN);
        cmd.args(args)
            .current_dir(env.project())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null");
        for (key, value) in env.vars() {
            cmd.env(key, value);
        }
        let output = cmd.output().unwrap();
        assert!(
            output.status.success(),
            "{args:?}: {}",
            support::hooks::stderr(&output)
        );
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let sessions = run(&["sessions", "--json"]);
    let id = sessions[0]["id"].as_str().expect("a stored session");
    let record = run(&["show", id, "--json"]);
    let approvals = record["approvals"].as_array().unwrap();
    let denied: Vec<_> = approvals
        .iter()
        .filter(|a| a["decision"] == "deny")
        .collect();
    assert_eq!(denied.len(), 1, "{approvals:?}");
    assert_eq!(denied[0]["reason"], "not from a laptop");
    assert_eq!(denied[0]["decider"]["kind"], "human");
    assert_eq!(denied[0]["tool"], "Bash");
}

#[test]
fn a_call_longer_than_the_prompt_is_allowed_only_once_all_of_it_was_on_screen() {
    let env = Env::new();
    let mut cockpit = Cockpit::start_sized(&env, (24, 80));
    // The push the rule asks about, with what else runs far below it.
    let command = format!(
        "git push origin main && echo {}; rm -rf ~/important",
        "done ".repeat(400)
    );
    let mut hook = env.spawn_hook(&permission_request(&env, &command).to_string());
    cockpit.wait_for("more rows: read them to allow");
    cockpit.pump(Duration::from_millis(700));
    assert!(!cockpit.contents().contains("~/important"));
    // Allow once and always: refused while the end is below the edge.
    cockpit.keys("y");
    cockpit.pump(Duration::from_millis(300));
    cockpit.keys("a");
    cockpit.pump(Duration::from_millis(300));
    still_waiting(&mut hook, "y or a before the end was on screen");
    assert!(
        cockpit.contents().contains("read the whole request"),
        "{}",
        cockpit.contents()
    );
    // Page down (PgDn), a human's pace, until the prompt offers allow.
    for _ in 0..20 {
        if cockpit.contents().contains("allow once") {
            break;
        }
        cockpit.keys("\x1b[6~");
        cockpit.pump(Duration::from_millis(150));
    }
    assert!(
        cockpit.contents().contains("~/important"),
        "{}",
        cockpit.contents()
    );
    cockpit.keys("y");
    let output = wait(hook, Duration::from_secs(15));
    assert_eq!(
        stdout(&output),
        r#"{"hookSpecificOutput":{"decision":{"behavior":"allow"},"hookEventName":"PermissionRequest"}}"#
    );
}

#[test]
fn a_hook_whose_stderr_is_a_closed_pipe_still_answers_and_exits_0() {
    // Exit 101 (a panic) is a failed hook to both agents, which then run
    // the call: a stderr nobody reads must not turn a fail-safe into that.
    let env = Env::new();
    let stdin = env.pre_tool_use("git push --force origin main");
    let (mut child, _) = env.spawn_hook_as("claude", stdin.into_bytes());
    // The read end of its stderr goes away before it writes its one line
    // (it reads all of stdin and looks for a cockpit first).
    drop(child.stderr.take());
    let output = wait(child, Duration::from_secs(20));
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let out = stdout(&output);
    assert!(out.contains(r#""permissionDecision":"ask""#), "{out}");
}

#[test]
fn a_second_cockpit_says_approvals_are_off_and_takes_over_when_the_first_quits() {
    let env = Env::new();
    let mut first = Cockpit::start(&env);
    // Its socket file is there already: the first one's.
    let mut second = Cockpit::start(&env);
    second.wait_for("approvals OFF");
    second.wait_for("another cockpit already answers");
    first.signal("TERM");
    first.wait_exit();
    // The next thing that happens in the second one (here a key, after the
    // retry interval) takes the socket over.
    second.pump(Duration::from_millis(2_100));
    second.keys("?");
    second.wait_gone("approvals OFF");
    second.keys("?");
    let hook = env.spawn_hook(&permission_request(&env, "git push origin main").to_string());
    second.wait_for("Approval needed");
    armed(&mut second);
    second.keys("y");
    let output = wait(hook, Duration::from_secs(15));
    assert!(
        stdout(&output).contains(r#""behavior":"allow""#),
        "{output:?}"
    );
}

#[test]
fn a_config_that_cannot_be_read_never_makes_the_policy_weaker() {
    // The user's own rule denies `terraform destroy`; a typo elsewhere makes
    // the file unreadable. The built-in rules would let it pass.
    let env = Env::new();
    env.write_config(
        "[approvals]\ntimeout_sec = 30\n\n[[policy.rules]]\nname = \"no-destroy\"\ncommand = \"^terraform destroy\"\naction = \"deny\"\n",
    );
    let run =
        |agent: &str| env.hook_as(agent, &env.pre_tool_use("terraform destroy -auto-approve"));
    let claude = run("claude");
    let out = stdout(&claude);
    assert!(out.contains(r#""permissionDecision":"ask""#), "{out}");
    assert!(
        out.contains("config.toml") && out.contains("timeout_sec"),
        "{out}"
    );
    let codex = run("codex");
    let out = stdout(&codex);
    assert!(out.contains(r#""permissionDecision":"deny""#), "{out}");
    assert!(out.contains("every call needs a human"), "{out}");
    // The built-in denials still answer at once.
    let write = serde_json::json!({
        "session_id": SESSION,
        "transcript_path": env.dir.path().join("t.jsonl"),
        "cwd": env.project(),
        "hook_event_name": "PreToolUse",
        "tool_name": "Write",
        "tool_input": {"file_path": env.project().join(".env"), "content": "KEY=1"},
        "tool_use_id": "toolu_02"
    });
    let out = stdout(&env.hook(&write.to_string()));
    assert!(out.contains(r#""permissionDecision":"deny""#), "{out}");
    assert!(out.contains("secrets"), "{out}");
}
