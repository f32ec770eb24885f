//! The real Codex CLI (pinned in `live-agents/`) beside the real cockpit,
//! against the scripted model server.

mod live_support;

use std::time::Duration;

use live_support::{Agent, ModelServer, Reply, SLOW, Usage, World, thousands};
use serde_json::json;

const WIDE: (u16, u16) = (50, 200);

/// `input` includes the cached reads and the cache writes, as Codex counts.
fn usage(input: u64, cached: u64, written: u64, output: u64) -> Usage {
    Usage {
        input,
        cache_creation: written,
        cache_read: cached,
        output,
    }
}

/// Codex runs project hooks only once trusted: answer its review dialog as a
/// user who just ran `cockpit install-hooks` does ("Trust all and continue").
fn trust_hooks(codex: &mut live_support::Term) {
    codex.wait_for("Hooks need review", SLOW);
    codex.settle(Duration::from_millis(500));
    codex.send("\x1b[B");
    codex.settle(Duration::from_millis(300));
    codex.send("\r");
    codex.wait_gone("Hooks need review", SLOW);
}

/// A policy rule the test can trip: the cockpit denies any `shred`.
fn deny_shred(world: &World) {
    let dir = world.root.join("config/cockpit");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        r#"[[policy.rules]]
name = "no-shred"
tools = ["Bash", "exec_command", "shell"]
command = "shred"
action = "deny"
reason = "shredding is not allowed here"
"#,
    )
    .unwrap();
}

