//! Everything known about one followed transcript.

use std::path::PathBuf;
use std::sync::Arc;

use crate::agents::source::{Batch, Role, Source};
use crate::agents::{Meta, Record};
use crate::clock::Millis;
use crate::config::GaugeConfig;

pub use super::activity::Activity;
use super::gauge::{Gauge, Zone};
use super::tools::ToolFeed;
pub use super::zone_time::ZoneTime;
use crate::detect::event::Event;

#[derive(Debug, Clone)]
pub struct Session {
    pub source: Source,
    pub meta: Meta,
    pub gauge: Gauge,
    pub tools: ToolFeed,
    pub last_prompt: Option<String>,
    /// The prompts and edited files the handoff names.
    pub work: super::work::WorkLog,
    pub first_seen: Option<Millis>,
    pub last_seen: Option<Millis>,
    pub malformed: u64,
    pub oversized: u64,
    pub last_malformed: Option<String>,
    /// The first read of the history has finished.
    pub caught_up: bool,
    /// The file was deleted.
    pub gone: bool,
    /// A hook said the session (or subagent) ended.
    pub ended: bool,
    /// A `Stop` hook said the agent finished its turn (waits for the human).
    pub turn_ended_at: Option<Millis>,
    /// A `SessionStart` hook named this transcript (which may not exist yet).
    pub announced: bool,
    /// Time in each zone of the gauge (see [`ZoneTime`]).
    pub zone_time: ZoneTime,
    /// The last reading with a time, and its zone: the interval it opens is
    /// credited when the next reading arrives.
    zone_mark: Option<(Millis, Zone)>,
    /// The zone thresholds and window table the readings are classified by.
    gauge_config: Arc<GaugeConfig>,
    feed_capacity: usize,
    /// What the detectors have yet to see of the records applied; `None`:
    /// nobody listens (a session outside a cockpit).
    seen: Option<Vec<Event>>,
}

/// A tool call that started this long ago and never ended is not taken as
/// proof of work any more (the agent was killed mid-call).
const RUNNING_CALL_COUNTS_FOR_MS: i64 = 30 * 60_000;

impl Session {
    pub fn new(source: Source, feed_capacity: usize) -> Self {
        Self {
            source,
            meta: Meta::default(),
            gauge: Gauge::default(),
            tools: ToolFeed::with_capacity(feed_capacity),
            last_prompt: None,
            work: Default::default(),
            first_seen: None,
            last_seen: None,
            malformed: 0,
            oversized: 0,
            last_malformed: None,
            caught_up: false,
            gone: false,
            ended: false,
            turn_ended_at: None,
            announced: false,
            zone_time: ZoneTime::default(),
            zone_mark: None,
            gauge_config: Arc::default(),
            feed_capacity,
            seen: None,
        }
    }

    /// Keeps what the detectors see of every record from now on.
    pub fn listen(mut self) -> Self {
        self.seen.get_or_insert_with(Vec::new);
        self
    }

    /// What the detectors have yet to see, oldest first.
    pub fn take_seen(&mut self) -> Vec<Event> {
        self.seen.as_mut().map(std::mem::take).unwrap_or_default()
    }

    fn see(&mut self, event: impl FnOnce(String) -> Event) {
        if self.seen.is_some() {
            let event = event(self.source.path.to_string_lossy().into_owned());
            self.seen.get_or_insert_with(Vec::new).push(event);
        }
    }

