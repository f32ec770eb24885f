//! What each agent of the project waits on, as the state sees it, and when
//! the whole project would be deadlocked if nothing happened: a pure
//! function of one snapshot, so the detector can ask for a one-shot wake-up
//! instead of polling.

use std::collections::BTreeSet;

use crate::agents::Millis;

/// One agent (a session or a subagent) in a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentWait {
    /// The detectors' session key (the transcript path).
    pub key: String,
    /// What the screen calls it (`claude 4d5611e5`, a subagent's id).
    pub label: String,
    pub state: WaitState,
    /// Its newest record (transcript time): the last sign it progressed.
    pub last_progress: Option<Millis>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitState {
    /// Working. `rests_at`: with no call running, it reads idle from then on
    /// unless something new arrives; `None`: a call runs.
    Active { rests_at: Option<Millis> },
    /// Idle (its turn is over), starting or ended: takes no part.
    Resting,
    /// An approval request of it waits for a human since `since`.
    Approval { since: Millis, what: String },
    /// A subagent call (Task, Agent) of it runs since `since`, and these
    /// agents (keys) are its subagents still open.
    OnAgents { since: Millis, on: Vec<String> },
}

/// A deadlock the snapshot leads to: when it holds, and who waits on what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadlock {
    pub at: Millis,
    /// Since when nothing has progressed.
    pub quiet_since: Millis,
    /// The blocked agents, in snapshot order.
    pub agents: Vec<AgentWait>,
}

/// When every agent still taking part is blocked (an approval, or waiting on
/// agents that are themselves blocked), at least two are, one of them waits
/// on another, and nothing has progressed for `quiet_ms`; `None` when no
/// passing of time alone can get there (a call runs, an agent waits on one
/// that works or rests).
pub fn deadlock_at(agents: &[AgentWait], quiet_ms: i64) -> Option<Deadlock> {
    let mut resting_from = None::<Millis>;
    for agent in agents {
        if let WaitState::Active { rests_at } = agent.state {
            // A call runs: only a new event can change that.
            let at = rests_at?;
            resting_from = Some(resting_from.map_or(at, |r| r.max(at)));
        }
    }
    // Blocked: the greatest set where every wait is on a member (a cycle of
    // waits counts; a wait on an agent that works or rests does not).
    let mut blocked: BTreeSet<&str> = agents
        .iter()
        .filter(|a| {
            matches!(
                a.state,
                WaitState::Approval { .. } | WaitState::OnAgents { .. }
            )
        })
        .map(|a| a.key.as_str())
        .collect();
    loop {
        let before = blocked.len();
        for agent in agents {
            if let WaitState::OnAgents { on, .. } = &agent.state
                && (on.is_empty() || on.iter().any(|k| !blocked.contains(k.as_str())))
            {
                blocked.remove(agent.key.as_str());
            }
        }
        if blocked.len() == before {
            break;
        }
    }
    let taking_part: Vec<&AgentWait> = agents
        .iter()
        .filter(|a| !matches!(a.state, WaitState::Resting | WaitState::Active { .. }))
        .collect();
    let all_blocked = taking_part.iter().all(|a| blocked.contains(a.key.as_str()));
    let one_waits_on_another = taking_part
        .iter()
        .any(|a| matches!(a.state, WaitState::OnAgents { .. }));
    if !all_blocked || taking_part.len() < 2 || !one_waits_on_another {
        return None;
    }
    let since = |a: &AgentWait| match a.state {
        WaitState::Approval { since, .. } | WaitState::OnAgents { since, .. } => Some(since),
        _ => None,
    };
    let quiet_since = agents
        .iter()
        .filter_map(|a| a.last_progress)
        .chain(taking_part.iter().filter_map(|a| since(a)))
        .max()?;
    let at = (quiet_since + quiet_ms).max(resting_from.unwrap_or(Millis::MIN));
    Some(Deadlock {
        at,
        quiet_since,
        agents: taking_part.into_iter().cloned().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(key: &str, state: WaitState, last: Millis) -> AgentWait {
        AgentWait {
            key: key.into(),
            label: key.into(),
            state,
            last_progress: Some(last),
        }
    }

    fn approval(since: Millis) -> WaitState {
        WaitState::Approval {
            since,
            what: "Bash git push".into(),
        }
    }

    fn on(keys: &[&str], since: Millis) -> WaitState {
        WaitState::OnAgents {
            since,
            on: keys.iter().map(|k| k.to_string()).collect(),
        }
    }

    #[test]
    fn a_parent_waiting_on_a_subagent_that_waits_for_approval() {
        let agents = [
            agent("m", on(&["s"], 1_000), 1_000),
            agent("s", approval(5_000), 4_000),
        ];
        let lock = deadlock_at(&agents, 300_000).expect("deadlocked");
        assert_eq!((lock.quiet_since, lock.at), (5_000, 305_000));
        assert_eq!(lock.agents.len(), 2);
    }

    #[test]
    fn an_agent_at_work_or_a_lone_approval_is_no_deadlock() {
        let working = WaitState::Active { rests_at: None };
        let agents = [agent("m", on(&["s"], 0), 0), agent("s", working, 0)];
        assert_eq!(deadlock_at(&agents, 1), None, "the subagent works");
        assert_eq!(deadlock_at(&[agent("m", approval(0), 0)], 1), None);
        let two_approvals = [agent("a", approval(0), 0), agent("b", approval(0), 0)];
        assert_eq!(
            deadlock_at(&two_approvals, 1),
            None,
            "nobody waits on an agent"
        );
        let on_resting = [
            agent("m", on(&["s"], 0), 0),
            agent("s", WaitState::Resting, 0),
            agent("b", approval(0), 0),
        ];
        assert_eq!(deadlock_at(&on_resting, 1), None, "the subagent is done");
    }

    #[test]
    fn an_agent_going_quiet_lets_the_deadlock_start_when_it_rests() {
        let agents = [
            agent("m", on(&["s"], 0), 0),
            agent("s", approval(0), 0),
            agent(
                "o",
                WaitState::Active {
                    rests_at: Some(900_000),
                },
                810_000,
            ),
        ];
        let lock = deadlock_at(&agents, 300_000).expect("once o rests");
        assert_eq!(lock.at, 1_110_000, "o's last record is progress too");
        assert_eq!(lock.agents.len(), 2);
    }

    #[test]
    fn agents_waiting_on_each_other_in_a_cycle() {
        let agents = [agent("a", on(&["b"], 0), 0), agent("b", on(&["a"], 0), 0)];
        assert_eq!(deadlock_at(&agents, 10).map(|l| l.at), Some(10));
    }
}