#[test]
fn gauge_tools_prompt_and_report_of_a_live_codex_session() {
    let Some(codex_bin) = Agent::Codex.binary() else {
        return;
    };
    let replies = [
        usage(21_000, 20_480, 512, 321),
        usage(22_222, 20_992, 256, 45),
        usage(23_456, 21_504, 128, 78),
    ];
    let server = ModelServer::start(vec![
        Reply::tool("exec_command", json!({"cmd": "echo codex-ok"}), replies[0]),
        Reply::tool(
            "exec_command",
            json!({"cmd": "shred -u secrets.txt"}),
            replies[1],
        ),
        Reply::text("Codex is done here.", replies[2]),
    ]);
    let mut world = World::new();
    world.setup_codex(&server, "gpt-5.5");
    deny_shred(&world);
    world.install_hooks();

    let mut cockpit = world.start_cockpit(WIDE);
    cockpit.wait_for("no agent session", SLOW);
    let mut codex = world.start_codex(&codex_bin, &["please echo"], WIDE);
    trust_hooks(&mut codex);
    codex.wait_for("Codex is done here.", SLOW);

    // The window is the one Codex itself wrote.
    let rollout = world.codex_rollouts().pop().expect("a rollout");
    let text = std::fs::read_to_string(&rollout).unwrap();
    assert!(
        text.contains("\"model_context_window\":258400"),
        "Codex's window changed"
    );
    let last = replies[2];
    let expect = format!("{}/258,400", thousands(last.input + last.output));
    cockpit.wait_for(&expect, SLOW);
    cockpit.wait_for("shred -u secrets.txt", SLOW);
    cockpit.settle(Duration::from_secs(1));
    let screen = cockpit.contents();
    let row = |needle: &str| {
        screen
            .lines()
            .find(|l| l.contains(needle) && (l.contains(" ok ") || l.contains("failed")))
            .unwrap_or_else(|| panic!("no tool row for {needle}:\n{screen}"))
            .to_string()
    };
    assert!(row("echo codex-ok").contains("✓"), "{screen}");
    let blocked = row("shred -u secrets.txt");
    assert!(
        blocked.contains("✗") && blocked.contains("failed"),
        "a blocked call failed: {blocked}"
    );
    // The prompt is what it was asked; after task_complete it waits for the user.
    cockpit.wait_until("the agent row: asked `please echo`, idle", SLOW, |s| {
        s.lines()
            .any(|l| l.contains("▸ codex") && l.contains("please echo") && l.contains("idle"))
    });
    let text = std::fs::read_to_string(&rollout).unwrap();
    assert!(
        text.contains("\"cache_write_input_tokens\":128"),
        "Codex wrote the cache writes"
    );

    // `report` splits Codex's input into new, cache-read and cache-written.
    let out = world.cockpit(&["report", "--json"]);
    assert!(out.status.success(), "{out:?}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let session = &report["sessions"][0];
    let sum = |f: fn(&Usage) -> u64| replies.iter().map(f).sum::<u64>();
    assert_eq!(session["agent"], "codex");
    assert_eq!(session["cache_read_input_tokens"], sum(|u| u.cache_read));
    assert_eq!(
        session["cache_creation_input_tokens"],
        sum(|u| u.cache_creation)
    );
    assert_eq!(
        session["input_tokens"],
        sum(|u| u.input - u.cache_read - u.cache_creation)
    );
    assert_eq!(session["output_tokens"], sum(|u| u.output));
    assert_eq!(session["context_tokens"], last.input + last.output);
    assert_eq!(session["context_window"], 258_400);

    // `/quit` ends the TUI but not its app-server, so no SessionEnd comes:
    // the session ends when the Codex process does, and says why.
    codex.type_text("/quit");
    codex.settle(Duration::from_millis(300));
    codex.send("\r");
    codex.wait_exit(SLOW);
    cockpit.wait_until("the agent row: ended", SLOW, |s| {
        s.lines()
            .any(|l| l.contains("▸ codex") && l.contains("ended"))
    });
    cockpit.wait_for("exited: session ended", SLOW);
    // No false alarm on a session where nothing went wrong.
    assert_eq!(world.serious_alerts(), Vec::<String>::new());
}

/// Codex honours only `deny` before a tool call: a policy `ask` must reach the
/// human in the cockpit, `y` must let the call run and `n` must stop it, with
/// the real Codex and the real cockpit.
#[test]
fn a_push_codex_wants_runs_only_after_y_in_the_cockpit_and_never_after_n() {
    let Some(codex_bin) = Agent::Codex.binary() else {
        return;
    };
    let small = usage(1_000, 0, 0, 10);
    let server = ModelServer::start(vec![
        Reply::tool(
            "exec_command",
            json!({"cmd": "touch ran-y && git push origin allowed-branch"}),
            small,
        ),
        Reply::tool(
            "exec_command",
            json!({"cmd": "touch ran-n && git push origin denied-branch"}),
            small,
        ),
        Reply::text("Both pushes were tried.", small),
    ]);
    // Nothing but the hook may stop a command.
    let (world, mut cockpit) = World::hooked(Agent::Codex, &server, Some("never"), WIDE);
    let mut codex = world.start_codex(&codex_bin, &["push twice"], WIDE);
    trust_hooks(&mut codex);

    cockpit.wait_for("git push origin allowed-branch", SLOW);
    cockpit.wait_for("allow once", SLOW);
    assert!(
        !world.project.join("ran-y").exists(),
        "ran before anyone answered"
    );
    cockpit.send("y");
    cockpit.wait_for("git push origin denied-branch", SLOW);
    cockpit.wait_for("allow once", SLOW);
    cockpit.send("n");
    cockpit.wait_for("reason for the agent", SLOW);
    cockpit.type_text("not today");
    cockpit.settle(Duration::from_millis(150));
    cockpit.send("\r");
    codex.wait_for("Both pushes were tried.", SLOW);

    assert!(world.project.join("ran-y").exists(), "y let the call run");
    assert!(!world.project.join("ran-n").exists(), "n stopped the call");
    let rollout = std::fs::read_to_string(world.codex_rollouts().pop().unwrap()).unwrap();
    assert!(
        rollout.contains("not today"),
        "the human's reason reached Codex"
    );
    // No false alarm on a session where nothing went wrong.
    assert_eq!(world.serious_alerts(), Vec::<String>::new());
}

/// Codex puts a whole patch in `tool_input.command`: the policy must read the
/// paths it touches. A patch adding a file outside the project asks the human
/// (and `n` stops it); one writing `.env` is denied with no human at all.
#[test]
fn codex_patches_outside_the_project_ask_and_patches_to_secrets_are_denied() {
    let Some(codex_bin) = Agent::Codex.binary() else {
        return;
    };
    let small = usage(1_000, 0, 0, 10);
    let outside =
        "*** Begin Patch\n*** Add File: ../outside.txt\n+written from a patch\n*** End Patch\n";
    let secrets = "*** Begin Patch\n*** Add File: .env\n+TOKEN=1\n*** End Patch\n";
    let inside = "*** Begin Patch\n*** Add File: notes.txt\n+fine\n*** End Patch\n";
    let server = ModelServer::start(vec![
        Reply::custom("apply_patch", outside, small),
        Reply::custom("apply_patch", secrets, small),
        Reply::custom("apply_patch", inside, small),
        Reply::text("Patching is over.", small),
    ]);
    let (world, mut cockpit) = World::hooked(Agent::Codex, &server, Some("never"), WIDE);
    let mut codex = world.start_codex(&codex_bin, &["patch things"], WIDE);
    trust_hooks(&mut codex);

    cockpit.wait_for("Approval needed", SLOW);
    cockpit.wait_for("outside", SLOW);
    cockpit.wait_for("allow once", SLOW);
    cockpit.send("n");
    cockpit.wait_for("reason for the agent", SLOW);
    cockpit.type_text("stay inside");
    cockpit.settle(Duration::from_millis(150));
    cockpit.send("\r");
    codex.wait_for("Patching is over.", SLOW);

    let outside_file = world.project.parent().unwrap().join("outside.txt");
    assert!(!outside_file.exists(), "the patch outside the project ran");
    assert!(
        !world.project.join(".env").exists(),
        "the patch to .env ran"
    );
    assert!(
        world.project.join("notes.txt").exists(),
        "the harmless patch did not run"
    );
    let rollout = std::fs::read_to_string(world.codex_rollouts().pop().unwrap()).unwrap();
    assert!(
        rollout.contains("stay inside"),
        "the human's reason reached Codex"
    );
    assert!(
        rollout.contains("secrets"),
        "the policy's reason for .env reached Codex"
    );
    // No false alarm on a session where nothing went wrong.
    assert_eq!(world.serious_alerts(), Vec::<String>::new());
}

/// Resume that reaches the agent: a new Codex session in a project whose
/// last cockpit session is resumable gets that session's handoff from the
/// `SessionStart` hook, and the model sees it in the session's first request.
#[test]
fn a_new_codex_session_is_handed_the_last_sessions_handoff() {
    let Some(codex_bin) = Agent::Codex.binary() else {
        return;
    };
    let small = usage(1_000, 0, 0, 10);
    let server = ModelServer::start(vec![
        Reply::text("Noted the zebra.", small),
        Reply::text("I have the handoff.", small),
    ]);
    let (world, mut cockpit) = World::hooked(Agent::Codex, &server, None, WIDE);
    let mut one = world.start_codex(&codex_bin, &["remember the marker ZEBRA-42"], WIDE);
    trust_hooks(&mut one);
    one.wait_for("Noted the zebra.", SLOW);
    cockpit.wait_for("remember the marker", SLOW);
    // The pane is closed: the session is saved, not finished, so resumable.
    cockpit.signal_hup();
    cockpit.wait_exit(SLOW);
    drop(one);

    // It offers to resume that session: yes.
    let mut cockpit = world.start_cockpit_resuming(WIDE);
    let before = server.model_requests().len();
    let mut two = world.start_codex(&codex_bin, &["hello again"], WIDE);
    two.wait_for("I have the handoff.", SLOW);
    let asked: Vec<String> = server.model_requests()[before..]
        .iter()
        .map(|r| r.body.to_string())
        .filter(|body| body.contains("hello again") && !body.contains("Do not answer"))
        .collect();
    assert!(!asked.is_empty(), "the new session never asked the model");
    assert!(
        asked[0].contains("You are continuing work"),
        "no handoff in the new session's first request"
    );
    assert!(
        asked[0].contains("ZEBRA-42"),
        "the handoff lacks the last prompt"
    );
    cockpit.wait_drawn("given to the new Codex session", SLOW);
    // No false alarm on a session where nothing went wrong.
    assert_eq!(world.serious_alerts(), Vec::<String>::new());
}
