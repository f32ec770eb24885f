//! The outer loop (weeks to months): the git history of the session's time
//! (branch, upstream, commits, commits per week) and past sessions of this
//! repository, read from the cockpit's git refs, newest first. A panel for
//! the main screen ([`draw_panel`]); the `o` overlay is in `outer_overlay`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::clock::{date_time, time_of_day};
use crate::loops::git_history::{CommitInfo, GitHistory, WeekCount};
use crate::state::Cockpit;
use crate::text::{escape_control, truncate_width};

use super::kit::ViewContext;
use super::theme::Theme;

/// The outer loop panel, at any height: one line of essentials with no
/// border at height 1 or 2, else a box with the branch, the session's
/// commits, the weeks and the past sessions.
pub fn draw_panel(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    if area.height == 0 || area.width == 0 {
        return;
    }
    if area.height < 3 {
        let line = essentials(cockpit, theme, area.width as usize);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(false))
        .title(Line::from(vec![
            Span::styled(" Outer loop ", theme.title()),
            Span::styled("· weeks to months · o opens ", theme.dim()),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let rows = inner.height as usize;
    let past = past_line(cockpit, width);
    let Some(history) = &cockpit.project().git_history else {
        let mut lines = vec![
            Line::from(Span::styled(
                truncate_width(
                    "No git repository here: no branch or commits to show.",
                    width,
                ),
                theme.dim(),
            )),
            past,
        ];
        lines.truncate(rows);
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    };
    // The essentials first, then commits fill what is left.
    let mut lines = vec![
        branch_line(history, theme, width),
        session_line(history, theme, width),
    ];
    let tail: Vec<Line> = [past, weeks_line(&history.weeks, theme, width)]
        .into_iter()
        .take(rows.saturating_sub(2))
        .collect();
    let room = rows.saturating_sub(lines.len() + tail.len());
    lines.extend(commit_lines(history, theme, width, room));
    lines.extend(tail.into_iter().rev());
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One line: `Outer ⎇ main ↑2 ↓0 origin/main · 3 commits this session · 5 past sessions (o)`.
fn essentials(cockpit: &Cockpit, theme: &Theme, width: usize) -> Line<'static> {
    let mut parts = Vec::new();
    match &cockpit.project().git_history {
        None => parts.push("no git repository".to_string()),
        Some(history) => {
            parts.push(branch_text(history));
            if history.head.is_some() {
                parts.push(commits_text(history));
            }
        }
    }
    parts.push(past_text(cockpit));
    let text = format!("{} (o)", parts.join(" · "));
    Line::from(vec![
        Span::styled(" Outer ", theme.title()),
        Span::raw(truncate_width(&text, width.saturating_sub(7))),
    ])
}

/// `⎇ main ↑2 ↓0 origin/main`, `⎇ detached 1a2b3c4`, `⎇ main (no commits yet)`.
fn branch_text(history: &GitHistory) -> String {
    let name = match (&history.branch, &history.head) {
        (Some(branch), Some(_)) => escape_control(branch),
        (Some(branch), None) => return format!("⎇ {} (no commits yet)", escape_control(branch)),
        (None, head) => format!("detached {}", head.as_deref().unwrap_or("?")),
    };
    match &history.upstream {
        Some(upstream) => format!(
            "⎇ {name} ↑{} ↓{} {}",
            history.ahead,
            history.behind,
            escape_control(upstream)
        ),
        None if history.branch.is_some() => format!("⎇ {name} (no upstream)"),
        None => format!("⎇ {name}"),
    }
}

fn commits_text(history: &GitHistory) -> String {
    let plus = if history.truncated { "+" } else { "" };
    match history.commits_total {
        1 => "1 commit this session".to_string(),
        n => format!("{n}{plus} commits this session"),
    }
}

fn past_text(cockpit: &Cockpit) -> String {
    match cockpit.project().past_sessions.len() {
        1 => "1 past session".to_string(),
        n => format!("{n} past sessions"),
    }
}

pub(super) fn branch_line(history: &GitHistory, theme: &Theme, width: usize) -> Line<'static> {
    let mut text = branch_text(history);
    if history.branch.is_some()
        && let Some(head) = &history.head
    {
        text = format!("{text} · HEAD {head}");
    }
    Line::from(Span::styled(truncate_width(&text, width), theme.title()))
}

/// `This session: 3 commits, 7 files, +120 −14`.
pub(super) fn session_line(history: &GitHistory, theme: &Theme, width: usize) -> Line<'static> {
    if history.head.is_none() {
        return Line::from(Span::styled("No commits yet.", theme.dim()));
    }
    let shown = &history.commits;
    let (added, removed) = shown
        .iter()
        .fold((0, 0), |(a, r), c| (a + c.lines_added, r + c.lines_removed));
    let text = if history.commits_total == 0 {
        "This session: no commits yet".to_string()
    } else {
        let partial = if shown.len() < history.commits_total {
            format!(" (newest {})", shown.len())
        } else {
            String::new()
        };
        format!(
            "This session: {}, +{added} −{removed}{partial}",
            commits_text(history).trim_end_matches(" this session")
        )
    };
    Line::raw(truncate_width(&text, width))
}

/// Up to `room` rows: `14:02 1a2b3c4 summary  +12 −3`, the last row saying
/// how many more there are when they do not fit.
pub(super) fn commit_lines(
    history: &GitHistory,
    theme: &Theme,
    width: usize,
    room: usize,
) -> Vec<Line<'static>> {
    let commits = &history.commits;
    if room == 0 || commits.is_empty() {
        return Vec::new();
    }
    // One row: the newest commit (the line above already gives the count).
    let fits = if commits.len() > room && room > 1 {
        room - 1
    } else {
        room
    };
    let mut lines: Vec<Line> = commits
        .iter()
        .take(fits)
        .map(|c| commit_line(c, theme, width))
        .collect();
    let more = history.commits_total - lines.len();
    if more > 0 && lines.len() < room {
        lines.push(Line::from(Span::styled(
            format!("  … {more} more"),
            theme.dim(),
        )));
    }
    lines
}

