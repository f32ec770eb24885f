//! The rule a Process Gridlock alert proposes, on screen with its preview,
//! from the real detectors; gone once its key added it.

mod common;

use cockpit::action::Action;
use cockpit::agents::AgentKind;
use cockpit::agents::source::Role;
use cockpit::config::Config;
use cockpit::policy::Verdict;
use cockpit::policy::protocol::ApprovalRequest;
use cockpit::state::Cockpit;
use cockpit::state::replay::Detectors;
use common::screen::{render, text};
use common::{fixture, follow};
use serde_json::json;

fn cargo_test() -> ApprovalRequest {
    ApprovalRequest {
        version: 1,
        agent: AgentKind::Claude,
        hook_event: "PermissionRequest".into(),
        session_id: Some("4d5611e5-241a".into()),
        transcript_path: None,
        cwd: Some("/home/user/app".into()),
        tool: "Bash".into(),
        input: json!({ "command": "cargo test" }),
        rule: None,
        reason: None,
        why: String::new(),
    }
}

/// The tool-heavy session on screen, and three `cargo test` requests the
/// human allowed after them, each waiting half a minute.
fn cockpit_with_proposal() -> (Cockpit, i64) {
    let session = follow(
        &fixture("claude/tool_heavy.jsonl"),
        AgentKind::Claude,
        Role::Main,
    );
    let last = session.last_seen.unwrap_or(0);
    let mut cockpit = Cockpit::new("app".into(), Some("main".into()), 0);
    cockpit.project_mut().sessions.push(session);
    cockpit.project_mut().selected = Some(0);
    let mut d = Detectors::new(&Config::default());
    for (i, minute) in [1, 4, 7].into_iter().enumerate() {
        let at = last + minute * 60_000;
        let id = format!("r{i}");
        d.approval_asked("s", &id, &cargo_test(), at);
        d.approval_ended(&id, Some(Verdict::Allow), "human", at + 30_000);
    }
    cockpit.alerts = d.unacknowledged().cloned().collect();
    let now = last + 8 * 60_000;
    cockpit.now = now;
    (cockpit, now)
}

#[test]
fn the_proposed_rule_and_its_preview_then_added_with_one_key() {
    let (mut cockpit, now) = cockpit_with_proposal();
    for (width, height) in [(80, 24), (120, 40)] {
        let screen = text(&render(&cockpit, now, width, height));
        insta::assert_snapshot!(format!("proposal_{width}x{height}"), screen);
    }
    let screen = text(&render(&cockpit, now, 120, 40));
    assert!(
        screen.contains("Proposed rule R adds it for this session"),
        "{screen}"
    );
    assert!(
        screen.contains("allow Bash `cargo test` exactly as shown in /home/user/app, nothing else")
    );
    let listed = screen
        .lines()
        .filter(|l| l.contains("✓ ") && l.contains("Bash `cargo test`  waited 30.0s"));
    assert_eq!(
        listed.count(),
        3,
        "the three requests it would have decided"
    );

    cockpit.apply(Action::AddRule, false);
    let screen = text(&render(&cockpit, now, 120, 40));
    assert!(!screen.contains("Proposed rule"), "{screen}");
    let status = screen.lines().last().unwrap_or_default();
    assert!(status.contains("rule added for this session"), "{status}");
}
