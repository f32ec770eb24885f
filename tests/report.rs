//! `cockpit report` on real fixtures, a small generated corpus and hostile
//! lines, checked against a naive second computation (`report_support`).

mod report_support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use cockpit::report::{Options, Report, collect};
use report_support::{naive_context, naive_totals, write_corpus};

const LONG: &str = "4d5611e5-241a-462a-8d15-5122611a9569";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_file() && entry.path().extension().is_some_and(|e| e == "jsonl") {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A Claude root holding the real fixtures as one project.
fn fixture_root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &fixtures().join("claude"),
        &dir.path().join("projects/-home-me-spotter"),
    );
    dir
}

fn report_of(claude: &[&Path], codex: Option<&Path>) -> Report {
    collect(&Options {
        claude_roots: claude.iter().map(|p| p.to_path_buf()).collect(),
        codex_home: codex.map(Path::to_path_buf),
        workers: 2,
        ..Options::default()
    })
}

fn sums(report: &Report, id: &str) -> [u64; 4] {
    let s = report
        .sessions
        .iter()
        .find(|s| s.session_id == id)
        .unwrap_or_else(|| panic!("no session {id}"));
    let t = s.tokens;
    [t.input, t.output, t.cache_creation, t.cache_read]
}

#[test]
fn real_fixtures_match_the_naive_pass_and_ccusage() {
    let root = fixture_root();
    let report = report_of(&[root.path()], None);
    let naive = naive_totals(root.path());
    assert_eq!(report.sessions.len(), naive.len());
    for (id, expected) in &naive {
        assert_eq!(&sums(&report, id), expected, "{id}");
    }
    // What ccusage 20.0.24 `claude session --json` printed for the same
    // files: the subagent folder counts toward its parent.
    assert_eq!(sums(&report, LONG), [233, 28_899, 559_475, 12_387_553]);
    assert_eq!(sums(&report, "subagent"), [1_576, 1_586, 25_842, 427_286]);
    let long = report
        .sessions
        .iter()
        .find(|s| s.session_id == LONG)
        .unwrap();
    assert_eq!(long.context_tokens, Some(106_060));
    assert_eq!(long.context_window, Some(200_000));
    // 150 in the main file, 33 in the subagent's.
    assert_eq!(long.tool_calls, 183);
    assert_eq!(long.model.as_deref(), Some("claude-opus-4-6"));
    // First and last replies (ccusage prints the same activity span).
    assert_eq!(long.first_seen.as_deref(), Some("2026-02-12T16:02:27.718Z"));
    assert_eq!(long.last_seen.as_deref(), Some("2026-02-12T21:03:34.112Z"));
    for (id, context) in [
        ("short", 25_353),
        ("tool_heavy", 27_666),
        ("subagent", 43_861),
    ] {
        let s = report.sessions.iter().find(|s| s.session_id == id).unwrap();
        assert_eq!(s.context_tokens, Some(context), "{id}");
        assert_eq!(s.malformed_lines, 0, "{id}");
    }
}

#[test]
fn a_generated_corpus_matches_the_naive_pass() {
    for seed in [1, 7, 42] {
        let root = tempfile::tempdir().unwrap();
        let mains = write_corpus(root.path(), seed);
        let report = report_of(&[root.path()], None);
        let naive = naive_totals(root.path());
        assert_eq!(report.sessions.len(), naive.len(), "seed {seed}");
        for (id, expected) in &naive {
            assert_eq!(&sums(&report, id), expected, "seed {seed} {id}");
        }
        for main in mains {
            let id = main.file_stem().unwrap().to_string_lossy();
            let row = report.sessions.iter().find(|s| s.session_id == id).unwrap();
            assert_eq!(row.context_tokens, naive_context(&main), "seed {seed} {id}");
        }
        assert!(
            report.totals.malformed_lines > 0,
            "seed {seed}: torn lines are counted"
        );
    }
}

