//! The real binary in a pseudo-terminal saves its session to git on SIGHUP,
//! and the next start offers to resume it.

mod common;
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::git::git;
use support::pty::Pty;

fn start(dir: &Path, repo: &Path, transcript: &Path) -> Pty {
    start_with(dir, repo, transcript, &[])
}

fn start_with(dir: &Path, repo: &Path, transcript: &Path, extra: &[&str]) -> Pty {
    let (config, state, run) = (dir.join("config"), dir.join("state"), dir.join("run"));
    let env = [
        ("HOME", dir),
        ("XDG_CONFIG_HOME", config.as_path()),
        ("XDG_STATE_HOME", state.as_path()),
        ("COCKPIT_RUNTIME_DIR", run.as_path()),
    ];
    let transcript = transcript.to_string_lossy();
    let mut args = vec!["--transcript", &transcript];
    args.extend_from_slice(extra);
    Pty::start(&args, repo, &env, (30, 110))
}

fn usage_line(tokens: u64) -> String {
    format!(
        r#"{{"type":"assistant","isSidechain":false,"sessionId":"5b1c0000-aaaa-bbbb-cccc-000000000001","cwd":"/p","timestamp":"2026-02-12T16:02:27.718Z","message":{{"model":"claude-opus-4-6","content":[],"usage":{{"input_tokens":{tokens},"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":5}}}}}}
"#
    )
}

fn session_refs(repo: &Path) -> Vec<String> {
    git(
        repo,
        &[
            "for-each-ref",
            "--format=%(refname)",
            "refs/cockpit/sessions/",
        ],
    )
    .lines()
    .map(str::to_string)
    .collect()
}

#[test]
fn sighup_saves_to_git_and_the_next_start_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let repo: PathBuf = dir.path().join("app");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    std::fs::write(repo.join("README"), "hello\n").unwrap();
    git(&repo, &["add", "README"]);
    git(
        &repo,
        &[
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.invalid",
            "commit",
            "-qm",
            "init",
        ],
    );
    let head_before = git(&repo, &["rev-parse", "HEAD"]);
    let status_before = git(&repo, &["status", "--porcelain"]);
    let transcript = dir.path().join("t.jsonl");
    std::fs::write(&transcript, usage_line(12_345)).unwrap();

    let mut first = start(dir.path(), &repo, &transcript);
    first.wait_for("12,345");
    let pid = first.child.process_id().unwrap();
    Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .unwrap();
    first.wait_exit();

    let refs = session_refs(&repo);
    assert_eq!(refs.len(), 1, "{refs:?}");
    let record: serde_json::Value =
        serde_json::from_str(&git(&repo, &["show", &format!("{}:session.json", refs[0])])).unwrap();
    assert_eq!(record["finished"], false, "a signal is not a clean finish");
    assert_eq!(record["agents"][0]["context_tokens"], 12_345);
    let handoff = git(&repo, &["show", &format!("{}:handoff.md", refs[0])]);
    assert!(
        handoff.contains("12,345") || handoff.contains("12345"),
        "{handoff}"
    );
    assert_eq!(
        git(&repo, &["show", &format!("{}:format-version", refs[0])]).trim(),
        "1"
    );
    // The user's repository is as it was.
    assert_eq!(git(&repo, &["rev-parse", "HEAD"]), head_before);
    assert_eq!(git(&repo, &["status", "--porcelain"]), status_before);

    let id = refs[0].rsplit('/').next().unwrap().to_string();
    let mut second = start(dir.path(), &repo, &transcript);
    second.wait_for("Unfinished session");
    second.wait_for(&id[..8]);
    second.keys("r");
    second.wait_for(&format!("resumed session {}", &id[..8]));
    second.keys("q");
    second.wait_for("one learning");
    second.keys("ship it only with green tests\r");
    second.wait_exit();

    assert_eq!(
        session_refs(&repo),
        refs,
        "the resumed session saves on the same ref"
    );
    let record: serde_json::Value =
        serde_json::from_str(&git(&repo, &["show", &format!("{}:session.json", refs[0])])).unwrap();
    assert_eq!(record["finished"], true);
    assert_eq!(record["learnings"][0], "ship it only with green tests");
    let commits = git(&repo, &["rev-list", "--count", &refs[0]]);
    assert!(commits.trim().parse::<u32>().unwrap() >= 2, "{commits}");
}

