//! The rule a Process Gridlock alert proposes: which one is on offer, and
//! adding it with one key. It is added as `a` would add it (a remembered
//! rule of this session, saved and restored with it), so it never allows
//! more than the preview showed.

use crate::detect::gridlock::Proposal;

use super::Cockpit;

/// The newest proposal of an alert not yet acknowledged, whose rule is not
/// already remembered.
pub fn open_proposal(cockpit: &Cockpit) -> Option<&Proposal> {
    cockpit
        .alerts
        .iter()
        .rev()
        .filter(|a| !a.acknowledged)
        .filter_map(|a| a.proposal.as_deref())
        .find(|p| !cockpit.approvals.remembered.contains(&p.rule))
}

impl Cockpit {
    /// Adds the open proposal's rule. Only the main screen takes the key,
    /// so no request is waiting then; later ones it covers are allowed on
    /// arrival. Nothing on offer: nothing happens.
    pub fn add_proposed_rule(&mut self) {
        let Some(proposal) = open_proposal(self).cloned() else {
            return;
        };
        let words = proposal.rule.describe();
        self.approvals.remembered.push(proposal.rule);
        self.notice(format!("rule added for this session: {words}"));
    }
}
