//! The agents panel read as waits: which agent an approval request belongs
//! to, and what each agent is blocked on, for the Multi-Agent Deadlock
//! detector. Only what the cockpit sees: a pending request, or a running
//! subagent call (Task, Agent) of a session whose subagents are open.

use crate::agents::summary::detail;
use crate::detect::waits::{AgentWait, WaitState};
use crate::policy::protocol::ApprovalRequest;
use crate::state::tools::ToolStatus;

use super::belongs::Named;
use super::{Activity, Cockpit, Session};

/// Claude Code's tools that run a subagent and wait for its answer.
const SUBAGENT_TOOLS: [&str; 2] = ["Task", "Agent"];

/// The session `request` is about: the one (subagent or not) whose running
/// call is this very call, else the main session the request names.
pub fn request_owner(cockpit: &Cockpit, request: &ApprovalRequest) -> Option<usize> {
    let named = Named::new(
        request.session_id.as_deref(),
        request.transcript_path.as_deref(),
    );
    let input = detail(&request.input);
    let running_it =
        |s: &Session| {
            s.tools.calls().iter().rev().take(50).any(|c| {
                c.status == ToolStatus::Running && c.name == request.tool && c.input == input
            })
        };
    let sessions = &cockpit.project().sessions;
    sessions
        .iter()
        .position(|s| named.names_conversation_of(s) && running_it(s))
        .or_else(|| named.owner(sessions))
}

/// The detectors' key for the agent of `request` (its transcript path, or
/// what the request names when no followed session is it).
pub fn request_key(cockpit: &Cockpit, request: &ApprovalRequest) -> String {
    match request_owner(cockpit, request) {
        Some(i) => Cockpit::key_of(&cockpit.project().sessions[i]),
        None => request
            .transcript_path
            .clone()
            .or_else(|| request.session_id.clone())
            .unwrap_or_else(|| "?".into()),
    }
}

/// Every followed agent and what it waits on, now.
pub fn agent_waits(cockpit: &Cockpit) -> Vec<AgentWait> {
    let now = cockpit.now;
    let mut approval_of: Vec<Option<(i64, String)>> = vec![None; cockpit.project().sessions.len()];
    for pending in &cockpit.approvals.pending {
        if let Some(i) = request_owner(cockpit, &pending.request) {
            let slot = &mut approval_of[i];
            if slot.is_none() {
                let what = format!("{} `{}`", pending.request.tool, pending.summary());
                *slot = Some((pending.received_at, what));
            }
        }
    }
    let children = children(cockpit);
    cockpit
        .project()
        .sessions
        .iter()
        .enumerate()
        .map(|(i, session)| {
            let activity = cockpit.activity(i);
            let subagent_call = session.tools.calls().iter().rev().take(50).find(|c| {
                c.status == ToolStatus::Running && SUBAGENT_TOOLS.contains(&c.name.as_str())
            });
            let open: Vec<String> = children[i]
                .iter()
                .filter(|&&j| !matches!(cockpit.activity(j), Activity::Ended))
                .map(|&j| Cockpit::key_of(&cockpit.project().sessions[j]))
                .collect();
            let state = if let Some((since, what)) = approval_of[i].clone() {
                WaitState::Approval { since, what }
            } else if let Some(call) = subagent_call.filter(|_| !open.is_empty() && !session.ended)
            {
                WaitState::OnAgents {
                    since: call.started.unwrap_or(now),
                    on: open,
                }
            } else {
                match activity {
                    Activity::Working => WaitState::Active {
                        rests_at: rests_at(cockpit, session),
                    },
                    _ => WaitState::Resting,
                }
            };
            AgentWait {
                key: Cockpit::key_of(session),
                label: label(session),
                state,
                last_progress: session.last_seen,
            }
        })
        .collect()
}

/// When a working agent reads idle if nothing new comes: `None` while a
/// call of it runs (that holds until the call ends).
fn rests_at(cockpit: &Cockpit, session: &Session) -> Option<i64> {
    let running = session
        .tools
        .calls()
        .iter()
        .rev()
        .take(50)
        .any(|c| c.status == ToolStatus::Running);
    if running {
        return None;
    }
    session
        .last_seen
        .map(|last| last + cockpit.settings.idle_after_ms)
}

/// Each session's subagents, by index (the agents panel's parent rule).
fn children(cockpit: &Cockpit) -> Vec<Vec<usize>> {
    let order = cockpit.agent_order();
    let mut children = vec![Vec::new(); cockpit.project().sessions.len()];
    let mut parent = None;
    for i in order {
        let session = &cockpit.project().sessions[i];
        if session.is_main() {
            parent = Some(i);
        } else if let Some(p) =
            parent.filter(|&p| is_under(&cockpit.project().sessions[p], session))
        {
            children[p].push(i);
        }
    }
    children
}

/// `sub`'s transcript lies under `<main's stem>/` (`<session>/subagents/...`).
fn is_under(main: &Session, sub: &Session) -> bool {
    main.source.path.file_stem().is_some_and(|stem| {
        sub.source
            .path
            .ancestors()
            .any(|a| a.file_name() == Some(stem))
    })
}

fn label(session: &Session) -> String {
    if session.is_main() {
        let agent = session.source.kind.label().split(' ').next().unwrap_or("");
        format!("{} {}", agent.to_lowercase(), session.short_id())
    } else {
        format!("subagent {}", session.short_id())
    }
}
