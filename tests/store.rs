//! The session store in real temporary repositories: round trips, and a save
//! never touching HEAD, the index, the work tree or any other ref, whatever
//! state the repository is in.

mod common;
mod store_support;

use std::path::Path;

use cockpit::store::{self, FORMAT_VERSION, SessionRecord, Store, ids};
use store_support::writer::{writer, writer_process_main};
use store_support::*;

/// Not a test: the writer process `writer` starts.
#[test]
#[ignore = "the writer process the other tests start"]
fn writer_process() {
    writer_process_main();
}

/// Saves twice through `Store::open(work)` and checks nothing else moved.
fn save_leaves_repository_alone(work: &Path, git_dir: &Path) -> Store {
    let before = snapshot(work, git_dir);
    let store = Store::open(work).unwrap();
    assert!(!store.location().is_fallback(), "{}", store.location());
    let id = ids::new_session_id();
    store.save(&record(&id)).unwrap();
    store.save(&record(&id)).unwrap();
    assert_eq!(before, snapshot(work, git_dir));
    let reloaded = store.load(&id).unwrap();
    assert_eq!(reloaded, record(&id));
    store
}

#[test]
fn the_v1_fixture_loads_and_unknown_fields_are_tolerated() {
    let record = fixture_record();
    assert_eq!(record.format_version, 1);
    assert_eq!(record.project, "spotter");
    assert_eq!(record.gauge.samples.len(), 4);
    assert_eq!(record.open_approvals().count(), 1);
    assert_eq!(record.peak_tokens(), 164_831);
    assert_eq!(
        store::resume_command(&record).as_deref(),
        Some("claude --resume 4d5611e5-241a-462a-8d15-5122611a9569")
    );
    // A record missing everything but an id still loads, with defaults.
    let sparse: SessionRecord = serde_json::from_str(r#"{"id":"ab"}"#).unwrap();
    assert_eq!(sparse.format_version, FORMAT_VERSION);
    assert!(sparse.agents.is_empty());
}

#[test]
fn save_list_show_load_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    busy_repo(dir.path());
    let store = Store::open(dir.path()).unwrap();
    let first = record(&ids::new_session_id());
    let mut second = record(&ids::new_session_id());
    second.finished = true;
    second.last_saved_at += 1_000;
    let c1 = store.save(&first).unwrap();
    let c2 = store.save(&first).unwrap();
    store.save(&second).unwrap();
    assert_eq!(store.load(&first.id).unwrap(), first);
    assert_eq!(store.load(&second.id[..8]).unwrap(), second);

    let list = store.list().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].id, second.id, "newest save first");
    let s = &list[1];
    assert_eq!(s.commit, c2.to_string());
    assert_eq!(
        (s.tool_calls, s.peak_tokens, s.window),
        (87, 164_831, 200_000)
    );
    assert_eq!((s.approvals, s.open_approvals, s.alerts), (2, 1, 1));
    assert_eq!(s.author.as_deref(), Some("Ada Example"));
    assert!(s.handoff_line.starts_with("Gauge colours are done"));
    assert_eq!(store.latest_unfinished().unwrap().unwrap().id, first.id);

    // One commit per save, chained; the tree holds the three files.
    let log = git(
        dir.path(),
        &["rev-list", &format!("refs/cockpit/sessions/{}", first.id)],
    );
    assert_eq!(
        log.lines().collect::<Vec<_>>(),
        [c2.to_string(), c1.to_string()]
    );
    let tree = git(dir.path(), &["ls-tree", "--name-only", &c2.to_string()]);
    assert_eq!(tree, "format-version\nhandoff.md\nsession.json\n");
    let version = git(dir.path(), &["show", &format!("{c2}:format-version")]);
    assert_eq!(version, "1");
    let handoff = git(dir.path(), &["show", &format!("{c2}:handoff.md")]);
    assert!(handoff.contains("make the gauge turn red"), "{handoff}");
    assert!(handoff.contains("git push --force") || handoff.contains("rm -rf target"));
    // The reflog records every save.
    let reflog = git(
        dir.path(),
        &[
            "reflog",
            "show",
            &format!("refs/cockpit/sessions/{}", first.id),
        ],
    );
    assert_eq!(reflog.lines().count(), 2, "{reflog}");
    assert!(matches!(
        store.load("zzz"),
        Err(store::StoreError::BadId(_))
    ));
    assert_fsck_clean(dir.path());
}

