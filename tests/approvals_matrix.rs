//! The approvals matrix (docs/approvals-matrix.md): agent x event x
//! situation, each cell the real `cockpit hook claude|codex` fed the JSON
//! the agent really sends (FORMATS.md 6), against a fake cockpit speaking the
//! socket protocol (or none), and the answer checked against what that agent
//! honours at that event. `COCKPIT_TEST_BIN` runs it against another build.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixListener;
use std::process::{Child, Command, Output};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::hooks::{Env, stderr, stdout};

const CLAUDE: &str = "claude";
const CODEX: &str = "codex";
const PRE: &str = "PreToolUse";
const PERM: &str = "PermissionRequest";
const ALL: [(&str, &str); 4] = [(CLAUDE, PRE), (CLAUDE, PERM), (CODEX, PRE), (CODEX, PERM)];

/// What the matrix sends, on top of the shared harness.
trait Inputs {
    fn input(&self, agent: &str, event: &str, tool: &str, tool_input: Value) -> String;
    fn push(&self, agent: &str, event: &str) -> String;
}

impl Inputs for Env {
    /// The stdin `agent` sends at `event` for `tool_input` (FORMATS.md 6.1, 6.2).
    fn input(&self, agent: &str, event: &str, tool: &str, tool_input: Value) -> String {
        let transcript = self.dir.path().join("t.jsonl");
        support::hooks::hook_stdin(agent, event, tool, tool_input, &transcript, &self.project())
            .to_string()
    }

    /// A call the default policy sends to a human (rule `git-push`).
    fn push(&self, agent: &str, event: &str) -> String {
        let input = json!({"command": "git push origin main", "description": "push"});
        self.input(agent, event, "Bash", input)
    }
}

/// A hook's output, killed after 20 s.
fn wait(child: Child) -> Output {
    support::hooks::wait(child, Duration::from_secs(20))
}

/// What a cell's hook must answer.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// The agent's allow for this event.
    Allow,
    /// A deny whose reason contains the text.
    Deny(&'static str),
    /// Claude Code's own prompt (PreToolUse `ask`), reason containing the text.
    Ask(&'static str),
    /// No decision, nothing printed.
    Nothing,
    /// No decision, a message for the user containing the text.
    Message(&'static str),
    /// Exit code 2, one line on stderr.
    Exit2,
}

fn check(cell: &str, output: &Output, event: &str, expect: Expect) {
    let out = stdout(output);
    let err = stderr(output);
    let ctx = format!("{cell}: stdout {out:?} stderr {err:?}");
    if let Expect::Exit2 = expect {
        assert_eq!(output.status.code(), Some(2), "{ctx}");
        assert_eq!(err.lines().count(), 1, "{ctx}");
        return;
    }
    assert_eq!(output.status.code(), Some(0), "{ctx}");
    assert!(err.lines().count() <= 1, "{ctx}");
    if let Expect::Nothing = expect {
        assert_eq!(out, "", "{ctx}");
        return;
    }
    let value: Value = serde_json::from_str(&out).unwrap_or_else(|_| panic!("{ctx}"));
    let specific = &value["hookSpecificOutput"];
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    match (event, expect) {
        (_, Expect::Message(part)) => {
            assert!(specific.is_null(), "no decision: {ctx}");
            assert!(
                text(&value["systemMessage"]).contains(part),
                "{part}: {ctx}"
            );
        }
        (PRE, Expect::Allow) => assert_eq!(specific["permissionDecision"], "allow", "{ctx}"),
        (PRE, Expect::Deny(part)) => {
            assert_eq!(specific["permissionDecision"], "deny", "{ctx}");
            assert!(
                text(&specific["permissionDecisionReason"]).contains(part),
                "{part}: {ctx}"
            );
        }
        (PRE, Expect::Ask(part)) => {
            assert_eq!(specific["permissionDecision"], "ask", "{ctx}");
            assert!(
                text(&specific["permissionDecisionReason"]).contains(part),
                "{part}: {ctx}"
            );
        }
        (PERM, Expect::Allow) => assert_eq!(specific["decision"]["behavior"], "allow", "{ctx}"),
        (PERM, Expect::Deny(part)) => {
            assert_eq!(specific["decision"]["behavior"], "deny", "{ctx}");
            assert!(
                text(&specific["decision"]["message"]).contains(part),
                "{part}: {ctx}"
            );
        }
        _ => panic!("{cell}: no such answer at {event}"),
    }
    assert_eq!(
        specific
            .get("hookEventName")
            .map(text)
            .unwrap_or(event.into()),
        event
    );
}

/// How the fake cockpit behaves once the hook connects.
#[derive(Debug, Clone, Copy)]
enum Cockpit {
    /// Answers with this decision line's verdict and reason.
    Decides(&'static str, Option<&'static str>, &'static str),
    /// Accepts, then closes without a decision (killed, quit, withdrew it).
    Closes,
    /// Accepts, then never answers.
    Silent,
    /// Never accepts the connection (a stopped process).
    Stopped,
}

/// Binds the project's socket and serves `n` hook connections as `how`.
/// The receiver gets, per connection, whether the hook closed its end.
fn fake_cockpit(env: &Env, how: Cockpit, n: usize) -> Receiver<bool> {
    cockpit::approvals::ipc::ensure_private_dir(&env.runtime()).unwrap();
    let listener = UnixListener::bind(env.socket()).unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        if let Cockpit::Stopped = how {
            std::thread::sleep(Duration::from_secs(30));
            drop(listener);
            return;
        }
        for _ in 0..n {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let mut writer = stream;
                let id = "0123456789abcdef0123456789abcdef";
                let _ = writeln!(writer, r#"{{"type":"accepted","id":"{id}"}}"#);
                match how {
                    Cockpit::Decides(verdict, reason, by) => {
                        let reply = json!({"type": "decision", "id": id, "verdict": verdict, "reason": reason, "by": by});
                        let _ = writeln!(writer, "{reply}");
                    }
                    Cockpit::Closes => return,
                    Cockpit::Silent | Cockpit::Stopped => {}
                }
                // Like the real cockpit: the hook's EOF withdraws the request.
                let mut rest = Vec::new();
                let _ = std::io::Read::read_to_end(&mut reader, &mut rest);
                let _ = tx.send(true);
            });
        }
    });
    rx
}

