//! Ground truth for the fleet (issue 20): which sign tells each state of a
//! real agent session, and how fast. The pinned Claude Code and Codex run in
//! pseudo-terminals against the scripted model server, with a logger hook on
//! every event and Claude Code's live-session registry polled every 20 ms.
//! Each test asserts the sign the fleet will rely on and prints the delay it
//! measured; docs/fleet-signals.md gathers the figures.

mod live_support;

use std::path::Path;
use std::time::Duration;

use live_support::signals::{HookLog, RegistryWatch, Seen, jsonl, now_ms};
use live_support::{Agent, ModelServer, Reply, SLOW, Term, Usage, World};
use serde_json::{Value, json};

const WIDE: (u16, u16) = (50, 200);
const QUICK: Duration = Duration::from_secs(5);

fn small() -> Usage {
    Usage {
        input: 1,
        cache_creation: 100,
        cache_read: 1_000,
        output: 3,
    }
}

fn ask(term: &mut Term, prompt: &str) {
    term.type_text(prompt);
    term.settle(Duration::from_millis(300));
    term.send("\r");
}

fn status_is(status: &'static str) -> impl Fn(&Seen) -> bool {
    move |s| s.content.as_ref().is_some_and(|v| v["status"] == status)
}

fn removed(file: String) -> impl Fn(&Seen) -> bool {
    move |s| s.file == file && s.content.is_none()
}

/// Field 22 of /proc/<pid>/stat: the process's start, in clock ticks since
/// boot (what Claude Code writes as `procStart`, so a reused pid is told apart).
fn proc_start(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The name in parentheses may hold spaces: count from after it.
    let after = &stat[stat.rfind(')')? + 2..];
    after.split(' ').nth(19).map(str::to_string)
}

fn alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

/// Claude Code with the logger on every hook and the registry watched.
fn claude_world(server: &ModelServer, extra_settings: Value) -> (World, HookLog, RegistryWatch) {
    let mut world = World::new();
    world.setup_claude(server);
    let log = HookLog::new(&world);
    log.install_claude(&world, extra_settings);
    let registry = RegistryWatch::start(&world.claude_config.join("sessions"));
    (world, log, registry)
}

fn start_claude(world: &World, args: &[&str], log: &HookLog) -> Term {
    let bin = Agent::Claude.binary().expect("checked by the caller");
    let spawned = now_ms();
    let mut claude = world.start_claude(&bin, args, WIDE);
    // This process's own SessionStart (a resumed session had one before).
    log.wait("SessionStart", None, spawned, SLOW);
    claude.wait_until("the prompt box", SLOW, |s| s.contains('❯'));
    claude.settle(Duration::from_millis(500));
    claude
}

fn transcript_of(log: &HookLog) -> std::path::PathBuf {
    let start = log.wait("SessionStart", None, 0, SLOW);
    start.input["transcript_path"].as_str().unwrap().into()
}

