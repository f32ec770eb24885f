//! The help in the real binary in a pty lists every key that does
//! something (read from the config, the approval prompt's keys too), and a
//! key that can do nothing now says why.

mod support;

use std::time::Duration;

use support::pty::Pty;
use support::screen::{Home, append, bash_call};

const SESSION: &str = "5b1c0000-aaaa-bbbb-cccc-000000000001";

fn started(home: &Home, size: (u16, u16)) -> Pty {
    let transcript = home.transcript(SESSION);
    append(&transcript, &bash_call(SESSION, "toolu_1", "ls", 1, 20_000));
    let mut cockpit = home.start(&[], &[&transcript], size);
    cockpit.wait_for("1 calls");
    cockpit
}

fn help(cockpit: &mut Pty) -> String {
    cockpit.keys("?");
    cockpit.wait_for("Help");
    cockpit.pump(Duration::from_millis(300));
    cockpit.contents()
}

/// `keys` then `what` on one row of the screen, two spaces apart.
fn listed(screen: &str, keys: &str, what: &str) -> bool {
    let entry = format!("{keys}  {what}");
    screen.lines().any(|l| l.contains(&entry))
}

#[test]
fn the_help_at_80x24_lists_every_key_whole() {
    let home = Home::new();
    let mut cockpit = started(&home, (80, 24));
    let screen = help(&mut cockpit);
    for (keys, what) in [
        ("R", "add the proposed rule"),
        ("/", "search (in the outer loop)"),
        ("y", "allow once"),
        ("n", "deny (then a reason)"),
        ("a", "allow for this session"),
        ("Enter", "the whole input"),
        ("Esc", "ask in the agent"),
        ("S-Tab", "previous panel"),
        ("x", "acknowledge the alerts"),
        ("q C-c", "quit (terminal restored)"),
    ] {
        assert!(listed(&screen, keys, what), "`{keys}` `{what}`:\n{screen}");
    }
    assert!(screen.contains("Figures: the agent's reports"), "{screen}");
}

#[test]
fn the_help_reads_the_keys_from_the_config() {
    let home = Home::new();
    home.config(
        "[keys]\nadd_rule = [\"f9\"]\nsearch = [\"f10\"]\napprove = [\"f11\"]\n\
         deny = [\"f12\"]\nalways = [\"ctrl-y\"]\nlearning = [\"f7\"]\n",
    );
    let mut cockpit = started(&home, (80, 24));
    let screen = help(&mut cockpit);
    for (keys, what) in [
        ("F9", "add the proposed rule"),
        ("F10", "search (in the outer loop)"),
        ("F11", "allow once"),
        ("F12", "deny (then a reason)"),
        ("C-y", "allow for this session"),
        ("F7", "write a learning"),
    ] {
        assert!(listed(&screen, keys, what), "`{keys}` `{what}`:\n{screen}");
    }
}

#[test]
fn keys_that_can_do_nothing_now_say_why() {
    let home = Home::new();
    let mut cockpit = started(&home, (100, 30));
    cockpit.keys("R");
    cockpit.wait_for("no rule is proposed now");
    cockpit.keys("x");
    cockpit.wait_for("no alert to acknowledge");
    cockpit.keys("\x1b");
    cockpit.wait_for("nothing open to close");
    cockpit.keys("\t");
    cockpit.wait_for("one panel takes focus now");
    cockpit.keys("y");
    cockpit.wait_for("no request is waiting for approval");
}