    /// Classifies zone time by `config` (the defaults until this is called).
    pub fn with_gauge_config(mut self, config: Arc<GaugeConfig>) -> Self {
        self.gauge_config = config;
        self
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

    /// `waiting`: an approval of this session is pending; `idle_after_ms`:
    /// quiet this long with no call running is idle.
    pub fn activity(&self, now: Millis, waiting: bool, idle_after_ms: i64) -> Activity {
        // Claude Code writes its transcript with the first prompt: until then
        // an announced session is starting, not ended.
        if self.announced && !self.ended && self.last_seen.is_none() && !waiting {
            return Activity::Starting;
        }
        if self.ended || self.gone {
            return Activity::Ended;
        }
        if waiting {
            return Activity::WaitingApproval;
        }
        let Some(last) = self.last_seen else {
            return Activity::Idle;
        };
        if self.turn_ended_at.is_some_and(|t| t >= last) {
            return Activity::Idle;
        }
        let running = self.tools.calls().iter().rev().take(50).any(|c| {
            c.status == super::tools::ToolStatus::Running
                && c.started
                    .is_some_and(|s| now - s < RUNNING_CALL_COUNTS_FOR_MS)
        });
        if running || now - last < idle_after_ms {
            Activity::Working
        } else {
            Activity::Idle
        }
    }

    pub fn apply(&mut self, batch: Batch) {
        if batch.reset {
            let source = self.source.clone();
            let (malformed, oversized) = (self.malformed, self.oversized);
            let config = Arc::clone(&self.gauge_config);
            let seen = self.seen.take();
            *self = Session::new(source, self.feed_capacity).with_gauge_config(config);
            self.seen = seen;
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
                let zone = self.gauge.zone(&self.gauge_config);
                self.zone_reading(at, Some(zone));
                let percent = self.gauge.percent(&self.gauge_config);
                self.see(|session| Event::Context {
                    session,
                    percent,
                    at,
                });
            }
            Record::WindowHint(window) => self.gauge.on_window_hint(window),
            Record::Compacted {
                post_tokens, at, ..
            } => {
                self.seen(at);
                self.gauge.on_compacted(post_tokens, at);
                // Unknown size until the next reply: that wait is in no zone.
                let zone = post_tokens.map(|_| self.gauge.zone(&self.gauge_config));
                self.zone_reading(at, zone);
                self.see(|session| Event::Compacted { session, at });
            }
            Record::Pending { tokens } => self.gauge.pending = tokens,
            Record::PendingText(_) | Record::PendingPart { .. } => {}
            Record::TurnEnded { at } => {
                self.seen(at);
                self.turn_ended_at = self.last_seen;
            }
            Record::Prompt { text, at } => {
                self.seen(at);
                let cwd = self.meta.cwd.as_ref().map(PathBuf::from);
                let said = text.clone();
                self.see(|session| Event::Prompt {
                    session,
                    text: said,
                    cwd,
                    at,
                });
                self.work.prompt(&text, self.last_seen);
                self.last_prompt = Some(text);
            }
            Record::ToolStart(start) => {
                self.seen(start.at);
                self.work.tool(&start);
                self.tools.start(start);
            }
            Record::ToolEnd(end) => {
                self.seen(end.at);
                if let Some(start) = self.tools.finish(&end) {
                    let cwd = self.meta.cwd.as_ref().map(PathBuf::from);
                    self.see(|session| Event::tool(session, start, end, cwd.as_deref()));
                }
            }
            Record::AssistantText { text, at } => {
                self.seen(at);
                self.see(|session| Event::AssistantText { session, text, at });
            }
        }
    }

    /// Credits the interval since the previous reading to that reading's
    /// zone and opens the next one (`zone` None: no interval is open).
    /// Readings without a time leave the clock alone; a gap longer than the
    /// cap (the user was away) counts only up to the cap.
    fn zone_reading(&mut self, at: Option<Millis>, zone: Option<Zone>) {
        let Some(at) = at else { return };
        if let Some((then, was)) = self.zone_mark {
            let step = (at - then).clamp(0, super::zone_time::MAX_ZONE_STEP_MS);
            self.zone_time.add(was, step);
        }
        // Out-of-order lines never move the mark back in time.
        let at = self.zone_mark.map_or(at, |(then, _)| at.max(then));
        self.zone_mark = zone.map(|z| (at, z));
    }

    fn seen(&mut self, at: Option<Millis>) {
        if let Some(at) = at {
            self.first_seen = Some(self.first_seen.map_or(at, |f| f.min(at)));
            self.last_seen = Some(self.last_seen.map_or(at, |l| l.max(at)));
        }
    }
}

#[cfg(test)]
mod tests;
