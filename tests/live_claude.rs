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