#[test]
fn hostile_lines_are_counted_never_fatal() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("projects/-p");
    fs::create_dir_all(&dir).unwrap();
    let good = |id: &str, out: u64| {
        format!(
            r#"{{"type":"assistant","requestId":"r{id}","timestamp":"2026-01-01T00:00:00.000Z","message":{{"id":"{id}","model":"m","usage":{{"input_tokens":1,"output_tokens":{out}}}}}}}"#
        )
    };
    let mut bytes = Vec::new();
    bytes.extend_from_slice(good("a", 10).as_bytes());
    bytes.push(b'\n');
    // Not UTF-8, in a line that looks like usage.
    bytes.extend_from_slice(
        b"{\"type\":\"assistant\",\"message\":{\"model\":\"\xff\xfe\",\"usage\":{}}}\n",
    );
    // Malformed JSON with the marker.
    bytes.extend_from_slice(b"{\"usage\": nope}\n");
    // Enormous: over the line cap, with usage inside.
    let big = "y".repeat(cockpit::report::LINE_CAP + 10);
    bytes.extend_from_slice(
        format!(
            r#"{{"message":{{"usage":{{"input_tokens":1,"output_tokens":1}}}},"pad":"{big}"}}"#
        )
        .as_bytes(),
    );
    bytes.push(b'\n');
    // A user line with a nested usage object: not a response.
    bytes.extend_from_slice(br#"{"type":"user","message":{"role":"user","content":"hi"},"toolUseResult":{"usage":{"input_tokens":5,"output_tokens":5}}}"#);
    bytes.push(b'\n');
    bytes.extend_from_slice(good("b", 20).as_bytes());
    bytes.push(b'\n');
    // A torn last line.
    bytes.extend_from_slice(br#"{"type":"assistant","message":{"id":"c","usage":{"input_to"#);
    fs::write(dir.join("s1.jsonl"), bytes).unwrap();
    let report = report_of(&[root.path()], None);
    assert_eq!(sums(&report, "s1"), [2, 30, 0, 0]);
    let row = &report.sessions[0];
    assert_eq!(
        row.malformed_lines, 4,
        "non-UTF-8, malformed, enormous, torn"
    );
    assert_eq!(report.totals.oversized_lines, 1);
}

#[test]
fn codex_rollouts_split_cached_input() {
    let home = tempfile::tempdir().unwrap();
    let day = home.path().join("sessions/2026/03/01");
    fs::create_dir_all(&day).unwrap();
    for name in fs::read_dir(fixtures().join("codex")).unwrap().flatten() {
        if name.file_name().to_string_lossy().starts_with("rollout-") {
            fs::copy(name.path(), day.join(name.file_name())).unwrap();
        }
    }
    let report = report_of(&[], Some(home.path()));
    assert_eq!(report.sessions.len(), 1);
    let s = &report.sessions[0];
    assert_eq!(s.session_id, "019a2d7a-7c1e-7d3a-9f0e-1b2c3d4e5f60");
    assert_eq!(s.project, "/home/me/app");
    assert_eq!(s.model.as_deref(), Some("gpt-5-codex"));
    assert_eq!(s.context_window, Some(272_000));
    // input_tokens + cache_read_input_tokens is Codex's own input_tokens.
    let t = s.tokens;
    assert!(t.cache_read > 0 && t.cache_creation == 0);
    assert!(s.tool_calls > 0);
}

fn run_cockpit(
    home: &Path,
    claude: Option<&str>,
    codex: &Path,
    args: &[&str],
) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cockpit"));
    cmd.arg("report")
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("CODEX_HOME", codex)
        .env_remove("CLAUDE_CONFIG_DIR");
    if let Some(list) = claude {
        cmd.env("CLAUDE_CONFIG_DIR", list);
    }
    cmd.output().unwrap()
}

#[test]
fn json_output_has_the_documented_shape() {
    let root = fixture_root();
    let home = tempfile::tempdir().unwrap();
    let claude = root.path().to_string_lossy().into_owned();
    let out = run_cockpit(
        home.path(),
        Some(&claude),
        &home.path().join("none"),
        &["--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sessions = doc["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 4);
    let keys = [
        "session_id",
        "agent",
        "project",
        "model",
        "first_seen",
        "last_seen",
        "input_tokens",
        "output_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "context_tokens",
        "context_window",
        "tool_calls",
        "malformed_lines",
    ];
    for s in sessions {
        let object = s.as_object().unwrap();
        assert_eq!(object.len(), keys.len(), "{s}");
        for key in keys {
            assert!(object.contains_key(key), "{key} in {s}");
        }
        assert_eq!(s["agent"], "claude");
    }
    assert_eq!(doc["totals"]["sessions"], 4);
    assert_eq!(doc["totals"]["output_tokens"], 28_899 + 1_586 + 212 + 13);
}

#[test]
fn config_dir_lists_missing_dirs_and_unreadable_files() {
    let home = tempfile::tempdir().unwrap();
    let a = fixture_root();
    let b = tempfile::tempdir().unwrap();
    let dir = b.path().join("projects/-q");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("only.jsonl"),
        r#"{"type":"assistant","message":{"id":"z","usage":{"input_tokens":4,"output_tokens":6}}}"#,
    )
    .unwrap();
    // A transcript that cannot be read: a dangling link.
    std::os::unix::fs::symlink(dir.join("gone"), dir.join("lost.jsonl")).unwrap();
    let list = format!(
        "{}, {},{}",
        a.path().display(),
        b.path().join("projects").display(),
        home.path().join("missing").display()
    );
    let out = run_cockpit(
        home.path(),
        Some(&list),
        &home.path().join("nope"),
        &["--json"],
    );
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("lost.jsonl"), "{stderr}");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["sessions"].as_array().unwrap().len(), 5);
    assert_eq!(doc["totals"]["unreadable_files"], 1);
    // Without CLAUDE_CONFIG_DIR: ~/.claude and ~/.config/claude.
    copy_dir(
        &fixtures().join("claude"),
        &home.path().join(".claude/projects/-x"),
    );
    copy_dir(
        &b.path().join("projects/-q"),
        &home.path().join(".config/claude/projects/-q"),
    );
    let out = run_cockpit(
        home.path(),
        None,
        &home.path().join("nope"),
        &["--agent", "claude"],
    );
    assert!(out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("5 sessions"), "{table}");
    assert!(table.lines().next().unwrap().contains("session"));
}

#[test]
fn since_and_project_filters() {
    let root = fixture_root();
    let options = |since: &str, project: Option<&str>| Options {
        claude_roots: vec![root.path().to_path_buf()],
        since_ms: cockpit::report::command::parse_day(since),
        project: project.map(PathBuf::from),
        ..Options::default()
    };
    // The long session ends on 2026-02-12; the others on the 10th.
    let report = collect(&options("2026-02-11", None));
    assert_eq!(report.sessions.len(), 1);
    assert_eq!(report.sessions[0].session_id, LONG);
    let report = collect(&options("2026-01-01", Some("/home/me/spotter")));
    assert_eq!(report.sessions.len(), 4);
    let report = collect(&options("2026-01-01", Some("/home/me/other")));
    assert!(report.sessions.is_empty());
}
