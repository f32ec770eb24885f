//! Approvals end to end, with real processes: the real `cockpit hook claude`
//! fed real hook JSON on stdin, a real cockpit in a pseudo-terminal answering
//! with one key, and every way the path can fail.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::process::Command;
use std::time::Duration;

use support::hooks::{Cockpit, Env, armed, deny_with_reason, stderr, stdout, wait};
use support::pty::BIN;

#[test]
fn a_human_allows_with_y() {
    let env = Env::new();
    let mut cockpit = Cockpit::start(&env);
    let hook = env.spawn_hook(&env.pre_tool_use("git push origin main"));
    cockpit.wait_for("Approval needed");
    // Frames arrive in pieces: wait for each part rather than read one snapshot.
    cockpit.wait_for("git push origin main");
    cockpit.wait_for("pushes to a remote");
    armed(&mut cockpit);
    cockpit.keys("y");
    let output = wait(hook, Duration::from_secs(15));
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        r#"{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow"}}"#
    );
}

#[test]
fn a_human_denies_with_n_and_a_reason() {
    let env = Env::new();
    let mut cockpit = Cockpit::start(&env);
    let request = serde_json::json!({
        "session_id": "s1", "transcript_path": "/dev/null", "cwd": env.project(),
        "hook_event_name": "PermissionRequest", "tool_name": "Bash",
        "tool_input": {"command": "npm publish"}
    })
    .to_string();
    let hook = env.spawn_hook(&request);
    cockpit.wait_for("npm publish");
    deny_with_reason(&mut cockpit, "not from a laptop");
    let output = wait(hook, Duration::from_secs(15));
    assert_eq!(
        stdout(&output),
        r#"{"hookSpecificOutput":{"decision":{"behavior":"deny","message":"not from a laptop"},"hookEventName":"PermissionRequest"}}"#
    );
}

