//! Whole-screen snapshots (insta) at 80x24 and 160x48 in every gauge zone,
//! plus buffer assertions for the zone colours and the 40% mark.

mod common;

use cockpit::action::Action;
use cockpit::agents::AgentKind;
use cockpit::agents::source::Role;
use cockpit::state::Cockpit;
use common::screen::text;
use common::{fixture, follow};
use ratatui::buffer::Buffer;
use ratatui::style::Color;

fn cockpit_at(tokens: u64, pending: u64) -> Cockpit {
    let mut session = follow(
        &fixture("claude/tool_heavy.jsonl"),
        AgentKind::Claude,
        Role::Main,
    );
    session.gauge.settled = Some(tokens);
    session.gauge.peak = session.gauge.peak.max(tokens);
    session.gauge.pending = pending;
    let mut cockpit = Cockpit::new("app".into(), Some("main".into()), 0);
    cockpit.project_mut().sessions.push(session);
    cockpit.project_mut().selected = Some(0);
    cockpit
}

fn now_for(cockpit: &Cockpit) -> i64 {
    // A minute after the last line: stable elapsed time in the header.
    cockpit.current().and_then(|s| s.last_seen).unwrap_or(0) + 60_000
}

fn render(cockpit: &Cockpit, width: u16, height: u16) -> Buffer {
    common::screen::render(cockpit, now_for(cockpit), width, height)
}

/// The row of the gauge bar (first row inside the Context block).
fn bar_row(buffer: &Buffer) -> u16 {
    (0..buffer.area.height)
        .find(|&y| buffer[(0, y)].symbol() == "┌" && text_row(buffer, y).contains("Context"))
        .map(|y| y + 1)
        .expect("a Context block")
}

fn text_row(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

const ZONES: [(&str, u64, Color); 4] = [
    ("green", 60_000, Color::Green),
    ("yellow", 100_000, Color::Yellow),
    ("orange", 140_000, Color::Indexed(208)),
    ("red", 180_000, Color::Red),
];

#[test]
fn snapshots_in_every_zone_at_two_sizes() {
    for (zone, tokens, _) in ZONES {
        let cockpit = cockpit_at(tokens, 2_400);
        for (width, height) in [(80, 24), (160, 48)] {
            let screen = text(&render(&cockpit, width, height));
            insta::assert_snapshot!(format!("{zone}_{width}x{height}"), screen);
        }
    }
}

#[test]
fn bar_takes_the_zone_colour_and_shows_the_40_percent_mark() {
    for (zone, tokens, colour) in ZONES {
        let buffer = render(&cockpit_at(tokens, 0), 80, 24);
        let y = bar_row(&buffer);
        assert_eq!(buffer[(1, y)].symbol(), "█", "{zone}");
        assert_eq!(buffer[(1, y)].fg, colour, "{zone}");
        // Inner width 78: the mark sits at 40% of it.
        let mark_x = 1 + (78.0f64 * 0.4).floor() as u16;
        assert_eq!(buffer[(mark_x, y)].symbol(), "┃", "{zone}");
    }
}

#[test]
fn pending_estimate_is_its_own_segment() {
    let buffer = render(&cockpit_at(60_000, 40_000), 80, 24);
    let row = text_row(&buffer, bar_row(&buffer));
    let filled = row.matches('█').count();
    let pending = row.matches('▒').count();
    // 60k and 40k of 200k over 78 cells: about 23 and 16 cells.
    assert!((22..=24).contains(&filled), "{row}");
    assert!((14..=17).contains(&pending), "{row}");
    let screen = text(&buffer);
    assert!(screen.contains("+40.0k pending (est.)"), "{screen}");
}

#[test]
fn waiting_states_are_said_in_words() {
    let mut cockpit = cockpit_at(0, 0);
    cockpit.project_mut().sessions[0]
        .gauge
        .on_compacted(None, None);
    let screen = text(&render(&cockpit, 80, 24));
    assert!(
        screen.contains("compacted, waiting for the next reply"),
        "{screen}"
    );
    assert!(screen.contains("1 compaction"), "{screen}");

    let empty = Cockpit::new("app".into(), None, 0);
    let screen = text(&render(&empty, 80, 24));
    insta::assert_snapshot!("no_session_80x24", screen);
}

#[test]
fn help_and_details_overlays() {
    let mut cockpit = cockpit_at(60_000, 0);
    cockpit.apply(Action::ToggleHelp, false);
    insta::assert_snapshot!("help_80x24", text(&render(&cockpit, 80, 24)));
    cockpit.apply(Action::Close, false);
    cockpit.apply(Action::Up, false);
    cockpit.apply(Action::ToggleDetails, false);
    insta::assert_snapshot!("details_80x24", text(&render(&cockpit, 80, 24)));
}

#[test]
fn transcript_text_cannot_reach_the_terminal() {
    let mut cockpit = cockpit_at(60_000, 0);
    let session = &mut cockpit.project_mut().sessions[0];
    session.tools.start(cockpit::agents::ToolStart {
        id: "evil".into(),
        name: "Bash\x1b[31m".into(),
        summary: cockpit::text::one_line("echo \x1b]0;pwned\x07 \x1b[2J", 80),
        input: "\x1b[2J".into(),
        command: None,
        paths: Vec::new(),
        at: Some(0),
    });
    let buffer = render(&cockpit, 160, 48);
    for cell in buffer.content() {
        assert!(
            !cell.symbol().chars().any(|c| c.is_control()),
            "control character in {:?}",
            cell.symbol()
        );
    }
}

#[test]
fn the_outer_loop_lists_past_sessions() {
    let mut cockpit = cockpit_at(60_000, 0);
    let day = 1_771_000_000_000;
    cockpit.project_mut().past_sessions = common::screen::past_sessions(day);
    cockpit.apply(Action::OuterLoop, false);
    insta::assert_snapshot!("outer_loop_80x24", text(&render(&cockpit, 80, 24)));
    insta::assert_snapshot!("outer_loop_200x60", text(&render(&cockpit, 200, 60)));
}
