//! `cockpit install-hooks` then `cockpit uninstall-hooks`, with the real
//! binary in real temporary git repositories: uninstall leaves every file as
//! it was, byte for byte, unless the user edited it in between, and then
//! takes out only the cockpit's entries.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// A repository with one commit, a home for the agents' user settings and a
/// state directory, all temporary.
struct Repo {
    dir: TempDir,
}

impl Repo {
    fn new() -> Self {
        let repo = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(repo.project()).unwrap();
        std::fs::create_dir_all(repo.home()).unwrap();
        repo.git(&["init", "-q", "-b", "main"]);
        std::fs::write(repo.project().join("README"), "app\n").unwrap();
        repo.commit();
        repo
    }
    fn project(&self) -> PathBuf {
        self.dir.path().join("app")
    }
    fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }
    fn claude_user(&self) -> PathBuf {
        self.home().join(".claude")
    }
    fn codex_home(&self) -> PathBuf {
        self.home().join(".codex")
    }
    fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(self.project())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", self.home())
            .env_remove("GIT_DIR")
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    fn commit(&self) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", "files"]);
    }
    fn status(&self) -> String {
        self.git(&["status", "--porcelain", "--untracked-files=all"])
    }
    /// `cockpit ARGS` in the project; the output.
    fn cockpit(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cockpit"))
            .args(args)
            .current_dir(self.project())
            .env("HOME", self.home())
            .env("CLAUDE_CONFIG_DIR", self.claude_user())
            .env("CODEX_HOME", self.codex_home())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("CODEX_BIN", self.dir.path().join("no-codex-here"))
            .output()
            .unwrap()
    }
    /// `cockpit ARGS`, which must succeed; what it said.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.cockpit(args);
        assert!(out.status.success(), "cockpit {args:?}: {}", text(&out));
        text(&out)
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every file and directory under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(next) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            found.push(path.strip_prefix(dir).unwrap().display().to_string());
            if path.is_dir() {
                todo.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Settings a person wrote by hand: tabs, keys in no order, a compact
/// array, escapes, a number written `1.50`, CRLF line ends, no final newline.
const CLAUDE_BY_HAND: &str = "{\r\n\t\"zeta\": true,\r\n\t\"permissions\": {\"allow\": [\"Bash(cargo test)\",\"Read\"],   \"deny\": []},\r\n\t\"hooks\": {\r\n\t\t\"PreToolUse\": [ { \"matcher\": \"Edit\", \"hooks\": [ { \"type\": \"command\", \"command\": \"lint.sh\" } ] } ]\r\n\t},\r\n\t\"statusLine\": {\"type\": \"command\", \"command\": \"~/bin/status \\u00e9\"},\r\n\t\"alpha\": 1.50\r\n}";

const CODEX_BY_HAND: &str = "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"notify-send done\"}]}]}}\n\n";

#[test]
fn uninstall_where_nothing_was_installed_changes_nothing() {
    let repo = Repo::new();
    let home_before = tree(&repo.home());
    for args in [
        &["uninstall-hooks"][..],
        &["uninstall-hooks", "--dry-run"],
        &["uninstall-hooks", "--project"],
        &["uninstall-hooks", "--user"],
        &["uninstall-hooks", "--user", "--dry-run"],
    ] {
        let said = repo.ok(args);
        assert!(
            said.contains("nothing of the cockpit's to remove"),
            "{said}"
        );
        assert_eq!(repo.status(), "", "after {args:?}");
        assert_eq!(tree(&repo.project()), ["README"], "after {args:?}");
        assert_eq!(tree(&repo.home()), home_before, "after {args:?}");
    }
}

#[test]
fn install_then_uninstall_leaves_a_clean_repository() {
    let repo = Repo::new();
    let dry = repo.ok(&["install-hooks", "--dry-run"]);
    assert!(dry.contains("dry run, nothing written"), "{dry}");
    assert_eq!(repo.status(), "");
    repo.ok(&["install-hooks"]);
    let status = repo.status();
    assert!(status.contains(".claude/settings.local.json"), "{status}");
    assert!(status.contains(".codex/hooks.json"), "{status}");
    // A second install changes nothing; its uninstall is still exact.
    let again = repo.ok(&["install-hooks", "--project"]);
    assert!(again.contains("already installed"), "{again}");
    let dry = repo.ok(&["uninstall-hooks", "--dry-run"]);
    assert!(dry.contains("dry run, nothing written"), "{dry}");
    assert_eq!(repo.status(), status, "a dry run writes nothing");
    let said = repo.ok(&["uninstall-hooks"]);
    assert_eq!(repo.status(), "", "{said}");
    // The directories install made go too (git does not show empty ones).
    assert_eq!(tree(&repo.project()), ["README"], "{said}");
}

#[test]
fn a_users_own_settings_come_back_byte_for_byte() {
    let repo = Repo::new();
    std::fs::create_dir_all(repo.project().join(".claude")).unwrap();
    std::fs::create_dir_all(repo.project().join(".codex")).unwrap();
    let claude = repo.project().join(".claude/settings.local.json");
    let codex = repo.project().join(".codex/hooks.json");
    std::fs::write(&claude, CLAUDE_BY_HAND).unwrap();
    std::fs::write(&codex, CODEX_BY_HAND).unwrap();
    repo.commit();
    repo.ok(&["install-hooks"]);
    let installed = std::fs::read_to_string(&claude).unwrap();
    assert!(installed.contains(" hook claude"), "{installed}");
    // Install keeps the user's order and the members it did not change.
    assert!(
        installed.find("\"zeta\"").unwrap() < installed.find("\"alpha\"").unwrap(),
        "{installed}"
    );
    assert!(
        installed.contains(r#"{"allow": ["Bash(cargo test)","Read"],   "deny": []}"#),
        "{installed}"
    );
    repo.ok(&["uninstall-hooks"]);
    assert_eq!(std::fs::read_to_string(&claude).unwrap(), CLAUDE_BY_HAND);
    assert_eq!(std::fs::read_to_string(&codex).unwrap(), CODEX_BY_HAND);
    assert_eq!(repo.status(), "");
}

#[test]
fn user_scope_is_restored_as_it_was_and_what_install_created_goes() {
    let repo = Repo::new();
    std::fs::create_dir_all(repo.claude_user()).unwrap();
    let claude = repo.claude_user().join("settings.json");
    std::fs::write(&claude, CLAUDE_BY_HAND).unwrap();
    let home_before = tree(&repo.home());
    repo.ok(&["install-hooks", "--user", "--dry-run"]);
    assert_eq!(tree(&repo.home()), home_before);
    repo.ok(&["install-hooks", "--user"]);
    assert!(repo.codex_home().join("hooks.json").is_file());
    repo.ok(&["uninstall-hooks", "--user"]);
    assert_eq!(std::fs::read_to_string(&claude).unwrap(), CLAUDE_BY_HAND);
    assert_eq!(tree(&repo.home()), home_before, "no ~/.codex, no backup");
    assert_eq!(repo.status(), "", "the project is not touched");
}

#[test]
fn a_failed_trust_codex_is_undone_exactly_too() {
    let repo = Repo::new();
    let dry = repo.ok(&["install-hooks", "--trust-codex", "--dry-run"]);
    assert!(dry.contains("dry run"), "{dry}");
    assert_eq!(repo.status(), "");
    // No Codex to ask: the files are written, trusting fails and says so.
    let out = repo.cockpit(&["install-hooks", "--trust-codex"]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("not trusted"), "{}", text(&out));
    repo.ok(&["uninstall-hooks"]);
    assert_eq!(repo.status(), "");
    assert_eq!(tree(&repo.project()), ["README"]);
}

#[test]
fn an_edit_after_install_is_kept_and_only_the_cockpits_entries_go() {
    let repo = Repo::new();
    std::fs::create_dir_all(repo.project().join(".claude")).unwrap();
    let claude = repo.project().join(".claude/settings.local.json");
    std::fs::write(&claude, CLAUDE_BY_HAND).unwrap();
    repo.commit();
    repo.ok(&["install-hooks"]);
    // The user adds a key by hand, between two members of the file.
    let installed = std::fs::read_to_string(&claude).unwrap();
    let at = installed.find("\"alpha\"").unwrap();
    let edited = format!(
        "{}\"model\": \"opus\",\n  {}",
        &installed[..at],
        &installed[at..]
    );
    std::fs::write(&claude, &edited).unwrap();
    let said = repo.ok(&["uninstall-hooks"]);
    let after = std::fs::read_to_string(&claude).unwrap();
    assert!(!after.contains("cockpit"), "{after}");
    let mut expected: serde_json::Value = serde_json::from_str(CLAUDE_BY_HAND).unwrap();
    expected["model"] = "opus".into();
    let value: serde_json::Value = serde_json::from_str(&after).unwrap();
    assert_eq!(value, expected, "{after}");
    // The user's order, their edit where they put it, untouched members verbatim.
    let order: Vec<usize> = [
        "\"zeta\"",
        "\"permissions\"",
        "\"hooks\"",
        "\"statusLine\"",
        "\"model\"",
        "\"alpha\"",
    ]
    .iter()
    .map(|key| after.find(key).unwrap_or_else(|| panic!("{key}: {after}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{after}");
    for member in [
        r#""permissions": {"allow": ["Bash(cargo test)","Read"],   "deny": []}"#,
        r#""statusLine": {"type": "command", "command": "~/bin/status \u00e9"}"#,
        r#"[ { "matcher": "Edit", "hooks": [ { "type": "command", "command": "lint.sh" } ] } ]"#,
        "\"alpha\": 1.50",
    ] {
        assert!(after.contains(member), "{member} lost: {after}");
    }
    // Install's backup goes; the user's edited file is kept in one backup,
    // which uninstall names.
    let left: Vec<String> = tree(&repo.project().join(".claude"))
        .into_iter()
        .filter(|name| name != "settings.local.json")
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(said.contains(&left[0]), "{said}");
    let backup = std::fs::read_to_string(repo.project().join(".claude").join(&left[0])).unwrap();
    assert_eq!(backup, edited);
}

#[test]
fn every_option_of_uninstall_hooks_says_what_it_does() {
    let help = Repo::new().ok(&["uninstall-hooks", "--help"]);
    for (option, words) in [
        ("--project", "This project's"),
        ("--user", "~/.claude/settings.json"),
        ("--dry-run", "write nothing"),
    ] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(option))
            .unwrap_or_else(|| panic!("{option}: {help}"));
        assert!(line.contains(words), "{option}: {help}");
    }
    assert!(help.contains("byte for byte"), "{help}");
}
