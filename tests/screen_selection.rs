//! The tool call the user chose, in the real binary in a pty: it stays
//! chosen as calls arrive (only `G` follows the newest again), and `Enter`
//! shows its details at every size, with the alerts strip taking room.

mod support;

use std::time::Duration;

use support::pty::Pty;
use support::screen::{Home, append, bash_call, result, row_text, tests_passing_lie};

const SESSION: &str = "5b1c0000-aaaa-bbbb-cccc-000000000001";
const OTHER: &str = "77770000-aaaa-bbbb-cccc-000000000002";

/// `echo call-N` for each of `range`, each with its result.
fn calls(range: std::ops::Range<u32>) -> String {
    range
        .map(|n| {
            let id = format!("toolu_{n:02}");
            bash_call(SESSION, &id, &format!("echo call-{n:02}"), n * 2, 20_000)
                + &result(SESSION, &id, true, "ok", n * 2 + 1)
        })
        .collect()
}

/// The text of the rows drawn in reverse video (the highlighted call).
fn highlighted(pty: &Pty) -> String {
    let screen = pty.screen.screen();
    let (rows, cols) = screen.size();
    (0..rows)
        .filter(|&r| (1..cols).any(|c| screen.cell(r, c).is_some_and(|cell| cell.inverse())))
        .map(|r| row_text(pty, r))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_chosen_call_stays_chosen_as_calls_arrive_and_g_follows_the_newest() {
    let home = Home::new();
    let transcript = home.transcript(SESSION);
    append(&transcript, &calls(1..6));
    let mut cockpit = home.start(&[], &[&transcript], (80, 24));
    cockpit.wait_for("5 calls");
    cockpit.keys("kk");
    cockpit.wait_for("Tool calls");
    cockpit.keys("\r");
    cockpit.wait_for("toolu_03");
    assert!(
        highlighted(&cockpit).contains("call-03"),
        "{}",
        cockpit.contents()
    );

    append(&transcript, &calls(6..9));
    cockpit.wait_for("8 calls");
    cockpit.pump(Duration::from_millis(300));
    let screen = cockpit.contents();
    assert!(screen.contains("toolu_03"), "the details moved:\n{screen}");
    assert!(
        highlighted(&cockpit).contains("call-03"),
        "the highlight moved:\n{screen}"
    );

    cockpit.keys("G");
    cockpit.wait_for("toolu_08");
    assert!(
        highlighted(&cockpit).contains("call-08"),
        "{}",
        cockpit.contents()
    );
    append(&transcript, &calls(9..10));
    cockpit.wait_for("toolu_09");
    assert!(
        highlighted(&cockpit).contains("call-09"),
        "{}",
        cockpit.contents()
    );
}

#[test]
fn enter_opens_the_details_at_80x24_with_the_alerts_strip_on_screen() {
    // Two agents (their panel takes rows) and an alert: the feed is short.
    let home = Home::new();
    let other = home.transcript(OTHER);
    append(&other, &bash_call(OTHER, "toolu_other", "ls", 1, 10_000));
    let transcript = home.transcript(SESSION);
    append(&transcript, &calls(1..4));
    append(
        &transcript,
        &tests_passing_lie(SESSION, "toolu_lie", 20, 30_000),
    );
    let mut cockpit = home.start(&[], &[&other, &transcript], (80, 24));
    cockpit.wait_for("Tests Passing Lie");
    cockpit.wait_for("2 agents");
    cockpit.keys("\r");
    cockpit.wait_for("Details");
    cockpit.wait_for("toolu_lie");
    cockpit.keys("\r");
    cockpit.wait_gone("toolu_lie");
    cockpit.wait_for("echo call-03");
}
