//! The failure-pattern detectors as part of the state's update: what the
//! state derives from every change it takes (a session's records, a request
//! queued or ended, a session ended, the working tree, time) is fed to them
//! through these functions by `update::update` (and `update::tick`), in the
//! same call that takes the event, and the alerts and validation runs they
//! yield are kept here, once.

use std::path::Path;

use crate::agents::Millis;
use crate::detect::waits::AgentWait;
use crate::detect::{Alert, Event};
use crate::loops::changes::FileChange;
use crate::policy::protocol::ApprovalRequest;

use super::Cockpit;
use super::waits::{agent_waits, request_key};

/// Every alert kept, open and acknowledged, oldest first: borrowed from
/// the two lists, which hold each alert once.
pub struct AllAlerts<'a>(Vec<&'a Alert>);

impl<'a> AllAlerts<'a> {
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &'a Alert> + '_ {
        self.0.iter().copied()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::ops::Index<usize> for AllAlerts<'_> {
    type Output = Alert;
    fn index(&self, index: usize) -> &Alert {
        self.0[index]
    }
}

impl std::fmt::Debug for AllAlerts<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(&self.0).finish()
    }
}

/// Alerts (open and acknowledged together) and runs kept.
const KEEP: usize = 500;

impl Cockpit {
    /// Runs the detectors on one event; a finished call that was a
    /// validation run is kept and seen as one right after the call.
    /// Returns how many alerts were raised.
    pub fn observe(&mut self, event: Event) -> usize {
        let run = match &event {
            Event::Tool {
                session,
                start,
                end,
                ..
            } => (self.detect.validation(start, end)).map(|run| (session.clone(), run)),
            _ => None,
        };
        let mut raised = self.detect.feed(&event);
        if let Some((session, run)) = run {
            self.project_mut()
                .validation_runs
                .push((session.clone(), run.clone()));
            if self.project().validation_runs.len() > KEEP {
                self.project_mut().validation_runs.remove(0);
            }
            raised.extend(self.detect.feed(&Event::Validation { session, run }));
        }
        self.raise(raised)
    }

    /// What the session at `index` derived from the records it just applied.
    pub(super) fn observe_session(&mut self, index: usize) {
        for event in self.project_mut().sessions[index].take_seen() {
            self.observe(event);
        }
    }

    /// A request queued for a human.
    pub fn detect_asked(&mut self, id: &str, request: &ApprovalRequest) {
        self.observe(Event::ApprovalAsked {
            session: request_key(self, request),
            id: id.to_string(),
            request: Box::new(request.clone()),
            at: self.now,
        });
    }

    /// The hook of a request gave up waiting: it ended with no answer.
    pub fn detect_withdrawn(&mut self, id: &str) {
        self.observe(Event::ApprovalEnded {
            id: id.to_string(),
            verdict: None,
            by: "withdrawn".into(),
            at: self.now,
        });
    }

    /// Requests that ended since the last call: decided (the outbox, before
    /// it is sent) or settled in the agent (retired).
    pub fn detect_ended(&mut self) {
        let at = self.now;
        let mut ended: Vec<Event> = (self.approvals.outbox.iter())
            .map(|answer| Event::ApprovalEnded {
                id: answer.reply.id.clone(),
                verdict: Some(answer.reply.verdict),
                by: answer.reply.by.clone(),
                at,
            })
            .collect();
        // Each retired request left one "agent" record in the log, in order.
        let retired = &self.approvals.retired;
        let mut answers: Vec<_> = (self.approvals.log.iter().rev())
            .filter(|r| r.by == "agent")
            .take(retired.len())
            .map(|r| r.verdict)
            .collect();
        answers.reverse();
        for (hangup, verdict) in retired.iter().zip(answers) {
            ended.push(Event::ApprovalEnded {
                id: hangup.id.clone(),
                verdict: Some(verdict),
                by: "agent".into(),
                at,
            });
        }
        for event in ended {
            self.observe(event);
        }
    }

    /// What every agent waits on now (fed when it changed), and the time.
    pub fn detect_waits(&mut self) {
        let waits = agent_waits(self);
        self.detect_agents(waits, self.now);
    }

    /// `agents` as what every agent waits on at `at`.
    pub fn detect_agents(&mut self, agents: Vec<AgentWait>, at: Millis) -> usize {
        let raised = self.detect.agents(agents, at);
        self.raise(raised)
    }

    /// Time passed; detectors whose deadline is due see it.
    pub fn detect_clock(&mut self, at: Millis) -> usize {
        let raised = self.detect.clock(at);
        self.raise(raised)
    }

