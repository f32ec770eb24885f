//! Requests a past run left waiting. A record saved while a hook waited
//! says `pending`; once that run is over (resumed after a kill, a crash, a
//! lost terminal) the request has ended: the hook's connection closed with
//! the cockpit, and the hook handed the call back to the agent's own prompt
//! or denied it. A resumed session says so, and lists it as open no more.

use crate::agents::AgentKind;

use super::schema::{Decider, Decision, SessionRecord};

impl SessionRecord {
    /// Ends every `pending` request of the run that saved this record, as
    /// its hook ended it: `denies` is the hook's own rule (given the agent
    /// and the hook event where the record knows them), `None` when it hands
    /// the call back, `Some(why)` when it denies it.
    pub fn end_unanswered(
        &mut self,
        denies: impl Fn(Option<AgentKind>, Option<&str>) -> Option<&'static str>,
    ) {
        for approval in &mut self.approvals {
            if approval.decision != Decision::Pending {
                continue;
            }
            let denied = denies(approval.agent, approval.hook_event.as_deref());
            let what = match (denied, approval.agent) {
                (Some(why), _) => format!("the hook denied it ({why})"),
                (None, Some(agent)) => {
                    format!("the hook handed it back to {}'s own prompt", agent.label())
                }
                (None, None) => "the hook handed it back to the agent's own prompt (or denied it, where the agent has none)".into(),
            };
            approval.decider = Decider::Hook;
            approval.decision = match denied {
                None => Decision::HandedBack,
                Some(_) => Decision::Deny,
            };
            approval.reason = Some(format!(
                "unanswered: the cockpit run ended without quitting (killed, crashed or cut off) while the hook waited; {what}"
            ));
        }
    }
}
