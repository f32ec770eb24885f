//! The one call of the recording the user decides: its `git push`. The
//! replay asks through the real hook process and socket when it reaches the
//! call, waits as the agent would, and shows what the user decided: allowed,
//! the recording goes on; denied, the call is shown denied and the replay
//! stops (what the recording did next followed from a push that ran).

use std::io::Write;
use std::path::PathBuf;

use serde_json::Value;

use super::project::{content_blocks, tool_uses};
use super::recording::{SESSION, SESSION_ID};

/// The recorded push that ran: its tool-use id and command.
pub(super) fn recorded_push() -> Option<(String, String)> {
    let lines: Vec<Value> = SESSION
        .split(|&b| b == b'\n')
        .filter_map(|l| serde_json::from_slice(l).ok())
        .collect();
    let ran = |id: &str| {
        lines.iter().flat_map(content_blocks).any(|b| {
            b.get("tool_use_id").and_then(Value::as_str) == Some(id)
                && b.get("is_error").and_then(Value::as_bool) != Some(true)
        })
    };
    lines
        .iter()
        .rev()
        .flat_map(|line| content_blocks(line).collect::<Vec<_>>())
        .filter(|b| b.get("name").and_then(Value::as_str) == Some("Bash"))
        .filter_map(|b| {
            let command = b.pointer("/input/command")?.as_str()?;
            let id = b.get("id")?.as_str()?;
            (command.starts_with("git push") && ran(id)).then(|| (id.into(), command.into()))
        })
        .next()
}

/// Whether this replayed line holds the call `id`.
pub(super) fn holds_call(value: &Value, id: &str) -> bool {
    tool_uses(value).count() > 0
        && content_blocks(value).any(|b| b.get("id").and_then(Value::as_str) == Some(id))
}

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    Allow,
    /// With the reason the agent is told.
    Deny(String),
    /// Left to the agent's own prompt.
    Ask,
    /// The hook gave no decision (it could not run, or reach the cockpit).
    None,
}

/// Runs `cockpit hook claude` as Claude Code would before the call, and
/// waits for its answer (the user's, through the cockpit).
pub(super) fn ask(root: PathBuf, transcript: PathBuf, id: &str, command: &str) -> Verdict {
    let request = serde_json::json!({
        "session_id": SESSION_ID,
        "transcript_path": transcript,
        "cwd": root,
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": command},
        "tool_use_id": id
    });
    let Ok(binary) = std::env::current_exe() else {
        return Verdict::None;
    };
    let child = std::process::Command::new(binary)
        .args(["hook", "claude"])
        .current_dir(&root)
        .env_remove("CLAUDE_PROJECT_DIR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn();
    let Ok(mut child) = child else {
        return Verdict::None;
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(request.to_string().as_bytes());
    }
    let Ok(output) = child.wait_with_output() else {
        return Verdict::None;
    };
    let answer: Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    let said = |key: &str| {
        answer
            .pointer(&format!("/hookSpecificOutput/{key}"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    match said("permissionDecision").as_str() {
        "allow" => Verdict::Allow,
        "deny" => Verdict::Deny(said("permissionDecisionReason")),
        "ask" => Verdict::Ask,
        _ => Verdict::None,
    }
}

/// The recorded result line of call `id` as Claude Code writes it when a
/// PreToolUse hook denies: an error holding the reason.
pub(super) fn denied_result(recorded: &Value, id: &str, reason: &str) -> Value {
    let text = format!("PreToolUse:Bash hook error: {reason}");
    let mut line = recorded.clone();
    if let Some(blocks) = line
        .pointer_mut("/message/content")
        .and_then(Value::as_array_mut)
    {
        for block in blocks {
            if block.get("tool_use_id").and_then(Value::as_str) == Some(id) {
                block["content"] = Value::String(text.clone());
                block["is_error"] = Value::Bool(true);
            }
        }
    }
    if line.get("toolUseResult").is_some() {
        line["toolUseResult"] = Value::String(format!("Error: {text}"));
    }
    line
}

/// The line holding call `id`'s result, among the lines still to replay.
pub(super) fn result_of<'a>(rest: impl Iterator<Item = &'a Value>, id: &str) -> Option<&'a Value> {
    rest.into_iter().find(|line| {
        content_blocks(line).any(|b| b.get("tool_use_id").and_then(Value::as_str) == Some(id))
    })
}
