//! The record's approvals: decisions made, requests still open, and the
//! remembered answers worth restoring.

use crate::policy::Verdict;
use crate::state::Cockpit;
use crate::state::belongs::Named;
use crate::store::schema::{ApprovalDecision, Decider, Decision, SessionRecord};

/// Decisions made (by a human, a rule, a remembered answer, the agent or
/// the hook when the cockpit quit), requests still open, and the
/// remembered answers worth restoring. Each names the agent session its
/// request named, by the followed transcript of that session when there is
/// one.
pub(super) fn add_approvals(record: &mut SessionRecord, state: &Cockpit) {
    let approvals = &state.approvals;
    let transcript = |session_id: Option<&String>, named: Option<&String>| {
        Named::new(session_id.map(String::as_str), named.map(String::as_str))
            .owner(&state.project().sessions)
            .map(|i| {
                state.project().sessions[i]
                    .source
                    .path
                    .display()
                    .to_string()
            })
            .or_else(|| named.cloned())
    };
    record
        .approvals
        .extend(approvals.log.iter().map(|d| ApprovalDecision {
            decider: match d.by.strip_prefix("rule:") {
                Some(rule) => Decider::Policy {
                    rule: rule.to_string(),
                },
                None if d.by == "remembered" => Decider::Policy {
                    rule: "remembered in this session".into(),
                },
                None if d.by == "agent" => Decider::Agent,
                None if d.by == "hook" => Decider::Hook,
                None => Decider::Human,
            },
            tool: d.tool.clone(),
            input_summary: d.summary.clone(),
            decision: match d.verdict {
                Verdict::Allow => Decision::Allow,
                Verdict::Deny => Decision::Deny,
                // Handed back to the agent's own prompt: over, not decided here.
                Verdict::Ask | Verdict::Pass => Decision::HandedBack,
            },
            reason: d.reason.clone(),
            at: d.at,
            agent: Some(d.agent),
            agent_session_id: d.session_id.clone(),
            transcript: transcript(d.session_id.as_ref(), d.transcript_path.as_ref()),
            hook_event: d.hook_event.clone(),
        }));
    record
        .approvals
        .extend(approvals.pending.iter().map(|p| ApprovalDecision {
            decider: Decider::Human,
            tool: p.request.tool.clone(),
            input_summary: p.summary(),
            decision: Decision::Pending,
            reason: None,
            at: p.received_at,
            agent: Some(p.request.agent),
            agent_session_id: p.request.session_id.clone(),
            transcript: transcript(
                p.request.session_id.as_ref(),
                p.request.transcript_path.as_ref(),
            ),
            hook_event: Some(p.request.hook_event.clone()),
        }));
    // Rules too wide to restore are not saved again either.
    record.remembered_approvals.retain(|r| r.restorable());
    for rule in &approvals.remembered {
        if !record.remembered_approvals.contains(rule) {
            record.remembered_approvals.push(rule.clone());
        }
    }
}
