//! `cockpit hook claude|codex`: the command the agent's hook configuration
//! runs. It reads the hook JSON on stdin, lets the policy decide, asks the
//! running cockpit when a human must, and answers in the format the agent
//! honours at that event (`answer`).
//!
//! It never allows silently: when the cockpit cannot be reached, dies, is
//! stopped, or does not answer in time, the call goes back to the agent's own
//! prompt (`ask`) or is denied, as `approvals.on_unreachable` says, and denied
//! where the agent has no prompt of its own (Codex's PreToolUse). Input it
//! cannot read is never a silent pass either (`unreadable`).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use crate::agents::AgentKind;
use crate::config::Config;

use super::answer::{Gate, agent_can_ask, render};
use super::client::{self, Failure, ask_cockpit};
use super::failsafe;
use super::ipc;
pub use super::outcome::Outcome;
use super::outcome::{MAX_STDIN, project_dir};
use super::stdin;
use super::unreadable::{malformed, unreadable};
use super::watchdog;
use crate::policy::protocol::{ApprovalRequest, VERSION};
use crate::policy::{Decision, Policy, ToolCall, Verdict};

pub use super::client::send_event;

/// The longest the hook waits for the cockpit: under the 600 s install-hooks
/// gives the hook, so the fail-safe answers before the agent kills the hook
/// (a killed hook is a failed hook, and Codex then runs the call).
const MAX_WAIT_SECS: u64 = 590;

pub fn run(agent: AgentKind, config: &Config, policy: &Policy) -> i32 {
    // A panic would exit 101, which both agents treat as a failed hook and
    // go on with the call: every panic becomes an answer that blocks.
    std::panic::set_hook(Box::new(|_| {}));
    watchdog::start();
    let outcome =
        catch_unwind(AssertUnwindSafe(|| answer(agent, config, policy))).unwrap_or_else(|_| {
            Outcome {
                stdout: None,
                stderr: Some(
                    "the hook failed inside (a bug: please report it); blocking the call (exit 2)"
                        .into(),
                ),
                exit_code: 2,
            }
        });
    if !watchdog::claim() {
        // The watchdog answered already and is ending the process.
        loop {
            std::thread::park();
        }
    }
    use std::io::Write;
    if let Some(text) = &outcome.stdout {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    }
    if let Some(text) = &outcome.stderr {
        // Not `eprintln!`: it panics when stderr is a closed pipe, and a
        // hook that panics exits 101, which lets the call run.
        let _ = writeln!(std::io::stderr(), "cockpit hook: {text}");
    }
    outcome.exit_code
}

fn answer(agent: AgentKind, config: &Config, policy: &Policy) -> Outcome {
    let input = stdin::read_all(std::io::stdin().lock(), MAX_STDIN);
    let runtime_dir = ipc::runtime_dir();
    if input.oversized {
        let why = format!(
            "the hook's input is {} bytes, over the {} MiB the hook reads",
            input.total,
            MAX_STDIN >> 20
        );
        return unreadable(agent, config, &input.bytes, &why, &runtime_dir);
    }
    if let Some(err) = &input.error {
        let why = format!("cannot read stdin: {err}");
        return unreadable(agent, config, &input.bytes, &why, &runtime_dir);
    }
    let bytes = &input.bytes;
    catch_unwind(|| handle(agent, config, policy, bytes, &runtime_dir)).unwrap_or_else(|_| {
        let why = "the hook failed inside (a bug: please report it)";
        unreadable(agent, config, bytes, why, &runtime_dir)
    })
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
        Ok(_) => {
            let why = "stdin is JSON but not a hook object";
            return unreadable(agent, config, input, why, runtime_dir);
        }
        Err(err) => {
            let why = format!("stdin is not hook JSON ({err})");
            return unreadable(agent, config, input, &why, runtime_dir);
        }
    };
    let event = hook
        .get("hook_event_name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let project = project_dir(agent, &hook);
    match Gate::parse(&event) {
        Some(gate) => {
            let tool = hook.get("tool_name").and_then(Value::as_str);
            let tool_input = hook.get("tool_input").cloned().unwrap_or(Value::Null);
            if let Some(why) = malformed(tool, &tool_input) {
                return unreadable(agent, config, input, &why, runtime_dir);
            }
            let tool = tool.unwrap_or_default();
            // Relative paths are the agent's working directory's, which may
            // be below (or beside) the project.
            let call = ToolCall::from_hook(tool, &tool_input, &working_dir(&hook, &project));
            let decision = policy.decide(&call, &project);
            let call = Call {
                agent,
                gate,
                hook: &hook,
                cwd: &project,
                runtime_dir,
            };
            decide(config, &call, tool, tool_input, decision)
        }
        None if event.is_empty() => unreadable(
            agent,
            config,
            input,
            "stdin has no hook_event_name",
            runtime_dir,
        ),
        None => {
            // SessionStart, PostToolUse, UserPromptSubmit, Stop ...: tell the
            // cockpit (bounded, best-effort), decide nothing.
            let handoff = (event == "SessionStart")
                .then(|| super::handoff_hook::for_session_start(agent, config, &hook, &project))
                .flatten();
            let mut hook = hook;
            if let (Some(given), Some(fields)) = (&handoff, hook.as_object_mut()) {
                // One message, so the cockpit never shows the start after it.
                fields.insert("cockpit_handoff".into(), given.notice.clone());
            }
            let _ = send_event(runtime_dir, &project, agent, hook);
            Outcome::print(handoff.map(|given| given.stdout), None)
        }
    }
}

