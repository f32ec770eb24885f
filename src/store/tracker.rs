//! What the running cockpit keeps beside its state so a record can be saved
//! at any moment: the session's id, the gauge histories, and the lists only
//! the app knows (alerts, approvals, notes ...). Zone time is the state's
//! (each session's transcript-time clock), not kept here.
//!
//! The app owns one [`Tracker`]: it calls [`Tracker::observe`] after applying
//! events (cheap: a few comparisons per followed transcript) and
//! [`Tracker::record`] (in `record.rs`, where records are built) when it
//! wants to save.

use std::collections::HashMap;

use crate::clock::Millis;
use crate::config::GaugeConfig;
use crate::state::Cockpit;

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
    /// By transcript path, the newest reading a resumed record already
    /// holds: the transcript is read again from its start, and what it
    /// gives up to there was counted by the run that saved it.
    counted_until: HashMap<String, Millis>,
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
            counted_until: HashMap::new(),
        }
    }

    /// Continues a stored session: same id and start, its lists and its
    /// gauge history; the next save adds to the same ref. Readings of that
    /// history's transcript up to its newest sample, and its compactions
    /// so far, are not counted again when the transcript is read again.
    pub fn resume(record: SessionRecord) -> Self {
        let mut histories = HashMap::new();
        let mut compactions_seen = HashMap::new();
        let mut counted_until = HashMap::new();
        if let Some(path) = record.gauge.transcript.clone() {
            let history = &record.gauge;
            let samples = history.samples.iter().chain(&history.peak).map(|s| s.at);
            let compactions = history.compactions.iter().map(|c| c.at);
            if let Some(until) = samples.chain(compactions).max() {
                counted_until.insert(path.clone(), until);
            }
            let agent = record.agents.iter().find(|a| a.transcript == path);
            let compactions = agent.map_or(0, |a| a.compactions);
            let listed = u32::try_from(history.compactions.len()).unwrap_or(u32::MAX);
            compactions_seen.insert(path.clone(), compactions.max(listed));
            histories.insert(path, record.gauge.clone());
        }
        let base = SessionRecord {
            finished: false,
            ended_at: None,
            ..record
        };
        Self {
            base,
            histories,
            compactions_seen,
            counted_until,
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

    /// Samples every followed gauge.
    pub fn observe(&mut self, state: &Cockpit, config: &GaugeConfig, now: Millis) {
        for session in &state.project().sessions {
            let gauge = &session.gauge;
            if gauge.settled.is_none() && gauge.pending == 0 && gauge.compactions == 0 {
                continue; // nothing measured yet
            }
            let path = session.source.path.display().to_string();
            let at = gauge.last_update.unwrap_or(now);
            if self
                .counted_until
                .get(&path)
                .is_some_and(|&until| at <= until)
            {
                continue; // read again after a resume: already in the history
            }
            let seen = self.compactions_seen.get(&path).copied().unwrap_or(0);
            let history = self.history_mut(&path);
            if gauge.compactions > seen {
                let before = history.samples.last().map_or(gauge.peak, |s| s.tokens);
                history.record_compaction(at, before);
            }
            history.record(at, gauge.total(), gauge.window(config));
            self.compactions_seen.insert(path, gauge.compactions);
        }
    }

    pub fn history(&self, transcript: &str) -> Option<&GaugeHistory> {
        self.histories.get(transcript)
    }
}