/// Runs the four agent x event cells of one situation at once.
fn run_cells(env: &Env, cells: [Expect; 4], input: impl Fn(&str, &str) -> String) {
    let children: Vec<_> = ALL
        .iter()
        .map(|(agent, event)| env.spawn_hook_as(agent, input(agent, event).into_bytes()).0)
        .collect();
    for (((agent, event), child), expect) in ALL.iter().zip(children).zip(cells) {
        check(&format!("{agent} {event}"), &wait(child), event, expect);
    }
}

/// What every fail-safe reason carries (issue 11 point 9).
const RULE: &str = "`git-push` (pushes to a remote)";

// The columns of the matrix. Cells in ALL order:
// Claude PreToolUse, Claude PermissionRequest, Codex PreToolUse, Codex PermissionRequest.

#[test]
fn matrix_y_allows_where_the_agent_honours_allow() {
    let env = Env::new();
    fake_cockpit(&env, Cockpit::Decides("allow", None, "human"), 4);
    // Codex's PreToolUse rejects `allow` and runs the call: nothing is
    // printed and Codex's own approval policy applies.
    run_cells(
        &env,
        [Expect::Allow, Expect::Allow, Expect::Nothing, Expect::Allow],
        |a, e| env.push(a, e),
    );
}

#[test]
fn matrix_a_allows_and_the_cockpit_remembers() {
    let env = Env::new();
    fake_cockpit(&env, Cockpit::Decides("allow", None, "remembered"), 4);
    run_cells(
        &env,
        [Expect::Allow, Expect::Allow, Expect::Nothing, Expect::Allow],
        |a, e| env.push(a, e),
    );
}

#[test]
fn matrix_n_denies_with_the_humans_reason() {
    let env = Env::new();
    fake_cockpit(
        &env,
        Cockpit::Decides("deny", Some("not from a laptop"), "human"),
        4,
    );
    let deny = Expect::Deny("not from a laptop");
    run_cells(&env, [deny; 4], |a, e| env.push(a, e));
}

