//! The real Claude Code (pinned in `live-agents/`) beside the real cockpit,
//! against the scripted model server: every figure the cockpit shows is known
//! from the script.

mod live_support;

use std::time::Duration;

use live_support::{Agent, ModelServer, Reply, SLOW, Usage, World, thousands};
use serde_json::json;

const WIDE: (u16, u16) = (50, 200);

fn usage(input: u64, cache_creation: u64, cache_read: u64, output: u64) -> Usage {
    Usage {
        input,
        cache_creation,
        cache_read,
        output,
    }
}

/// Types a prompt into Claude Code's input box and sends it.
fn ask(claude: &mut live_support::Term, prompt: &str) {
    claude.type_text(prompt);
    claude.settle(Duration::from_millis(300));
    claude.send("\r");
}

#[test]
fn gauge_follows_every_reply_of_a_live_session_with_its_1m_window() {
    let Some(claude_bin) = Agent::Claude.binary() else {
        return;
    };
    let first = usage(3, 1_200, 40_000, 17);
    let second = usage(5, 2_345, 60_000, 23);
    let server = ModelServer::start(vec![
        Reply::text("First answer from the script.", first),
        Reply::tool(
            "Bash",
            json!({"command": "echo live-ok", "description": "Say ok"}),
            usage(4, 100, 50_000, 9),
        ),
        Reply::text("Second answer from the script.", second),
    ]);
    let mut world = World::new();
    world.setup_claude(&server);
    world.install_hooks();
    // Let the one Bash call run without a dialog.
    std::fs::write(
        world.project.join(".claude/settings.json"),
        json!({"permissions": {"allow": ["Bash(echo:*)"]}}).to_string(),
    )
    .unwrap();

    let mut cockpit = world.start_cockpit(WIDE);
    cockpit.wait_for("no agent session", SLOW);
    let mut claude = world.start_claude(&claude_bin, &[], WIDE);
    claude.settle(Duration::from_secs(3));
    claude.wait_until("the prompt box", SLOW, |s| {
        s.contains('>') || s.contains('❯')
    });
    ask(&mut claude, "say something");
    claude.wait_for("First answer from the script.", SLOW);

    let context = first.anthropic_context();
    let expect = format!("{}/1,000,000", thousands(context));
    cockpit.wait_for(&expect, SLOW);
    eprintln!("cockpit:\n{}", cockpit.contents());

    ask(&mut claude, "run it");
    claude.wait_for("Second answer from the script.", SLOW);
    let expect = format!("{}/1,000,000", thousands(second.anthropic_context()));
    cockpit.wait_for(&expect, SLOW);
    cockpit.wait_for("echo live-ok", SLOW);
    eprintln!(
        "claude:\n{}\ncockpit:\n{}",
        claude.contents(),
        cockpit.contents()
    );
}