    /// Sessions that ended with this update (`ended_before`: each session's
    /// `ended` before it): did they leave a handoff?
    pub fn detect_sessions_ended(&mut self, ended_before: &[bool]) {
        let at = Some(self.now);
        let ended: Vec<String> = (self.project().sessions.iter())
            .zip(ended_before)
            .filter(|(s, before)| s.ended && !**before)
            .map(|(s, _)| Self::key_of(s))
            .collect();
        for session in ended {
            self.observe(Event::SessionEnded { session, at });
        }
    }

    /// A batch from the working-tree watcher (`root`: the repository).
    pub fn detect_changes(&mut self, root: &Path, changes: &[FileChange]) -> usize {
        if changes.is_empty() {
            return 0;
        }
        self.observe(Event::FilesChanged {
            root: root.to_path_buf(),
            changes: changes.to_vec(),
        })
    }

    /// Raises what detectors working off this thread (Bridge Torching)
    /// found, and what came due by `now`.
    pub fn detect_poll(&mut self, now: Millis) -> usize {
        let raised = self.detect.poll(now);
        self.raise(raised)
    }

    /// `x`: every open alert becomes acknowledged (moves to the log).
    pub fn acknowledge_alerts(&mut self) {
        let open = std::mem::take(&mut self.alerts);
        self.file_acknowledged(open);
        self.view.dirty = true;
    }

    /// Acknowledges one alert; false when no such alert is kept.
    pub fn acknowledge_alert(&mut self, id: u64) -> bool {
        if let Some(at) = self.alerts.iter().position(|a| a.id == id) {
            let alert = self.alerts.remove(at);
            self.file_acknowledged(vec![alert]);
            self.view.dirty = true;
            return true;
        }
        self.alert_log.iter().any(|a| a.id == id)
    }

    /// Every alert kept, open and acknowledged, oldest first.
    pub fn all_alerts(&self) -> AllAlerts<'_> {
        let mut all: Vec<&Alert> = self.alert_log.iter().chain(&self.alerts).collect();
        all.sort_by_key(|a| a.id);
        AllAlerts(all)
    }

    fn file_acknowledged(&mut self, alerts: Vec<Alert>) {
        self.alert_log.extend(alerts.into_iter().map(|mut alert| {
            alert.acknowledged = true;
            alert
        }));
        // Ids in raising order, whatever order they were acknowledged in.
        self.alert_log.sort_by_key(|a| a.id);
    }

    /// Keeps newly raised alerts open, dropping the oldest past [`KEEP`].
    fn raise(&mut self, raised: Vec<Alert>) -> usize {
        let count = raised.len();
        for alert in raised {
            self.alerts.push(alert);
            if self.alerts.len() + self.alert_log.len() > KEEP {
                let log_first = self.alert_log.first().map(|a| a.id);
                let open_first = self.alerts.first().map(|a| a.id);
                match (log_first, open_first) {
                    (Some(log), Some(open)) if log < open => self.alert_log.remove(0),
                    (Some(_), None) => self.alert_log.remove(0),
                    _ => self.alerts.remove(0),
                };
            }
        }
        if count > 0 {
            self.view.dirty = true;
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::source::{Batch, Role, Source, SourceId};
    use crate::agents::{AgentKind, Record, ToolEnd, ToolStart};

    fn call(id: &str) -> (Record, Record) {
        let start = ToolStart {
            id: id.into(),
            name: "Bash".into(),
            summary: "cargo test".into(),
            input: "cargo test".into(),
            command: Some("cargo test".into()),
            paths: Vec::new(),
            at: Some(1_000),
        };
        let end = ToolEnd {
            id: id.into(),
            ok: true,
            at: Some(2_000),
            ..ToolEnd::default()
        };
        (Record::ToolStart(start), Record::ToolEnd(end))
    }

    #[test]
    fn a_call_and_its_result_reach_the_detectors_once_and_its_run_is_kept_once() {
        let mut state = Cockpit::new("p".into(), None, 0);
        state.add_source(Source {
            id: SourceId(0),
            path: "/t/s.jsonl".into(),
            kind: AgentKind::Claude,
            role: Role::Main,
            modified_ms: 0,
        });
        let (start, end) = call("t1");
        // A repeated result closes nothing: the call was paired once.
        let records = vec![start, end.clone(), end];
        let session = &mut state.project_mut().sessions[0];
        session.apply(Batch {
            records,
            ..Batch::default()
        });
        let seen = session.take_seen();
        let tools = seen.iter().filter(|e| matches!(e, Event::Tool { .. }));
        assert_eq!(tools.count(), 1, "{seen:#?}");
        assert!(session.take_seen().is_empty(), "taken once");
        for event in seen {
            state.observe(event);
        }
        assert_eq!(state.project().validation_runs.len(), 1);
        assert_eq!(state.project().sessions[0].tools.total, 1);
    }
}