#[test]
fn matrix_deferred_goes_to_the_agents_prompt_or_is_denied() {
    let env = Env::new();
    fake_cockpit(&env, Cockpit::Decides("ask", None, "human"), 4);
    run_cells(
        &env,
        [
            Expect::Ask("git-push"),
            Expect::Nothing,
            Expect::Deny("Codex has no prompt of its own before a tool call"),
            Expect::Nothing,
        ],
        |a, e| env.push(a, e),
    );
}

/// The fail-safe column: the agent's prompt where it has one, else deny;
/// the reason names the rule, the socket, and what to do.
const FAIL_SAFE: [Expect; 4] = [
    Expect::Ask(RULE),
    Expect::Message(RULE),
    Expect::Deny(RULE),
    Expect::Message(RULE),
];

#[test]
fn matrix_absent_cockpit_names_rule_socket_and_remedy() {
    let env = Env::new();
    run_cells(&env, FAIL_SAFE, |a, e| env.push(a, e));
    // Every reason says where it looked and what to do, not an OS error.
    for (agent, event) in ALL {
        let out = stdout(&env.hook_as(agent, &env.push(agent, event)));
        let socket = env.socket().display().to_string();
        let start = format!("start `cockpit` in {}", env.project().display());
        assert!(out.contains(&socket), "{agent} {event}: {out}");
        assert!(out.contains(&start), "{agent} {event}: {out}");
        assert!(out.contains("retry"), "{agent} {event}: {out}");
        assert!(!out.contains("os error"), "{agent} {event}: {out}");
    }
}

#[test]
fn matrix_absent_with_on_unreachable_deny_denies_everywhere() {
    let env = Env::new();
    env.write_config("[approvals]\non_unreachable = \"deny\"\n");
    run_cells(&env, [Expect::Deny(RULE); 4], |a, e| env.push(a, e));
}

#[test]
fn matrix_stale_socket_is_absent() {
    let env = Env::new();
    cockpit::approvals::ipc::ensure_private_dir(&env.runtime()).unwrap();
    drop(UnixListener::bind(env.socket()).unwrap());
    run_cells(&env, FAIL_SAFE, |a, e| env.push(a, e));
}

#[test]
fn matrix_killed_cockpit_never_allows() {
    let env = Env::new();
    fake_cockpit(&env, Cockpit::Closes, 4);
    run_cells(&env, FAIL_SAFE, |a, e| env.push(a, e));
}

#[test]
fn matrix_timed_out_ends_in_ask_or_deny() {
    let env = Env::new();
    env.write_config("[approvals]\ntimeout_secs = 1\n");
    fake_cockpit(&env, Cockpit::Silent, 4);
    run_cells(&env, FAIL_SAFE, |a, e| env.push(a, e));
}

#[test]
fn matrix_stopped_cockpit_ends_in_ask_or_deny() {
    let env = Env::new();
    env.write_config("[approvals]\ntimeout_secs = 1\n");
    fake_cockpit(&env, Cockpit::Stopped, 0);
    let started = Instant::now();
    run_cells(&env, FAIL_SAFE, |a, e| env.push(a, e));
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn matrix_pass_at_permission_request_says_the_agent_asked() {
    let env = Env::new();
    let input = |a: &str, e: &str| {
        env.input(
            a,
            e,
            "Bash",
            json!({"command": "npm run lint", "description": "lint"}),
        )
    };
    run_cells(
        &env,
        [
            // PreToolUse: no rule matched, the agent's own rules apply.
            Expect::Nothing,
            Expect::Message("Claude Code asked for a permission"),
            Expect::Nothing,
            Expect::Message("Codex asked for a permission"),
        ],
        input,
    );
}

#[test]
fn matrix_policy_deny_and_allow_answer_at_once() {
    let env = Env::new();
    env.write_config(
        r#"[[policy.rules]]
name = "echo-ok"
tools = ["Bash"]
command = "^echo "
action = "allow"
reason = "echo is harmless"

[[policy.rules]]
name = "no-rm"
tools = ["Bash"]
command = "^rm "
action = "deny"
reason = "rm is not for agents"
"#,
    );
    let env = &env;
    let call = |cmd: &'static str| {
        move |a: &str, e: &str| env.input(a, e, "Bash", json!({"command": cmd}))
    };
    run_cells(env, [Expect::Deny("rm is not for agents"); 4], call("rm x"));
    run_cells(
        env,
        [Expect::Allow, Expect::Allow, Expect::Nothing, Expect::Allow],
        call("echo hi"),
    );
}