/// Waits for a transcript line `pred` accepts.
fn wait_line(path: &Path, what: &str, deadline: Duration, pred: impl Fn(&Value) -> bool) -> Value {
    let end = std::time::Instant::now() + deadline;
    loop {
        if let Some(line) = jsonl(path).into_iter().find(&pred) {
            return line;
        }
        assert!(
            std::time::Instant::now() < end,
            "{}: no {what} within {deadline:?}",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn claude_registry_and_hooks_through_a_permission_prompt() {
    if Agent::Claude.binary().is_none() {
        return;
    }
    let server = ModelServer::start(vec![
        Reply::tool(
            "Bash",
            json!({"command": "touch made-here", "description": "Make a file"}),
            small(),
        ),
        Reply::text("Made it.", small()),
    ]);
    let (world, log, registry) = claude_world(&server, json!({}));
    let mut claude = start_claude(&world, &["--permission-mode", "manual"], &log);
    let pid = claude.pid().unwrap();
    let file = format!("{pid}.json");
    let start = log.wait("SessionStart", None, 0, SLOW);
    let idle = registry.wait("idle at start", 0, SLOW, status_is("idle"));
    let entry = idle.content.unwrap();
    assert_eq!(idle.file, file, "the registry file is named by the pid");
    assert_eq!(entry["pid"], pid);
    assert_eq!(entry["sessionId"], start.input["session_id"]);
    assert_eq!(entry["cwd"], world.project.display().to_string());
    assert_eq!(entry["kind"], "interactive");
    assert_eq!(entry["version"], "2.1.328");
    assert_eq!(entry["procStart"].as_str(), proc_start(pid).as_deref());

    ask(&mut claude, "make the file");
    let submit = log.wait("UserPromptSubmit", None, 0, SLOW);
    let busy = registry.wait("busy", submit.at_ms, QUICK, status_is("busy"));
    let request = log.wait("PermissionRequest", None, 0, SLOW);
    let waiting = registry.wait("waiting", request.at_ms, QUICK, status_is("waiting"));
    let waiting_entry = waiting.content.clone().unwrap();
    assert_eq!(waiting_entry["waitingFor"], "permission prompt");
    assert!(waiting.at_ms - request.at_ms < 500, "waiting came late");
    // Claude Code's own Notification comes only after the prompt has waited.
    let notice = log.wait("Notification", Some("permission_prompt"), 0, SLOW);
    let notice_delay = notice.at_ms - request.at_ms;
    assert!(
        (4_000..15_000).contains(&notice_delay),
        "permission_prompt after {notice_delay} ms"
    );
    assert_eq!(notice.input["message"], "Claude needs your permission");
    claude.send("\r"); // Yes, in Claude Code's own dialog
    let answered = now_ms();
    log.wait("PostToolUse", None, answered, SLOW);
    let busy_again = registry.wait("busy after the answer", answered, QUICK, status_is("busy"));
    let stop = log.wait("Stop", None, answered, SLOW);
    let idle_after = registry.wait("idle after the turn", stop.at_ms, QUICK, status_is("idle"));
    assert!(idle_after.content.unwrap()["waitingFor"].is_null());
    eprintln!(
        "claude: busy {} ms after UserPromptSubmit; waiting {} ms after PermissionRequest; \
         Notification permission_prompt {notice_delay} ms after it; busy {} ms after the key; \
         idle {} ms after Stop",
        busy.at_ms as i64 - submit.at_ms as i64,
        waiting.at_ms - request.at_ms,
        busy_again.at_ms - answered,
        idle_after.at_ms as i64 - stop.at_ms as i64,
    );

    let quit = now_ms();
    ask(&mut claude, "/quit");
    claude.wait_exit(SLOW);
    let end = log.wait("SessionEnd", None, quit, SLOW);
    assert_eq!(end.input["reason"], "prompt_input_exit");
    let gone = registry.wait("the file removed", quit, QUICK, removed(file.clone()));
    eprintln!(
        "claude: /quit removed {file} {} ms after the key",
        gone.at_ms - quit
    );
}

#[test]
fn claude_idle_prompt_notification_follows_its_threshold_setting() {
    if Agent::Claude.binary().is_none() {
        return;
    }
    let server = ModelServer::start(vec![Reply::text("Done.", small())]);
    let (world, log, _registry) = claude_world(&server, json!({}));
    // `messageIdleNotifThresholdMs` (default 60000 in 2.1.328) sets the delay.
    let state = world.claude_config.join(".claude.json");
    let mut value: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    value["messageIdleNotifThresholdMs"] = json!(4000);
    std::fs::write(&state, value.to_string()).unwrap();
    let mut claude = start_claude(&world, &[], &log);
    ask(&mut claude, "hello");
    let stop = log.wait("Stop", None, 0, SLOW);
    let idle = log.wait("Notification", Some("idle_prompt"), stop.at_ms, SLOW);
    let delay = idle.at_ms - stop.at_ms;
    eprintln!("claude: idle_prompt {delay} ms after Stop with a 4000 ms threshold");
    assert!(
        (3_500..12_000).contains(&delay),
        "idle_prompt after {delay} ms"
    );
    assert_eq!(idle.input["message"], "Claude is waiting for your input");
}

#[test]
fn claude_esc_mid_tool_writes_the_interruption_line_and_fires_no_hook() {
    if Agent::Claude.binary().is_none() {
        return;
    }
    let server = ModelServer::start(vec![Reply::tool(
        "Bash",
        json!({"command": "timeout 30 tail -f /dev/null", "description": "Wait"}),
        small(),
    )]);
    let (world, log, registry) = claude_world(&server, json!({"permissions": {"allow": ["Bash"]}}));
    let mut claude = start_claude(&world, &["--permission-mode", "manual"], &log);
    let transcript = transcript_of(&log);
    ask(&mut claude, "wait");
    let pre = log.wait("PreToolUse", None, 0, SLOW);
    assert!(
        log.find("PermissionRequest", None, 0).is_none(),
        "the allow rule runs the call without a dialog"
    );
    claude.settle(Duration::from_secs(2));
    let esc = now_ms();
    claude.send("\x1b");
    let line = wait_line(&transcript, "the interruption line", QUICK, |l| {
        l["type"] == "user" && l.to_string().contains("[Request interrupted by user")
    });
    let written = now_ms();
    let idle = registry.wait("idle after Esc", esc, QUICK, status_is("idle"));
    claude.settle(Duration::from_secs(2));
    eprintln!(
        "claude: Esc mid-tool: interruption line within {} ms, registry idle {} ms after Esc; line: {}",
        written - esc,
        idle.at_ms - esc,
        line["message"]
    );
    let after: Vec<String> = log
        .calls()
        .iter()
        .filter(|c| c.at_ms >= pre.at_ms && c.event() != "PreToolUse")
        .map(|c| c.event().to_string())
        .collect();
    eprintln!("claude: hooks after the PreToolUse: {after:?}");
    assert!(
        !after.iter().any(|e| e == "Stop"),
        "no Stop on Esc: {after:?}"
    );
}

#[test]
fn claude_ask_user_question_is_waiting_in_the_registry() {
    if Agent::Claude.binary().is_none() {
        return;
    }
    let server = ModelServer::start(vec![
        Reply::tool(
            "AskUserQuestion",
            json!({"questions": [{"question": "Which colour?", "header": "Colour",
                "options": [{"label": "Red", "description": "warm"}, {"label": "Blue", "description": "cold"}],
                "multiSelect": false}]}),
            small(),
        ),
        Reply::text("You chose.", small()),
    ]);
    let (world, log, registry) = claude_world(&server, json!({}));
    let mut claude = start_claude(&world, &["--permission-mode", "manual"], &log);
    ask(&mut claude, "ask me");
    claude.wait_for("Which colour?", SLOW);
    let shown = now_ms();
    let pre = log.wait("PreToolUse", Some("AskUserQuestion"), 0, SLOW);
    // In manual mode the question goes through the permission flow too.
    let request = log.wait("PermissionRequest", Some("AskUserQuestion"), 0, SLOW);
    assert_eq!(
        request.input["tool_input"]["questions"][0]["question"],
        "Which colour?"
    );
    let waiting = registry.wait(
        "waiting on the question",
        pre.at_ms,
        QUICK,
        status_is("waiting"),
    );
    assert_eq!(
        waiting.content.as_ref().unwrap()["waitingFor"],
        "input needed"
    );
    eprintln!(
        "claude: AskUserQuestion: registry {:?} {} ms after PreToolUse (on screen at +{} ms)",
        waiting.content.as_ref().unwrap()["waitingFor"],
        waiting.at_ms as i64 - pre.at_ms as i64,
        shown as i64 - pre.at_ms as i64
    );
    // The Notification it gets is the permission prompt's, not an
    // elicitation: nothing in the hooks says "question".
    let notice = log.wait("Notification", None, pre.at_ms, SLOW);
    assert_eq!(notice.input["notification_type"], "permission_prompt");
    eprintln!(
        "claude: AskUserQuestion: Notification permission_prompt {} ms after PermissionRequest",
        notice.at_ms - request.at_ms
    );
    claude.send("\r");
    claude.wait_for("You chose.", SLOW);
    let stop = log.wait("Stop", None, 0, SLOW);
    registry.wait(
        "idle after the answer",
        stop.at_ms,
        QUICK,
        status_is("idle"),
    );
}

#[test]
fn claude_api_errors_retry_silently_then_write_a_synthetic_error_and_stop_failure() {
    if Agent::Claude.binary().is_none() {
        return;
    }
    let over =
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}});
    let server = ModelServer::start(vec![
        Reply::error(529, &[], over.clone()),
        Reply::error(529, &[], over.clone()),
        Reply::error(529, &[], over),
    ]);
    let mut world = World::new();
    world.setup_claude(&server);
    world
        .env
        .insert("CLAUDE_CODE_MAX_RETRIES".into(), "2".into());
    let log = HookLog::new(&world);
    log.install_claude(&world, json!({}));
    let registry = RegistryWatch::start(&world.claude_config.join("sessions"));
    let mut claude = start_claude(&world, &[], &log);
    let transcript = transcript_of(&log);
    ask(&mut claude, "try");
    let failure = log.wait("StopFailure", None, 0, SLOW);
    assert_eq!(failure.input["error"], "server_error");
    assert!(
        failure.input["last_assistant_message"]
            .as_str()
            .unwrap()
            .starts_with("API Error: Repeated 529 Overloaded errors")
    );
    let error = wait_line(&transcript, "the synthetic error", QUICK, |l| {
        l["isApiErrorMessage"] == true
    });
    assert_eq!(error["apiErrorStatus"], 529);
    assert_eq!(error["apiErrorType"], "overloaded_error");
    assert_eq!(error["error"], "server_error");
    assert_eq!(error["message"]["model"], "<synthetic>");
    // Each attempt is one `api-request` line; the retries have no line of
    // their own (the "retrying in Ns · attempt 1/2" is only on the screen).
    let lines = jsonl(&transcript);
    let attempts = lines.iter().filter(|l| l["type"] == "api-request").count();
    assert_eq!(attempts, 3, "one api-request line per attempt");
    assert!(!lines.iter().any(|l| {
        l["type"] == "system"
            && l["subtype"]
                .as_str()
                .is_some_and(|s| s.contains("retry") || s == "api_error")
    }));
    assert!(
        log.find("Stop", None, 0).is_none(),
        "no Stop after a failed turn"
    );
    // The registry may say idle before the StopFailure hook is logged:
    // what counts is idle after the turn's busy.
    let busy = registry.wait("busy during the turn", 0, QUICK, status_is("busy"));
    registry.wait(
        "idle after the failure",
        busy.at_ms + 1,
        QUICK,
        status_is("idle"),
    );
    claude.wait_for("API Error: Repeated 529", SLOW);
}

