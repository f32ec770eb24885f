use super::*;
use crate::agents::source::{Role, Source, SourceId};
use crate::state::Activity;

fn source(id: u32, path: &str, role: Role) -> Source {
    Source {
        id: SourceId(id),
        path: path.into(),
        kind: AgentKind::Claude,
        role,
        modified_ms: 0,
    }
}

/// Claude Code 2.1.328 sends `SessionStart` before its transcript exists:
/// the session is starting (not ended) and takes the screen.
#[test]
fn an_announced_session_is_starting_and_comes_to_the_front() {
    let mut state = Cockpit::new("p".into(), None, 0);
    let mut old = source(0, "/t/old.jsonl", Role::Main);
    old.modified_ms = 5_000;
    state.add_source(old);
    state.project_mut().sessions[0].last_seen = Some(5_000);
    let start = serde_json::json!({
        "hook_event_name": "SessionStart",
        "session_id": "new",
        "transcript_path": "/t/new.jsonl",
        "source": "startup",
    });
    apply(&mut state, AgentKind::Claude, &start, None);
    let mut new = source(1, "/t/new.jsonl", Role::Main);
    new.modified_ms = 9_000; // sources: a missing file is as new as now
    state.add_source(new);
    state.project_mut().sessions[1].gone = true; // no file yet
    assert_eq!(
        state.project().selected,
        Some(1),
        "the new session comes to the front"
    );
    assert_eq!(state.activity(1), Activity::Starting);
    state.project_mut().sessions[1].gone = false;
    state.project_mut().sessions[1].last_seen = Some(9_500);
    state.now = 9_600;
    assert_eq!(state.activity(1), Activity::Working);
}

#[test]
fn a_session_the_user_picked_keeps_the_screen() {
    let mut state = Cockpit::new("p".into(), None, 0);
    state.add_source(source(0, "/t/a.jsonl", Role::Main));
    state.view.user_picked = true;
    let mut new = source(1, "/t/b.jsonl", Role::Main);
    new.modified_ms = 9_000;
    state.add_source(new);
    assert_eq!(state.project().selected, Some(0));
}

#[test]
fn stop_idles_the_session_and_the_end_hooks_end_their_rows() {
    let mut state = Cockpit::new("p".into(), None, 0);
    state.add_source(source(0, "/t/s1.jsonl", Role::Main));
    state.add_source(source(
        1,
        "/t/s1/subagents/agent-a1.jsonl",
        Role::Subagent {
            agent_id: "a1".into(),
        },
    ));
    for session in &mut state.project_mut().sessions {
        session.last_seen = Some(1_000);
    }
    state.now = 2_000;
    assert_eq!(state.activity(0), Activity::Working);
    let hook = |event: &str, extra: serde_json::Value| {
        let mut payload = serde_json::json!({
            "hook_event_name": event,
            "session_id": "s1",
            "transcript_path": "/t/s1.jsonl",
        });
        payload
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        payload
    };
    apply(
        &mut state,
        AgentKind::Claude,
        &hook("Stop", serde_json::json!({})),
        None,
    );
    assert_eq!(state.activity(0), Activity::Idle);
    assert_eq!(state.activity(1), Activity::Working, "the subagent goes on");
    let stop = hook(
        "SubagentStop",
        serde_json::json!({"agent_id": "a1", "agent_transcript_path": "/t/s1/subagents/agent-a1.jsonl"}),
    );
    apply(&mut state, AgentKind::Claude, &stop, None);
    assert_eq!(state.activity(1), Activity::Ended);
    assert_eq!(state.activity(0), Activity::Idle);
    apply(
        &mut state,
        AgentKind::Claude,
        &hook("SessionEnd", serde_json::json!({"reason": "other"})),
        None,
    );
    assert_eq!(state.activity(0), Activity::Ended);
}

#[test]
fn a_subagents_task_prompt_retires_nothing_a_typed_one_does() {
    let mut state = Cockpit::new("p".into(), None, 0);
    state.add_source(source(0, "/t/s1.jsonl", Role::Main));
    let sub = Role::Subagent {
        agent_id: "a1".into(),
    };
    state.add_source(source(1, "/t/s1/subagents/agent-a1.jsonl", sub));
    for session in &mut state.project_mut().sessions {
        session.meta.session_id = Some("s1".into());
    }
    let request = crate::policy::protocol::ApprovalRequest {
        version: 1,
        agent: AgentKind::Claude,
        hook_event: "PermissionRequest".into(),
        session_id: Some("s1".into()),
        transcript_path: Some("/t/s1.jsonl".into()),
        cwd: None,
        tool: "Bash".into(),
        input: serde_json::json!({"command": "git push -f"}),
        rule: None,
        reason: None,
        why: String::new(),
    };
    let line = crate::state::hook_line::HookLine::detached();
    state.approvals.arrive("r".into(), request, line, 100);
    let prompt = [Signal::Prompt { at: Some(200) }];
    settle_from_transcript(&mut state, SourceId(1), &prompt);
    assert_eq!(state.approvals.pending.len(), 1, "a subagent's task");
    settle_from_transcript(&mut state, SourceId(0), &[Signal::Prompt { at: Some(50) }]);
    assert_eq!(state.approvals.pending.len(), 1, "a prompt from before");
    settle_from_transcript(&mut state, SourceId(0), &prompt);
    assert!(state.approvals.pending.is_empty());
    let retired: Vec<_> = state.approvals.retired.iter().map(|h| &h.id).collect();
    assert_eq!(retired, ["r"]);
}

#[test]
fn session_start_asks_the_loop_to_follow_the_transcript() {
    let mut state = Cockpit::new("p".into(), None, 0);
    let start = serde_json::json!({
        "hook_event_name": "SessionStart",
        "transcript_path": "/t/new.jsonl",
    });
    let mut effects = Vec::new();
    apply(&mut state, AgentKind::Claude, &start, Some(&mut effects));
    assert_eq!(effects, vec![Effect::Follow("/t/new.jsonl".into())]);
    assert_eq!(state.announced, vec![PathBuf::from("/t/new.jsonl")]);
}
