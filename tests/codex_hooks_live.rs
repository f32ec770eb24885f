//! The hooks file `install-hooks` writes, loaded by the real Codex: its
//! app-server's `hooks/list` reports every hook it would run, with the
//! warnings it would print at start. Runs the Codex pinned in
//! `live-agents/` (see tests/live_support); skipped with a note without one,
//! except in CI, where it is required.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_cockpit");

mod live_support;

/// The pinned Codex of the live harness (required in CI).
fn codex() -> Option<String> {
    live_support::Agent::Codex
        .binary()
        .map(|p| p.display().to_string())
}

/// `hooks/list` for `project`, asked of `codex app-server` over stdio.
fn hooks_list(codex: &str, home: &std::path::Path, project: &std::path::Path) -> Value {
    let mut child = Command::new(codex)
        .arg("app-server")
        .env("CODEX_HOME", home)
        .current_dir(project)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for message in [
        json!({"id": 1, "method": "initialize", "params": {"clientInfo": {"name": "cockpit-test", "version": "1"}}}),
        json!({"method": "initialized"}),
        json!({"id": 2, "method": "hooks/list", "params": {"cwds": [project]}}),
    ] {
        writeln!(stdin, "{message}").unwrap();
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if let Ok(value) = serde_json::from_str::<Value>(&line)
                && value["id"] == 2
            {
                let _ = tx.send(value);
                return;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let answer = rx.recv_timeout(deadline - Instant::now());
    let _ = child.kill();
    let _ = child.wait();
    answer.expect("codex app-server answered hooks/list")
}

#[test]
fn real_codex_loads_the_installed_hooks_without_a_warning() {
    let Some(codex) = codex() else {
        eprintln!("skipped: no Codex binary");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("codex-home");
    let project = dir.path().join("app");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&project).unwrap();
    // Project hooks are read only in a trusted project.
    std::fs::write(
        home.join("config.toml"),
        format!(
            "check_for_update_on_startup = false\n[projects.\"{}\"]\ntrust_level = \"trusted\"\n",
            project.display()
        ),
    )
    .unwrap();
    let install = Command::new(BIN)
        .arg("install-hooks")
        .current_dir(&project)
        .env("HOME", dir.path())
        .env("CODEX_HOME", &home)
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .unwrap();
    assert!(install.status.success());
    let answer = hooks_list(&codex, &home, &project);
    let data = &answer["result"]["data"][0];
    assert_eq!(data["warnings"], json!([]), "{answer}");
    assert_eq!(data["errors"], json!([]), "{answer}");
    let hooks = data["hooks"].as_array().unwrap();
    let events: Vec<&str> = hooks
        .iter()
        .map(|h| h["eventName"].as_str().unwrap())
        .collect();
    for event in [
        "preToolUse",
        "permissionRequest",
        "postToolUse",
        "userPromptSubmit",
        "sessionStart",
        "sessionEnd",
        "stop",
    ] {
        assert!(events.contains(&event), "{event}: {events:?}");
    }
    // Loaded, but not run until the user trusts them in Codex.
    for hook in hooks {
        assert!(hook["command"].as_str().unwrap().ends_with(" hook codex"));
        assert_eq!(hook["trustStatus"], "untrusted", "{hook}");
    }
}

#[test]
fn trust_codex_trusts_only_the_cockpits_hooks_through_codex() {
    let Some(codex) = codex() else {
        eprintln!("skipped: no Codex binary");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("codex-home");
    let project = dir.path().join("app");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(project.join(".codex")).unwrap();
    let other_state =
        "[hooks.state.\"/elsewhere/hooks.json:stop:0:0\"]\ntrusted_hash = \"sha256:kept\"\n";
    std::fs::write(
        home.join("config.toml"),
        format!(
            "check_for_update_on_startup = false\n[projects.\"{}\"]\ntrust_level = \"trusted\"\n\n{other_state}",
            project.display()
        ),
    )
    .unwrap();
    // The user's own hook in the same file must stay for the user to review.
    std::fs::write(
        project.join(".codex/hooks.json"),
        r#"{"hooks":{"Stop":[{"hooks":[{"type":"command","command":"notify-send done"}]}]}}"#,
    )
    .unwrap();
    let install = |args: &[&str]| {
        let output = Command::new(BIN)
            .args(args)
            .current_dir(&project)
            .env("HOME", dir.path())
            .env("CODEX_HOME", &home)
            .env("CODEX_BIN", &codex)
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&output.stdout).to_string();
        assert!(
            output.status.success(),
            "{said} {}",
            String::from_utf8_lossy(&output.stderr)
        );
        said
    };
    let said = install(&["install-hooks", "--trust-codex"]);
    assert!(said.contains("Codex now trusts the cockpit's"), "{said}");
    let answer = hooks_list(&codex, &home, &project);
    for hook in answer["result"]["data"][0]["hooks"].as_array().unwrap() {
        let ours = hook["command"].as_str().unwrap().ends_with(" hook codex");
        let expected = if ours { "trusted" } else { "untrusted" };
        assert_eq!(hook["trustStatus"], expected, "{hook}");
    }
    let config = std::fs::read_to_string(home.join("config.toml")).unwrap();
    assert!(config.contains("sha256:kept"), "{config}");
    let again = install(&["install-hooks", "--trust-codex"]);
    assert!(again.contains("already trusts"), "{again}");
}

/// A trusted project with the cockpit's hooks, a scripted model asking for
/// `touch marker && git push origin nowhere` (policy rule `git-push`: a human
/// decides), and Codex's approval policy `never`: nothing but the hook can
/// stop the command. `cockpit` answers the hook, if given. Returns Codex's
/// output and whether the command ran.
fn exec_push(codex: &str, cockpit: Option<&str>) -> (String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("codex-home");
    let project = dir.path().join("app");
    let runtime = dir.path().join("run");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&project).unwrap();
    let git = Command::new("git")
        .args(["init", "-q"])
        .current_dir(&project)
        .status();
    assert!(git.is_ok_and(|s| s.success()));
    // The first turn asks for the command; any later one is the server's
    // own closing text.
    let usage = live_support::Usage {
        input: 10,
        output: 5,
        ..live_support::Usage::default()
    };
    let server = live_support::ModelServer::start(vec![live_support::Reply::tool(
        "exec_command",
        json!({"cmd": "touch marker && git push origin nowhere"}),
        usage,
    )]);
    let port = server.port;
    std::fs::write(
        home.join("config.toml"),
        format!(
            "model = \"gpt-5.5\"\nmodel_provider = \"mock\"\ncheck_for_update_on_startup = false\n\
             approval_policy = \"never\"\nsandbox_mode = \"danger-full-access\"\n\n\
             [model_providers.mock]\nname = \"mock\"\nbase_url = \"http://127.0.0.1:{port}/v1\"\n\
             wire_api = \"responses\"\nenv_key = \"MOCK_KEY\"\nrequest_max_retries = 0\nstream_max_retries = 0\n\n\
             [projects.\"{}\"]\ntrust_level = \"trusted\"\n",
            project.display()
        ),
    )
    .unwrap();
    if let Some(verdict) = cockpit {
        fake_cockpit(&runtime, &project, verdict);
    }
    let run = |program: &str, args: &[&str]| {
        let output = Command::new(program)
            .args(args)
            .current_dir(&project)
            .env("HOME", dir.path())
            .env("CODEX_HOME", &home)
            .env("CODEX_BIN", codex)
            .env("MOCK_KEY", "x")
            .env("COCKPIT_RUNTIME_DIR", &runtime)
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).to_string()
            + &String::from_utf8_lossy(&output.stderr)
    };
    // Trusted through Codex, so `codex exec` runs the hooks without a bypass.
    let said = run(BIN, &["install-hooks", "--trust-codex"]);
    assert!(said.contains("Codex now trusts"), "{said}");
    let log = run(codex, &["exec", "push it"]);
    (log, project.join("marker").exists())
}

