//! One Codex CLI rollout file, streamed (FORMATS.md 2.2-2.3).
//!
//! Usage is per request: each `token_count` event's `last_token_usage`, or,
//! when a build wrote only the cumulative `total_token_usage`, the difference
//! from the previous total (as ccusage does). Codex's `input_tokens` include
//! the cached ones; the report splits them into input (uncached) and
//! cache_read (cached), so that the columns mean the same for both agents.

use std::borrow::Cow;

use memchr::memmem::Finder;
use serde::Deserialize;

use super::file::{Context, FileSummary};
use super::rows::Tokens;
use crate::agents::timestamp::parse_millis;
use crate::formats::codex::{Info, TokenUsage};

pub struct Markers {
    token_count: Finder<'static>,
    turn_context: Finder<'static>,
    session_meta: Finder<'static>,
    task_started: Finder<'static>,
    /// `"function_call"`, `"custom_tool_call"`, `"local_shell_call"`,
    /// `"web_search_call"`, but not their `..._output`.
    call: Finder<'static>,
}

impl Default for Markers {
    fn default() -> Self {
        Self {
            token_count: Finder::new(b"\"token_count\""),
            turn_context: Finder::new(b"\"turn_context\""),
            session_meta: Finder::new(b"\"session_meta\""),
            task_started: Finder::new(b"\"model_context_window\""),
            call: Finder::new(b"_call\""),
        }
    }
}

impl Markers {
    fn wanted(&self, line: &[u8]) -> bool {
        self.token_count.find(line).is_some()
            || self.turn_context.find(line).is_some()
            || self.session_meta.find(line).is_some()
            || self.task_started.find(line).is_some()
            || self.call.find(line).is_some()
    }
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    payload: Option<Payload<'a>>,
}

#[derive(Deserialize)]
struct Payload<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    session_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    cwd: Option<Cow<'a, str>>,
    #[serde(borrow)]
    model: Option<Cow<'a, str>>,
    info: Option<Info>,
    model_context_window: Option<u64>,
}

#[derive(Default)]
pub struct CodexFile {
    summary: FileSummary,
    previous_total: Option<TokenUsage>,
    context: Context,
    /// `task_started.model_context_window`, used when `token_count` lacks it.
    window_hint: Option<u64>,
}

impl CodexFile {
    pub fn line(&mut self, markers: &Markers, line: &[u8], terminated: bool) {
        if terminated && !markers.wanted(line) {
            return;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        match serde_json::from_slice::<Envelope>(line) {
            Ok(parsed) => self.apply(parsed),
            Err(_) => self.summary.malformed += 1,
        }
    }

    fn apply(&mut self, line: Envelope) {
        let at = line.timestamp.as_deref().and_then(parse_millis);
        self.summary.saw_time(at);
        let Some(payload) = line.payload else { return };
        match line.kind.as_deref() {
            Some("session_meta") => {
                let id = payload.id.or(payload.session_id);
                if self.summary.session_id.is_none() {
                    self.summary.session_id = id.as_deref().map(str::to_string);
                }
                if self.summary.cwd.is_none() {
                    self.summary.cwd = payload.cwd.as_deref().map(str::to_string);
                }
            }
            Some("turn_context") => {
                if let Some(model) = payload.model.as_deref().filter(|m| !m.is_empty()) {
                    self.summary.model = Some(model.to_string());
                }
            }
            Some("event_msg") => match payload.kind.as_deref() {
                Some("token_count") => self.token_count(payload.info),
                Some("task_started") | Some("turn_started") => {
                    self.window_hint = payload.model_context_window.or(self.window_hint);
                }
                _ => {}
            },
            Some("response_item") => {
                if matches!(
                    payload.kind.as_deref(),
                    Some("function_call")
                        | Some("custom_tool_call")
                        | Some("local_shell_call")
                        | Some("web_search_call")
                ) {
                    self.summary.tool_calls += 1;
                }
            }
            _ => {}
        }
    }

    fn token_count(&mut self, info: Option<Info>) {
        // `info: null` carries only rate limits.
        let Some(info) = info else { return };
        let usage = match (info.last_token_usage, info.total_token_usage) {
            (Some(last), _) => Some(last),
            (None, Some(total)) => Some(total.minus(self.previous_total)),
            (None, None) => None,
        };
        if let Some(total) = info.total_token_usage {
            self.previous_total = Some(total);
        }
        if let Some(last) = info.last_token_usage {
            let tokens = last.context_tokens();
            self.context.tokens = Some(tokens);
            self.context.peak = self.context.peak.max(tokens);
            self.context.window = info.model_context_window.or(self.window_hint);
        }
        let Some(u) = usage else { return };
        // `input_tokens` holds the cached reads and the cache writes: split
        // them out so the columns mean what they mean for Claude.
        let split = u.split();
        self.summary.direct.add(&Tokens {
            input: split.fresh_input,
            output: split.output,
            cache_creation: split.cache_write,
            cache_read: split.cache_read,
            saturated: false,
        });
    }

    pub fn finish(mut self) -> FileSummary {
        if self.context.window.is_none() {
            self.context.window = self.window_hint;
        }
        self.summary.context = Some(self.context);
        self.summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_input_becomes_cache_read_and_totals_fill_gaps() {
        let markers = Markers::default();
        let mut file = CodexFile::default();
        for line in [
            r#"{"timestamp":"2026-03-01T10:00:00.100Z","type":"session_meta","payload":{"id":"s1","cwd":"/w"}}"#,
            r#"{"type":"event_msg","payload":{"type":"token_count","info":null}}"#,
            r#"{"type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":100,"cached_input_tokens":60,"output_tokens":10,"total_tokens":110},"last_token_usage":{"input_tokens":100,"cached_input_tokens":60,"output_tokens":10,"total_tokens":110},"model_context_window":272000}}}"#,
            // An old build: only the cumulative total.
            r#"{"type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":250,"cached_input_tokens":160,"output_tokens":30,"total_tokens":280}}}}"#,
        ] {
            file.line(&markers, line.as_bytes(), true);
        }
        let summary = file.finish();
        assert_eq!(
            summary.direct,
            Tokens {
                input: 40 + 50,
                output: 30,
                cache_creation: 0,
                cache_read: 160,
                saturated: false,
            }
        );
        assert_eq!(summary.session_id.as_deref(), Some("s1"));
        let context = summary.context.expect("a gauge");
        assert_eq!((context.tokens, context.window), (Some(110), Some(272_000)));
    }
}
