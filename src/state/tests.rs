use super::*;
use crate::action::Action;
use crate::agents::source::{Role, Source, SourceId};

fn source(id: u32, path: &str, role: Role) -> Source {
    Source {
        id: SourceId(id),
        path: path.into(),
        kind: crate::agents::AgentKind::Claude,
        role,
        modified_ms: 0,
    }
}

fn sub(id: &str) -> Role {
    Role::Subagent {
        agent_id: id.into(),
    }
}

#[test]
fn subagents_sit_under_their_session_and_j_k_follow_that_order() {
    let mut state = Cockpit::new("p".into(), None, 0);
    state.add_source(source(0, "/t/s1.jsonl", Role::Main));
    state.add_source(source(1, "/t/s2.jsonl", Role::Main));
    state.add_source(source(2, "/t/s1/subagents/agent-a.jsonl", sub("a")));
    state.add_source(source(3, "/t/gone/subagents/agent-b.jsonl", sub("b")));
    state.add_source(source(4, "/t/s2/subagents/agent-c.jsonl", sub("c")));
    assert_eq!(state.agent_order(), [0, 2, 1, 4, 3]);
    state.view.focus = Focus::Sessions;
    state.project_mut().selected = Some(0);
    state.apply(Action::Down, false);
    assert_eq!(
        state.project().selected,
        Some(2),
        "s1's subagent is below s1"
    );
    state.apply(Action::Down, false);
    assert_eq!(state.project().selected, Some(1));
    state.apply(Action::Up, false);
    assert_eq!(state.project().selected, Some(2));
}