fn commit_line(commit: &CommitInfo, theme: &Theme, width: usize) -> Line<'static> {
    let time: String = time_of_day(commit.at).chars().take(5).collect();
    let head = format!("{time} {} ", commit.short_id);
    let stat = format!(" +{} −{}", commit.lines_added, commit.lines_removed);
    let merge = if commit.merge && !commit.summary.starts_with("Merge") {
        "merge: "
    } else {
        ""
    };
    let room = width.saturating_sub(head.chars().count() + stat.chars().count());
    let summary = truncate_width(&format!("{merge}{}", escape_control(&commit.summary)), room);
    let pad = room.saturating_sub(unicode_width::UnicodeWidthStr::width(summary.as_str()));
    Line::from(vec![
        Span::styled(head, theme.dim()),
        Span::raw(summary),
        Span::raw(" ".repeat(pad)),
        Span::styled(stat, theme.dim()),
    ])
}

/// `Weeks ·▁▃█▂··▅ 23 commits in 8 weeks, 4 this week`.
pub(super) fn weeks_line(weeks: &[WeekCount], theme: &Theme, width: usize) -> Line<'static> {
    if weeks.is_empty() {
        return Line::from(Span::styled("Weeks: no commits yet", theme.dim()));
    }
    let total: usize = weeks.iter().map(|w| w.commits).sum();
    let this_week = weeks.last().map_or(0, |w| w.commits);
    let text = format!(
        " {total} commit{} in {} weeks, {this_week} this week",
        if total == 1 { "" } else { "s" },
        weeks.len()
    );
    Line::from(vec![
        Span::styled("Weeks ", theme.dim()),
        Span::styled(sparkline(weeks), theme.title()),
        Span::raw(truncate_width(&text, width.saturating_sub(6 + weeks.len()))),
    ])
}

/// One cell per week, height by count; `·` for a week with none.
pub fn sparkline(weeks: &[WeekCount]) -> String {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = weeks.iter().map(|w| w.commits).max().unwrap_or(0);
    weeks
        .iter()
        .map(|w| match w.commits {
            0 => '·',
            n => LEVELS[(n - 1) * (LEVELS.len() - 1) / max.max(1)],
        })
        .collect()
}

fn past_line(cockpit: &Cockpit, width: usize) -> Line<'static> {
    let past = &cockpit.project().past_sessions;
    let mut text = format!("Past: {}", past_text(cockpit));
    let unfinished = past.iter().filter(|p| !p.finished).count();
    if unfinished > 0 {
        text = format!("{text} ({unfinished} unfinished)");
    }
    if let Some(last) = past.first() {
        text = format!("{text} · last {}", date_time(last.when));
    }
    Line::raw(truncate_width(&text, width))
}

/// `11-30`: the week's Monday in UTC, as the buckets are (local time
/// could name the Sunday before).
pub(super) fn week_label(start: crate::clock::Millis) -> String {
    match time::OffsetDateTime::from_unix_timestamp(start.div_euclid(1000)) {
        Ok(day) => format!("{:02}-{:02}", u8::from(day.month()), day.day()),
        Err(_) => "?".into(),
    }
}

/// Rows the tall panel would use to show everything it has (borders
/// included), for a layout deciding how much room to give it; at most
/// `max_commits` rows of commits (the "… more" row among them).
pub fn panel_height(cockpit: &Cockpit, max_commits: usize) -> u16 {
    let rows = match &cockpit.project().git_history {
        None => 2,
        Some(history) => {
            let more = usize::from(history.commits_total > history.commits.len());
            4 + (history.commits.len() + more).min(max_commits)
        }
    };
    rows as u16 + 2
}
