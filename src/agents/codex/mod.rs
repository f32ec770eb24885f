//! OpenAI Codex CLI rollout lines (FORMATS.md section 2).
//!
//! `{"timestamp", "type", "payload"}` envelopes. The gauge comes from the newest
//! `token_count` whose `info` is present: `last_token_usage.total_tokens`, never
//! the cumulative `total_token_usage`.

use serde::Deserialize;
use serde_json::Value;

use super::record::{LineParser, Meta, ParseError, Record, ToolEnd, ToolStart, cap_output};
use super::summary::{detail, shell_command, summarize, tool_paths};
use super::timestamp::parse_millis;
use crate::formats::codex::Info;

mod output;

use output::{output_exit_code, output_ok, output_text, refused};

#[derive(Default)]
pub struct CodexParser {
    model: Option<String>,
    cwd: Option<String>,
    /// A `compacted` line and a `context_compacted` event describe one compaction.
    compaction_open: bool,
    /// Calls whose end came as a `CommandExecution` item: their output record
    /// that follows is the same end, not a second one.
    ended: std::collections::HashSet<String>,
}

#[derive(Deserialize)]
struct Envelope {
    timestamp: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    payload: Value,
}

impl LineParser for CodexParser {
    fn parse_line(&mut self, line: &[u8], out: &mut Vec<Record>) -> Result<(), ParseError> {
        let envelope: Envelope = serde_json::from_slice(line)?;
        let at = envelope.timestamp.as_deref().and_then(parse_millis);
        let payload = &envelope.payload;
        let str_field = |name: &str| payload.get(name).and_then(Value::as_str);
        match envelope.kind.as_deref() {
            Some("session_meta") => {
                self.cwd = str_field("cwd").map(str::to_string);
                out.push(Record::Meta(Meta {
                    session_id: str_field("id")
                        .or_else(|| str_field("session_id"))
                        .map(str::to_string),
                    cwd: self.cwd.clone(),
                    model: str_field("model").map(str::to_string),
                    git_branch: payload
                        .pointer("/git/branch")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    version: str_field("cli_version").map(str::to_string),
                    at,
                }));
            }
            Some("turn_context") => {
                let model = str_field("model").map(str::to_string);
                if model.is_some() && model != self.model {
                    self.model = model.clone();
                    out.push(Record::Meta(Meta {
                        model,
                        at,
                        ..Meta::default()
                    }));
                }
                if let Some(cwd) = str_field("cwd") {
                    self.cwd = Some(cwd.to_string());
                }
            }
            Some("compacted") => self.compacted(at, out),
            Some("event_msg") => self.event(payload, at, out),
            Some("response_item") => self.response_item(payload, at, out),
            _ => {}
        }
        Ok(())
    }
}

impl CodexParser {
    fn compacted(&mut self, at: Option<i64>, out: &mut Vec<Record>) {
        if !self.compaction_open {
            self.compaction_open = true;
            out.push(Record::Compacted {
                pre_tokens: None,
                post_tokens: None,
                at,
            });
        }
    }

    fn event(&mut self, payload: &Value, at: Option<i64>, out: &mut Vec<Record>) {
        let kind = payload.get("type").and_then(Value::as_str);
        match kind {
            Some("token_count") => {
                let Some(info) = payload.get("info").filter(|i| !i.is_null()) else {
                    return; // rate limits only: nothing about the context
                };
                let Ok(info) = Info::deserialize(info) else {
                    return;
                };
                if let Some(last) = info.last_token_usage.filter(|l| l.context_tokens() > 0) {
                    self.compaction_open = false;
                    out.push(Record::Usage {
                        context_tokens: last.context_tokens(),
                        window: info.model_context_window,
                        model: self.model.clone(),
                        at,
                    });
                }
            }
            Some("task_started") | Some("turn_started") => {
                if let Some(window) = payload.get("model_context_window").and_then(Value::as_u64) {
                    out.push(Record::WindowHint(window));
                }
            }
            Some("user_message") => {
                if let Some(text) = payload.get("message").and_then(Value::as_str) {
                    out.push(Record::Prompt {
                        text: text.to_string(),
                        at,
                    });
                }
            }
            // Codex 0.169: the prompt and the command's end come as completed items.
            Some("item_completed") => self.item_completed(payload.get("item"), at, out),
            // The turn is over: the agent waits for the user.
            Some("task_complete") | Some("turn_complete") => out.push(Record::TurnEnded { at }),
            Some("context_compacted") => self.compacted(at, out),
            Some("exec_command_end") => {
                if let (Some(id), Some(code)) = (
                    payload.get("call_id").and_then(Value::as_str),
                    payload.get("exit_code").and_then(Value::as_i64),
                ) {
                    let output = ["aggregated_output", "stdout", "formatted_output"]
                        .iter()
                        .find_map(|k| payload.get(*k).and_then(Value::as_str))
                        .unwrap_or_default();
                    out.push(Record::ToolEnd(ToolEnd {
                        id: id.to_string(),
                        ok: code == 0,
                        output: cap_output(output),
                        exit_code: i32::try_from(code).ok(),
                        interrupted: false,
                        at,
                    }));
                }
            }
            _ => {}
        }
    }

