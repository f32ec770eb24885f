use super::*;
use crate::agents::ToolStart;
use crate::agents::source::SourceId;

fn session() -> Session {
    Session::new(
        Source {
            id: SourceId(0),
            path: "/t/s.jsonl".into(),
            kind: crate::agents::AgentKind::Claude,
            role: Role::Main,
            modified_ms: 0,
        },
        100,
    )
}

fn seen_at(session: &mut Session, at: Millis) {
    session.apply_record(Record::Prompt {
        text: "fix it".into(),
        at: Some(at),
    });
}

#[test]
fn working_then_idle_then_ended() {
    let mut s = session();
    assert_eq!(
        s.activity(0, false, 90_000),
        Activity::Idle,
        "nothing read yet"
    );
    seen_at(&mut s, 1_000_000);
    assert_eq!(s.activity(1_030_000, false, 90_000), Activity::Working);
    assert_eq!(s.activity(1_100_000, false, 90_000), Activity::Idle);
    assert_eq!(
        s.activity(1_030_000, true, 90_000),
        Activity::WaitingApproval
    );
    s.turn_ended_at = Some(1_000_000);
    assert_eq!(s.activity(1_030_000, false, 90_000), Activity::Idle, "Stop");
    s.ended = true;
    assert_eq!(s.activity(1_030_000, true, 90_000), Activity::Ended);
}

#[test]
fn a_long_running_call_is_work_until_it_is_stale() {
    let mut s = session();
    s.apply_record(Record::ToolStart(ToolStart {
        id: "t1".into(),
        name: "Bash".into(),
        summary: "cargo test".into(),
        input: "cargo test".into(),
        command: Some("cargo test".into()),
        paths: Vec::new(),
        at: Some(1_000_000),
    }));
    // Five quiet minutes of `cargo test`: still working.
    assert_eq!(s.activity(1_300_000, false, 90_000), Activity::Working);
    // Two hours on: the agent was killed mid-call.
    assert_eq!(s.activity(8_200_000, false, 90_000), Activity::Idle);
}