#[test]
fn two_hooks_at_once_each_get_their_own_answer() {
    let env = Env::new();
    let mut cockpit = Cockpit::start(&env);
    let first = env.spawn_hook(&env.pre_tool_use("git push origin one"));
    cockpit.wait_for("git push origin one");
    let second = env.spawn_hook(&env.pre_tool_use("rm -rf build"));
    cockpit.wait_for("1 of 2");
    armed(&mut cockpit);
    cockpit.keys("y");
    cockpit.wait_gone("1 of 2");
    cockpit.wait_for("arming");
    armed(&mut cockpit);
    cockpit.keys("n");
    cockpit.wait_for("reason for the agent");
    cockpit.keys("\r");
    let first = wait(first, Duration::from_secs(15));
    let second = wait(second, Duration::from_secs(15));
    assert!(
        stdout(&first).contains(r#""permissionDecision":"allow""#),
        "{}",
        stdout(&first)
    );
    assert!(
        stdout(&second).contains(r#""permissionDecision":"deny""#),
        "{}",
        stdout(&second)
    );
}

#[test]
fn no_cockpit_running_hands_back_to_the_agent() {
    let env = Env::new();
    let output = env.hook(&env.pre_tool_use("git push"));
    assert!(output.status.success());
    let out = stdout(&output);
    assert!(out.contains(r#""permissionDecision":"ask""#), "{out}");
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("handing the decision to the agent's own prompt"),
        "{err}"
    );
}

#[test]
fn on_unreachable_deny_denies() {
    let env = Env::new();
    env.write_config("[approvals]\non_unreachable = \"deny\"\n");
    let output = env.hook(&env.pre_tool_use("git push"));
    assert!(stdout(&output).contains(r#""permissionDecision":"deny""#));
    let garbage = env.hook("{not json");
    assert_eq!(
        garbage.status.code(),
        Some(2),
        "garbage blocks in deny mode"
    );
}

#[test]
fn a_cockpit_killed_while_the_hook_waits_never_allows() {
    let env = Env::new();
    let mut cockpit = Cockpit::start(&env);
    let hook = env.spawn_hook(&env.pre_tool_use("git push origin main"));
    cockpit.wait_for("Approval needed");
    cockpit.child.kill().unwrap();
    let output = wait(hook, Duration::from_secs(15));
    let out = stdout(&output);
    assert!(out.contains(r#""permissionDecision":"ask""#), "{out}");
    assert!(stderr(&output).contains("went away"), "{}", stderr(&output));
}

#[test]
fn a_cockpit_that_quits_while_the_hook_waits_hands_back() {
    let env = Env::new();
    let mut cockpit = Cockpit::start(&env);
    let hook = env.spawn_hook(&env.pre_tool_use("git push origin main"));
    cockpit.wait_for("Approval needed");
    cockpit.signal("TERM");
    cockpit.wait_exit();
    let output = wait(hook, Duration::from_secs(15));
    let out = stdout(&output);
    assert!(out.contains(r#""permissionDecision":"ask""#), "{out}");
    assert!(!out.contains(r#""allow""#), "{out}");
    assert!(stderr(&output).contains("went away"), "{}", stderr(&output));
}

#[test]
fn a_hook_that_timed_out_leaves_the_queue_and_the_next_gets_its_own_answer() {
    let env = Env::new();
    env.write_config("[approvals]\ntimeout_secs = 1\n");
    let mut cockpit = Cockpit::start(&env);
    let first = env.spawn_hook(&env.pre_tool_use("git push origin main"));
    cockpit.wait_for("git push origin main");
    let output = wait(first, Duration::from_secs(15));
    assert!(stdout(&output).contains(r#""permissionDecision":"ask""#));
    cockpit.wait_gone("Approval needed");
    let second = env.spawn_hook(&env.pre_tool_use("git push --tags"));
    cockpit.wait_for("git push --tags");
    armed(&mut cockpit);
    cockpit.keys("y");
    let output = wait(second, Duration::from_secs(15));
    let out = stdout(&output);
    assert!(out.contains(r#""permissionDecision":"allow""#), "{out}");
}

#[test]
fn the_wait_times_out_into_the_agents_prompt() {
    let env = Env::new();
    env.write_config("[approvals]\ntimeout_secs = 1\n");
    let _cockpit = Cockpit::start(&env);
    let output = env.hook(&env.pre_tool_use("git push origin main"));
    assert!(stdout(&output).contains(r#""permissionDecision":"ask""#));
    assert!(
        stderr(&output).contains("no decision within 1 s"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn malformed_stdin_without_an_event_blocks_with_one_line() {
    // Exit 0 with no output would let the agent's own rules (or bypass mode)
    // run a call the policy never saw; exit 2 blocks it in both agents.
    let env = Env::new();
    for input in ["", "{\"hook_event_name\":", "[1,2]", "\u{0}\u{1}garbage"] {
        let output = env.hook(input);
        assert_eq!(output.status.code(), Some(2), "{input:?}");
        assert_eq!(stdout(&output), "", "{input:?}");
        assert_eq!(stderr(&output).lines().count(), 1, "{input:?}");
    }
}

#[test]
fn a_policy_deny_never_reaches_the_human() {
    let env = Env::new();
    let mut cockpit = Cockpit::start(&env);
    let request = serde_json::json!({
        "session_id": "s1", "cwd": env.project(), "hook_event_name": "PreToolUse",
        "tool_name": "Write", "tool_input": {"file_path": env.project().join(".env"), "content": "K=v"}
    })
    .to_string();
    let output = env.hook(&request);
    assert_eq!(
        stdout(&output),
        r#"{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"writing secrets files is blocked by the cockpit policy"}}"#
    );
    // The deny went straight back: a later frame still has no prompt.
    std::thread::sleep(Duration::from_millis(300));
    cockpit.keys("?");
    cockpit.wait_for("Help");
    assert!(!cockpit.contents().contains("Approval needed"));
}

#[test]
fn routine_calls_pass_without_waiting() {
    let env = Env::new();
    let output = env.hook(&env.pre_tool_use("cargo test"));
    assert!(output.status.success());
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "");
}

// Security: every one of these is refused and falls back to the agent.

#[test]
fn a_symlinked_runtime_dir_is_refused() {
    let env = Env::new();
    let real = env.dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::os::unix::fs::symlink(&real, env.runtime()).unwrap();
    let output = env.hook(&env.pre_tool_use("git push"));
    assert!(stderr(&output).contains("symlink"), "{}", stderr(&output));
    assert!(stdout(&output).contains(r#""permissionDecision":"ask""#));
}

#[test]
fn a_runtime_dir_of_another_user_is_refused() {
    if cockpit::approvals::ipc::current_uid() != 0 {
        eprintln!("skipped: changing a file's owner needs root");
        return;
    }
    let env = Env::new();
    std::fs::create_dir(env.runtime()).unwrap();
    std::fs::set_permissions(env.runtime(), std::fs::Permissions::from_mode(0o700)).unwrap();
    std::os::unix::fs::chown(env.runtime(), Some(65534), Some(65534)).unwrap();
    let output = env.hook(&env.pre_tool_use("git push"));
    assert!(
        stderr(&output).contains("owned by uid 65534"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).contains(r#""permissionDecision":"ask""#));
}

#[test]
fn a_socket_of_another_user_is_refused() {
    if cockpit::approvals::ipc::current_uid() != 0 {
        eprintln!("skipped: changing a file's owner needs root");
        return;
    }
    let env = Env::new();
    cockpit::approvals::ipc::ensure_private_dir(&env.runtime()).unwrap();
    let path = cockpit::approvals::ipc::socket_path(&env.runtime(), &env.project());
    let _listener = UnixListener::bind(&path).unwrap();
    std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
    let output = env.hook(&env.pre_tool_use("git push"));
    assert!(
        stderr(&output).contains("not a socket of uid 0"),
        "{}",
        stderr(&output)
    );
}

/// A fake cockpit that answers with the given lines, to forge decisions.
fn forger(env: &Env, answer: impl Fn(&str) -> Vec<String> + Send + 'static) {
    cockpit::approvals::ipc::ensure_private_dir(&env.runtime()).unwrap();
    let path = cockpit::approvals::ipc::socket_path(&env.runtime(), &env.project());
    let listener = UnixListener::bind(path).unwrap();
    std::thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut writer = stream;
            for reply in answer(&line) {
                let _ = writer.write_all(format!("{reply}\n").as_bytes());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    });
}

#[test]
fn a_decision_for_another_id_is_refused() {
    let env = Env::new();
    forger(&env, |_| {
        vec![
            r#"{"type":"accepted","id":"aaaa"}"#.into(),
            r#"{"type":"decision","id":"bbbb","verdict":"allow","reason":null,"by":"human"}"#
                .into(),
        ]
    });
    let output = env.hook(&env.pre_tool_use("git push"));
    assert!(
        stderr(&output).contains("refused a decision for another request"),
        "{}",
        stderr(&output)
    );
    assert!(
        !stdout(&output).contains(r#""allow""#),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_decision_without_a_request_being_accepted_is_refused() {
    let env = Env::new();
    // A replayed decision sent first, before any `accepted`.
    forger(&env, |_| {
        vec![
            r#"{"type":"decision","id":"aaaa","verdict":"allow","reason":null,"by":"human"}"#
                .into(),
        ]
    });
    let output = env.hook(&env.pre_tool_use("git push"));
    assert!(
        stderr(&output).contains("out of order"),
        "{}",
        stderr(&output)
    );
    assert!(!stdout(&output).contains(r#""allow""#));
}

#[test]
fn install_hooks_keeps_existing_entries_and_is_idempotent() {
    let env = Env::new();
    let settings_dir = env.project().join(".claude");
    std::fs::create_dir_all(&settings_dir).unwrap();
    let original = r#"{
  "permissions": {"allow": ["Bash(cargo test)"]},
  "hooks": {"PreToolUse": [{"matcher": "Edit", "hooks": [{"type": "command", "command": "lint.sh"}]}]},
  "statusLine": {"type": "command", "command": "~/bin/status"}
}
"#;
    let settings = settings_dir.join("settings.local.json");
    std::fs::write(&settings, original).unwrap();
    let run = |args: &[&str]| {
        let mut cmd = Command::new(BIN);
        cmd.args(args).current_dir(env.project());
        for (key, value) in env.vars() {
            cmd.env(key, value);
        }
        cmd.env("CODEX_HOME", env.dir.path().join("codex"));
        let output = cmd.output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let dry = run(&["install-hooks", "--dry-run"]);
    assert!(dry.contains("dry run"), "{dry}");
    assert_eq!(std::fs::read_to_string(&settings).unwrap(), original);
    run(&["install-hooks"]);
    let installed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap();
    assert_eq!(installed["permissions"]["allow"][0], "Bash(cargo test)");
    assert_eq!(
        installed["hooks"]["PreToolUse"][0]["hooks"][0]["command"],
        "lint.sh"
    );
    assert!(
        installed["hooks"]["PermissionRequest"][0]["hooks"][0]["command"]
            .as_str()
            .unwrap()
            .ends_with(" hook claude")
    );
    assert!(
        installed["statusLine"]["command"]
            .as_str()
            .unwrap()
            .ends_with("statusline --wrap '~/bin/status'")
    );
    let backups: Vec<_> = std::fs::read_dir(&settings_dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("cockpit-backup"))
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(
        std::fs::read_to_string(backups[0].path()).unwrap(),
        original
    );
    let again = run(&["install-hooks"]);
    assert!(again.contains("already installed"), "{again}");
    run(&["uninstall-hooks"]);
    let after: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&settings).unwrap()).unwrap();
    let before: serde_json::Value = serde_json::from_str(original).unwrap();
    assert_eq!(after, before);
}

#[test]
fn policy_test_names_the_rule() {
    let output = Command::new(BIN)
        .args([
            "policy",
            "test",
            r#"{"hook_event_name":"PreToolUse","cwd":"/home/me/app","tool_name":"Bash","tool_input":{"command":"git reset --hard"}}"#,
        ])
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .unwrap();
    let out = stdout(&output);
    assert!(out.contains("rule:     destructive-git"), "{out}");
    assert!(out.contains("ask: a human decides in the cockpit"), "{out}");
    assert!(out.contains("command contains `git reset --hard`"), "{out}");
}

#[test]
fn install_hooks_for_codex_writes_only_what_codex_has_and_says_what_is_missing() {
    let env = Env::new();
    let codex_dir = env.project().join(".codex");
    std::fs::create_dir_all(&codex_dir).unwrap();
    // What an older install-hooks wrote: a Notification entry Codex does not
    // have and a SessionEnd timeout Codex clamps, next to the user's own hook.
    let old = serde_json::json!({"hooks": {
        "Notification": [{"matcher": "*", "hooks": [{"type": "command", "command": "/old/cockpit hook codex", "timeout": 10}]}],
        "SessionEnd": [{"matcher": "*", "hooks": [{"type": "command", "command": "/old/cockpit hook codex", "timeout": 10}]}],
        "Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}]
    }});
    let hooks_file = codex_dir.join("hooks.json");
    std::fs::write(&hooks_file, old.to_string()).unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(["install-hooks"]).current_dir(env.project());
    for (key, value) in env.vars() {
        cmd.env(key, value);
    }
    cmd.env("CODEX_HOME", env.dir.path().join("codex"));
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stdout(&output);
    let codex: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&hooks_file).unwrap()).unwrap();
    let events: Vec<&str> = codex["hooks"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // FORMATS.md 6.2: the events Codex 0.169.0 has.
    let known = [
        "PreToolUse",
        "PermissionRequest",
        "PostToolUse",
        "PreCompact",
        "PostCompact",
        "SessionStart",
        "SessionEnd",
        "UserPromptSubmit",
        "SubagentStart",
        "SubagentStop",
        "Stop",
        "Interrupt",
    ];
    for event in &events {
        assert!(known.contains(event), "Codex has no {event} event: {codex}");
    }
    for event in [
        "PreToolUse",
        "PermissionRequest",
        "PostToolUse",
        "UserPromptSubmit",
    ] {
        assert!(events.contains(&event), "{event} missing: {codex}");
    }
    for group in codex["hooks"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|g| g.as_array().unwrap())
    {
        for handler in group["hooks"].as_array().unwrap() {
            let command = handler["command"].as_str().unwrap();
            if command.contains("cockpit") {
                assert!(command.ends_with(" hook codex"), "{command}");
            }
        }
    }
    assert_eq!(
        codex["hooks"]["Stop"][0]["hooks"][0]["command"],
        "notify-send done"
    );
    let session_end = &codex["hooks"]["SessionEnd"][0]["hooks"][0]["timeout"];
    assert!(session_end.as_u64().unwrap() <= 3, "{codex}");
    // Trust: what Codex still needs before it runs them, said plainly.
    for part in [
        "Hooks need review",
        "Trust all and continue",
        "trusted_hash",
        "codex exec",
        "--dangerously-bypass-hook-trust",
    ] {
        assert!(said.contains(part), "{part}: {said}");
    }
    let codex_advice: Vec<&str> = said
        .lines()
        .filter(|l| l.contains("Codex runs NO hook"))
        .collect();
    assert_eq!(codex_advice.len(), 1, "{said}");
    assert!(
        !codex_advice[0].contains("onFailure"),
        "Claude-only advice: {said}"
    );
    // Claude Code gets the new lifecycle events too.
    let claude: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(env.project().join(".claude/settings.local.json")).unwrap(),
    )
    .unwrap();
    for event in ["PostToolUse", "UserPromptSubmit", "Notification"] {
        assert!(
            claude["hooks"][event][0]["hooks"][0]["command"]
                .as_str()
                .unwrap()
                .ends_with(" hook claude")
        );
    }
}