#[test]
fn saving_touches_nothing_in_a_busy_repository() {
    let dir = tempfile::tempdir().unwrap();
    busy_repo(dir.path());
    save_leaves_repository_alone(dir.path(), &dir.path().join(".git"));
    assert_fsck_clean(dir.path());
}

#[test]
fn detached_head() {
    let dir = tempfile::tempdir().unwrap();
    busy_repo(dir.path());
    git(dir.path(), &["checkout", "-q", "--detach", "HEAD"]);
    save_leaves_repository_alone(dir.path(), &dir.path().join(".git"));
}

#[test]
fn rebase_in_progress() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init(d, true);
    commit_file(d, "f.txt", "base\n", "base");
    git(d, &["checkout", "-q", "-b", "topic"]);
    commit_file(d, "f.txt", "topic\n", "topic");
    git(d, &["checkout", "-q", "main"]);
    commit_file(d, "f.txt", "main\n", "main");
    git(d, &["checkout", "-q", "topic"]);
    let rebase = git_out(d, &["rebase", "main"]);
    assert!(
        !rebase.status.success(),
        "the rebase should stop on a conflict"
    );
    assert!(d.join(".git/rebase-merge").exists());
    save_leaves_repository_alone(d, &d.join(".git"));
    // The user can still finish the rebase as if nothing happened.
    std::fs::write(d.join("f.txt"), "resolved\n").unwrap();
    git(d, &["add", "f.txt"]);
    git(d, &["-c", "core.editor=true", "rebase", "--continue"]);
}

#[test]
fn index_lock_held() {
    let dir = tempfile::tempdir().unwrap();
    busy_repo(dir.path());
    std::fs::write(dir.path().join(".git/index.lock"), b"someone else").unwrap();
    save_leaves_repository_alone(dir.path(), &dir.path().join(".git"));
    assert_eq!(
        std::fs::read(dir.path().join(".git/index.lock")).unwrap(),
        b"someone else"
    );
}

#[test]
fn empty_repository() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), true);
    save_leaves_repository_alone(dir.path(), &dir.path().join(".git"));
    // Still no commits on the unborn branch.
    assert!(
        !git_out(dir.path(), &["rev-parse", "--verify", "-q", "HEAD"])
            .status
            .success()
    );
}

#[test]
fn linked_worktree_shares_the_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let main = dir.path().join("main");
    std::fs::create_dir(&main).unwrap();
    busy_repo(&main);
    git(
        &main,
        &["worktree", "add", "-q", "../linked", "-b", "linked"],
    );
    let linked = dir.path().join("linked");
    let main_before = snapshot(&main, &main.join(".git"));
    let store = save_leaves_repository_alone(&linked, &main.join(".git/worktrees/linked"));
    assert_eq!(main_before, snapshot(&main, &main.join(".git")));
    let from_main = Store::open(&main).unwrap().list().unwrap();
    assert_eq!(from_main.len(), 1);
    assert_eq!(store.list().unwrap()[0].id, from_main[0].id);
}

#[test]
fn no_user_name_falls_back_to_a_fixed_signature() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    init(dir.path(), false);
    let out = writer(dir.path(), state.path(), "aaaa", "bbbb", 1)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let author = git(
        dir.path(),
        &[
            "log",
            "-1",
            "--format=%an <%ae>",
            "refs/cockpit/sessions/aaaa",
        ],
    );
    assert_eq!(author.trim(), "cockpit <cockpit@localhost>");
}

#[test]
fn outside_a_repository_sessions_go_to_a_bare_fallback() {
    let dir = tempfile::tempdir().unwrap();
    let fallback = tempfile::tempdir().unwrap();
    let store = Store::open_with_fallback(dir.path(), fallback.path()).unwrap();
    let location = store.location().clone();
    assert!(location.is_fallback());
    assert!(
        location.to_string().contains("not in a git repository"),
        "{location}"
    );
    assert!(location.git_dir().starts_with(fallback.path()));
    let id = ids::new_session_id();
    store.save(&record(&id)).unwrap();
    // Opening again finds the same store and the session in it.
    let again = Store::open_with_fallback(dir.path(), fallback.path()).unwrap();
    assert_eq!(again.location(), &location);
    assert_eq!(again.load(&id).unwrap(), record(&id));
    assert_fsck_clean(location.git_dir());
    // The CLI says where it keeps them.
    let state = tempfile::tempdir().unwrap();
    let out = cockpit(dir.path(), state.path())
        .arg("sessions")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not in a git repository"), "{stderr}");
}

