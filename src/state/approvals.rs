//! Pending approval requests, the decisions made (by a rule or a human), and
//! the rules the human chose to remember for this session.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::agents::AgentKind;
use crate::agents::summary::summarize;
use crate::clock::Millis;
use crate::policy::Verdict;
use crate::policy::protocol::{ApprovalRequest, Reply};
pub use crate::policy::remember::RememberedRule;

use super::effect::Effect;
use super::hook_line::{Answer, Hangup, HookLine};
use super::reading::ShownPrompt;

#[derive(Debug)]
pub struct PendingApproval {
    pub id: String,
    pub request: ApprovalRequest,
    pub received_at: Millis,
    /// The hook waiting for this request: it leaves the queue with it.
    pub(super) line: HookLine,
}

impl PendingApproval {
    pub fn summary(&self) -> String {
        summarize(
            &self.request.tool,
            &self.request.input,
            self.request.cwd.as_deref(),
        )
    }

    /// The record of how this request ended.
    pub fn record(
        &self,
        verdict: Verdict,
        by: &str,
        reason: Option<String>,
        now: Millis,
    ) -> ApprovalRecord {
        ApprovalRecord {
            at: now,
            agent: self.request.agent,
            session_id: self.request.session_id.clone(),
            transcript_path: self.request.transcript_path.clone(),
            hook_event: Some(self.request.hook_event.clone()),
            tool: self.request.tool.clone(),
            summary: self.summary(),
            verdict,
            by: by.to_string(),
            reason,
            waited_ms: Some(now - self.received_at),
        }
    }
}

/// One decision, for the session's record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalRecord {
    pub at: Millis,
    pub agent: AgentKind,
    pub session_id: Option<String>,
    /// The transcript the request named.
    #[serde(default)]
    pub transcript_path: Option<String>,
    /// `PreToolUse` or `PermissionRequest`, when known.
    #[serde(default)]
    pub hook_event: Option<String>,
    pub tool: String,
    pub summary: String,
    pub verdict: Verdict,
    /// `human`, `rule:<name>`, `remembered`, `agent` (settled in the
    /// agent) or `hook` (the cockpit ended before answering).
    pub by: String,
    pub reason: Option<String>,
    /// How long the agent waited for it.
    pub waited_ms: Option<i64>,
}

#[derive(Debug, Default)]
pub struct Approvals {
    /// Oldest first; the modal shows the front.
    pub pending: VecDeque<PendingApproval>,
    pub log: Vec<ApprovalRecord>,
    pub remembered: Vec<RememberedRule>,
    /// The deny reason being typed, when the human pressed `n`.
    pub typing_reason: Option<String>,
    pub show_details: bool,
    pub detail_scroll: u16,
    /// Decisions made, each with its hook's line, waiting for the app to
    /// send them.
    pub outbox: Vec<Answer>,
    /// Which keys may answer (on screen, armed, not in a burst).
    pub guard: super::guard::AnswerGuard,
    /// Requests the agent settled itself, with their hooks' lines: the app
    /// closes them, sending no decision.
    pub retired: Vec<Hangup>,
    /// A decision was logged since the effects were last taken.
    pub(super) logged: bool,
}

impl Approvals {
    /// A request arrived with the line of the hook waiting for it. A
    /// remembered rule answers it at once (the reply is put in the outbox);
    /// otherwise it queues. Returns whether it queued.
    pub fn arrive(
        &mut self,
        id: String,
        request: ApprovalRequest,
        line: HookLine,
        now: Millis,
    ) -> bool {
        let covered = self.remembered.iter().any(|r| r.covers(&request));
        let pending = PendingApproval {
            id,
            request,
            received_at: now,
            line,
        };
        if covered {
            self.decide(pending, Verdict::Allow, None, "remembered", now);
            return false;
        }
        self.pending.push_back(pending);
        true
    }