    fn item_completed(&mut self, item: Option<&Value>, at: Option<i64>, out: &mut Vec<Record>) {
        let Some(item) = item else { return };
        let str_field = |name: &str| item.get(name).and_then(Value::as_str);
        match str_field("type") {
            Some("UserMessage") => {
                let text = message_text(item);
                if !text.trim().is_empty() {
                    out.push(Record::Prompt {
                        text: text.trim_end().to_string(),
                        at,
                    });
                }
            }
            Some("CommandExecution") => {
                let Some(id) = str_field("id") else { return };
                if self.ended.len() > 10_000 {
                    self.ended.clear();
                }
                self.ended.insert(id.to_string());
                let exit_code = item
                    .get("exit_code")
                    .and_then(Value::as_i64)
                    .and_then(|c| i32::try_from(c).ok());
                let completed = str_field("status") == Some("completed");
                out.push(Record::ToolEnd(ToolEnd {
                    id: id.to_string(),
                    ok: completed && exit_code.is_none_or(|c| c == 0),
                    output: cap_output(str_field("aggregated_output").unwrap_or_default()),
                    exit_code,
                    interrupted: false,
                    at,
                }));
            }
            _ => {}
        }
    }

    fn response_item(&mut self, payload: &Value, at: Option<i64>, out: &mut Vec<Record>) {
        let str_field = |name: &str| payload.get(name).and_then(Value::as_str);
        let call_id = str_field("call_id").or_else(|| str_field("id"));
        match str_field("type") {
            Some("message") if str_field("role") == Some("user") => {
                out.push(Record::PendingText(message_text(payload)));
            }
            Some("message") if str_field("role") == Some("assistant") => {
                let text = message_text(payload);
                if !text.trim().is_empty() {
                    out.push(Record::AssistantText {
                        text: text.trim_end().to_string(),
                        at,
                    });
                }
            }
            Some("function_call") => {
                // `arguments` is a JSON document inside a string.
                let input = str_field("arguments")
                    .and_then(|a| serde_json::from_str(a).ok())
                    .unwrap_or(Value::Null);
                self.tool_start(str_field("name").unwrap_or("?"), &input, call_id, at, out);
            }
            Some("custom_tool_call") => {
                let input = payload.get("input").cloned().unwrap_or(Value::Null);
                self.tool_start(str_field("name").unwrap_or("?"), &input, call_id, at, out);
            }
            Some("local_shell_call") => {
                let input = payload.get("action").cloned().unwrap_or(Value::Null);
                self.tool_start("local_shell", &input, call_id, at, out);
            }
            Some("web_search_call") => {
                let input = payload.get("action").cloned().unwrap_or(Value::Null);
                // Older builds write no id; the search is done when recorded.
                let id = call_id
                    .map_or_else(|| format!("web_search@{}", at.unwrap_or(0)), str::to_string);
                self.tool_start("web_search", &input, Some(&id), at, out);
                if let Some(status) = str_field("status") {
                    out.push(Record::ToolEnd(ToolEnd {
                        id,
                        ok: status == "completed",
                        at,
                        ..ToolEnd::default()
                    }));
                }
            }
            Some("function_call_output") | Some("custom_tool_call_output") => {
                let output = output_text(payload.get("output"));
                if let Some(id) = call_id.filter(|id| !self.ended.remove(*id)) {
                    let exit_code = output_exit_code(payload.get("output"), &output);
                    out.push(Record::ToolEnd(ToolEnd {
                        id: id.to_string(),
                        ok: !refused(&output) && output_ok(payload.get("output"), exit_code),
                        output: cap_output(&output),
                        exit_code,
                        interrupted: false,
                        at,
                    }));
                }
                out.push(Record::PendingText(output));
            }
            _ => {}
        }
    }

    fn tool_start(
        &self,
        name: &str,
        input: &Value,
        call_id: Option<&str>,
        at: Option<i64>,
        out: &mut Vec<Record>,
    ) {
        out.push(Record::ToolStart(ToolStart {
            id: call_id.unwrap_or_default().to_string(),
            name: name.to_string(),
            summary: summarize(name, input, self.cwd.as_deref()),
            input: detail(input),
            command: shell_command(name, input),
            paths: tool_paths(name, input),
            at,
        }));
    }
}

fn message_text(payload: &Value) -> String {
    let mut text = String::new();
    if let Some(parts) = payload.get("content").and_then(Value::as_array) {
        for part in parts {
            if let Some(t) = part.get("text").and_then(Value::as_str) {
                text.push_str(t);
                text.push('\n');
            }
        }
    }
    text
}

#[cfg(test)]
mod tests;
