//! A Codex tool call's output: its text, exit code, success, and whether
//! Codex refused to run the call at all.

use serde_json::Value;

use crate::agents::record::exit_code_in;

/// Output is a string (sometimes a JSON document with `output` and `metadata`),
/// or in newer builds an object or a list of content items.
pub(super) fn output_text(output: Option<&Value>) -> String {
    match output {
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(doc)) => doc
                .get("output")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| s.clone()),
            _ => s.clone(),
        },
        Some(Value::Object(doc)) => doc
            .get("output")
            .or_else(|| doc.get("content"))
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string())
            })
            .unwrap_or_default(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// An output that is a JSON document (a string holding one, or an object).
pub(super) fn output_doc(output: Option<&Value>) -> Option<Value> {
    match output {
        Some(Value::String(s)) => serde_json::from_str::<Value>(s).ok(),
        Some(other) => Some(other.clone()),
        None => None,
    }
}

/// Codex writes an output record for a call it never ran: refused by its
/// approval policy, rejected at the prompt, or blocked by a hook. Those failed.
pub(super) fn refused(output: &str) -> bool {
    const MARKS: &[&str] = &[
        "approval policy is Never",
        "Rejected(\"",
        "rejected by user",
        "Command blocked by PreToolUse hook",
        "blocked by PreToolUse hook",
        "exec_command failed:",
    ];
    let head: String = output.chars().take(600).collect();
    MARKS.iter().any(|m| head.contains(m))
}

/// The exit code from the metadata or the plain-text header, when written.
pub(super) fn output_exit_code(output: Option<&Value>, text: &str) -> Option<i32> {
    let metadata = output_doc(output)
        .as_ref()
        .and_then(|d| d.pointer("/metadata/exit_code"))
        .and_then(Value::as_i64);
    if let Some(code) = metadata {
        return i32::try_from(code).ok();
    }
    match output {
        Some(Value::String(s)) => exit_code_in(s),
        _ => exit_code_in(text),
    }
}

/// Success from the exit code when one was written, else from a `success`
/// flag; an output that says neither counts as success.
pub(super) fn output_ok(output: Option<&Value>, exit_code: Option<i32>) -> bool {
    match exit_code {
        Some(code) => code == 0,
        None => output_doc(output)
            .and_then(|d| d.get("success").and_then(Value::as_bool))
            .unwrap_or(true),
    }
}
