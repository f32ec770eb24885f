//! The failure-pattern detectors as part of the state's update: every change
//! the state takes (a transcript batch, a request queued or ended, a session
//! ended, the working tree, time) is fed to them here, in the same call.

use std::path::Path;

use crate::agents::Millis;
use crate::approvals::protocol::ApprovalRequest;
use crate::loops::changes::FileChange;

use super::Cockpit;
use super::waits::{agent_waits, request_key};

impl Cockpit {
    /// A transcript batch of the session at `index`, before the session
    /// applies it.
    pub(super) fn detect_records(&mut self, index: usize, records: &[crate::agents::Record]) {
        let key = Self::key_of(&self.sessions[index]);
        let raised: usize = records
            .iter()
            .map(|record| self.detect.on_record(&key, record))
            .sum();
        self.alerts_changed(raised);
        self.runs_changed();
    }

    /// A request queued for a human.
    pub fn detect_asked(&mut self, id: &str, request: &ApprovalRequest) {
        let key = request_key(self, request);
        let raised = self.detect.approval_asked(&key, id, request, self.now);
        self.alerts_changed(raised);
    }

    /// The hook of a request gave up waiting: it ended with no answer.
    pub fn detect_withdrawn(&mut self, id: &str) {
        let raised = self.detect.approval_ended(id, None, "withdrawn", self.now);
        self.alerts_changed(raised);
    }

    /// Requests that ended since the last call: decided (the outbox, before
    /// it is sent) or settled in the agent (retired).
    pub fn detect_ended(&mut self) {
        let now = self.now;
        let mut raised = 0;
        for reply in &self.approvals.outbox {
            raised += (self.detect).approval_ended(&reply.id, Some(reply.verdict), &reply.by, now);
        }
        // Each retired request left one "agent" record in the log, in order.
        let retired = &self.approvals.retired;
        let mut answers: Vec<_> = (self.approvals.log.iter().rev())
            .filter(|r| r.by == "agent")
            .take(retired.len())
            .map(|r| r.verdict)
            .collect();
        answers.reverse();
        for (id, verdict) in retired.iter().zip(answers) {
            raised += self.detect.approval_ended(id, Some(verdict), "agent", now);
        }
        self.alerts_changed(raised);
    }

    /// What every agent waits on now (fed when it changed), and the time.
    pub fn detect_waits(&mut self) {
        let waits = agent_waits(self);
        let raised = self.detect.agents(waits, self.now);
        self.alerts_changed(raised);
    }

    /// Sessions that ended with this update (`ended_before`: each session's
    /// `ended` before it): did they leave a handoff?
    pub fn detect_sessions_ended(&mut self, ended_before: &[bool]) {
        let now = self.now;
        let ended: Vec<String> = (self.sessions.iter())
            .zip(ended_before)
            .filter(|(s, before)| s.ended && !**before)
            .map(|(s, _)| Self::key_of(s))
            .collect();
        let raised = ended
            .iter()
            .map(|key| self.detect.session_ended(key, Some(now)))
            .sum();
        self.alerts_changed(raised);
    }

    /// A batch from the working-tree watcher (`root`: the repository).
    pub fn detect_changes(&mut self, root: &Path, changes: &[FileChange]) {
        if !changes.is_empty() {
            let raised = self.detect.on_changes(root, changes.to_vec());
            self.alerts_changed(raised);
        }
    }

    /// Raises what detectors working off this thread (Bridge Torching)
    /// found, and what came due by `now`.
    pub fn detect_poll(&mut self, now: Millis) {
        let raised = self.detect.poll(now);
        self.alerts_changed(raised);
    }

    /// `x`: every alert kept is seen.
    pub fn acknowledge_alerts(&mut self) {
        self.detect.acknowledge_all();
        self.alerts_changed(usize::MAX);
    }

    /// Copies the detectors' alerts when any changed.
    fn alerts_changed(&mut self, raised: usize) {
        if raised == 0 {
            return;
        }
        self.alerts = self.detect.unacknowledged().cloned().collect();
        // The stats view counts acknowledged alerts too.
        self.alert_log = self.detect.alerts().iter().cloned().collect();
        self.dirty = true;
    }

    /// Copies the detectors' validation runs when a new one arrived.
    fn runs_changed(&mut self) {
        let runs = self.detect.validation_runs();
        let newest = |r: Option<&(String, crate::loops::validation::ValidationRun)>| {
            r.map(|(_, run)| run.tool_id.clone())
        };
        if runs.len() != self.validation_runs.len()
            || newest(runs.back()) != newest(self.validation_runs.last())
        {
            self.validation_runs = runs.iter().cloned().collect();
        }
    }
}
