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

use serde_json::Value;

use crate::agents::AgentKind;
use crate::config::Config;

use super::answer::Gate;
use super::decide::{Call, decide};
use super::ipc;
pub use super::outcome::Outcome;
use super::outcome::{MAX_STDIN, project_dir};
use super::stdin;
use super::unreadable::{malformed, unreadable};
use super::watchdog;
use crate::policy::{Policy, ToolCall};

pub use super::client::send_event;

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

/// Where the agent works: the hook's `cwd`, else the project.
fn working_dir(hook: &Value, project: &Path) -> PathBuf {
    hook.get("cwd")
        .and_then(Value::as_str)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| project.to_path_buf())
}
