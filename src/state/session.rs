//! Everything known about one followed transcript.

use std::sync::Arc;

use crate::agents::{Meta, Millis, Record};
use crate::config::GaugeConfig;
use crate::event::{Batch, Role, Source};

use super::gauge::{Gauge, Zone};
use super::tools::ToolFeed;

/// Milliseconds spent in each gauge zone, in transcript time: the time
/// between two consecutive readings goes to the zone of the earlier one, so
/// a replay of the same transcript always gives the same figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ZoneTime {
    pub green: i64,
    pub yellow: i64,
    pub orange: i64,
    pub red: i64,
}

impl ZoneTime {
    pub fn get(&self, zone: Zone) -> i64 {
        match zone {
            Zone::Green => self.green,
            Zone::Yellow => self.yellow,
            Zone::Orange => self.orange,
            Zone::Red => self.red,
        }
    }

    pub fn add(&mut self, zone: Zone, ms: i64) {
        let slot = match zone {
            Zone::Green => &mut self.green,
            Zone::Yellow => &mut self.yellow,
            Zone::Orange => &mut self.orange,
            Zone::Red => &mut self.red,
        };
        *slot += ms;
    }

    pub fn total(&self) -> i64 {
        self.green + self.yellow + self.orange + self.red
    }

    pub fn sum(&self, other: &ZoneTime) -> ZoneTime {
        ZoneTime {
            green: self.green + other.green,
            yellow: self.yellow + other.yellow,
            orange: self.orange + other.orange,
            red: self.red + other.red,
        }
    }
}

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
    /// Time in each zone of the gauge (see [`ZoneTime`]).
    pub zone_time: ZoneTime,
    /// The last reading with a time, and its zone: the interval it opens is
    /// credited when the next reading arrives.
    zone_mark: Option<(Millis, Zone)>,
    /// The zone thresholds and window table the readings are classified by.
    gauge_config: Arc<GaugeConfig>,
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
            zone_time: ZoneTime::default(),
            zone_mark: None,
            gauge_config: Arc::default(),
            feed_capacity,
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

    pub fn apply(&mut self, batch: Batch) {
        if batch.reset {
            let source = self.source.clone();
            let (malformed, oversized) = (self.malformed, self.oversized);
            let config = Arc::clone(&self.gauge_config);
            *self = Session::new(source, self.feed_capacity).with_gauge_config(config);
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

    /// Credits the interval since the previous reading to that reading's
    /// zone and opens the next one (`zone` None: no interval is open).
    /// Readings without a time leave the clock alone; a gap longer than the
    /// store's cap (the user was away) counts only up to the cap.
    fn zone_reading(&mut self, at: Option<Millis>, zone: Option<Zone>) {
        let Some(at) = at else { return };
        if let Some((then, was)) = self.zone_mark {
            let step = (at - then).clamp(0, crate::store::history::MAX_ZONE_STEP_MS);
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
