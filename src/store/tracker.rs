//! What the running cockpit keeps beside its state so a record can be saved
//! at any moment: the session's id, the gauge histories, the zone clock, and
//! the lists only the app knows (alerts, approvals, notes ...).
//!
//! The app owns one [`Tracker`]: it calls [`Tracker::observe`] after applying
//! events (cheap: a few comparisons per followed transcript) and
//! [`Tracker::record`] (in `record.rs`, where records are built) when it
//! wants to save.

use std::collections::HashMap;

use crate::clock::Millis;
use crate::config::GaugeConfig;
use crate::state::Cockpit;

use super::history::ZoneClock;
use super::ids;
use super::schema::{GaugeHistory, Person, SessionRecord};

#[derive(Debug, Clone)]
pub struct Tracker {
    /// Carried into every saved record unchanged: id, started_at, author and
    /// the lists the app appends to (`alerts`, `approvals`, `validations`,
    /// `files_changed`, `commits`, `notes`, `learnings`, `handoff`).
    pub base: SessionRecord,
    /// By transcript path.
    histories: HashMap<String, GaugeHistory>,
    compactions_seen: HashMap<String, u32>,
    zones: ZoneClock,
}

impl Tracker {
    /// A new session with a fresh random id.
    pub fn new(started_at: Millis, author: Option<Person>) -> Self {
        Self {
            base: SessionRecord {
                id: ids::new_session_id(),
                started_at,
                author,
                ..SessionRecord::default()
            },
            histories: HashMap::new(),
            compactions_seen: HashMap::new(),
            zones: ZoneClock::default(),
        }
    }

    /// Continues a stored session: same id and start, its lists, its zone
    /// time and its gauge history; the next save adds to the same ref.
    pub fn resume(record: SessionRecord) -> Self {
        let mut histories = HashMap::new();
        if let Some(path) = record.gauge.transcript.clone() {
            histories.insert(path, record.gauge.clone());
        }
        let zones = ZoneClock::new(record.counters.zone_seconds);
        let base = SessionRecord {
            finished: false,
            ended_at: None,
            ..record
        };
        Self {
            base,
            histories,
            compactions_seen: HashMap::new(),
            zones,
        }
    }

    pub fn id(&self) -> &str {
        &self.base.id
    }

    /// The history of one transcript, for an app that feeds every reading
    /// itself with [`GaugeHistory::record`].
    pub fn history_mut(&mut self, transcript: &str) -> &mut GaugeHistory {
        self.histories
            .entry(transcript.to_string())
            .or_insert_with(|| GaugeHistory {
                transcript: Some(transcript.to_string()),
                ..GaugeHistory::default()
            })
    }

    /// Samples every followed gauge and credits zone time to the one on screen.
    pub fn observe(&mut self, state: &Cockpit, config: &GaugeConfig, now: Millis) {
        for session in &state.sessions {
            let gauge = &session.gauge;
            if gauge.settled.is_none() && gauge.pending == 0 && gauge.compactions == 0 {
                continue; // nothing measured yet
            }
            let path = session.source.path.display().to_string();
            let at = gauge.last_update.unwrap_or(now);
            let seen = self.compactions_seen.get(&path).copied().unwrap_or(0);
            let history = self.history_mut(&path);
            if gauge.compactions > seen {
                let before = history.samples.last().map_or(gauge.peak, |s| s.tokens);
                history.record_compaction(at, before);
            }
            history.record(at, gauge.total(), gauge.window(config));
            self.compactions_seen.insert(path, gauge.compactions);
        }
        if let Some(session) = state.current()
            && session.gauge.settled.is_some()
        {
            self.zones.observe(now, session.gauge.zone(config));
        }
    }

    pub fn history(&self, transcript: &str) -> Option<&GaugeHistory> {
        self.histories.get(transcript)
    }

    pub fn zone_seconds(&self) -> super::schema::ZoneSeconds {
        self.zones.seconds
    }
}
