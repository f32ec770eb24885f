//! `cockpit hook claude|codex`: the command the agent's hook configuration
//! runs. It reads the hook JSON on stdin, lets the policy decide, asks the
//! running cockpit when a human must, and prints the agent's decision format.
//!
//! It never allows silently: when the cockpit cannot be reached, dies, or
//! does not answer in time, or stdin is garbage, the decision goes back to the
//! agent's own prompt (`ask`) or is a `deny`, as `approvals.on_unreachable`
//! says, with one line on stderr saying why.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use crate::agents::AgentKind;
use crate::config::{Config, OnUnreachable};

use super::ipc;
use super::policy::{Decision, Policy, ToolCall, Verdict};
use super::protocol::{ApprovalRequest, ClientMessage, Reply, ServerMessage, VERSION};

const MAX_STDIN: u64 = 16 << 20;
/// Lifecycle events are best-effort: never hold the agent up for them.
const EVENT_TIMEOUT: Duration = Duration::from_millis(200);

/// What the hook prints and how it exits.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub stdout: Option<String>,
    pub stderr: Option<String>,
    pub exit_code: i32,
}

pub fn run(agent: AgentKind, config: &Config, policy: &Policy) -> i32 {
    let mut input = Vec::new();
    let read = std::io::stdin().take(MAX_STDIN).read_to_end(&mut input);
    let outcome = match read {
        Ok(_) => handle(agent, config, policy, &input, &ipc::runtime_dir()),
        Err(err) => garbage(config, &format!("cannot read stdin: {err}")),
    };
    if let Some(text) = &outcome.stdout {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    }
    if let Some(text) = &outcome.stderr {
        eprintln!("cockpit hook: {text}");
    }
    outcome.exit_code
}

