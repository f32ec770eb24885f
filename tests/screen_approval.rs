//! The approval prompt as the human sees it (insta snapshots at 80x24 and
//! 200x50): a short call fits and can be answered; a long one says how many
//! rows are still below the edge and offers no allow until they were on
//! screen; an input too long to show is never allowable from the prompt.

mod common;

use cockpit::agents::AgentKind;
use cockpit::policy::protocol::ApprovalRequest;
use cockpit::state::Cockpit;
use cockpit::state::hook_line::HookLine;
use cockpit::ui::{self, FrameInfo};
use common::screen::{render_with, text};
use serde_json::json;

const NOW: i64 = 1_764_000_000_000;

fn request(command: &str) -> ApprovalRequest {
    ApprovalRequest {
        version: 1,
        agent: AgentKind::Claude,
        hook_event: "PermissionRequest".into(),
        session_id: Some("5b1c0000-1111".into()),
        transcript_path: None,
        cwd: Some("/home/me/app".into()),
        tool: "Bash".into(),
        input: json!({"command": command, "description": "push the branch"}),
        rule: Some("git-push".into()),
        reason: Some("pushes to a remote".into()),
        why: "command contains `git push `".into(),
    }
}

/// The screen once the prompt has armed: one frame to show it, a second
/// after the arming time, as the app draws them.
fn screen(cockpit: &mut Cockpit, width: u16, height: u16) -> String {
    let mut info = FrameInfo::default();
    render_with(width, height, NOW, |frame, ctx| {
        info = ui::draw(frame, cockpit, ctx)
    });
    cockpit.approvals.drawn(info.prompt.as_ref(), NOW);
    let later = NOW + 600;
    let buffer = render_with(width, height, later, |frame, ctx| {
        info = ui::draw(frame, cockpit, ctx);
    });
    cockpit.approvals.drawn(info.prompt.as_ref(), later);
    cockpit.now = later;
    text(&buffer)
}

fn waiting(command: &str) -> Cockpit {
    let mut cockpit = Cockpit::new("app".into(), Some("main".into()), NOW - 60_000);
    cockpit.approvals.arrive(
        "r1".into(),
        request(command),
        HookLine::detached(),
        NOW - 2_000,
    );
    cockpit
}

#[test]
fn a_short_call_fits_and_takes_its_answer() {
    for (width, height) in [(80, 24), (200, 50)] {
        let mut cockpit = waiting("git push origin main");
        let shown = screen(&mut cockpit, width, height);
        assert!(shown.contains("y allow once"), "{shown}");
        insta::assert_snapshot!(format!("approval_short_{width}x{height}"), shown);
    }
}

#[test]
fn a_long_call_shows_what_is_below_the_edge_before_it_can_be_allowed() {
    let command = format!(
        "git push origin main && echo {}; rm -rf ~/important",
        "done ".repeat(400)
    );
    for (width, height) in [(80, 24), (200, 50)] {
        let mut cockpit = waiting(&command);
        let top = screen(&mut cockpit, width, height);
        assert!(top.contains("more rows: read them to allow"), "{top}");
        assert!(
            !top.contains("allow once") && !top.contains("rm -rf"),
            "{top}"
        );
        insta::assert_snapshot!(format!("approval_long_top_{width}x{height}"), top);
        // Page down as the keys do (`PgDn`) until the end is on screen.
        let mut bottom = top;
        for _ in 0..20 {
            if bottom.contains("allow once") {
                break;
            }
            cockpit.press(Some(cockpit::action::Action::PageDown), false);
            bottom = screen(&mut cockpit, width, height);
        }
        assert!(bottom.contains("~/important"), "{bottom}");
        assert!(bottom.contains("y allow once"), "{bottom}");
        insta::assert_snapshot!(format!("approval_long_bottom_{width}x{height}"), bottom);
    }
}

#[test]
fn an_input_too_long_to_show_is_never_allowed_from_the_prompt() {
    // 100 KiB of script: more than the prompt shows.
    let command = format!("git push origin main; {}", "x".repeat(100 << 10));
    let mut cockpit = waiting(&command);
    let top = screen(&mut cockpit, 200, 50);
    assert!(top.contains("too long to show whole"), "{top}");
    assert!(!top.contains("allow once"), "{top}");
    // Its end says what is left out.
    cockpit.approvals.detail_scroll = u16::MAX;
    let end = screen(&mut cockpit, 200, 50);
    assert!(end.contains("more bytes the prompt does not show"), "{end}");
    assert!(!end.contains("allow once"), "{end}");
    cockpit.now += 1_000;
    cockpit.press(Some(cockpit::action::Action::Approve), false);
    cockpit.now += 100;
    cockpit.release_held(false);
    assert!(
        cockpit.approvals.outbox.is_empty(),
        "y allowed a call not shown whole"
    );
    let notice = cockpit.notice.clone().unwrap_or_default();
    assert!(notice.contains("read the whole request"), "{notice}");
}

#[test]
fn handing_back_says_it_denies_where_the_agent_has_no_prompt() {
    // Codex before a tool call: Esc cannot reach a prompt, so it denies.
    let mut cockpit = Cockpit::new("app".into(), None, NOW - 60_000);
    let codex = ApprovalRequest {
        agent: AgentKind::Codex,
        hook_event: "PreToolUse".into(),
        ..request("git push origin main")
    };
    cockpit
        .approvals
        .arrive("r1".into(), codex, HookLine::detached(), NOW - 2_000);
    let shown = screen(&mut cockpit, 100, 30);
    assert!(
        shown.contains("Esc hand back (denied: no prompt in the agent here)"),
        "{shown}"
    );
    // Claude Code's prompt takes it.
    let mut cockpit = waiting("git push origin main");
    let shown = screen(&mut cockpit, 100, 30);
    assert!(shown.contains("Esc ask in the agent"), "{shown}");
}