/// One deciding hook call and where it came from.
struct Call<'a> {
    agent: AgentKind,
    gate: Gate,
    hook: &'a Value,
    cwd: &'a Path,
    runtime_dir: &'a Path,
}

fn decide(
    config: &Config,
    call: &Call<'_>,
    tool: &str,
    tool_input: Value,
    decision: Decision,
) -> Outcome {
    let (agent, gate) = (call.agent, call.gate);
    let needs_human = match decision.verdict {
        Verdict::Ask => true,
        // The agent asks for a permission only when it would show its own
        // prompt: the human answers in the cockpit instead.
        Verdict::Pass => gate == Gate::PermissionRequest,
        Verdict::Allow | Verdict::Deny => false,
    };
    if !needs_human {
        if matches!(decision.verdict, Verdict::Allow | Verdict::Deny) {
            // Recorded in the cockpit's session (who: the rule); best-effort.
            let note = json!({
                "hook_event_name": "cockpit_policy_decision",
                "session_id": call.hook.get("session_id"),
                "transcript_path": call.hook.get("transcript_path"),
                "gate": gate.name(),
                "tool_name": tool,
                "tool_input": &tool_input,
                "verdict": decision.verdict,
                "rule": decision.rule,
                "reason": decision.reason,
            });
            let _ = send_event(call.runtime_dir, call.cwd, agent, note);
        }
        let reason = decision.reason.clone().or_else(|| {
            decision
                .rule
                .as_ref()
                .map(|r| format!("cockpit policy rule `{r}`"))
        });
        return Outcome::print(
            render(agent, gate, decision.verdict, reason.as_deref()),
            None,
        );
    }
    let text = |key: &str| {
        call.hook
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let request = ApprovalRequest {
        version: VERSION,
        agent,
        hook_event: gate.name().to_string(),
        session_id: text("session_id"),
        transcript_path: text("transcript_path"),
        cwd: text("cwd"),
        tool: tool.to_string(),
        input: tool_input,
        rule: decision.rule.clone(),
        reason: decision.reason.clone(),
        why: decision.why.clone(),
    };
    let timeout = wait_limit(config);
    let why = failsafe::why_human(agent, gate, &decision);
    // The wait is bounded by itself; the hook's own deadline starts afresh after.
    watchdog::pause();
    let reply = ask_cockpit(call.runtime_dir, call.cwd, &request, timeout);
    watchdog::resume();
    match reply {
        Ok(reply) => match reply.verdict {
            Verdict::Allow | Verdict::Deny => {
                let reason = reply.reason.clone().or_else(|| match reply.verdict {
                    Verdict::Deny => Some("denied in the cockpit".to_string()),
                    _ => None,
                });
                Outcome::print(render(agent, gate, reply.verdict, reason.as_deref()), None)
            }
            // Handed back to the agent's own prompt, where it has one.
            Verdict::Ask | Verdict::Pass if agent_can_ask(agent, gate) => {
                let reason = reply
                    .reason
                    .clone()
                    .unwrap_or_else(|| format!("cockpit: handed back to you: {why}"));
                let reason = (gate == Gate::PreToolUse).then_some(reason);
                Outcome::print(render(agent, gate, Verdict::Ask, reason.as_deref()), None)
            }
            Verdict::Ask | Verdict::Pass => {
                let reason = failsafe::deferred_without_prompt(agent, &why);
                Outcome::print(
                    render(agent, gate, Verdict::Deny, Some(&reason)),
                    Some(
                        "handed back from the cockpit where the agent has no prompt; denying"
                            .into(),
                    ),
                )
            }
        },
        Err(failure) => fallback(config, call, &why, &failure),
    }
}

/// The cockpit could not decide: the agent's own prompt, or deny.
fn fallback(config: &Config, call: &Call<'_>, why: &str, failure: &Failure) -> Outcome {
    let ask = failsafe::when_unreachable(config.approvals.on_unreachable, call.agent, call.gate)
        .is_none();
    let (verdict, what) = if ask {
        (
            Verdict::Ask,
            "handing the decision to the agent's own prompt",
        )
    } else {
        (Verdict::Deny, "denying")
    };
    let socket = ipc::find_socket(call.runtime_dir, call.cwd)
        .unwrap_or_else(|_| client::expected_socket(call.runtime_dir, call.cwd));
    let happened = failure.describe(&socket);
    let reason = failsafe::message(why, &happened, call.cwd, !ask);
    Outcome::print(
        render(call.agent, call.gate, verdict, Some(&reason)),
        Some(format!("{happened}; {what}")),
    )
}

fn wait_limit(config: &Config) -> Duration {
    Duration::from_secs(config.approvals.timeout_secs.clamp(1, MAX_WAIT_SECS))
}

/// Where the agent works: the hook's `cwd`, else the project.
fn working_dir(hook: &Value, project: &Path) -> PathBuf {
    hook.get("cwd")
        .and_then(Value::as_str)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| project.to_path_buf())
}

#[cfg(test)]
mod tests;