/// A repository with one commit and one session saved by a SIGHUP; its id.
fn repo_with_one_saved_session(dir: &Path) -> (PathBuf, PathBuf, String) {
    let repo: PathBuf = dir.join("app");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    let transcript = dir.join("t.jsonl");
    std::fs::write(&transcript, usage_line(23_456)).unwrap();
    let mut first = start(dir, &repo, &transcript);
    first.wait_for("23,456");
    first.signal("HUP");
    first.wait_exit();
    let refs = session_refs(&repo);
    assert_eq!(refs.len(), 1, "{refs:?}");
    let id = refs[0].rsplit('/').next().unwrap().to_string();
    (repo, transcript, id)
}

#[test]
fn resume_with_an_id_or_a_prefix_restores_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, transcript, id) = repo_with_one_saved_session(dir.path());
    for given in [id.clone(), id[..6].to_string()] {
        let mut pty = start_with(dir.path(), &repo, &transcript, &["resume", &given]);
        pty.wait_for(&format!("resumed session {}", &id[..8]));
        pty.wait_for("claude --resume 5b1c0000");
        pty.signal("HUP");
        pty.wait_exit();
        assert_eq!(session_refs(&repo).len(), 1, "the same ref goes on");
    }
}

#[test]
fn record_prompts_false_keeps_prompts_out_of_the_record() {
    let dir = tempfile::tempdir().unwrap();
    let repo: PathBuf = dir.path().join("app");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    let config = dir.path().join("config/cockpit");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        "[store]\nrecord_prompts = false\n",
    )
    .unwrap();
    let prompt = r#"{"type":"user","isSidechain":false,"sessionId":"5b1c0000-aaaa-bbbb-cccc-000000000001","cwd":"/p","timestamp":"2026-02-12T16:02:20.000Z","message":{"role":"user","content":"deploy with the staging password"}}"#;
    let transcript = dir.path().join("t.jsonl");
    std::fs::write(&transcript, format!("{prompt}\n{}", usage_line(34_567))).unwrap();
    let mut pty = start(dir.path(), &repo, &transcript);
    pty.wait_for("34,567");
    pty.signal("HUP");
    pty.wait_exit();
    let refs = session_refs(&repo);
    assert_eq!(refs.len(), 1, "{refs:?}");
    for file in ["session.json", "handoff.md"] {
        let text = git(&repo, &["show", &format!("{}:{file}", refs[0])]);
        assert!(!text.contains("staging password"), "{file}: {text}");
    }
}

#[test]
fn a_save_on_a_locked_ref_is_said_on_screen_retried_and_lands_once_the_lock_goes() {
    let dir = tempfile::tempdir().unwrap();
    let (repo, transcript, id) = repo_with_one_saved_session(dir.path());
    let config = dir.path().join("config/cockpit");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "[store]\nautosave_secs = 1\n").unwrap();
    let refname = format!("refs/cockpit/sessions/{id}");
    let lock = repo.join(".git").join(format!("{refname}.lock"));
    std::fs::write(&lock, "").unwrap();
    let tip = git(&repo, &["rev-parse", &refname]);

    let mut pty = start_with(dir.path(), &repo, &transcript, &["resume", &id]);
    pty.wait_for(&format!("resumed session {}", &id[..8]));
    pty.wait_for("session NOT saved, retrying");
    assert_eq!(git(&repo, &["rev-parse", &refname]), tip, "the lock held");

    std::fs::remove_file(&lock).unwrap();
    pty.wait_gone("session NOT saved");
    assert_ne!(
        git(&repo, &["rev-parse", &refname]),
        tip,
        "the retried save is on the ref"
    );
    pty.signal("HUP");
    pty.wait_exit();
}

#[test]
fn closing_the_pane_saves_the_session_and_gives_up_the_approval_socket() {
    // The pane closed (or ssh dropped): no signal sent by anyone but the
    // kernel, and every write to the terminal fails from then on.
    let dir = tempfile::tempdir().unwrap();
    let repo: PathBuf = dir.path().join("app");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    let transcript = dir.path().join("t.jsonl");
    std::fs::write(&transcript, usage_line(12_345)).unwrap();
    let mut pty = start(dir.path(), &repo, &transcript);
    pty.wait_for("12,345");
    let sockets = || std::fs::read_dir(dir.path().join("run")).unwrap().count();
    assert_eq!(sockets(), 1, "the approval socket is up");
    pty.hang_up("?");
    pty.wait_exit();
    let status = pty.child.wait().unwrap();
    assert!(
        status.success(),
        "left with {status:?} (an abort loses the last save)"
    );
    let refs = session_refs(&repo);
    assert_eq!(refs.len(), 1, "{refs:?}");
    let record: serde_json::Value =
        serde_json::from_str(&git(&repo, &["show", &format!("{}:session.json", refs[0])])).unwrap();
    assert_eq!(record["agents"][0]["context_tokens"], 12_345);
    assert_eq!(sockets(), 0, "the socket file is left behind");
}