#[test]
fn matrix_garbage_without_an_event_exits_2() {
    let env = Env::new();
    for agent in [CLAUDE, CODEX] {
        for input in [
            "",
            "{\"hook_event_name\":",
            "[1,2]",
            "\u{0}\u{1}garbage",
            "{\"tool_name\":\"Bash\"}",
        ] {
            let output = env.hook_as(agent, input);
            check(&format!("{agent} {input:?}"), &output, PRE, Expect::Exit2);
        }
    }
}

#[test]
fn matrix_garbage_with_an_event_answers_in_that_events_format() {
    let env = Env::new();
    // Cut short after the event name: the policy never saw the call.
    let input = |a: &str, e: &str| {
        let full = env.push(a, e);
        full[..full.find("\"tool_input\"").unwrap() + 20].to_string()
    };
    let why = "the policy could not check this call";
    run_cells(
        &env,
        [
            Expect::Ask(why),
            Expect::Message(why),
            Expect::Deny(why),
            Expect::Message(why),
        ],
        input,
    );
}

#[test]
fn matrix_oversized_input_is_drained_and_never_a_silent_pass() {
    let env = Env::new();
    // A Write to .env (policy: deny) with 17 MiB of content.
    let big = "K=v\n".repeat(17 << 18);
    let why = "over the 16 MiB the hook reads";
    let cells = [
        Expect::Ask(why),
        Expect::Message(why),
        Expect::Deny(why),
        Expect::Message(why),
    ];
    for ((agent, event), expect) in ALL.iter().zip(cells) {
        let file = env.project().join(".env");
        let input = env.input(
            agent,
            event,
            "Write",
            json!({"file_path": file, "content": big}),
        );
        let (child, drained) = env.spawn_hook_as(agent, input.into_bytes());
        let output = wait(child);
        check(&format!("{agent} {event}"), &output, event, expect);
        assert!(
            drained.recv().unwrap(),
            "{agent} {event}: the hook stopped reading"
        );
    }
    // With no event name in its first 64 KiB, only exit 2 can block.
    let garbage = vec![b'x'; 17 << 20];
    let (child, drained) = env.spawn_hook_as(CODEX, garbage);
    check("garbage", &wait(child), PRE, Expect::Exit2);
    assert!(drained.recv().unwrap());
}

#[test]
fn matrix_withdrawn_by_the_agent_closes_the_request() {
    // The human answered in the agent's own dialog: the agent kills the
    // hook, and the cockpit sees the connection end (and retires the request).
    let env = Env::new();
    let closed = fake_cockpit(&env, Cockpit::Silent, 4);
    for (agent, event) in ALL {
        let (mut child, _) = env.spawn_hook_as(agent, env.push(agent, event).into_bytes());
        std::thread::sleep(Duration::from_millis(300));
        child.kill().unwrap();
        let _ = child.wait();
        assert_eq!(
            closed.recv_timeout(Duration::from_secs(5)),
            Ok(true),
            "{agent} {event}"
        );
    }
}

