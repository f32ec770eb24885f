//! The app's saves: the session record as it stands, and resuming a stored one.

use crate::approvals::answer::Gate;
use crate::approvals::failsafe::when_unreachable;
use crate::clock::now_millis;
use crate::config::OnUnreachable;
use crate::store::SessionRecord;
use crate::store::persist::Extras;

use super::App;

impl App {
    /// Continues a stored session: its id, lists and gauge history, and the
    /// transcripts it followed.
    pub fn resume(&mut self, id: &str) {
        let Some(persist) = self.persist.as_mut() else {
            return;
        };
        match persist.resume(id) {
            Ok(resumed) => {
                // The run that saved it is over: what it left waiting ended.
                let on_unreachable = self.config.approvals.on_unreachable;
                persist.tracker.base.end_unanswered(|agent, hook_event| {
                    let gate = hook_event.and_then(Gate::parse);
                    match (agent, gate) {
                        (Some(agent), Some(gate)) => when_unreachable(on_unreachable, agent, gate),
                        // An older record: the agent and its hook are not known.
                        _ if on_unreachable == OnUnreachable::Deny => {
                            Some("approvals.on_unreachable = \"deny\"")
                        }
                        _ => None,
                    }
                });
                if let Some(sources) = &self.sources {
                    for transcript in resumed.transcripts {
                        sources.follow(transcript);
                    }
                }
                for rule in resumed.remembered {
                    if !rule.restorable() {
                        // Older saves hold rules wider than what the human saw.
                        tracing::warn!(rule = %rule.describe(), "remembered approval too wide to restore; dropped");
                        continue;
                    }
                    if !self.state.approvals.remembered.contains(&rule) {
                        self.state.approvals.remembered.push(rule);
                    }
                }
                if let Some(refresher) = self.git_refresher.as_mut() {
                    refresher.set_since(resumed.started_at);
                    refresher.refresh();
                }
                let short = resumed.short_id;
                self.state.banner = Some(match resumed.agent_command {
                    Some(command) => {
                        format!("resumed session {short} · resume the agent with: {command}")
                    }
                    None => format!("resumed session {short}"),
                });
            }
            Err(err) => self.state.notice(format!("could not resume {id}: {err}")),
        }
        self.state.view.dirty = true;
    }

    /// The loop is over: no hook still waiting will get an answer from
    /// this cockpit. Their connections close now; each hook then hands its
    /// call back to the agent's own prompt, or denies it, by its fail-safe
    /// (`failsafe::when_unreachable`), and the record says which.
    pub(super) fn end_waiting_hooks(&mut self) {
        let on_unreachable = self.config.approvals.on_unreachable;
        let denies = |request: &crate::policy::protocol::ApprovalRequest| {
            let gate = Gate::parse(&request.hook_event).unwrap_or(Gate::PreToolUse);
            when_unreachable(on_unreachable, request.agent, gate)
        };
        // Each request's hook line goes with it: the connections close here.
        self.state.approvals.end_unanswered(denies, now_millis());
    }

    /// The record as it stands, for a save.
    pub(super) fn snapshot(&self, finished: bool) -> Option<SessionRecord> {
        let persist = self.persist.as_ref()?;
        let alerts: Vec<_> = self.state.all_alerts().iter().cloned().collect();
        let extras = Extras {
            gauge: &self.config.gauge,
            alerts: &alerts,
            record_prompts: self.config.store.record_prompts,
        };
        Some(persist.record(&self.state, &extras, now_millis(), finished))
    }
}
