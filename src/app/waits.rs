//! What the approval queue and the agents' waits tell the detectors: each
//! request queued and ended, and after every event a snapshot of what each
//! agent waits on. Deadlocks hold while nothing happens, so the detectors'
//! one-shot deadline is one of the loop's wake-ups (none when nothing is due).

use tokio::time::Instant;

use crate::approvals::protocol::ApprovalRequest;
use crate::state::waits::{agent_waits, request_key};

use super::App;

impl App {
    /// A request queued for a human.
    pub(super) fn detect_asked(&mut self, id: &str, request: &ApprovalRequest) {
        let key = request_key(&self.state, request);
        if self
            .detectors
            .approval_asked(&key, id, request, self.state.now)
            > 0
        {
            self.mirror_alerts();
        }
    }

    /// The hook of a request gave up waiting: it ended with no answer.
    pub(super) fn detect_withdrawn(&mut self, id: &str) {
        if (self.detectors).approval_ended(id, None, "withdrawn", self.state.now) > 0 {
            self.mirror_alerts();
        }
    }

    /// Requests that ended since the last call: decided (the outbox, before
    /// it is sent) or settled in the agent (retired).
    pub(super) fn detect_ended(&mut self) {
        let now = self.state.now;
        let mut raised = 0;
        for reply in &self.state.approvals.outbox {
            raised += self
                .detectors
                .approval_ended(&reply.id, Some(reply.verdict), &reply.by, now);
        }
        // Each retired request left one "agent" record in the log, in order.
        let retired = &self.state.approvals.retired;
        let mut answers: Vec<_> = (self.state.approvals.log.iter().rev())
            .filter(|r| r.by == "agent")
            .take(retired.len())
            .map(|r| r.verdict)
            .collect();
        answers.reverse();
        for (id, verdict) in retired.iter().zip(answers) {
            raised += self
                .detectors
                .approval_ended(id, Some(verdict), "agent", now);
        }
        if raised > 0 {
            self.mirror_alerts();
        }
    }

    /// What every agent waits on now (fed when it changed), and the time.
    pub(super) fn detect_waits(&mut self) {
        let waits = agent_waits(&self.state);
        if self.detectors.agents(waits, self.state.now) > 0 {
            self.mirror_alerts();
        }
    }

    /// The detectors' next deadline as a wake-up of the loop.
    pub(super) fn detect_deadline(&self, now: crate::agents::Millis) -> Option<Instant> {
        let due = self.detectors.next_deadline()?;
        let wait = u64::try_from((due - now).max(1)).unwrap_or(u64::MAX);
        Some(Instant::now() + std::time::Duration::from_millis(wait.min(86_400_000)))
    }
}
