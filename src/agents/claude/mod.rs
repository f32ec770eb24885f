//! Claude Code transcript lines (FORMATS.md section 1).
//!
//! Only `user`, `assistant` and `system` lines of the main chain say anything the
//! cockpit shows; every other type (progress, snapshots, queue operations and the
//! ones added next week) is read and ignored.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::json_string;
use block::Block;
// The unit tests (tests.rs) name it through this module.
#[cfg(test)]
use super::record::ToolEnd;
use super::record::{LineParser, Meta, ParseError, Record, ToolStart};
use super::summary::{detail, shell_command, summarize, tool_paths};
use super::timestamp::parse_millis;
use crate::formats::claude::{
    CompactMetadata, LineKind, SYNTHETIC_MODEL, Usage, line_kind, real_model, sets_context,
};

#[derive(Default)]
pub struct ClaudeParser {
    last_meta: Meta,
    /// Reading a subagent's own file: its sidechain lines are its main chain.
    subagent_file: bool,
}

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    subtype: Option<Cow<'a, str>>,
    #[serde(rename = "isSidechain", default)]
    is_sidechain: bool,
    #[serde(rename = "isApiErrorMessage", default)]
    is_api_error: bool,
    #[serde(rename = "isMeta", default)]
    is_meta: bool,
    #[serde(rename = "isCompactSummary", default)]
    is_compact_summary: bool,
    #[serde(rename = "sessionId", borrow)]
    session_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    cwd: Option<Cow<'a, str>>,
    #[serde(rename = "gitBranch", borrow)]
    git_branch: Option<Cow<'a, str>>,
    #[serde(borrow)]
    version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(borrow)]
    message: Option<Message<'a>>,
    #[serde(rename = "compactMetadata")]
    compact_metadata: Option<CompactMetadata>,
    /// The tool's structured result: an object for most tools, a string
    /// (`Error: …`) for failures. Read lazily, only on tool-result lines.
    #[serde(rename = "toolUseResult", borrow)]
    tool_use_result: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Message<'a> {
    #[serde(borrow)]
    model: Option<Cow<'a, str>>,
    usage: Option<Usage>,
    #[serde(borrow)]
    content: Option<&'a RawValue>,
}

impl LineParser for ClaudeParser {
    fn parse_line(&mut self, line: &[u8], out: &mut Vec<Record>) -> Result<(), ParseError> {
        let mut line: Line = serde_json::from_slice(line)?;
        if self.subagent_file {
            line.is_sidechain = false;
        }
        let at = line.timestamp.as_deref().and_then(parse_millis);
        self.note_meta(&line, at, out);
        // Sidechain lines are subagent work (inline in old layouts); they never
        // count toward the main context or its tool feed.
        if line.is_sidechain {
            return Ok(());
        }
        match line_kind(line.kind.as_deref(), line.subtype.as_deref()) {
            LineKind::Assistant => assistant(&line, at, out),
            LineKind::User => user(&line, at, out),
            LineKind::CompactBoundary => {
                let meta = line.compact_metadata.as_ref();
                out.push(Record::Compacted {
                    pre_tokens: meta.and_then(|m| m.pre_tokens),
                    post_tokens: meta.and_then(|m| m.post_tokens),
                    at,
                });
            }
            LineKind::Other => {}
        }
        Ok(())
    }
}

impl ClaudeParser {
    pub fn new(subagent_file: bool) -> Self {
        Self {
            subagent_file,
            ..Self::default()
        }
    }

