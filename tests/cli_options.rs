//! Every option the command line offers does what its help says, where the
//! user would type it; one that cannot is refused, saying why.

mod common;
mod store_support;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use cockpit::store::Store;
use store_support::*;

fn run(dir: &Path, state: &Path, args: &[&str]) -> Output {
    cockpit(dir, state)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn transcript_is_offered_only_where_it_is_read() {
    let (dir, state) = repo_and_state();
    let help = |args: &[&str]| said(&run(dir.path(), state.path(), args));
    assert!(help(&["--help"]).contains("--transcript"));
    for command in [
        "report",
        "sessions",
        "show",
        "handoff",
        "install-hooks",
        "demo",
    ] {
        let text = help(&[command, "--help"]);
        assert!(!text.contains("--transcript"), "{command}:\n{text}");
    }
    // Before a subcommand that ignores it, it is refused, not ignored.
    let out = run(
        dir.path(),
        state.path(),
        &["--transcript", "x.jsonl", "report"],
    );
    assert!(!out.status.success());
    let text = said(&out);
    assert!(
        text.contains("--transcript") && text.contains("report"),
        "{text}"
    );
}

#[test]
fn project_works_after_the_store_commands_too() {
    let (repo, state) = repo_and_state();
    Store::open(repo.path())
        .unwrap()
        .save(&record("20260101-000000-abcd"))
        .unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let project = repo.path().to_str().unwrap();
    let before = run(
        elsewhere.path(),
        state.path(),
        &["--project", project, "sessions"],
    );
    let after = run(
        elsewhere.path(),
        state.path(),
        &["sessions", "--project", project],
    );
    assert!(before.status.success(), "{}", said(&before));
    assert!(after.status.success(), "{}", said(&after));
    assert!(said(&after).contains(" 20260101 "), "{}", said(&after));
    assert_eq!(said(&before), said(&after));
    for command in [
        &["show", "20260101"][..],
        &["handoff"],
        &["resume", "20260101"],
    ] {
        let mut args = command.to_vec();
        args.extend(["--project", project]);
        let out = run(elsewhere.path(), state.path(), &args);
        assert!(out.status.success(), "{args:?}: {}", said(&out));
    }
}

#[test]
fn a_project_that_does_not_exist_is_an_error_naming_it() {
    let (dir, state) = repo_and_state();
    let missing = dir.path().join("no-such-project");
    let missing = missing.to_str().unwrap();
    for args in [
        &["report", "--project", missing][..],
        &["--project", missing, "report"],
        &["sessions", "--project", missing],
    ] {
        let out = run(dir.path(), state.path(), args);
        assert!(!out.status.success(), "{args:?}: {}", said(&out));
        let text = said(&out);
        assert!(text.contains(missing), "{args:?}: {text}");
        assert_eq!(text.trim().lines().count(), 1, "{args:?}: {text}");
    }
}

#[test]
fn uninstall_hooks_options_say_what_they_do() {
    let (dir, state) = repo_and_state();
    let help = said(&run(
        dir.path(),
        state.path(),
        &["uninstall-hooks", "--help"],
    ));
    for option in ["--project", "--user", "--dry-run"] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(option))
            .unwrap_or_else(|| panic!("{option} not in:\n{help}"));
        let described = line.trim_start()[option.len()..].trim();
        assert!(!described.is_empty(), "{option} has no help:\n{help}");
    }
}

#[test]
fn an_action_with_no_key_is_refused_naming_file_line_and_key() {
    let (dir, state) = repo_and_state();
    let config = dir.path().join("c.toml");
    std::fs::write(&config, "[keys]\nhelp = [\"h\"]\nquit = []\n").unwrap();
    let out = run(
        dir.path(),
        state.path(),
        &["--config", config.to_str().unwrap(), "sessions"],
    );
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains(&format!("{}:3: key `keys.quit`", config.display())),
        "{text}"
    );
    assert_eq!(text.trim().lines().count(), 1, "{text}");
}

#[test]
fn the_screen_without_a_terminal_says_so_and_what_to_run() {
    let (dir, state) = repo_and_state();
    // A new session: no controlling terminal to fall back on.
    let mut cmd = Command::new("setsid");
    cmd.arg("-w").arg(env!("CARGO_BIN_EXE_cockpit"));
    let out = cmd
        .current_dir(dir.path())
        .env("HOME", state.path())
        .env("XDG_CONFIG_HOME", state.path().join("config"))
        .env("XDG_STATE_HOME", state.path().join("state"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("needs a terminal"), "{text}");
    assert!(text.contains("cockpit report"), "{text}");
    assert!(!text.contains("os error"), "{text}");
}
