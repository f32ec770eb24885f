//! Everything known about one followed transcript.

use crate::agents::{Meta, Millis, Record};
use crate::event::{Batch, Role, Source};

use super::gauge::Gauge;
use super::tools::ToolFeed;

#[derive(Debug, Clone)]
pub struct Session {
    pub source: Source,
    pub meta: Meta,
    pub gauge: Gauge,
    pub tools: ToolFeed,
    pub last_prompt: Option<String>,
    pub first_seen: Option<Millis>,
    pub last_seen: Option<Millis>,
    pub malformed: u64,
    pub oversized: u64,
    pub last_malformed: Option<String>,
    /// The first read of the history has finished.
    pub caught_up: bool,
    /// The file was deleted.
    pub gone: bool,
    feed_capacity: usize,
}

impl Session {
    pub fn new(source: Source, feed_capacity: usize) -> Self {
        Self {
            source,
            meta: Meta::default(),
            gauge: Gauge::default(),
            tools: ToolFeed::with_capacity(feed_capacity),
            last_prompt: None,
            first_seen: None,
            last_seen: None,
            malformed: 0,
            oversized: 0,
            last_malformed: None,
            caught_up: false,
            gone: false,
            feed_capacity,
        }
    }

    pub fn is_main(&self) -> bool {
        self.source.role == Role::Main
    }

    /// A short name: the agent id for subagents, else the session id's first block.
    pub fn short_id(&self) -> String {
        if let Role::Subagent { agent_id } = &self.source.role {
            return agent_id.clone();
        }
        let id = self.meta.session_id.clone().unwrap_or_else(|| {
            self.source
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        id.split('-').next().unwrap_or(&id).to_string()
    }

    pub fn apply(&mut self, batch: Batch) {
        if batch.reset {
            let source = self.source.clone();
            let (malformed, oversized) = (self.malformed, self.oversized);
            *self = Session::new(source, self.feed_capacity);
            // Lines skipped before the reset were still skipped.
            self.malformed = malformed;
            self.oversized = oversized;
        }
        self.gone = batch.gone;
        self.malformed += batch.malformed;
        self.oversized += batch.oversized;
        if batch.last_malformed.is_some() {
            self.last_malformed = batch.last_malformed;
        }
        self.caught_up |= batch.caught_up;
        for record in batch.records {
            self.apply_record(record);
        }
    }

    fn apply_record(&mut self, record: Record) {
        match record {
            Record::Meta(meta) => {
                self.seen(meta.at);
                let merge = |slot: &mut Option<String>, value: Option<String>| {
                    if value.is_some() {
                        *slot = value;
                    }
                };
                merge(&mut self.meta.session_id, meta.session_id);
                merge(&mut self.meta.cwd, meta.cwd);
                merge(&mut self.meta.git_branch, meta.git_branch);
                merge(&mut self.meta.version, meta.version);
                if meta.model.is_some() {
                    self.gauge.model.clone_from(&meta.model);
                    self.meta.model = meta.model;
                }
            }
            Record::Usage {
                context_tokens,
                window,
                model,
                at,
            } => {
                self.seen(at);
                if model.is_some() {
                    self.meta.model.clone_from(&model);
                }
                self.gauge
                    .on_usage(context_tokens, window, model.as_deref(), at);
            }
            Record::WindowHint(window) => self.gauge.on_window_hint(window),
            Record::Compacted {
                post_tokens, at, ..
            } => {
                self.seen(at);
                self.gauge.on_compacted(post_tokens, at);
            }
            Record::Pending { tokens } => self.gauge.pending = tokens,
            Record::PendingText(_) => {}
            Record::Prompt { text, at } => {
                self.seen(at);
                self.last_prompt = Some(text);
            }
            Record::ToolStart(start) => {
                self.seen(start.at);
                self.tools.start(start);
            }
            Record::ToolEnd(end) => {
                self.seen(end.at);
                self.tools.end(&end.id, end.ok, end.at);
            }
            Record::AssistantText { at, .. } => self.seen(at),
        }
    }

    fn seen(&mut self, at: Option<Millis>) {
        if let Some(at) = at {
            self.first_seen = Some(self.first_seen.map_or(at, |f| f.min(at)));
            self.last_seen = Some(self.last_seen.map_or(at, |l| l.max(at)));
        }
    }
}