pub fn handle(
    agent: AgentKind,
    config: &Config,
    policy: &Policy,
    input: &[u8],
    runtime_dir: &Path,
) -> Outcome {
    let hook: Value = match serde_json::from_slice(input) {
        Ok(value @ Value::Object(_)) => value,
        Ok(_) => return garbage(config, "stdin is JSON but not a hook object"),
        Err(err) => return garbage(config, &format!("stdin is not hook JSON ({err})")),
    };
    let event = hook
        .get("hook_event_name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let cwd = project_dir(&hook);
    match event.as_str() {
        "PreToolUse" | "PermissionRequest" => {
            let tool = hook.get("tool_name").and_then(Value::as_str).unwrap_or("?");
            let tool_input = hook.get("tool_input").cloned().unwrap_or(Value::Null);
            let call = ToolCall::from_hook(tool, &tool_input, &cwd);
            let decision = policy.decide(&call, &cwd);
            decide(
                agent,
                config,
                &hook,
                &event,
                tool,
                tool_input,
                decision,
                &cwd,
                runtime_dir,
            )
        }
        "" => garbage(config, "stdin has no hook_event_name"),
        _ => {
            // SessionStart, Stop, PreCompact ...: tell the cockpit, decide nothing.
            let _ = send_event(runtime_dir, &cwd, agent, hook);
            Outcome {
                stdout: None,
                stderr: None,
                exit_code: 0,
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn decide(
    agent: AgentKind,
    config: &Config,
    hook: &Value,
    event: &str,
    tool: &str,
    tool_input: Value,
    decision: Decision,
    cwd: &Path,
    runtime_dir: &Path,
) -> Outcome {
    let needs_human = match decision.verdict {
        Verdict::Ask => true,
        // Claude Code asks for a permission only when it would show its own
        // dialog: the human answers in the cockpit instead.
        Verdict::Pass => event == "PermissionRequest",
        Verdict::Allow | Verdict::Deny => false,
    };
    if !needs_human {
        if matches!(decision.verdict, Verdict::Allow | Verdict::Deny) {
            // Recorded in the cockpit's session (who: the rule); best-effort.
            let note = json!({
                "hook_event_name": "cockpit_policy_decision",
                "session_id": hook.get("session_id"),
                "tool_name": tool,
                "tool_input": &tool_input,
                "verdict": decision.verdict,
                "rule": decision.rule,
                "reason": decision.reason,
            });
            let _ = send_event(runtime_dir, cwd, agent, note);
        }
        let reason = decision.reason.clone().or_else(|| {
            decision
                .rule
                .as_ref()
                .map(|r| format!("cockpit policy rule `{r}`"))
        });
        return Outcome {
            stdout: render(event, decision.verdict, reason.as_deref()),
            stderr: None,
            exit_code: 0,
        };
    }
    let text = |key: &str| hook.get(key).and_then(Value::as_str).map(str::to_string);
    let request = ApprovalRequest {
        version: VERSION,
        agent,
        hook_event: event.to_string(),
        session_id: text("session_id"),
        transcript_path: text("transcript_path"),
        cwd: text("cwd"),
        tool: tool.to_string(),
        input: tool_input,
        rule: decision.rule.clone(),
        reason: decision.reason.clone(),
        why: decision.why.clone(),
    };
    let timeout = Duration::from_secs(config.approvals.timeout_secs.max(1));
    match ask_cockpit(runtime_dir, cwd, &request, timeout) {
        Ok(reply) => {
            let reason = reply.reason.clone().or_else(|| match reply.verdict {
                Verdict::Deny => Some("denied in the cockpit".to_string()),
                _ => None,
            });
            Outcome {
                stdout: render(event, reply.verdict, reason.as_deref()),
                stderr: None,
                exit_code: 0,
            }
        }
        Err(why) => fallback(config, event, &why),
    }
}

/// Sends the request and waits for the one decision that belongs to it.
pub fn ask_cockpit(
    runtime_dir: &Path,
    cwd: &Path,
    request: &ApprovalRequest,
    timeout: Duration,
) -> Result<Reply, String> {
    let socket = ipc::find_socket(runtime_dir, cwd).map_err(|e| e.to_string())?;
    let mut stream = UnixStream::connect(&socket)
        .map_err(|e| format!("no cockpit answers at {}: {e}", socket.display()))?;
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| e.to_string())?;
    let mut line =
        serde_json::to_vec(&ClientMessage::Request(request.clone())).map_err(|e| e.to_string())?;
    line.push(b'\n');
    stream
        .write_all(&line)
        .map_err(|e| format!("the cockpit closed the connection: {e}"))?;
    let mut reader = BufReader::new(stream);
    let accepted = read_message(&mut reader, timeout)?;
    let ServerMessage::Accepted { id } = accepted else {
        return Err("the cockpit answered out of order".into());
    };
    match read_message(&mut reader, timeout)? {
        ServerMessage::Decision(reply) if reply.id == id => Ok(reply),
        ServerMessage::Decision(reply) => Err(format!(
            "refused a decision for another request ({} instead of {id})",
            reply.id
        )),
        ServerMessage::Accepted { .. } => Err("the cockpit answered out of order".into()),
    }
}

fn read_message(reader: &mut impl BufRead, timeout: Duration) -> Result<ServerMessage, String> {
    let mut line = String::new();
    match reader.take(1 << 20).read_line(&mut line) {
        Ok(0) => Err("the cockpit went away before deciding".into()),
        Ok(_) => serde_json::from_str(&line).map_err(|e| format!("the cockpit sent garbage: {e}")),
        Err(err)
            if matches!(
                err.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            Err(format!("no decision within {} s", timeout.as_secs()))
        }
        Err(err) => Err(format!("lost the cockpit: {err}")),
    }
}

/// Best-effort notice to the cockpit; errors are ignored by callers.
pub fn send_event(
    runtime_dir: &Path,
    cwd: &Path,
    agent: AgentKind,
    payload: Value,
) -> std::io::Result<()> {
    let socket = ipc::find_socket(runtime_dir, cwd)?;
    let mut stream = UnixStream::connect(socket)?;
    stream.set_write_timeout(Some(EVENT_TIMEOUT))?;
    let mut line = serde_json::to_vec(&ClientMessage::Event { agent, payload })?;
    line.push(b'\n');
    stream.write_all(&line)
}

/// The agent's own decision JSON; `None` prints nothing (no decision).
pub fn render(event: &str, verdict: Verdict, reason: Option<&str>) -> Option<String> {
    let reason = reason.map(|r| r.chars().take(9_000).collect::<String>());
    let value = match (event, verdict) {
        ("PermissionRequest", Verdict::Allow) => json!({"hookSpecificOutput": {
            "hookEventName": "PermissionRequest",
            "decision": {"behavior": "allow"}}}),
        ("PermissionRequest", Verdict::Deny) => json!({"hookSpecificOutput": {
            "hookEventName": "PermissionRequest",
            "decision": {"behavior": "deny", "message": reason.unwrap_or_else(|| "denied by the cockpit".into())}}}),
        // No decision: Claude Code shows its own dialog.
        ("PermissionRequest", _) => return None,
        (_, Verdict::Pass) => return None,
        (_, verdict) => {
            let mut output = json!({
                "hookEventName": "PreToolUse",
                "permissionDecision": verdict,
            });
            if let Some(reason) = reason {
                output["permissionDecisionReason"] = Value::String(reason);
            }
            json!({ "hookSpecificOutput": output })
        }
    };
    Some(value.to_string())
}

/// The cockpit could not decide: hand back to the agent's prompt, or deny.
fn fallback(config: &Config, event: &str, why: &str) -> Outcome {
    let (verdict, what) = match config.approvals.on_unreachable {
        OnUnreachable::Ask => (
            Verdict::Ask,
            "handing the decision to the agent's own prompt",
        ),
        OnUnreachable::Deny => (Verdict::Deny, "denying"),
    };
    let reason = format!("cockpit: {why}");
    Outcome {
        stdout: render(event, verdict, Some(&reason)),
        stderr: Some(format!("{why}; {what}")),
        exit_code: 0,
    }
}

/// Garbage on stdin: the event is unknown, so only the exit code can speak:
/// 0 with no output is the agent's normal flow, 2 blocks the call.
fn garbage(config: &Config, why: &str) -> Outcome {
    let (exit_code, what) = match config.approvals.on_unreachable {
        OnUnreachable::Ask => (0, "leaving the decision to the agent"),
        OnUnreachable::Deny => (2, "blocking the call"),
    };
    Outcome {
        stdout: None,
        stderr: Some(format!("{why}; {what}")),
        exit_code,
    }
}

/// The project the call belongs to: `$CLAUDE_PROJECT_DIR`, else the hook's
/// `cwd`, else the current directory.
fn project_dir(hook: &Value) -> PathBuf {
    std::env::var_os("CLAUDE_PROJECT_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            hook.get("cwd")
                .and_then(Value::as_str)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
        })
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"))
}