/// Answers every approval request with `verdict` (as a human in the cockpit).
fn fake_cockpit(runtime: &std::path::Path, project: &std::path::Path, verdict: &str) {
    cockpit::approvals::ipc::ensure_private_dir(runtime).unwrap();
    let path = cockpit::approvals::ipc::socket_path(runtime, project);
    let listener = std::os::unix::net::UnixListener::bind(path).unwrap();
    let verdict = verdict.to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let message: Value = serde_json::from_str(&line).unwrap_or_default();
            if message["type"] != "request" {
                continue;
            }
            let mut writer = stream;
            let id = "0123456789abcdef0123456789abcdef";
            let reply = json!({"type": "decision", "id": id, "verdict": verdict, "reason": "said the human", "by": "human"});
            let _ = writeln!(writer, "{}", json!({"type": "accepted", "id": id}));
            let _ = writeln!(writer, "{reply}");
        }
    });
}

#[test]
fn real_codex_exec_obeys_the_hooks_deny_with_no_cockpit_running() {
    // Codex 0.169.0 rejects a PreToolUse `ask` as unsupported and runs the
    // call: the hook must deny (with a reason) what it cannot put before a human.
    let Some(codex) = codex() else {
        eprintln!("skipped: no Codex binary");
        return;
    };
    let (log, ran) = exec_push(&codex, None);
    assert!(log.contains("Command blocked by PreToolUse hook"), "{log}");
    assert!(log.contains("`git-push`"), "{log}");
    assert!(!ran, "the call ran: {log}");
}

#[test]
fn real_codex_exec_runs_what_the_human_allowed_and_not_what_they_denied() {
    // Allow prints nothing (Codex rejects a PreToolUse `allow`): Codex's own
    // approval policy, here `never`, then runs it.
    let Some(codex) = codex() else {
        eprintln!("skipped: no Codex binary");
        return;
    };
    let (log, ran) = exec_push(&codex, Some("allow"));
    assert!(ran, "allowed but not run: {log}");
    assert!(!log.contains("PreToolUse Failed"), "{log}");
    let (log, ran) = exec_push(&codex, Some("deny"));
    assert!(
        log.contains("Command blocked by PreToolUse hook: said the human"),
        "{log}"
    );
    assert!(!ran, "denied but run: {log}");
}
