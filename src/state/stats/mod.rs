//! Counters per followed transcript and in total (Factor V, measure
//! everything): tool calls, failed calls, validation runs and their pass
//! rate, alerts by pattern, time in each gauge zone. Pure computation over
//! the state; the stats view draws the result.

use std::collections::BTreeMap;

use crate::detect::{Alert, Pattern};
use crate::loops::validation::{Outcome, ValidationKind, ValidationRun};

use super::Cockpit;
use super::session::{Session, ZoneTime};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Validations {
    pub runs: u64,
    pub passed: u64,
    pub failed: u64,
}

impl Validations {
    fn add(&mut self, outcome: Outcome) {
        self.runs += 1;
        match outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::Unknown => {}
        }
    }

    /// Runs whose result said neither pass nor fail (interrupted, silent).
    pub fn unknown(&self) -> u64 {
        self.runs - self.passed - self.failed
    }

    /// Passed over the runs that said pass or fail; `None` when none did.
    pub fn pass_rate(&self) -> Option<f64> {
        let judged = self.passed + self.failed;
        (judged > 0).then(|| self.passed as f64 / judged as f64)
    }

    fn merge(&mut self, other: &Validations) {
        self.runs += other.runs;
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

/// One row of the stats table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counters {
    pub tool_calls: u64,
    pub failed_calls: u64,
    pub validations: Validations,
    pub by_kind: BTreeMap<ValidationKind, Validations>,
    /// Only patterns that fired.
    pub alerts: BTreeMap<Pattern, u64>,
    pub acknowledged: u64,
    pub zone_time: ZoneTime,
}

impl Counters {
    pub fn alert_count(&self) -> u64 {
        self.alerts.values().sum()
    }

    fn add_run(&mut self, run: &ValidationRun) {
        self.validations.add(run.outcome);
        self.by_kind.entry(run.kind).or_default().add(run.outcome);
    }

    fn add_alert(&mut self, alert: &Alert) {
        *self.alerts.entry(alert.pattern).or_default() += 1;
        self.acknowledged += u64::from(alert.acknowledged);
    }

    fn merge(&mut self, other: &Counters) {
        self.tool_calls += other.tool_calls;
        self.failed_calls += other.failed_calls;
        self.validations.merge(&other.validations);
        for (kind, v) in &other.by_kind {
            self.by_kind.entry(*kind).or_default().merge(v);
        }
        for (pattern, n) in &other.alerts {
            *self.alerts.entry(*pattern).or_default() += n;
        }
        self.acknowledged += other.acknowledged;
        self.zone_time = self.zone_time.sum(&other.zone_time);
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct SessionStats {
    /// The short name the cockpit shows (session id block or agent id).
    pub name: String,
    pub subagent: bool,
    pub counters: Counters,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    /// One per followed transcript, in the order they are followed.
    pub sessions: Vec<SessionStats>,
    /// Alerts about the working tree rather than one transcript.
    pub workspace: Counters,
    /// Everything: the sessions and the workspace alerts.
    pub total: Counters,
}

pub fn compute(cockpit: &Cockpit) -> Stats {
    compute_from(
        &cockpit.project().sessions,
        &cockpit.project().validation_runs,
        &cockpit.all_alerts().iter().cloned().collect::<Vec<_>>(),
    )
}

/// `runs` and `alerts` are keyed by the transcript path, as the detectors
/// are fed; a key no session has (a transcript no longer followed) still
/// counts in the total.
pub fn compute_from(
    sessions: &[Session],
    runs: &[(String, ValidationRun)],
    alerts: &[Alert],
) -> Stats {
    let keys: Vec<String> = sessions
        .iter()
        .map(|s| s.source.path.to_string_lossy().into_owned())
        .collect();
    let mut rows: Vec<Counters> = sessions
        .iter()
        .map(|s| Counters {
            tool_calls: s.tools.total,
            failed_calls: s.tools.failed,
            zone_time: s.zone_time,
            ..Counters::default()
        })
        .collect();
    let mut orphans = Counters::default();
    let mut workspace = Counters::default();
    for (key, run) in runs {
        match keys.iter().position(|k| k == key) {
            Some(i) => rows[i].add_run(run),
            None => orphans.add_run(run),
        }
    }
    for alert in alerts {
        match alert.session.as_deref() {
            None => workspace.add_alert(alert),
            Some(key) => match keys.iter().position(|k| k == key) {
                Some(i) => rows[i].add_alert(alert),
                None => orphans.add_alert(alert),
            },
        }
    }
    let mut total = Counters::default();
    for row in rows.iter().chain([&workspace, &orphans]) {
        total.merge(row);
    }
    let sessions = sessions
        .iter()
        .zip(rows)
        .map(|(session, counters)| SessionStats {
            name: session.short_id(),
            subagent: !session.is_main(),
            counters,
        })
        .collect();
    Stats {
        sessions,
        workspace,
        total,
    }
}

#[cfg(test)]
mod tests;
