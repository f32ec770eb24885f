//! Hook input the policy cannot check: too big, cut short, garbage, or a
//! call without the tool or the command it names. It is never a silent pass.

use std::path::Path;

use serde_json::{Value, json};

use crate::agents::AgentKind;
use crate::agents::tools::{FILE_TOOLS, SHELL_TOOLS};
use crate::config::Config;

use super::answer::{Gate, render};
use super::client::send_event;
use super::outcome::{MAX_STDIN, Outcome, project_dir};
use super::stdin;
use crate::policy::Verdict;

/// Why a deciding call cannot be checked although its JSON parsed: no
/// tool name, a shell call without a command, a file call without a file.
pub(super) fn malformed(tool: Option<&str>, input: &Value) -> Option<String> {
    let Some(tool) = tool else {
        return Some("the call has no tool_name".into());
    };
    let command = input.get("command").or_else(|| input.get("cmd"));
    if SHELL_TOOLS.contains(&tool) && command.is_none() {
        return Some(format!("a {tool} call without a command"));
    }
    let file = FILE_TOOLS.iter().find(|(t, _)| *t == tool);
    if let Some((_, key)) = file
        && !input.get(key).is_some_and(Value::is_string)
    {
        return Some(format!("a {tool} call without a {key}"));
    }
    None
}

/// Input that cannot be read as a hook (too big, cut short, garbage). If its
/// beginning names a deciding event, answer in that event's format (the
/// agent's prompt, or deny); a lifecycle event needs no answer; with no event
/// at all only exit code 2 blocks the call in both agents.
pub(super) fn unreadable(
    agent: AgentKind,
    config: &Config,
    input: &[u8],
    why: &str,
    runtime_dir: &Path,
) -> Outcome {
    let event = stdin::scan_event(input);
    let Some(event) = event else {
        return Outcome {
            stdout: None,
            stderr: Some(format!(
                "{why}, and no hook_event_name can be found in it; blocking the call (exit 2)"
            )),
            exit_code: 2,
        };
    };
    let Some(gate) = Gate::parse(&event) else {
        // Still tell the cockpit it happened (a PostToolUse with a huge
        // result is a call that went ahead), with what the beginning holds.
        let mut payload = json!({"hook_event_name": event, "truncated": true});
        for key in [
            "session_id",
            "turn_id",
            "cwd",
            "tool_name",
            "tool_use_id",
            "prompt_id",
        ] {
            if let Some(value) = stdin::scan_field(input, key) {
                payload[key] = Value::String(value);
            }
        }
        let project = project_dir(agent, &payload);
        let _ = send_event(runtime_dir, &project, agent, payload);
        return Outcome::print(None, Some(format!("{why} ({event}: nothing to decide)")));
    };
    let ask =
        super::failsafe::when_unreachable(config.approvals.on_unreachable, agent, gate).is_none();
    let (verdict, what) = if ask {
        (
            Verdict::Ask,
            "handing the decision to the agent's own prompt",
        )
    } else {
        (Verdict::Deny, "denying")
    };
    // Only an input over the limit is fixed by a smaller one.
    let remedy = if input.len() >= MAX_STDIN {
        " Ask the agent to do it with a smaller input (for a file, write it in parts)."
    } else {
        ""
    };
    let reason = if ask {
        format!("cockpit: the policy could not check this call: {why}. Decide here.")
    } else {
        format!("cockpit: the policy could not check this call: {why}; so it was denied.{remedy}")
    };
    Outcome::print(
        render(agent, gate, verdict, Some(&reason)),
        Some(format!("{why} ({event}); {what}")),
    )
}
