//! Process Gridlock (factors IV, V): approvals eat the session. Raised when
//! an agent spent `wait_percent` of the last `window_secs` waiting on a
//! human (over at least `min_requests` requests), or when a human answered
//! the same request the same way `same_answers` times. It proposes the rule
//! that would have decided them, only one whose scope the cockpit states
//! exactly: the rule `a` would remember (same file, same URL, or the same
//! input in the same directory), and only if every past request it covers
//! was allowed.

use std::collections::VecDeque;

use super::alert::{Alert, Detector, Pattern};
use super::event::Event;
pub use super::proposal::{Past, Proposal};
use crate::agents::Millis;
use crate::policy::Verdict;
use crate::policy::remember::RememberedRule;
use crate::text::duration;

mod request;

use request::{Request, describe, label};

/// Requests kept for the previews (the window is usually far fewer).
const KEEP: usize = 500;

pub struct ProcessGridlock {
    window_ms: i64,
    wait_percent: u64,
    min_requests: usize,
    same_answers: usize,
    requests: VecDeque<Request>,
    /// (rule, answer) pairs already raised, once each.
    same_raised: Vec<(RememberedRule, Verdict)>,
    /// When each session's waiting share was last raised.
    share_raised: Vec<(String, Millis)>,
}

impl ProcessGridlock {
    pub fn new(window_secs: u64, wait_percent: u64, min_requests: u32, same_answers: u32) -> Self {
        Self {
            window_ms: i64::try_from(window_secs.saturating_mul(1000)).unwrap_or(i64::MAX),
            wait_percent,
            min_requests: min_requests as usize,
            same_answers: same_answers as usize,
            requests: VecDeque::new(),
            same_raised: Vec::new(),
            share_raised: Vec::new(),
        }
    }

    fn in_window<'a>(&'a self, session: &'a str, now: Millis) -> impl Iterator<Item = &'a Request> {
        let from = now.saturating_sub(self.window_ms);
        self.requests
            .iter()
            .filter(move |r| r.session == session && r.waited_until(now) > from)
    }

    /// The rule to propose for `session`: `only` when given, else the one
    /// covering the most allowed requests of the window (two at least).
    fn proposal(
        &self,
        session: &str,
        now: Millis,
        only: Option<&RememberedRule>,
    ) -> Option<Proposal> {
        let candidate = match only {
            Some(rule) => rule.clone(),
            None => {
                let allowed: Vec<&RememberedRule> = self
                    .in_window(session, now)
                    .filter(|r| r.answer() == Some(Verdict::Allow))
                    .filter_map(|r| r.rule.as_ref())
                    .collect();
                let count = |rule: &RememberedRule| allowed.iter().filter(|r| **r == rule).count();
                let best = allowed.iter().copied().max_by_key(|r| count(r))?;
                if count(best) < 2 {
                    return None;
                }
                best.clone()
            }
        };
        let of_session: Vec<&Request> = self
            .requests
            .iter()
            .filter(|r| r.session == session)
            .collect();
        let covered: Vec<&&Request> = of_session
            .iter()
            .filter(|r| r.rule.as_ref() == Some(&candidate))
            .collect();
        // Never propose to allow what a human refused, or left unanswered.
        if covered.iter().any(|r| r.answer() != Some(Verdict::Allow)) {
            return None;
        }
        Some(Proposal {
            rule: candidate,
            matched: covered
                .iter()
                .map(|r| Past {
                    asked: r.asked,
                    summary: r.summary.clone(),
                    waited_ms: r.waited_until(now) - r.asked,
                })
                .collect(),
            unmatched: of_session.len() - covered.len(),
        })
    }

