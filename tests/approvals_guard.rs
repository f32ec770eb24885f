//! What keeps a call from running that no human saw, with the real binary in
//! a pty and real `cockpit hook claude` processes: pastes and bursts never
//! answer, and a key answers only the request on screen when it was pressed.

mod support;

use std::process::Child;
use std::time::Duration;

use support::hooks::{Cockpit, Env, armed, stdout, wait};

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