#[test]
fn fetched_sessions_are_listed_with_their_remote_and_author() {
    let dir = tempfile::tempdir().unwrap();
    let theirs = tempfile::tempdir().unwrap();
    busy_repo(dir.path());
    init(theirs.path(), true);
    let id = ids::new_session_id();
    let mut record = record(&id);
    record.author = None; // the commit's author is shown then
    Store::open(theirs.path()).unwrap().save(&record).unwrap();
    let url = theirs.path().to_str().unwrap();
    git(
        dir.path(),
        &[
            "fetch",
            "-q",
            url,
            "refs/cockpit/sessions/*:refs/cockpit/remotes/origin/sessions/*",
        ],
    );
    let store = Store::open(dir.path()).unwrap();
    let list = store.list().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].remote.as_deref(), Some("origin"));
    assert_eq!(list[0].author.as_deref(), Some("Test Person"));
    assert_eq!(store.load(&id).unwrap(), record);
    assert!(
        store.latest_unfinished().unwrap().is_none(),
        "not ours to resume"
    );
    // Saving it here continues their history on a local ref.
    let commit = store.save(&record).unwrap();
    let count = git(dir.path(), &["rev-list", "--count", &commit.to_string()]);
    assert_eq!(count.trim(), "2");
    assert_eq!(store.list().unwrap()[0].remote, None);
}

#[test]
fn a_record_built_from_a_followed_transcript_round_trips() {
    use cockpit::agents::AgentKind;
    use cockpit::agents::source::Role;
    use cockpit::config::GaugeConfig;
    use cockpit::state::Cockpit;
    use cockpit::store::Tracker;

    let path = common::fixture("claude/4d5611e5-241a-462a-8d15-5122611a9569.jsonl");
    let session = common::follow(&path, AgentKind::Claude, Role::Main);
    let mut state = Cockpit::new("spotter".into(), Some("main".into()), 1_000);
    state.project_mut().sessions.push(session);
    state.project_mut().selected = Some(0);
    let config = GaugeConfig::default();
    let mut tracker = Tracker::new(1_000, None);
    tracker.observe(&state, &config, 2_000);
    tracker.observe(&state, &config, 5_000);
    tracker.base.learnings.push("read the fixture first".into());
    let record = tracker.record(&state, &config, 6_000, true);

    let agent = record.main_agent().unwrap();
    assert_eq!(
        agent.agent_session_id.as_deref(),
        Some("4d5611e5-241a-462a-8d15-5122611a9569")
    );
    assert!(agent.model.is_some() && agent.peak_tokens > 0 && agent.tool_calls > 0);
    assert_eq!(record.counters.tool_calls, agent.tool_calls);
    assert_eq!(
        record.gauge.transcript.as_deref(),
        Some(agent.transcript.as_str())
    );
    assert!(!record.gauge.samples.is_empty());
    // One zone clock (transcript time): the stats view's figures, per
    // agent and in total, not the seconds between two observe calls.
    let stats = cockpit::state::stats::compute(&state);
    assert_eq!(
        agent.zone_seconds.as_time(),
        stats.sessions[0].counters.zone_time
    );
    assert_eq!(
        record.counters.zone_seconds.as_time(),
        stats.total.zone_time
    );
    assert!(stats.total.zone_time.total() > 3_000);
    assert!(record.finished && record.ended_at == Some(6_000));
    assert_eq!(
        store::resume_command(&record).as_deref(),
        Some("claude --resume 4d5611e5-241a-462a-8d15-5122611a9569")
    );

    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), true);
    let store = Store::open(dir.path()).unwrap();
    store.save(&record).unwrap();
    assert_eq!(store.load(&record.id).unwrap(), record);
    // Resuming continues the same session on the same ref.
    let resumed = Tracker::resume(store.load(&record.id).unwrap());
    assert_eq!(resumed.id(), record.id);
    let again = resumed.record(&state, &config, 7_000, false);
    assert_eq!(again.learnings, record.learnings);
    assert!(!again.finished);
    store.save(&again).unwrap();
    let count = git(
        dir.path(),
        &[
            "rev-list",
            "--count",
            &format!("refs/cockpit/sessions/{}", record.id),
        ],
    );
    assert_eq!(count.trim(), "2");
    let handoff = cockpit::store::handoff::prompt(&again);
    let tokens = cockpit::agents::tokens::estimate(AgentKind::Claude, &handoff);
    assert!(tokens < 1_000, "{tokens} tokens:\n{handoff}");
}

