//! The alerts strip in the real binary in a pty: every alert's whole text
//! and advice can be read (Tab gives the strip focus, j/k scroll it), the
//! strip shows as many as it says, and alerts of another agent say whose.

mod support;

use support::pty::Pty;
use support::screen::{Home, append, bash_call, tests_passing_lie};

const SESSION: &str = "5b1c0000-aaaa-bbbb-cccc-000000000001";
const OTHER: &str = "77770000-aaaa-bbbb-cccc-000000000002";
const ADVICE: &str = "Run the tests yourself (or ask the agent to run them and show the summary line) before accepting the claim.";

/// The screen's text with the boxes' sides gone and runs of spaces made
/// one, so a text wrapped over rows reads as one line.
fn flat(pty: &Pty) -> String {
    pty.contents()
        .replace(['│', '\n'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn alert_rows(pty: &Pty) -> usize {
    pty.contents().lines().filter(|l| l.contains("⚠")).count()
}

#[test]
fn tab_reads_an_alert_in_full_at_80x24() {
    let home = Home::new();
    let transcript = home.transcript(SESSION);
    append(
        &transcript,
        &tests_passing_lie(SESSION, "toolu_1", 1, 30_000),
    );
    let mut cockpit = home.start(&[], &[&transcript], (80, 24));
    cockpit.wait_for("Tests Passing Lie");
    assert!(!flat(&cockpit).contains(ADVICE), "cut at first");
    cockpit.keys("\t");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !flat(&cockpit).contains(ADVICE) {
        assert!(
            std::time::Instant::now() < deadline,
            "the advice is not readable:\n{}",
            cockpit.contents()
        );
        cockpit.pump(std::time::Duration::from_millis(50));
    }
    assert!(
        flat(&cockpit).contains("agent claims \"All tests pass"),
        "{}",
        cockpit.contents()
    );
}

/// The count in the strip's title, `Alerts N`.
fn alerts_said(pty: &Pty) -> Option<usize> {
    let screen = pty.contents();
    let (_, rest) = screen.split_once("Alerts ")?;
    rest.split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

#[test]
fn the_strip_shows_as_many_alerts_as_it_says_and_each_reads_in_full() {
    let home = Home::new();
    let transcript = home.transcript(SESSION);
    for (i, second) in [1, 20, 40].into_iter().enumerate() {
        let id = format!("toolu_{i}");
        append(
            &transcript,
            &tests_passing_lie(SESSION, &id, second, 30_000),
        );
    }
    let mut cockpit = home.start(&[], &[&transcript], (200, 50));
    cockpit.wait_for("Alerts");
    cockpit.wait_for("Debug Loop Spiral");
    cockpit.pump(std::time::Duration::from_millis(300));
    let said = alerts_said(&cockpit).expect("a count");
    let rows = alert_rows(&cockpit);
    assert!(
        rows == said
            || cockpit
                .contents()
                .contains(&format!("newest {rows} of {said}")),
        "{rows} rows for `Alerts {said}`:\n{}",
        cockpit.contents()
    );
    cockpit.keys("\t");
    cockpit.wait_for("Tab leaves");
    cockpit.pump(std::time::Duration::from_millis(300));
    let text = flat(&cockpit);
    assert_eq!(text.matches(ADVICE).count(), 3, "{}", cockpit.contents());
}

#[test]
fn an_alert_of_another_agent_says_whose_it_is() {
    let home = Home::new();
    let transcript = home.transcript(SESSION);
    append(
        &transcript,
        &tests_passing_lie(SESSION, "toolu_1", 1, 82_000),
    );
    // Written last: the newest session is the one on screen.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let other = home.transcript(OTHER);
    append(&other, &bash_call(OTHER, "toolu_o", "ls", 1, 6_000));
    let mut cockpit = home.start(&[], &[&transcript, &other], (80, 24));
    cockpit.wait_for("Tests Passing Lie");
    cockpit.wait_for("▸ claude 77770000");
    let screen = cockpit.contents();
    let title = screen.lines().find(|l| l.contains("┌ Alerts "));
    let title = title.unwrap_or_else(|| panic!("no title:\n{screen}"));
    assert!(title.contains("all agents"), "{screen}");
    let row = screen.lines().find(|l| l.contains("⚠")).unwrap();
    assert!(row.contains("5b1c0000"), "whose alert:\n{screen}");
}
