use super::*;
use serde_json::json;

fn request(command: &str) -> ApprovalRequest {
    ApprovalRequest {
        version: 1,
        agent: AgentKind::Claude,
        hook_event: "PreToolUse".into(),
        session_id: Some("s".into()),
        transcript_path: None,
        cwd: Some("/p".into()),
        tool: "Bash".into(),
        input: json!({ "command": command }),
        rule: Some("git-push".into()),
        reason: None,
        why: String::new(),
    }
}

#[test]
fn queue_answers_each_request_once_in_order() {
    let mut approvals = Approvals::default();
    assert!(approvals.arrive("a".into(), request("git push"), HookLine::detached(), 0));
    assert!(approvals.arrive("b".into(), request("rm -rf x"), HookLine::detached(), 1));
    approvals.answer(Verdict::Deny, Some("not now".into()), false, 10);
    approvals.answer(Verdict::Allow, None, false, 20);
    approvals.answer(Verdict::Allow, None, false, 30); // nothing left
    let ids: Vec<_> = approvals
        .outbox
        .iter()
        .map(|a| (a.reply.id.as_str(), a.reply.verdict))
        .collect();
    assert_eq!(ids, [("a", Verdict::Deny), ("b", Verdict::Allow)]);
    assert_eq!(approvals.log[0].reason.as_deref(), Some("not now"));
    assert_eq!(approvals.log[0].waited_ms, Some(10));
}

#[test]
fn remembered_rules_answer_the_same_call_without_asking() {
    let mut approvals = Approvals::default();
    approvals.arrive("a".into(), request("git push"), HookLine::detached(), 0);
    approvals.arrive("b".into(), request("git push"), HookLine::detached(), 0);
    approvals.arrive(
        "c".into(),
        request("git push --tags"),
        HookLine::detached(),
        0,
    );
    approvals.answer(Verdict::Allow, None, true, 5);
    assert_eq!(approvals.pending.len(), 1);
    assert_eq!(approvals.pending[0].id, "c");
    assert!(!approvals.arrive("d".into(), request("git push"), HookLine::detached(), 9));
    let by: Vec<_> = approvals.log.iter().map(|r| r.by.as_str()).collect();
    assert_eq!(by, ["human", "remembered", "remembered"]);
}

#[test]
fn withdrawn_requests_leave_the_queue_undecided() {
    let mut approvals = Approvals::default();
    approvals.arrive("a".into(), request("git push"), HookLine::detached(), 0);
    approvals.typing_reason = Some("half".into());
    approvals.withdraw("a");
    assert!(approvals.pending.is_empty());
    assert!(approvals.typing_reason.is_none());
    assert!(approvals.outbox.is_empty());
}

#[test]
fn a_decision_asks_for_a_save_before_its_reply_and_only_once() {
    let mut approvals = Approvals::default();
    approvals.arrive("a".into(), request("git push"), HookLine::detached(), 0);
    approvals.arrive(
        "b".into(),
        request("git push --tags"),
        HookLine::detached(),
        0,
    );
    approvals.answer(Verdict::Deny, None, false, 5);
    let b = approvals.pending.pop_back().expect("b waits");
    approvals.retired.push(Hangup::new(b.id, b.line));
    let effects = approvals.take_effects();
    assert!(matches!(
        effects.as_slice(),
        [Effect::SaveDecisions, Effect::Withdraw(b), Effect::Reply(a)]
            if b.id == "b" && a.reply.id == "a" && a.reply.verdict == Verdict::Deny
    ));
    assert!(approvals.take_effects().is_empty());
}