#[test]
#[ignore = "1 failure in 6 runs: the resumed Claude's prompt box did not appear within 60 s, cause not found yet; run with --ignored"]
fn claude_kill_9_leaves_a_stale_registry_file_and_resume_keeps_the_session() {
    if Agent::Claude.binary().is_none() {
        return;
    }
    let server = ModelServer::start(vec![
        Reply::text("One.", small()),
        Reply::text("Two.", small()),
    ]);
    let (world, log, registry) = claude_world(&server, json!({}));
    let mut one = start_claude(&world, &[], &log);
    let id = log.wait("SessionStart", None, 0, SLOW).input["session_id"]
        .as_str()
        .unwrap()
        .to_string();
    ask(&mut one, "one");
    let stop = log.wait("Stop", None, 0, SLOW);
    registry.wait("idle", stop.at_ms, QUICK, status_is("idle"));
    let pid = one.pid().unwrap();
    let killed = now_ms();
    std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
    one.wait_exit(SLOW);
    std::thread::sleep(Duration::from_secs(2));
    // Left behind, still naming a live status, its process gone.
    let stale = registry.dir.join(format!("{pid}.json"));
    let entry: Value = serde_json::from_str(&std::fs::read_to_string(&stale).unwrap()).unwrap();
    assert_eq!(entry["sessionId"], id.as_str());
    assert!(!alive(pid));
    assert!(
        log.find("SessionEnd", None, killed).is_none(),
        "no SessionEnd on kill -9"
    );

    let resumed = now_ms();
    let mut two = start_claude(&world, &["--resume", &id], &log);
    let start = log.wait("SessionStart", Some("\"resume\""), resumed, SLOW);
    assert_eq!(start.input["session_id"], id.as_str());
    ask(&mut two, "two");
    two.wait_for("Two.", SLOW);
    let new_pid = two.pid().unwrap();
    let fresh = registry.wait("the resumed session's file", resumed, QUICK, |s| {
        s.file == format!("{new_pid}.json")
            && s.content
                .as_ref()
                .is_some_and(|v| v["sessionId"] == id.as_str())
    });
    assert!(fresh.content.is_some());
    assert_eq!(world.claude_transcripts().len(), 1, "one transcript file");
    assert!(stale.exists(), "the stale file stays");

    let hup = now_ms();
    two.signal_hup();
    let end = log.wait("SessionEnd", None, hup, SLOW);
    assert_eq!(end.input["reason"], "other");
    registry.wait(
        "removed at hang-up",
        hup,
        QUICK,
        removed(format!("{new_pid}.json")),
    );
}

