//! Short and narrow terminals, in the real binary in a pty: the gauge keeps
//! its bar and percentage before a tool row keeps its place, and the
//! resume command of a resumed session is shown whole at 80 columns.

mod common;
mod support;

use std::time::Duration;

use common::git::git;
use support::screen::{Home, append, bash_call, says, tests_passing_lie};

const SESSION: &str = "5b1c0000-aaaa-bbbb-cccc-000000000001";

#[test]
fn at_40x10_with_an_alert_the_gauge_keeps_its_bar_and_percentage() {
    let home = Home::new();
    let transcript = home.transcript(SESSION);
    append(&transcript, &bash_call(SESSION, "toolu_0", "ls", 0, 20_000));
    append(
        &transcript,
        &tests_passing_lie(SESSION, "toolu_1", 1, 60_000),
    );
    let mut cockpit = home.start(&[], &[&transcript], (40, 10));
    cockpit.wait_for("Alerts");
    cockpit.pump(Duration::from_millis(300));
    let screen = cockpit.contents();
    let bar = screen.lines().find(|l| l.contains('┃'));
    let bar = bar.unwrap_or_else(|| panic!("no bar:\n{screen}"));
    assert!(bar.contains('█'), "{screen}");
    // 61,000 of 200,000.
    assert!(
        bar.contains("30%"),
        "no percentage beside the bar:\n{screen}"
    );
}

#[test]
fn at_80x24_the_resumed_sessions_agent_command_is_whole() {
    let home = Home::new();
    let repo = home.project();
    git(&repo, &["init", "-q", "-b", "main"]);
    let transcript = home.transcript(SESSION);
    append(&transcript, &says(SESSION, "Looking.", 1, 12_345));
    let mut first = home.start(&[], &[&transcript], (80, 24));
    first.wait_for("12,345");
    first.signal("HUP");
    first.wait_exit();
    let refs = git(
        &repo,
        &["for-each-ref", "--format=%(refname)", "refs/cockpit/"],
    );
    let id = refs.trim().rsplit('/').next().unwrap().to_string();
    assert!(!id.is_empty(), "no saved session: {refs}");

    let mut second = home.start(&["resume", &id], &[&transcript], (80, 24));
    second.wait_for(&format!("resumed session {}", &id[..8]));
    second.pump(Duration::from_millis(300));
    let command = format!("claude --resume {SESSION}");
    let screen = second.contents();
    assert!(
        screen.lines().any(|l| l.contains(&command)),
        "`{command}` is not whole on one row:\n{screen}"
    );
}

#[test]
fn at_40x10_the_resume_offer_keeps_its_keys_on_screen() {
    let home = Home::new();
    let repo = home.project();
    git(&repo, &["init", "-q", "-b", "main"]);
    let transcript = home.transcript(SESSION);
    append(&transcript, &says(SESSION, "Looking.", 1, 12_345));
    let mut first = home.start(&[], &[&transcript], (80, 24));
    first.wait_for("12,345");
    first.signal("HUP");
    first.wait_exit();

    let mut second = home.start(&[], &[&transcript], (40, 10));
    second.wait_for("Unfinished session");
    second.pump(Duration::from_millis(300));
    let screen = second.contents();
    assert!(screen.contains("r resume it"), "{screen}");
    assert!(screen.contains("Esc start a new"), "{screen}");
}