    /// Emits a `Meta` record only when something the header shows has changed.
    fn note_meta(&mut self, line: &Line, at: Option<i64>, out: &mut Vec<Record>) {
        if line.is_sidechain {
            return;
        }
        let model = real_model(line.message.as_ref().and_then(|m| m.model.as_deref()));
        let mut changed = false;
        let mut update = |slot: &mut Option<String>, value: Option<&str>| {
            if let Some(value) = value.filter(|v| !v.is_empty())
                && slot.as_deref() != Some(value)
            {
                *slot = Some(value.to_string());
                changed = true;
            }
        };
        update(&mut self.last_meta.session_id, line.session_id.as_deref());
        update(&mut self.last_meta.cwd, line.cwd.as_deref());
        update(&mut self.last_meta.git_branch, line.git_branch.as_deref());
        update(&mut self.last_meta.version, line.version.as_deref());
        update(&mut self.last_meta.model, model);
        if changed {
            let mut meta = self.last_meta.clone();
            meta.at = at;
            out.push(Record::Meta(meta));
        }
    }
}

fn assistant(line: &Line, at: Option<i64>, out: &mut Vec<Record>) {
    let Some(message) = &line.message else { return };
    let model = message.model.as_deref();
    let synthetic = model == Some(SYNTHETIC_MODEL);
    if let Some(content) = message.content {
        for block in blocks(content) {
            if block.kind.as_deref() == Some("tool_use") {
                let input: serde_json::Value = block
                    .input
                    .and_then(|raw| serde_json::from_str(raw.get()).ok())
                    .unwrap_or_default();
                let name = block.name.as_deref().unwrap_or("?");
                out.push(Record::ToolStart(ToolStart {
                    id: block.id.as_deref().unwrap_or_default().to_string(),
                    name: name.to_string(),
                    summary: summarize(name, &input, line.cwd.as_deref()),
                    input: detail(&input),
                    command: shell_command(name, &input),
                    paths: tool_paths(name, &input),
                    at,
                }));
            } else if block.kind.as_deref() == Some("text")
                && !synthetic
                && !line.is_api_error
                && let Some(text) = block.text.as_deref().filter(|t| !t.trim().is_empty())
            {
                out.push(Record::AssistantText {
                    text: text.to_string(),
                    at,
                });
            }
        }
    }
    // Sidechain lines never get here (see `parse_line`).
    if !sets_context(false, line.is_api_error, model) {
        return;
    }
    if let Some(usage) = &message.usage {
        out.push(Record::Usage {
            context_tokens: usage.context_tokens(),
            window: None,
            model: message.model.as_deref().map(str::to_string),
            at,
        });
    }
}

fn user(line: &Line, at: Option<i64>, out: &mut Vec<Record>) {
    let Some(content) = line.message.as_ref().and_then(|m| m.content) else {
        return;
    };
    let raw = content.get();
    if raw.starts_with('"') {
        let text = json_string::decode(content);
        if is_typed_prompt(&text) && !line.is_meta && !line.is_compact_summary {
            out.push(Record::Prompt {
                text: text.clone(),
                at,
            });
        }
        out.push(Record::PendingText(text));
        return;
    }
    let mut typed = String::new();
    for block in blocks(content) {
        match block.kind.as_deref() {
            Some("tool_result") => result::tool_result(&block, line.tool_use_result, at, out),
            Some("text") => {
                if let Some(text) = block.text.as_deref() {
                    typed.push_str(text);
                    out.push(Record::PendingText(text.to_string()));
                }
            }
            _ => {}
        }
    }
    if is_typed_prompt(&typed) && !line.is_meta && !line.is_compact_summary {
        out.push(Record::Prompt { text: typed, at });
    }
}

/// Slash-command echoes and local command output are XML-wrapped; they are not
/// something the human asked the agent.
fn is_typed_prompt(text: &str) -> bool {
    let trimmed = text.trim_start();
    !trimmed.is_empty()
        && !trimmed.starts_with("<local-command")
        && !trimmed.starts_with("<command-")
        // Injected by Claude Code (a background task finished, a reminder), not typed.
        && !trimmed.starts_with("<task-notification>")
        && !trimmed.starts_with("<system-reminder>")
        && !trimmed.starts_with("Caveat:")
        && !trimmed.starts_with("[Request interrupted")
}

fn blocks(content: &RawValue) -> Vec<Block<'_>> {
    serde_json::from_str(content.get()).unwrap_or_default()
}

mod block;
mod result;
#[cfg(test)]
mod tests;