    /// A frame was drawn: what its prompt showed counts as read, and the
    /// scroll stays within the prompt.
    pub fn drawn(&mut self, shown: Option<&ShownPrompt>, now: Millis) {
        if let Some(shown) = shown {
            let last_top = shown.view.total.saturating_sub(shown.view.rows);
            let last_top = u16::try_from(last_top).unwrap_or(u16::MAX);
            self.detail_scroll = self.detail_scroll.min(last_top);
        }
        self.guard.drawn(shown, now);
    }

    /// The hook gave up waiting: forget the request (it was not decided);
    /// its line goes with it.
    pub fn withdraw(&mut self, id: &str) {
        if self.pending.front().is_some_and(|p| p.id == id) {
            self.typing_reason = None;
            self.show_details = false;
        }
        self.pending.retain(|p| p.id != id);
    }

    /// The cockpit is ending: no request still waiting will be answered.
    /// Each hook's connection closes with the cockpit, and the hook then
    /// hands the call back to the agent's own prompt, or denies it: `denies`
    /// says which, with why (the hook's own rule, `failsafe::when_unreachable`).
    pub fn end_unanswered(
        &mut self,
        denies: impl Fn(&ApprovalRequest) -> Option<&'static str>,
        now: Millis,
    ) {
        self.typing_reason = None;
        self.show_details = false;
        for pending in std::mem::take(&mut self.pending) {
            let agent = pending.request.agent.label();
            let (verdict, what) = match denies(&pending.request) {
                None => (
                    Verdict::Ask,
                    format!("the hook handed it back to {agent}'s own prompt"),
                ),
                Some(why) => (Verdict::Deny, format!("the hook denied it ({why})")),
            };
            let reason = format!("unanswered: the cockpit quit while the hook waited; {what}");
            self.log
                .push(pending.record(verdict, "hook", Some(reason), now));
            self.logged = true;
        }
    }

    /// The human answers the oldest request. `Verdict::Ask` defers to the
    /// agent's own prompt.
    pub fn answer(
        &mut self,
        verdict: Verdict,
        reason: Option<String>,
        remember: bool,
        now: Millis,
    ) {
        let rule = match self.pending.front() {
            None => return,
            Some(p) if remember && verdict == Verdict::Allow => {
                match RememberedRule::of(&p.request) {
                    Some(rule) => Some(rule),
                    // `a` is not offered for this call: the key does nothing.
                    None => return,
                }
            }
            Some(_) => None,
        };
        let Some(pending) = self.pending.pop_front() else {
            return;
        };
        self.remembered.extend(rule);
        self.typing_reason = None;
        self.show_details = false;
        self.detail_scroll = 0;
        self.decide(pending, verdict, reason, "human", now);
        // Requests the new rule covers need nobody any more.
        if remember {
            let waiting: Vec<PendingApproval> = self.pending.drain(..).collect();
            for p in waiting {
                if self.remembered.iter().any(|r| r.covers(&p.request)) {
                    self.decide(p, Verdict::Allow, None, "remembered", now);
                } else {
                    self.pending.push_back(p);
                }
            }
        }
    }

    /// A decision the policy made alone (reported by the hook).
    pub fn record_rule_decision(&mut self, record: ApprovalRecord) {
        self.log.push(record);
        self.logged = true;
    }

    /// What the decisions and settled requests ask of the loop: save the
    /// record first when it holds a new decision, then reply, or close.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        let save = std::mem::take(&mut self.logged).then_some(Effect::SaveDecisions);
        let retired = self.retired.drain(..).map(Effect::Withdraw);
        let replies = self.outbox.drain(..).map(Effect::Reply);
        save.into_iter().chain(retired).chain(replies).collect()
    }

    fn decide(
        &mut self,
        pending: PendingApproval,
        verdict: Verdict,
        reason: Option<String>,
        by: &str,
        now: Millis,
    ) {
        self.log
            .push(pending.record(verdict, by, reason.clone(), now));
        self.logged = true;
        let reply = Reply {
            id: pending.id,
            verdict,
            reason,
            by: by.to_string(),
        };
        self.outbox.push(Answer::new(reply, pending.line));
    }
}

#[cfg(test)]
mod tests;