#[test]
fn lifecycle_events_are_forwarded_without_waiting() {
    let env = Env::new();
    cockpit::approvals::ipc::ensure_private_dir(&env.runtime()).unwrap();
    let listener = UnixListener::bind(env.socket()).unwrap();
    for agent in [CLAUDE, CODEX] {
        for event in ["PostToolUse", "UserPromptSubmit"] {
            let mut hook: Value = serde_json::from_str(&env.push(agent, event)).unwrap();
            hook["tool_response"] = json!("done");
            hook["prompt"] = json!("go on");
            let output = env.hook_as(agent, &hook.to_string());
            check(&format!("{agent} {event}"), &output, event, Expect::Nothing);
            let (stream, _) = listener.accept().unwrap();
            let mut line = String::new();
            BufReader::new(stream).read_line(&mut line).unwrap();
            let message: Value = serde_json::from_str(&line).unwrap();
            assert_eq!(message["type"], "event", "{line}");
            assert_eq!(message["agent"], agent, "{line}");
            assert_eq!(message["payload"]["hook_event_name"], event, "{line}");
        }
    }
    // A cockpit that never accepts does not hold the agent up.
    let started = Instant::now();
    let output = env.hook_as(CODEX, &env.push(CODEX, "PostToolUse"));
    assert!(output.status.success());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

// The same cells against the real cockpit in a pseudo-terminal.

fn real_cockpit(env: &Env) -> support::pty::Pty {
    support::hooks::Cockpit::start(env)
}

fn push_to(env: &Env, agent: &str, event: &str, branch: &str) -> Vec<u8> {
    let input = json!({"command": format!("git push origin {branch}"), "description": "push"});
    env.input(agent, event, "Bash", input).into_bytes()
}

#[test]
fn real_cockpit_y_n_a_for_both_agents() {
    let env = Env::new();
    let mut cockpit = real_cockpit(&env);
    let steps: [(&str, &str, &str, &str, Expect); 4] = [
        (CODEX, PRE, "one", "y", Expect::Nothing),
        (CODEX, PERM, "two", "n", Expect::Deny("not from a laptop")),
        (CLAUDE, PERM, "three", "y", Expect::Allow),
        (CLAUDE, PRE, "four", "a", Expect::Allow),
    ];
    for (agent, event, branch, key, expect) in steps {
        let (hook, _) = env.spawn_hook_as(agent, push_to(&env, agent, event, branch));
        cockpit.wait_for(&format!("git push origin {branch}"));
        // A new prompt takes no key while it arms.
        cockpit.wait_for("allow once");
        cockpit.keys(key);
        if key == "n" {
            cockpit.wait_for("reason for the agent");
            cockpit.keys("not from a laptop");
            // Enter apart from the text: in one burst it would count as a paste.
            std::thread::sleep(Duration::from_millis(100));
            cockpit.keys("\r");
        }
        check(
            &format!("{agent} {event} {key}"),
            &wait(hook),
            event,
            expect,
        );
    }
}

#[test]
fn real_cockpit_sigstopped_while_the_hook_waits() {
    let env = Env::new();
    env.write_config("[approvals]\ntimeout_secs = 2\n");
    let mut cockpit = real_cockpit(&env);
    let pid = cockpit.child.process_id().unwrap().to_string();
    let (claude, _) = env.spawn_hook_as(CLAUDE, push_to(&env, CLAUDE, PRE, "one"));
    let (codex, _) = env.spawn_hook_as(CODEX, push_to(&env, CODEX, PRE, "two"));
    cockpit.wait_for("git push origin");
    let signal = |s: &str| Command::new("kill").args([s, &pid]).status().unwrap();
    signal("-STOP");
    let claude = wait(claude);
    let codex = wait(codex);
    signal("-CONT");
    check("claude stopped", &claude, PRE, Expect::Ask(RULE));
    check("codex stopped", &codex, PRE, Expect::Deny(RULE));
    assert!(
        stderr(&codex).contains("no decision within 2 s"),
        "{}",
        stderr(&codex)
    );
}

#[test]
fn an_oversized_lifecycle_event_is_still_forwarded() {
    // A PostToolUse with a 17 MiB result: the call went ahead, the cockpit
    // must hear of it (to retire a request answered in the agent's dialog).
    let env = Env::new();
    cockpit::approvals::ipc::ensure_private_dir(&env.runtime()).unwrap();
    let listener = UnixListener::bind(env.socket()).unwrap();
    for agent in [CLAUDE, CODEX] {
        let mut hook: Value = serde_json::from_str(&env.push(agent, "PostToolUse")).unwrap();
        hook["tool_response"] = json!("x".repeat(17 << 20));
        let (child, drained) = env.spawn_hook_as(agent, hook.to_string().into_bytes());
        check(agent, &wait(child), "PostToolUse", Expect::Nothing);
        assert!(drained.recv().unwrap());
        let (stream, _) = listener.accept().unwrap();
        let mut line = String::new();
        BufReader::new(stream).read_line(&mut line).unwrap();
        let message: Value = serde_json::from_str(&line).unwrap();
        let payload = &message["payload"];
        assert_eq!(payload["hook_event_name"], "PostToolUse", "{line}");
        assert_eq!(
            payload["session_id"],
            "019fecd6-44bf-7482-9eaa-ab1f81fff651"
        );
        assert_eq!(payload["tool_name"], "Bash", "{line}");
        // Fields after the huge one (here `tool_use_id`) are not seen.
        assert_eq!(payload["truncated"], true, "{line}");
    }
}
