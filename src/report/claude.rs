//! One Claude Code transcript file, streamed: usage per response, tool calls,
//! and the gauge (FORMATS.md 1.3-1.5).
//!
//! Most bytes of a transcript are tool results and progress lines that say
//! nothing about tokens; a byte scan skips them before any JSON parsing.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use memchr::memmem::Finder;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};

use super::file::{Context, Entry, FileSummary, hash_parts};
use super::rows::Tokens;
use crate::agents::timestamp::parse_millis;
use crate::formats::claude::{
    CompactMetadata, LineKind, Usage, line_kind, real_model, sets_context,
};

/// The byte patterns that make a line worth parsing.
pub struct Markers {
    usage: Finder<'static>,
    tool_use: Finder<'static>,
    compact: Finder<'static>,
}

impl Default for Markers {
    fn default() -> Self {
        Self {
            usage: Finder::new(b"\"usage\""),
            tool_use: Finder::new(b"\"tool_use\""),
            compact: Finder::new(b"\"compact_boundary\""),
        }
    }
}

impl Markers {
    fn wanted(&self, line: &[u8]) -> bool {
        self.usage.find(line).is_some()
            || self.tool_use.find(line).is_some()
            || self.compact.find(line).is_some()
    }
}

#[derive(Deserialize)]
struct Line<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    subtype: Option<Cow<'a, str>>,
    #[serde(rename = "isSidechain")]
    is_sidechain: Option<bool>,
    #[serde(rename = "isApiErrorMessage")]
    is_api_error: Option<bool>,
    #[serde(rename = "sessionId", borrow)]
    session_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    cwd: Option<Cow<'a, str>>,
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(rename = "requestId", borrow)]
    request_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    message: Option<Message<'a>>,
    #[serde(rename = "compactMetadata")]
    compact_metadata: Option<CompactMetadata>,
}

#[derive(Deserialize)]
struct Message<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    model: Option<Cow<'a, str>>,
    usage: Option<Usage>,
    #[serde(default)]
    content: ToolUses,
}

/// `message.content` read for one fact only: how many `tool_use` blocks it
/// holds. A string (a typed prompt) holds none. Parsed in one pass, without
/// keeping the blocks.
#[derive(Default)]
struct ToolUses(u64);

#[derive(Deserialize)]
struct BlockType<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
}

impl<'de> Deserialize<'de> for ToolUses {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Count;
        impl<'de> Visitor<'de> for Count {
            type Value = ToolUses;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("message content")
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<ToolUses, E> {
                Ok(ToolUses(0))
            }
            fn visit_unit<E: de::Error>(self) -> Result<ToolUses, E> {
                Ok(ToolUses(0))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ToolUses, A::Error> {
                let mut n = 0;
                while let Some(block) = seq.next_element::<Option<BlockType<'de>>>()? {
                    if block.and_then(|b| b.kind).as_deref() == Some("tool_use") {
                        n += 1;
                    }
                }
                Ok(ToolUses(n))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<ToolUses, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(ToolUses(0))
            }
        }
        deserializer.deserialize_any(Count)
    }
}

/// The state of one file being read.
pub struct ClaudeFile {
    /// A subagent's own file: its usage counts, its gauge is not the session's.
    subagent: bool,
    summary: FileSummary,
    /// Index in `summary.entries` of each (message.id, requestId) seen.
    by_exact: HashMap<u64, usize>,
    context: Context,
    main_model: Option<String>,
    any_model: Option<String>,
}

impl ClaudeFile {
    pub fn new(subagent: bool) -> Self {
        Self {
            subagent,
            summary: FileSummary::default(),
            by_exact: HashMap::new(),
            context: Context::default(),
            main_model: None,
            any_model: None,
        }
    }

    /// `terminated`: false for a last line with no newline, which is parsed
    /// whatever it holds so that a torn write is counted.
    pub fn line(&mut self, markers: &Markers, line: &[u8], terminated: bool) {
        if terminated && !markers.wanted(line) {
            return;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        match serde_json::from_slice::<Line>(line) {
            Ok(parsed) => self.apply(parsed),
            Err(_) => self.summary.malformed += 1,
        }
    }

    fn apply(&mut self, line: Line) {
        let at = line.timestamp.as_deref().and_then(parse_millis);
        self.summary.saw_time(at);
        if self.summary.session_id.is_none() {
            self.summary.session_id = line.session_id.as_deref().map(str::to_string);
        }
        if self.summary.cwd.is_none() {
            self.summary.cwd = line.cwd.as_deref().map(str::to_string);
        }
        let sidechain = line.is_sidechain == Some(true);
        let kind = line_kind(line.kind.as_deref(), line.subtype.as_deref());
        if kind == LineKind::CompactBoundary {
            if !sidechain {
                self.context.tokens = line.compact_metadata.and_then(|m| m.post_tokens);
            }
            return;
        }
        let Some(message) = line.message else { return };
        if kind == LineKind::Assistant {
            self.summary.tool_calls += message.content.0;
        }
        let model = real_model(message.model.as_deref());
        if let Some(model) = model {
            set(&mut self.any_model, model);
        }
        let Some(usage) = message.usage else { return };
        // ccusage counts a line as a response when its message carries both
        // input and output counts; a nested `usage` elsewhere (a Task result,
        // a progress line) is not in `message` and so never gets here.
        if !usage.is_response() {
            return;
        }
        let tokens = Tokens {
            input: usage.input_tokens.unwrap_or(0),
            output: usage.output_tokens.unwrap_or(0),
            cache_creation: usage.cache_creation_input_tokens.unwrap_or(0),
            cache_read: usage.cache_read_input_tokens.unwrap_or(0),
            saturated: false,
        };
        let main_chain = kind == LineKind::Assistant
            && sets_context(
                sidechain,
                line.is_api_error == Some(true),
                message.model.as_deref(),
            );
        if main_chain {
            let ctx = usage.context_tokens();
            self.context.tokens = Some(ctx);
            self.context.peak = self.context.peak.max(ctx);
            if let Some(model) = model {
                set(&mut self.main_model, model);
            }
        }
        self.push(
            Entry {
                exact: 0,
                by_msg: 0,
                has_id: false,
                sidechain,
                tokens,
                session: 0,
            },
            message.id.as_deref(),
            line.request_id.as_deref(),
        );
    }

    fn push(&mut self, mut entry: Entry, message_id: Option<&str>, request_id: Option<&str>) {
        let Some(id) = message_id else {
            // No id: ccusage cannot de-duplicate it and counts every copy.
            self.summary.entries.push(entry);
            return;
        };
        entry.has_id = true;
        entry.by_msg = hash_parts(&[id.as_bytes()]);
        entry.exact = match request_id {
            Some(req) => hash_parts(&[id.as_bytes(), req.as_bytes()]),
            None => hash_parts(&[id.as_bytes(), b"", b""]),
        };
        match self.by_exact.get(&entry.exact) {
            Some(&i) => {
                if entry.beats(&self.summary.entries[i]) {
                    self.summary.entries[i] = entry;
                }
            }
            None => {
                self.by_exact
                    .insert(entry.exact, self.summary.entries.len());
                self.summary.entries.push(entry);
            }
        }
    }

    pub fn finish(mut self) -> FileSummary {
        self.summary.model = self.main_model.or(self.any_model);
        if !self.subagent {
            self.summary.context = Some(self.context);
        }
        self.summary
    }
}

fn set(slot: &mut Option<String>, value: &str) {
    if slot.as_deref() != Some(value) {
        *slot = Some(value.to_string());
    }
}

#[cfg(test)]
mod tests;