    fn same_answer(&mut self, index: usize, now: Millis, out: &mut Vec<Alert>) {
        let request = &self.requests[index];
        let (Some(rule), Some(verdict)) = (request.rule.clone(), request.answer()) else {
            return;
        };
        let session = request.session.clone();
        let same: Vec<&Request> = self
            .in_window(&session, now)
            .filter(|r| r.rule.as_ref() == Some(&rule) && r.answer() == Some(verdict))
            .collect();
        if same.len() < self.same_answers || self.same_raised.contains(&(rule.clone(), verdict)) {
            return;
        }
        let waited: i64 = same.iter().map(|r| r.waited_until(now) - r.asked).sum();
        let span = now - same[0].asked;
        let (word, summary, label) = match verdict {
            Verdict::Deny => ("denied", same[0].summary.clone(), same[0].label.clone()),
            _ => ("allowed", same[0].summary.clone(), same[0].label.clone()),
        };
        let message = format!(
            "{label}: you {word} {summary} {} times in {}, {} of waiting in all",
            same.len(),
            duration(span),
            duration(waited)
        );
        self.same_raised.push((rule.clone(), verdict));
        let proposal = (verdict == Verdict::Allow)
            .then(|| self.proposal(&session, now, Some(&rule)))
            .flatten();
        let what_to_do = match (&proposal, verdict) {
            (Some(_), _) => "add the proposed rule (see what it would have decided first), or \
                             a policy rule in [approvals] for what is always safe (IV automation)"
                .to_string(),
            (None, Verdict::Deny) => "the agent keeps asking for what you refuse: tell it why \
                                      in the deny reason, or add a deny rule in [approvals]"
                .to_string(),
            (None, _) => {
                "a policy rule in [approvals] for what is always safe (IV automation)".to_string()
            }
        };
        let mut alert = Alert::new(
            Pattern::ProcessGridlock,
            Some(&session),
            Some(now),
            message,
            what_to_do,
        );
        alert.proposal = proposal.map(Box::new);
        out.push(alert);
    }

    fn waiting_share(&mut self, session: &str, now: Millis, out: &mut Vec<Alert>) {
        let from = now.saturating_sub(self.window_ms);
        if self
            .share_raised
            .iter()
            .any(|(s, at)| s == session && *at > from)
        {
            return;
        }
        let mut spans: Vec<(Millis, Millis)> = self
            .in_window(session, now)
            .map(|r| (r.asked.max(from), r.waited_until(now)))
            .collect();
        if spans.len() < self.min_requests {
            return;
        }
        let count = spans.len();
        let longest = spans.iter().map(|(a, b)| b - a).max().unwrap_or(0);
        // Two requests of one agent waiting at once are one wait.
        spans.sort();
        let mut waited = 0;
        let mut reach = Millis::MIN;
        for (start, end) in spans {
            let start = start.max(reach);
            if end > start {
                waited += end - start;
                reach = end;
            }
        }
        if (waited as i128) * 100 < (self.wait_percent as i128) * (self.window_ms as i128) {
            return;
        }
        let label = self
            .in_window(session, now)
            .next()
            .map(|r| r.label.clone())
            .unwrap_or_default();
        let message = format!(
            "{label} waited on a human {} of the last {} ({}%): {count} requests, the longest {}",
            duration(waited),
            duration(self.window_ms),
            waited * 100 / self.window_ms.max(1),
            duration(longest)
        );
        let proposal = self.proposal(session, now, None);
        let what_to_do = if proposal.is_some() {
            "add the proposed rule for what you keep allowing, and policy rules in [approvals] \
             for what is always safe: fewer requests that need you (IV automation, V measure)"
        } else {
            "policy rules in [approvals] for what is always safe, so fewer requests need you \
             (IV automation, V measure)"
        };
        self.share_raised.retain(|(s, _)| s != session);
        self.share_raised.push((session.to_string(), now));
        let mut alert = Alert::new(
            Pattern::ProcessGridlock,
            Some(session),
            Some(now),
            message,
            what_to_do,
        );
        alert.proposal = proposal.map(Box::new);
        out.push(alert);
    }
}

impl Detector for ProcessGridlock {
    fn pattern(&self) -> Pattern {
        Pattern::ProcessGridlock
    }

    fn observe(&mut self, event: &Event, out: &mut Vec<Alert>) {
        match event {
            Event::ApprovalAsked {
                session,
                id,
                request,
                at,
            } => {
                self.requests.push_back(Request {
                    id: id.clone(),
                    session: session.clone(),
                    summary: describe(request),
                    label: label(request),
                    rule: RememberedRule::of(request),
                    asked: *at,
                    ended: None,
                });
                if self.requests.len() > KEEP {
                    self.requests.pop_front();
                }
            }
            Event::ApprovalEnded {
                id,
                verdict,
                by,
                at,
            } => {
                let Some(index) = self
                    .requests
                    .iter()
                    .position(|r| r.id == *id && r.ended.is_none())
                else {
                    return;
                };
                // A human answered here or in the agent's dialog; an answer
                // by a rule remembered since, a hand-back or a withdrawal is
                // waiting time but no answer.
                let human = matches!(by.as_str(), "human" | "agent");
                let answer =
                    verdict.filter(|v| human && matches!(v, Verdict::Allow | Verdict::Deny));
                self.requests[index].ended = Some((*at, answer));
                let session = self.requests[index].session.clone();
                let before = out.len();
                self.same_answer(index, *at, out);
                if out.len() == before {
                    self.waiting_share(&session, *at, out);
                }
            }
            _ => {}
        }
    }
}