// ---- Codex ----

fn trust_hooks(codex: &mut Term) {
    codex.wait_for("Hooks need review", SLOW);
    codex.settle(Duration::from_millis(500));
    codex.send("\x1b[B");
    codex.settle(Duration::from_millis(300));
    codex.send("\r");
    codex.wait_gone("Hooks need review", SLOW);
}

fn codex_world(server: &ModelServer) -> (World, HookLog) {
    let mut world = World::new();
    world.setup_codex(server, "gpt-5.5");
    let log = HookLog::new(&world);
    log.install_codex(&world);
    (world, log)
}

/// Pids whose command line names `needle` and this world's root.
fn processes(world: &World, needle: &str) -> Vec<u32> {
    let root = world.root.display().to_string();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        let text = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if text.contains(&root) && text.contains(needle) {
            found.push(pid);
        }
    }
    found
}

fn event_msgs(path: &Path, kind: &str) -> Vec<Value> {
    jsonl(path)
        .into_iter()
        .filter(|l| l["type"] == "event_msg" && l["payload"]["type"] == kind)
        .map(|l| l["payload"].clone())
        .collect()
}

#[test]
fn codex_permission_request_is_the_only_sign_of_its_own_dialog() {
    let Some(bin) = Agent::Codex.binary() else {
        return;
    };
    let server = ModelServer::start(vec![
        Reply::tool(
            "exec_command",
            json!({"cmd": "touch made-here", "sandbox_permissions": "require_escalated",
                   "justification": "May I make the file?"}),
            small(),
        ),
        Reply::text("Made it.", small()),
    ]);
    let (world, log) = codex_world(&server);
    // Escalation asks only from inside a sandbox.
    let config = world.codex_home.join("config.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("danger-full-access", "workspace-write");
    std::fs::write(&config, text).unwrap();
    let mut codex = world.start_codex(&bin, &["make the file"], WIDE);
    trust_hooks(&mut codex);
    let pre = log.wait("PreToolUse", None, 0, SLOW);
    let request = log.wait("PermissionRequest", None, 0, SLOW);
    assert_eq!(
        request.input["tool_input"]["description"],
        "May I make the file?"
    );
    assert!(request.input.get("tool_use_id").is_none());
    codex.wait_for("Would you like to run the following command?", SLOW);
    let rollout = world.codex_rollouts().pop().expect("a rollout");
    // The screen can be ahead of the rollout by a few ms: what was written
    // as the dialog opened is not "while it asks".
    codex.settle(Duration::from_millis(500));
    let before = jsonl(&rollout).len();
    codex.settle(Duration::from_secs(3));
    assert_eq!(
        jsonl(&rollout).len(),
        before,
        "nothing is written while it asks"
    );
    let names = log.names();
    assert!(
        !names.iter().any(|n| n.starts_with("Notification")),
        "Codex has no Notification: {names:?}"
    );
    codex.send("y");
    let answered = now_ms();
    let post = log.wait("PostToolUse", None, answered, SLOW);
    let stop = log.wait("Stop", None, answered, SLOW);
    assert_eq!(stop.input["last_assistant_message"], "Made it.");
    let complete = event_msgs(&rollout, "task_complete");
    assert_eq!(complete.len(), 1);
    eprintln!(
        "codex: PermissionRequest {} ms after PreToolUse; PostToolUse {} ms and Stop {} ms after `y`",
        request.at_ms - pre.at_ms,
        post.at_ms - answered,
        stop.at_ms - answered
    );

    // /quit: the TUI goes, its app-server stays, no SessionEnd.
    let tui = codex.pid().unwrap();
    let quit = now_ms();
    codex.type_text("/quit");
    codex.settle(Duration::from_millis(300));
    codex.send("\r");
    codex.wait_exit(SLOW);
    std::thread::sleep(Duration::from_secs(3));
    assert!(!alive(tui));
    assert!(
        !processes(&world, "app-server").is_empty(),
        "the app-server outlives the TUI"
    );
    assert!(
        log.find("SessionEnd", None, quit).is_none(),
        "no SessionEnd at /quit"
    );
}

#[test]
fn codex_esc_fires_interrupt_and_writes_turn_aborted() {
    let Some(bin) = Agent::Codex.binary() else {
        return;
    };
    let server = ModelServer::start(vec![Reply::tool(
        "exec_command",
        json!({"cmd": "timeout 30 tail -f /dev/null"}),
        small(),
    )]);
    let (world, log) = codex_world(&server);
    let mut codex = world.start_codex(&bin, &["wait please"], WIDE);
    trust_hooks(&mut codex);
    log.wait("PreToolUse", None, 0, SLOW);
    codex.settle(Duration::from_secs(2));
    let esc = now_ms();
    codex.send("\x1b");
    let interrupt = log.wait("Interrupt", None, esc, QUICK);
    let rollout = world.codex_rollouts().pop().expect("a rollout");
    let aborted = wait_line(&rollout, "turn_aborted", QUICK, |l| {
        l["payload"]["type"] == "turn_aborted"
    });
    let written = now_ms();
    assert_eq!(aborted["payload"]["reason"], "interrupted");
    assert_eq!(aborted["payload"]["turn_id"], interrupt.input["turn_id"]);
    let output = jsonl(&rollout)
        .into_iter()
        .find(|l| l["payload"]["type"] == "function_call_output")
        .expect("the call's output");
    assert!(
        output["payload"]["output"]
            .as_str()
            .unwrap()
            .contains("aborted by user")
    );
    assert!(log.find("Stop", None, esc).is_none(), "no Stop on Esc");
    codex.wait_for("Conversation interrupted", SLOW);
    eprintln!(
        "codex: Interrupt hook {} ms after Esc, turn_aborted in the rollout within {} ms",
        interrupt.at_ms - esc,
        written - esc
    );
}

#[test]
fn codex_usage_limit_and_401_end_the_turn_with_an_error_and_no_stop() {
    let Some(bin) = Agent::Codex.binary() else {
        return;
    };
    let server = ModelServer::start(vec![
        Reply::error(
            429,
            &[
                ("x-codex-primary-used-percent", "100"),
                ("x-codex-primary-window-minutes", "300"),
                ("x-codex-primary-reset-at", "1893456000"),
            ],
            json!({"error": {"type": "usage_limit_reached", "message": "You've hit your usage limit.",
                             "resets_at": 1893456000}}),
        ),
        Reply::error(
            401,
            &[],
            json!({"error": {"type": "invalid_request_error", "code": "invalid_api_key",
                             "message": "Incorrect API key provided"}}),
        ),
    ]);
    let (world, log) = codex_world(&server);
    let mut codex = world.start_codex(&bin, &["limited"], WIDE);
    trust_hooks(&mut codex);
    codex.wait_for("hit your usage limit", SLOW);
    let rollout = world.codex_rollouts().pop().expect("a rollout");
    // The screen can be ahead of the rollout by a few ms (seen in CI).
    let end = std::time::Instant::now() + QUICK;
    while event_msgs(&rollout, "task_complete").is_empty() {
        assert!(std::time::Instant::now() < end, "no task_complete");
        std::thread::sleep(Duration::from_millis(20));
    }
    let complete = event_msgs(&rollout, "task_complete");
    let error = &complete.last().expect("task_complete")["error"];
    assert_eq!(error["codex_error_info"], "usage_limit_exceeded");
    assert!(error["message"].as_str().unwrap().contains("Try again at"));
    let limits = event_msgs(&rollout, "token_count")
        .into_iter()
        .map(|p| p["rate_limits"]["primary"].clone())
        .find(|p| !p.is_null())
        .expect("the limit in a token_count");
    assert_eq!(limits["used_percent"], 100.0);
    assert_eq!(limits["resets_at"], 1893456000);
    assert!(
        log.find("Stop", None, 0).is_none(),
        "no Stop after a failed turn"
    );

    codex.settle(Duration::from_millis(500));
    codex.type_text("again");
    codex.settle(Duration::from_millis(300));
    codex.send("\r");
    codex.wait_for("401 Unauthorized", SLOW);
    // The screen can be ahead of the rollout by a few ms.
    let end = std::time::Instant::now() + QUICK;
    while event_msgs(&rollout, "task_complete").len() < 2 {
        assert!(std::time::Instant::now() < end, "no second task_complete");
        std::thread::sleep(Duration::from_millis(20));
    }
    let complete = event_msgs(&rollout, "task_complete");
    let error = &complete.last().unwrap()["error"];
    assert_eq!(
        error["codex_error_info"]["http_connection_failed"]["http_status_code"],
        401
    );
    assert!(
        log.find("Stop", None, 0).is_none(),
        "no Stop after a failed turn"
    );
}

#[test]
fn codex_kill_9_then_resume_keeps_the_thread_and_its_rollout() {
    let Some(bin) = Agent::Codex.binary() else {
        return;
    };
    let server = ModelServer::start(vec![
        Reply::text("One.", small()),
        Reply::text("Two.", small()),
    ]);
    let (world, log) = codex_world(&server);
    let mut one = world.start_codex(&bin, &["one"], WIDE);
    trust_hooks(&mut one);
    one.wait_for("One.", SLOW);
    let start = log.wait("SessionStart", None, 0, SLOW);
    let id = start.input["session_id"].as_str().unwrap().to_string();
    // The TUI is the process with the project as cwd and no `app-server`.
    let tui = one.pid().unwrap();
    let cwd = std::fs::read_link(format!("/proc/{tui}/cwd")).unwrap();
    assert_eq!(cwd, world.project);
    std::process::Command::new("kill")
        .args(["-KILL", &tui.to_string()])
        .status()
        .unwrap();
    one.wait_exit(SLOW);
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        processes(&world, "codex-linux-x64").is_empty(),
        "the native TUI went with its wrapper"
    );
    assert!(
        !processes(&world, "app-server").is_empty(),
        "the app-server lives on"
    );

    let resumed = now_ms();
    let mut two = world.start_codex(&bin, &["resume", &id], WIDE);
    two.wait_for("One.", SLOW);
    two.settle(Duration::from_secs(2));
    // The killed TUI's SessionEnd comes from the app-server only now, as
    // the thread is taken up again; the resumed SessionStart waits for the
    // first prompt.
    let end = log.wait("SessionEnd", None, resumed, SLOW);
    assert_eq!(end.input["reason"], "other");
    assert!(
        log.find("SessionStart", Some("\"resume\""), resumed)
            .is_none()
    );
    let typed = now_ms();
    two.type_text("two");
    two.settle(Duration::from_millis(300));
    two.send("\r");
    let again = log.wait("SessionStart", Some("\"resume\""), typed, SLOW);
    assert_eq!(again.input["session_id"], id.as_str());
    two.wait_for("Two.", SLOW);
    let rollouts = world.codex_rollouts();
    assert_eq!(rollouts.len(), 1, "one rollout: {rollouts:?}");
    let end = std::time::Instant::now() + QUICK;
    while event_msgs(&rollouts[0], "task_complete").len() < 2 {
        assert!(
            std::time::Instant::now() < end,
            "the resumed turn is not in the first rollout"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(world.codex_rollouts().len(), 1);
    eprintln!("codex: hooks {:?}", log.names());
}
