//! The real Claude Code (pinned in `live-agents/`) beside the real cockpit,
//! against the scripted model server: every figure the cockpit shows is known
//! from the script.

mod live_support;

use std::time::Duration;

use cockpit::agents::Record;
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

    // Claude Code 2.1.328 writes a dozen line types beside the conversation
    // (`api-request-blob` carries the request's own user and system
    // messages): none of them is a prompt, a reply or a usage.
    let transcript = world.claude_transcripts().pop().expect("a transcript");
    let raw = std::fs::read_to_string(&transcript).unwrap();
    for kind in [
        "\"api-request-blob\"",
        "\"api-request\"",
        "\"attachment\"",
        "\"last-prompt\"",
    ] {
        assert!(raw.contains(kind), "Claude Code no longer writes {kind}");
    }
    let records = live_support::records_of(&transcript, cockpit::agents::AgentKind::Claude);
    let prompts: Vec<&str> = records
        .iter()
        .filter_map(|r| match r {
            Record::Prompt { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(prompts, ["say something", "run it"]);
    let texts: Vec<&str> = records
        .iter()
        .filter_map(|r| match r {
            Record::AssistantText { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        texts,
        [
            "First answer from the script.",
            "Second answer from the script."
        ]
    );
    let usages: Vec<u64> = records
        .iter()
        .filter_map(|r| match r {
            Record::Usage { context_tokens, .. } => Some(*context_tokens),
            _ => None,
        })
        .collect();
    assert_eq!(
        usages,
        [
            first.anthropic_context(),
            50_104,
            second.anthropic_context()
        ]
    );

    // The window the status line reported outlives the cockpit: started
    // again with a table that says 200k for this model, and with Claude Code
    // gone (no status line comes), the gauge and `report` still say 1M.
    claude.signal_hup();
    claude.wait_exit(SLOW);
    cockpit.signal_hup();
    cockpit.wait_exit(SLOW);
    let dir = world.root.join("config/cockpit");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "[[gauge.models]]\npattern = \"claude-opus-5*\"\nwindow = 200000\n",
    )
    .unwrap();
    let mut cockpit = world.start_cockpit(WIDE);
    cockpit.wait_for(&expect, SLOW);
    assert!(
        !cockpit.contents().contains("/200,000"),
        "{}",
        cockpit.contents()
    );
    let out = world.cockpit(&["report", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sessions"][0]["context_window"], 1_000_000);
    // Without that memory the same table gives 200k: the test can tell.
    std::fs::remove_file(world.root.join("state/cockpit/windows.json")).unwrap();
    let out = world.cockpit(&["report", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sessions"][0]["context_window"], 200_000);
    // No false alarm on a session where nothing went wrong.
    assert_eq!(world.serious_alerts(), Vec::<String>::new());
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
    // No false alarm on a session where nothing went wrong.
    assert_eq!(world.serious_alerts(), Vec::<String>::new());
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
    let (world, mut cockpit) = World::hooked(Agent::Claude, &server, None, WIDE);

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
    // No false alarm on a session where nothing went wrong.
    assert_eq!(world.serious_alerts(), Vec::<String>::new());
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
    let (world, mut cockpit) = World::hooked(Agent::Claude, &server, None, WIDE);
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
    // No false alarm on a session where nothing went wrong.
    assert_eq!(world.serious_alerts(), Vec::<String>::new());
}

/// A real Agent (Task) subagent, whose requests come to the same server, and a
/// real `/compact`, whose summary request the server answers: the subagent
/// sits under its session with its own exact gauge, and after the compaction
/// the gauge is the next reply's figure with the compaction counted.
#[test]
fn a_live_subagent_has_its_own_gauge_and_compact_resets_the_main_one() {
    let Some(claude_bin) = Agent::Claude.binary() else {
        return;
    };
    let delegate = usage(2, 1_000, 99_000, 8);
    let subagent = usage(3, 250_000, 0, 9); // 25% of 1M
    let main_after = usage(4, 20_000, 100_000, 7); // 12%
    let summary = usage(5, 0, 130_000, 50);
    let after_compact = usage(6, 2_000, 7_000, 5); // 9,006
    let server = ModelServer::start(vec![
        Reply::tool(
            "Agent",
            json!({"description": "Look around", "prompt": "List what is here.", "subagent_type": "general-purpose"}),
            delegate,
        ),
        // The subagent runs in the background, beside the main chain.
        Reply::text("Subagent report: nothing here.", subagent).when("List what is here."),
        Reply::text("Waiting for the subagent.", usage(1, 500, 99_500, 4)),
        Reply::text("Main got the report.", main_after),
        Reply::text("Summary: a subagent looked around.", summary),
        // Claude Code tells the compacted chain again that its background
        // task finished, and then comes "go on": the same reply for both.
        Reply::text("Fresh after compaction.", after_compact),
        Reply::text("Fresh after compaction.", after_compact),
    ]);
    let mut world = World::new();
    world.setup_claude(&server);
    world.install_hooks();
    std::fs::write(
        world.project.join(".claude/settings.json"),
        json!({"permissions": {"allow": ["Agent"]}}).to_string(),
    )
    .unwrap();
    let mut cockpit = world.start_cockpit(WIDE);
    cockpit.wait_for("no agent session", SLOW);
    // Auto mode would send the Agent call to a server-side check our
    // scripted server does not have: accept-edits mode runs subagents.
    let mut claude = world.start_claude(&claude_bin, &["--permission-mode", "acceptEdits"], WIDE);
    claude.settle(Duration::from_secs(3));
    ask(&mut claude, "delegate it");
    // Claude Code tells the main chain when its background agent finished.
    claude.wait_for("Main got the report.", SLOW);
    cockpit.wait_for(
        &format!("{}/1,000,000", thousands(main_after.anthropic_context())),
        SLOW,
    );
    cockpit.wait_until("the subagent under its session at 25%", SLOW, |s| {
        s.lines().any(|l| l.contains("└") && l.contains("25%"))
    });

    ask(&mut claude, "/compact");
    claude.wait_until("the compaction to finish", SLOW, |s| {
        s.to_lowercase().contains("compacted")
    });
    cockpit.wait_for("1 compaction", SLOW);
    claude.settle(Duration::from_secs(1));
    ask(&mut claude, "go on");
    claude.wait_for("Fresh after compaction.", SLOW);
    cockpit.wait_for(
        &format!("{}/1,000,000", thousands(after_compact.anthropic_context())),
        SLOW,
    );
    let screen = cockpit.contents();
    assert!(screen.contains("1 compaction"), "{screen}");
    // No false alarm on a session where nothing went wrong.
    assert_eq!(world.serious_alerts(), Vec::<String>::new());
}

/// Resume that reaches the agent: a new Claude Code session in a repository
/// whose last cockpit session is resumable gets that session's handoff from
/// the SessionStart hook, and the model sees it in its very first request.
#[test]
fn a_new_session_is_handed_the_last_sessions_handoff() {
    let Some(claude_bin) = Agent::Claude.binary() else {
        return;
    };
    let small = usage(1, 100, 5_000, 3);
    let server = ModelServer::start(vec![
        Reply::text("Noted the zebra.", small),
        Reply::text("I have the handoff.", small),
    ]);
    let (world, mut cockpit) = World::hooked(Agent::Claude, &server, None, WIDE);
    let mut one = world.start_claude(&claude_bin, &[], WIDE);
    one.settle(Duration::from_secs(3));
    ask(&mut one, "remember the marker ZEBRA-42");
    one.wait_for("Noted the zebra.", SLOW);
    cockpit.wait_for(
        &format!("{}/1,000,000", thousands(small.anthropic_context())),
        SLOW,
    );
    // The pane is closed: the session is saved, not finished, so resumable.
    cockpit.signal_hup();
    cockpit.wait_exit(SLOW);
    drop(one);

    // It offers to resume that session: yes.
    let mut cockpit = world.start_cockpit_resuming(WIDE);
    let before = server.model_requests().len();
    let mut two = world.start_claude(&claude_bin, &[], WIDE);
    two.settle(Duration::from_secs(3));
    ask(&mut two, "hello again");
    two.wait_for("I have the handoff.", SLOW);
    let first_of_two = &server.model_requests()[before];
    let body = first_of_two.body.to_string();
    assert!(
        body.contains("You are continuing work"),
        "no handoff in the new session's first request"
    );
    assert!(
        body.contains("ZEBRA-42"),
        "the handoff lacks the last prompt"
    );
    // The cockpit says it was handed over (a notice the next event replaces).
    cockpit.wait_drawn("given to the new Claude Code session", SLOW);
    // No false alarm on a session where nothing went wrong.
    assert_eq!(world.serious_alerts(), Vec::<String>::new());
}
