//! Snapshots (insta) of the outer loop panel (one line and tall), the `o`
//! overlay with the git history, and the stats view (`s`) at 80x24 and 200x60.

mod common;

use cockpit::action::{Action, Mode};
use cockpit::agents::AgentKind;
use cockpit::agents::source::Role;
use cockpit::detect::{Alert, Pattern};
use cockpit::loops::git_history::{CommitInfo, GitHistory, WeekCount, week_start};
use cockpit::loops::validation::{Outcome, ValidationKind, ValidationRun};
use cockpit::state::{Cockpit, PastSession};
use cockpit::ui::{self, ViewContext};
use common::screen::text;
use common::{fixture, follow};
use ratatui::Frame;
use ratatui::buffer::Buffer;

const HOUR: i64 = 3_600_000;
/// Tuesday 2026-12-01 08:00 UTC.
const NOW: i64 = 1_796_112_000_000;

fn cockpit() -> Cockpit {
    let mut main = follow(
        &fixture("claude/tool_heavy.jsonl"),
        AgentKind::Claude,
        Role::Main,
    );
    main.gauge.settled = Some(60_000);
    let sub = follow(
        &fixture("claude/subagent.jsonl"),
        AgentKind::Claude,
        Role::Subagent {
            agent_id: "agent-a1b2".into(),
        },
    );
    let mut cockpit = Cockpit::new("app".into(), Some("main".into()), 0);
    cockpit.project_mut().sessions.push(main);
    cockpit.project_mut().sessions.push(sub);
    cockpit.project_mut().selected = Some(0);
    cockpit
}

fn commit(short: &str, summary: &str, at: i64, stat: (usize, usize, usize)) -> CommitInfo {
    CommitInfo {
        id: format!("{short}{}", "0".repeat(40 - short.len())),
        short_id: short.into(),
        summary: summary.into(),
        author: "Ada Example".into(),
        at,
        merge: summary.starts_with("Merge"),
        files_changed: stat.0,
        lines_added: stat.1,
        lines_removed: stat.2,
    }
}

fn history() -> GitHistory {
    let first_week = week_start(NOW) - 7 * 7 * 24 * HOUR;
    GitHistory {
        branch: Some("main".into()),
        head: Some("4f2a9c1".into()),
        upstream: Some("origin/main".into()),
        ahead: 2,
        behind: 1,
        commits: vec![
            commit(
                "4f2a9c1",
                "Merge branch 'gauge-fix'",
                NOW - HOUR,
                (2, 31, 4),
            ),
            commit(
                "9b03e77",
                "Tool feed: show the exit code of failed Bash calls in the details pane",
                NOW - 2 * HOUR,
                (3, 58, 12),
            ),
            commit(
                "c1d2e3f",
                "Fix the sign of the pending estimate",
                NOW - 3 * HOUR,
                (1, 2, 2),
            ),
        ],
        commits_total: 3,
        weeks: [4, 0, 7, 12, 3, 0, 9, 5]
            .iter()
            .enumerate()
            .map(|(i, n)| WeekCount {
                start: first_week + i as i64 * 7 * 24 * HOUR,
                commits: *n,
            })
            .collect(),
        truncated: false,
    }
}

fn past_sessions() -> Vec<PastSession> {
    common::screen::past_sessions(NOW - 26 * HOUR)
}

fn render_with(width: u16, height: u16, draw: impl FnOnce(&mut Frame, &ViewContext)) -> Buffer {
    common::screen::render_with(width, height, NOW, draw)
}

fn screen(cockpit: &Cockpit, width: u16, height: u16) -> String {
    text(&render_with(width, height, |frame, ctx| {
        ui::draw(frame, cockpit, ctx);
    }))
}

fn panel(cockpit: &Cockpit, width: u16, height: u16) -> String {
    text(&render_with(width, height, |frame, ctx| {
        ui::draw_outer_panel(frame, frame.area(), cockpit, ctx);
    }))
}

#[test]
fn the_outer_panel_on_one_line_and_tall() {
    let mut cockpit = cockpit();
    cockpit.project_mut().git_history = Some(history());
    cockpit.project_mut().past_sessions = past_sessions();

    let line = panel(&cockpit, 80, 1);
    assert!(
        line.starts_with(
            " Outer ⎇ main ↑2 ↓1 origin/main · 3 commits this session · 2 past sessions (o)"
        ),
        "{line}"
    );
    insta::assert_snapshot!("outer_panel_80x1", line);
    insta::assert_snapshot!("outer_panel_80x10", panel(&cockpit, 80, 10));
    insta::assert_snapshot!("outer_panel_200x8", panel(&cockpit, 200, 8));
    // Too short for every commit: the essentials stay, the rest is counted.
    let short = panel(&cockpit, 80, 8);
    insta::assert_snapshot!("outer_panel_80x8", short);
    assert!(short.contains("… 2 more"), "{short}");
    // Four rows: branch, the session's count, the weeks, past sessions.
    let shorter = panel(&cockpit, 80, 6);
    assert!(
        shorter.contains("Weeks ") && shorter.contains("Past: "),
        "{shorter}"
    );
}

