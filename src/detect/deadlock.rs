//! Multi-Agent Deadlock (factors III, VII): every agent of the project is
//! blocked at once (an approval waits for a human, or it waits on subagents
//! that are themselves blocked), at least one waits on another, and nothing
//! has progressed for `quiet_secs`. Nothing new arrives in a deadlock, so the
//! detector names the moment it would hold ([`Detector::deadline`]) and the
//! app wakes it once then, instead of polling.

use super::alert::{Alert, Detector, Pattern};
use super::event::Event;
use super::waits::{AgentWait, Deadlock, WaitState, deadlock_at};
use crate::agents::Millis;
use crate::text::duration;

pub struct MultiAgentDeadlock {
    quiet_ms: i64,
    /// What the latest snapshot leads to.
    pending: Option<Deadlock>,
    /// The deadlock already raised (its quiet start): raised once.
    raised: Option<Millis>,
}

impl MultiAgentDeadlock {
    pub fn new(quiet_secs: u64) -> Self {
        Self {
            quiet_ms: i64::try_from(quiet_secs.saturating_mul(1000)).unwrap_or(i64::MAX),
            pending: None,
            raised: None,
        }
    }

    fn check(&mut self, now: Millis, out: &mut Vec<Alert>) {
        let Some(lock) = &self.pending else { return };
        if now < lock.at || self.raised == Some(lock.quiet_since) {
            return;
        }
        self.raised = Some(lock.quiet_since);
        let waits: Vec<String> = lock.agents.iter().map(|a| wait_words(a, lock)).collect();
        let message = format!(
            "all {} agents blocked, nothing moved for {}: {}",
            lock.agents.len(),
            duration(now - lock.quiet_since),
            waits.join("; ")
        );
        let what_to_do = "answer the waiting approval (or deny it so the agent moves on); \
             give subagents work that needs no human and routes around others \
             (III focused agents, VII smart routing)";
        out.push(Alert::new(
            Pattern::MultiAgentDeadlock,
            None,
            Some(now),
            message,
            what_to_do,
        ));
    }
}

fn wait_words(agent: &AgentWait, lock: &Deadlock) -> String {
    let label = |key: &str| {
        lock.agents
            .iter()
            .find(|a| a.key == key)
            .map_or_else(|| key.to_string(), |a| a.label.clone())
    };
    match &agent.state {
        WaitState::Approval { what, .. } => {
            format!("{} waits for your approval of {what}", agent.label)
        }
        WaitState::OnAgents { on, .. } => {
            let on: Vec<String> = on.iter().map(|k| label(k)).collect();
            format!("{} waits on {}", agent.label, on.join(", "))
        }
        WaitState::Active { .. } | WaitState::Resting => agent.label.clone(),
    }
}

impl Detector for MultiAgentDeadlock {
    fn pattern(&self) -> Pattern {
        Pattern::MultiAgentDeadlock
    }

    fn observe(&mut self, event: &Event, out: &mut Vec<Alert>) {
        match event {
            Event::Agents { agents, at } => {
                self.pending = deadlock_at(agents, self.quiet_ms);
                if self.pending.is_none() {
                    self.raised = None;
                }
                self.check(*at, out);
            }
            Event::Clock { at } => self.check(*at, out),
            _ => {}
        }
    }

    fn deadline(&self) -> Option<Millis> {
        self.pending
            .as_ref()
            .filter(|lock| self.raised != Some(lock.quiet_since))
            .map(|lock| lock.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(sub_state: WaitState) -> Vec<AgentWait> {
        vec![
            AgentWait {
                key: "/t/s.jsonl".into(),
                label: "claude s".into(),
                state: WaitState::OnAgents {
                    since: 1_000,
                    on: vec!["/t/s/subagents/agent-a.jsonl".into()],
                },
                last_progress: Some(1_000),
            },
            AgentWait {
                key: "/t/s/subagents/agent-a.jsonl".into(),
                label: "a".into(),
                state: sub_state,
                last_progress: Some(2_000),
            },
        ]
    }

    fn approval() -> WaitState {
        WaitState::Approval {
            since: 2_000,
            what: "Bash `git push`".into(),
        }
    }

    #[test]
    fn fires_once_when_the_clock_reaches_the_deadline() {
        let mut d = MultiAgentDeadlock::new(300);
        let mut out = Vec::new();
        d.observe(
            &Event::Agents {
                agents: snapshot(approval()),
                at: 2_000,
            },
            &mut out,
        );
        assert!(out.is_empty());
        assert_eq!(d.deadline(), Some(302_000), "a one-shot wake-up");
        d.observe(&Event::Clock { at: 301_999 }, &mut out);
        assert!(out.is_empty(), "not yet five minutes");
        d.observe(&Event::Clock { at: 302_000 }, &mut out);
        assert_eq!(out.len(), 1);
        assert!(
            out[0]
                .message
                .contains("a waits for your approval of Bash `git push`")
        );
        assert!(
            out[0].message.contains("claude s waits on a"),
            "{}",
            out[0].message
        );
        assert_eq!(d.deadline(), None, "no wake-up once raised");
        d.observe(&Event::Clock { at: 900_000 }, &mut out);
        assert_eq!(out.len(), 1, "raised once");
    }

    #[test]
    fn progress_before_the_deadline_cancels_it() {
        let mut d = MultiAgentDeadlock::new(300);
        let mut out = Vec::new();
        d.observe(
            &Event::Agents {
                agents: snapshot(approval()),
                at: 2_000,
            },
            &mut out,
        );
        let working = WaitState::Active { rests_at: None };
        d.observe(
            &Event::Agents {
                agents: snapshot(working),
                at: 200_000,
            },
            &mut out,
        );
        assert_eq!(d.deadline(), None);
        d.observe(&Event::Clock { at: 400_000 }, &mut out);
        assert!(
            out.is_empty(),
            "the approval was answered and the subagent works"
        );
    }
}