#[test]
fn a_resumed_session_saved_before_its_transcripts_are_read_again_keeps_its_agents() {
    use cockpit::agents::AgentKind;
    use cockpit::agents::source::Role;
    use cockpit::config::GaugeConfig;
    use cockpit::state::Cockpit;
    use cockpit::store::Tracker;

    let path = common::fixture("claude/4d5611e5-241a-462a-8d15-5122611a9569.jsonl");
    let mut state = Cockpit::new("spotter".into(), Some("main".into()), 1_000);
    state
        .project_mut()
        .sessions
        .push(common::follow(&path, AgentKind::Claude, Role::Main));
    state.project_mut().selected = Some(0);
    let config = GaugeConfig::default();
    let saved = Tracker::new(1_000, None).record(&state, &config, 2_000, true);
    assert_eq!(saved.agents.len(), 1);

    // `cockpit resume`, then a quit before the transcript was read again.
    let empty = Cockpit::new("spotter".into(), Some("main".into()), 3_000);
    let again = Tracker::resume(saved.clone()).record(&empty, &config, 4_000, true);
    assert_eq!(again.agents, saved.agents);
    assert_eq!(again.transcripts, saved.transcripts);
    assert_eq!(again.counters.tool_calls, saved.counters.tool_calls);
    assert_eq!(
        store::resume_command(&again),
        store::resume_command(&saved),
        "tomorrow's resume still names the agent's conversation"
    );

    // Listed again but not read yet: what was saved still stands.
    let mut listed = Cockpit::new("spotter".into(), Some("main".into()), 3_000);
    let unread = cockpit::state::Session::new(state.project().sessions[0].source.clone(), 10_000);
    assert!(!unread.caught_up);
    listed.project_mut().sessions.push(unread);
    let early = Tracker::resume(saved.clone()).record(&listed, &config, 4_000, true);
    assert_eq!(early.agents, saved.agents);
    assert_eq!(store::resume_command(&early), store::resume_command(&saved));

    // Once read again, the agent is the one read, listed once.
    let reread = Tracker::resume(saved.clone()).record(&state, &config, 5_000, true);
    assert_eq!(reread.agents.len(), 1);
    assert_eq!(reread.transcripts.len(), 1);
}

#[test]
fn the_cli_lists_shows_and_hands_off() {
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    init(dir.path(), true);
    let id = ids::new_session_id();
    Store::open(dir.path()).unwrap().save(&record(&id)).unwrap();
    let run = |args: &[&str]| {
        let out = cockpit(dir.path(), state.path())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (table, _) = run(&["sessions"]);
    assert!(
        table.contains(&id[..8]) && table.contains("claude-opus-4-6"),
        "{table}"
    );
    assert!(
        table.contains("164.8k/200.0k") && table.contains("Ada Example"),
        "{table}"
    );
    let (json, _) = run(&["sessions", "--json"]);
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed[0]["id"], id.as_str());
    let (shown, _) = run(&["show", &id[..6]]);
    assert!(
        shown.contains("context-red") && shown.contains("no-force-push"),
        "{shown}"
    );
    let (raw, _) = run(&["show", &id, "--json"]);
    assert_eq!(
        serde_json::from_str::<SessionRecord>(&raw).unwrap(),
        record(&id)
    );
    let (prompt, tokens) = run(&["handoff"]);
    assert!(prompt.contains("## Open approvals") && prompt.contains("## Failing validation"));
    assert!(tokens.contains("tokens, estimated"), "{tokens}");
    let (plan, _) = run(&["resume"]);
    assert!(
        plan.contains("claude --resume 4d5611e5-241a-462a-8d15-5122611a9569"),
        "{plan}"
    );
    let missing = cockpit(dir.path(), state.path())
        .args(["show", "ffff"])
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no stored session"));
}