#[test]
fn the_panel_height_fits_everything_exactly() {
    let mut cockpit = cockpit();
    cockpit.project_mut().git_history = Some(history());
    let rows = ui::outer_panel_height(&cockpit, 10);
    assert_eq!(rows, 9);
    let tall = panel(&cockpit, 80, rows);
    assert!(!tall.contains("more"), "{tall}");
    assert!(
        tall.contains("c1d2e3f") && tall.contains("Past: "),
        "{tall}"
    );
    // Capped at two commit rows: the newest, and the other two counted.
    let rows = ui::outer_panel_height(&cockpit, 2);
    assert_eq!(rows, 8);
    assert!(panel(&cockpit, 80, rows).contains("… 2 more"));
    cockpit.project_mut().git_history = None;
    assert_eq!(ui::outer_panel_height(&cockpit, 10), 4);
}

#[test]
fn the_outer_panel_says_plainly_what_is_missing() {
    let mut cockpit = cockpit();
    let line = panel(&cockpit, 80, 1);
    assert_eq!(
        line.trim_end(),
        " Outer no git repository · 0 past sessions (o)"
    );
    let tall = panel(&cockpit, 80, 5);
    assert!(tall.contains("No git repository here"), "{tall}");

    cockpit.project_mut().git_history = Some(GitHistory {
        branch: Some("main".into()),
        ..GitHistory::default()
    });
    let line = panel(&cockpit, 80, 1);
    assert_eq!(
        line.trim_end(),
        " Outer ⎇ main (no commits yet) · 0 past sessions (o)"
    );

    let mut detached = history();
    detached.branch = None;
    detached.upstream = None;
    detached.commits_total = 1;
    cockpit.project_mut().git_history = Some(detached);
    let line = panel(&cockpit, 40, 1);
    assert_eq!(line.trim_end(), " Outer ⎇ detached 4f2a9c1 · 1 commit th…");
}

#[test]
fn the_outer_overlay_shows_the_git_history_above_past_sessions() {
    let mut cockpit = cockpit();
    cockpit.project_mut().git_history = Some(history());
    cockpit.project_mut().past_sessions = past_sessions();
    cockpit.apply(Action::OuterLoop, false);
    let small = screen(&cockpit, 80, 24);
    let git_at = small.find("⎇ main").expect("git section");
    let past_at = small.find("claude-opus-4-6").expect("past sessions");
    assert!(git_at < past_at, "{small}");
    insta::assert_snapshot!("outer_overlay_80x24", small);
    insta::assert_snapshot!("outer_overlay_200x60", screen(&cockpit, 200, 60));
}

/// Learnings of past sessions in the `o` overlay, newest first, and `/`
/// narrowing them to the ones holding every word typed.
#[test]
fn the_outer_overlay_lists_and_searches_past_learnings() {
    use cockpit::store::learnings::PastLearning;
    let mut cockpit = cockpit();
    cockpit.project_mut().past_sessions = past_sessions();
    let learning = |when: i64, session: &str, text: &str| PastLearning {
        when,
        session: session.into(),
        text: text.into(),
    };
    cockpit.project_mut().past_learnings = vec![
        learning(
            NOW - HOUR,
            "7f3a9c21",
            "the CI cache lives in target/, clear it after a toolchain bump",
        ),
        learning(
            NOW - HOUR,
            "7f3a9c21",
            "run the live tests one at a time: each holds inotify instances",
        ),
        learning(
            NOW - 30 * HOUR,
            "0b12de44",
            "migrations before tests, or the fixtures are stale",
        ),
    ];
    let keys = cockpit::config::Keys::default();
    let press = |cockpit: &mut Cockpit, code: crossterm::event::KeyCode| {
        let event = crossterm::event::Event::Key(crossterm::event::KeyEvent::new(
            code,
            crossterm::event::KeyModifiers::NONE,
        ));
        if let Some(action) = cockpit::action::resolve(&event, cockpit.mode(), &keys) {
            cockpit.apply(action, false);
        }
    };
    cockpit.apply(Action::OuterLoop, false);
    assert_eq!(cockpit.mode(), Mode::Outer);
    let all = screen(&cockpit, 80, 24);
    assert!(
        all.contains("Learnings · 3 from past sessions, newest first"),
        "{all}"
    );
    let first = all.find("the CI cache").expect("newest learning");
    let oldest = all.find("migrations before").expect("oldest learning");
    assert!(first < oldest, "{all}");

    press(&mut cockpit, crossterm::event::KeyCode::Char('/'));
    assert_eq!(cockpit.mode(), Mode::Search);
    for c in "TESTS one".chars() {
        press(&mut cockpit, crossterm::event::KeyCode::Char(c));
    }
    let found = screen(&cockpit, 80, 24);
    assert!(found.contains("1 of 3"), "{found}");
    assert!(
        found.contains("run the live tests one at a time"),
        "{found}"
    );
    assert!(!found.contains("migrations before"), "{found}");
    insta::assert_snapshot!("outer_overlay_learnings_search_80x24", found);
    // Enter keeps the filter and gives the keys back; Esc (any key) closes.
    press(&mut cockpit, crossterm::event::KeyCode::Enter);
    assert_eq!(cockpit.mode(), Mode::Outer);
    assert!(screen(&cockpit, 80, 24).contains("1 of 3"));
    press(&mut cockpit, crossterm::event::KeyCode::Esc);
    assert_eq!(cockpit.mode(), Mode::Normal);
    cockpit.apply(Action::OuterLoop, false);
    assert!(screen(&cockpit, 80, 24).contains("3 from past sessions"));
}