/// No hooks, no status line: the window must still be the model's own 1M
/// (claude-opus-5-5, Claude Code 2.1.328's default), not a 200k guess.
#[test]
fn without_a_status_line_the_window_of_claude_opus_5_is_1m() {
    let Some(claude_bin) = Agent::Claude.binary() else {
        return;
    };
    let only = usage(2, 3_000, 38_000, 11);
    let server = ModelServer::start(vec![Reply::text("Only answer.", only)]);
    let mut world = World::new();
    world.setup_claude(&server);
    let mut cockpit = world.start_cockpit(WIDE);
    cockpit.wait_for("no agent session", SLOW);
    let mut claude = world.start_claude(&claude_bin, &[], WIDE);
    claude.settle(Duration::from_secs(3));
    ask(&mut claude, "hello");
    claude.wait_for("Only answer.", SLOW);
    cockpit.wait_for(
        &format!("{}/1,000,000", thousands(only.anthropic_context())),
        SLOW,
    );
    let screen = cockpit.contents();
    assert!(screen.contains("claude-opus-5-5"), "{screen}");
    assert!(
        !screen.contains("assumed"),
        "the table knows this model: {screen}"
    );
    // `report` and the table agree.
    let out = world.cockpit(&["report", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sessions"][0]["context_window"], 1_000_000);
    assert_eq!(
        report["sessions"][0]["context_tokens"],
        only.anthropic_context()
    );
}

/// A second Claude Code session started while the cockpit runs takes the
/// screen by itself, and reads *starting* from its `SessionStart` until its
/// first prompt writes the transcript.
#[test]
fn a_session_started_while_the_cockpit_runs_comes_to_the_front_starting() {
    let Some(claude_bin) = Agent::Claude.binary() else {
        return;
    };
    let first = usage(1, 1_000, 20_000, 5);
    let second = usage(7, 4_321, 30_000, 6);
    let server = ModelServer::start(vec![
        Reply::text("From the first session.", first),
        Reply::text("From the second session.", second),
    ]);
    let mut world = World::new();
    world.setup_claude(&server);
    world.install_hooks();
    let mut cockpit = world.start_cockpit(WIDE);
    cockpit.wait_for("no agent session", SLOW);

    let mut one = world.start_claude(&claude_bin, &[], WIDE);
    one.settle(Duration::from_secs(3));
    ask(&mut one, "first");
    one.wait_for("From the first session.", SLOW);
    cockpit.wait_for(
        &format!("{}/1,000,000", thousands(first.anthropic_context())),
        SLOW,
    );
    drop(one);

    let mut two = world.start_claude(&claude_bin, &[], WIDE);
    cockpit.wait_until("the new session, starting", SLOW, |s| {
        s.lines()
            .any(|l| l.contains("▸ claude") && l.contains("starting"))
    });
    two.settle(Duration::from_secs(2));
    ask(&mut two, "second");
    two.wait_for("From the second session.", SLOW);
    cockpit.wait_for(
        &format!("{}/1,000,000", thousands(second.anthropic_context())),
        SLOW,
    );
    assert_eq!(world.claude_transcripts().len(), 2);
}

/// Claude Code shows its own dialog while its PermissionRequest hook waits on
/// the cockpit. Answered in Claude Code, the call runs; the cockpit must
/// retire the request at once, so no later key "answers" a call that ran.
#[test]
fn a_request_answered_in_claude_codes_own_dialog_leaves_the_cockpit() {
    let Some(claude_bin) = Agent::Claude.binary() else {
        return;
    };
    let small = usage(1, 100, 10_000, 3);
    let server = ModelServer::start(vec![
        Reply::tool(
            "Bash",
            json!({"command": "touch answered-in-claude", "description": "Make a file"}),
            small,
        ),
        Reply::text("The file is there.", small),
    ]);
    let mut world = World::new();
    world.setup_claude(&server);
    world.install_hooks();
    let mut cockpit = world.start_cockpit(WIDE);
    cockpit.wait_for("no agent session", SLOW);
    let mut claude = world.start_claude(&claude_bin, &["--permission-mode", "manual"], WIDE);
    claude.settle(Duration::from_secs(3));
    ask(&mut claude, "make the file");

    cockpit.wait_for("Approval needed", SLOW);
    cockpit.wait_for("touch answered-in-claude", SLOW);
    claude.wait_for("touch answered-in-claude", SLOW);
    claude.wait_until("Claude Code's own dialog", SLOW, |s| s.contains("Yes"));
    claude.settle(Duration::from_millis(500));
    claude.send("\r"); // the first choice: Yes
    claude.wait_for("The file is there.", SLOW);
    assert!(world.project.join("answered-in-claude").exists());
    cockpit.wait_gone("Approval needed", SLOW);
    // Kept in the session's record at once, with what happened.
    let end = std::time::Instant::now() + SLOW;
    loop {
        let refs = world.git(&["for-each-ref", "--format=%(refname)", "refs/cockpit/"]);
        let saved = refs.lines().any(|r| {
            world
                .git(&["show", &format!("{r}:session.json")])
                .contains("answered in Claude Code: ran")
        });
        if saved {
            break;
        }
        assert!(std::time::Instant::now() < end, "never saved; refs: {refs}");
        cockpit.settle(Duration::from_millis(200));
    }
}