fn run(kind: ValidationKind, outcome: Outcome) -> ValidationRun {
    ValidationRun {
        tool_id: "t".into(),
        kind,
        command: "cargo test".into(),
        outcome,
        counts: None,
        exit_code: None,
        started: None,
        ended: None,
    }
}

fn stats_cockpit() -> Cockpit {
    let mut cockpit = cockpit();
    let main = cockpit.project().sessions[0]
        .source
        .path
        .to_string_lossy()
        .into_owned();
    let sub = cockpit.project().sessions[1]
        .source
        .path
        .to_string_lossy()
        .into_owned();
    cockpit.project_mut().validation_runs = vec![
        (main.clone(), run(ValidationKind::Test, Outcome::Failed)),
        (main.clone(), run(ValidationKind::Test, Outcome::Passed)),
        (main.clone(), run(ValidationKind::Lint, Outcome::Passed)),
        (main.clone(), run(ValidationKind::Build, Outcome::Passed)),
        (sub.clone(), run(ValidationKind::Test, Outcome::Unknown)),
    ];
    let alert = |pattern, session: Option<&str>, acknowledged| {
        let mut alert = Alert::new(pattern, session, None, "message", "what to do");
        alert.acknowledged = acknowledged;
        alert
    };
    cockpit.alert_log = vec![
        alert(Pattern::DebugLoopSpiral, Some(&main), true),
        alert(Pattern::TestsPassingLie, Some(&main), false),
        alert(Pattern::ContextAmnesia, Some(&sub), false),
        alert(Pattern::AgentWorkspaceCollision, None, false),
    ];
    cockpit
}

#[test]
fn the_stats_view_at_two_sizes() {
    let mut cockpit = stats_cockpit();
    assert!(
        cockpit.project().sessions[0].zone_time.total() > 0,
        "the fixture has readings"
    );
    cockpit.apply(Action::Stats, false);
    assert_eq!(cockpit.mode(), Mode::Help);
    let small = screen(&cockpit, 80, 24);
    assert!(small.contains("3/4"), "{small}");
    assert!(small.contains("75%"), "main: 3 of 4 runs passed\n{small}");
    insta::assert_snapshot!("stats_80x24", small);
    insta::assert_snapshot!("stats_200x60", screen(&cockpit, 200, 60));
    // The zone bar takes the zone's colour (the fixture stays green).
    let wide = render_with(200, 60, |frame, ctx| {
        ui::draw(frame, &cockpit, ctx);
    });
    let row = (0..60)
        .find(|&y| {
            (0..200)
                .map(|x| wide[(x, y)].symbol())
                .collect::<String>()
                .contains(" total ")
        })
        .expect("a total row");
    let bar = (0..200)
        .find(|&x| wide[(x, row)].symbol() == "█")
        .expect("a zone bar");
    assert_eq!(wide[(bar, row)].fg, ratatui::style::Color::Green);
    cockpit.apply(Action::Close, false);
    assert!(cockpit.view.overlay.is_none());
    assert_eq!(cockpit.mode(), Mode::Normal);
}

#[test]
fn the_stats_view_keeps_the_total_when_transcripts_overflow() {
    let mut cockpit = stats_cockpit();
    let sub = cockpit.project().sessions[1].clone();
    for _ in 0..30 {
        cockpit.project_mut().sessions.push(sub.clone());
    }
    cockpit.apply(Action::Stats, false);
    let small = screen(&cockpit, 80, 24);
    assert!(small.contains("more transcripts (in the total)"), "{small}");
    // 32 transcripts of 6 and 16 calls: 6 + 31 * 16.
    let total = small.lines().find(|l| l.contains(" total ")).unwrap();
    assert!(total.contains(" 502 "), "{small}");
}

#[test]
fn the_stats_view_with_nothing_yet() {
    let mut cockpit = Cockpit::new("app".into(), None, 0);
    cockpit.apply(Action::Stats, false);
    let small = screen(&cockpit, 80, 24);
    assert!(
        small.contains("no test, lint, type-check or build run seen yet"),
        "{small}"
    );
    assert!(small.contains("Alerts: none raised"), "{small}");
}
