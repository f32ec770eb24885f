//! The outer loop (weeks to months): the git history of the session's time
//! (branch, upstream, commits, commits per week) and past sessions of this
//! repository, read from the cockpit's git refs, newest first. A panel for
//! the main screen ([`draw_panel`]) and the `o` overlay ([`draw`]).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::clock::{date_time, time_of_day};
use crate::loops::git_history::{CommitInfo, GitHistory, WeekCount};
use crate::state::Cockpit;
use crate::text::{duration, escape_control, truncate_width};

use super::{Theme, ViewContext};

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
    let Some(history) = &cockpit.git_history else {
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
    match &cockpit.git_history {
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
    match cockpit.past_sessions.len() {
        1 => "1 past session".to_string(),
        n => format!("{n} past sessions"),
    }
}

fn branch_line(history: &GitHistory, theme: &Theme, width: usize) -> Line<'static> {
    let mut text = branch_text(history);
    if history.branch.is_some()
        && let Some(head) = &history.head
    {
        text = format!("{text} · HEAD {head}");
    }
    Line::from(Span::styled(truncate_width(&text, width), theme.title()))
}

/// `This session: 3 commits, 7 files, +120 −14`.
fn session_line(history: &GitHistory, theme: &Theme, width: usize) -> Line<'static> {
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
fn commit_lines(
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
fn weeks_line(weeks: &[WeekCount], theme: &Theme, width: usize) -> Line<'static> {
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
    let past = &cockpit.past_sessions;
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

/// The git section of the overlay: branch, the weeks with their counts, and
/// the session's commits (at most `rows` lines in all).
fn overlay_git_lines(
    history: &GitHistory,
    theme: &Theme,
    width: usize,
    rows: usize,
) -> Vec<Line<'static>> {
    let mut lines = vec![
        branch_line(history, theme, width),
        session_line(history, theme, width),
    ];
    if !history.weeks.is_empty() {
        let counts: Vec<String> = history
            .weeks
            .iter()
            .map(|w| format!("{} {}", week_label(w.start), w.commits))
            .collect();
        lines.push(weeks_line(&history.weeks, theme, width));
        lines.push(Line::from(Span::styled(
            truncate_width(&format!("  {}", counts.join(" · ")), width),
            theme.dim(),
        )));
    }
    let room = rows.saturating_sub(lines.len());
    let commits = commit_lines(history, theme, width, room);
    lines.splice(2..2, commits);
    lines.truncate(rows);
    lines
}

/// `11-30`: the week's Monday in UTC, as the buckets are (local time
/// could name the Sunday before).
fn week_label(start: crate::clock::Millis) -> String {
    match time::OffsetDateTime::from_unix_timestamp(start.div_euclid(1000)) {
        Ok(day) => format!("{:02}-{:02}", u8::from(day.month()), day.day()),
        Err(_) => "?".into(),
    }
}

/// Rows the tall panel would use to show everything it has (borders
/// included), for a layout deciding how much room to give it; at most
/// `max_commits` rows of commits (the "… more" row among them).
pub fn panel_height(cockpit: &Cockpit, max_commits: usize) -> u16 {
    let rows = match &cockpit.git_history {
        None => 2,
        Some(history) => {
            let more = usize::from(history.commits_total > history.commits.len());
            4 + (history.commits.len() + more).min(max_commits)
        }
    };
    rows as u16 + 2
}

pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let width = area.width.saturating_sub(4).clamp(20, 150);
    let height = area.height.saturating_sub(2).max(5);
    let popup = super::popup(frame, area, width, height);
    let name = if cockpit.git_history.is_some() {
        " Outer loop · git history · past sessions "
    } else {
        " Outer loop · past sessions "
    };
    let stored = cockpit.past_sessions.len();
    let mut hint = format!("{stored} stored · / searches learnings · any other key closes ");
    if name.chars().count() + hint.chars().count() + 2 > usize::from(width) {
        hint = format!("{stored} stored · / search ");
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Line::from(vec![
            Span::styled(name, theme.title()),
            Span::styled(hint, theme.dim()),
        ]));
    let mut inner = block.inner(popup);
    frame.render_widget(block, popup);
    // The learnings at the bottom: a third of the room, or half when searching.
    let share = if cockpit.learning_search.query.is_empty() && !cockpit.learning_search.typing {
        3
    } else {
        2
    };
    let below = super::learnings::wanted_rows(cockpit).min(inner.height / share);
    if below > 0 {
        inner.height -= below;
        let area = Rect {
            y: inner.y + inner.height,
            height: below,
            ..inner
        };
        super::learnings::draw(frame, area, cockpit, theme);
    }
    if let Some(history) = &cockpit.git_history {
        // At most half the room: the past sessions are the overlay's other half.
        let rows = (inner.height as usize / 2).max(1);
        let mut lines = overlay_git_lines(history, theme, inner.width as usize, rows);
        lines.push(Line::raw(""));
        let used = (lines.len() as u16).min(inner.height);
        frame.render_widget(
            Paragraph::new(lines),
            Rect {
                height: used,
                ..inner
            },
        );
        inner.y += used;
        inner.height -= used;
    }
    if cockpit.past_sessions.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "No stored session yet: this one is saved on quit (see `cockpit sessions`).",
                theme.dim(),
            )),
            inner,
        );
        return;
    }
    let row_width = inner.width as usize;
    let mut lines = vec![Line::from(Span::styled(
        truncate_width(
            "  id        when              took     agent        peak  calls appr  handoff",
            row_width,
        ),
        theme.dim(),
    ))];
    for past in cockpit.past_sessions.iter().take(inner.height as usize) {
        let mark = if past.finished { ' ' } else { '*' };
        let peak = past
            .peak_percent
            .map_or_else(|| "   -".to_string(), |p| format!("{p:>3}%"));
        let head = format!(
            "{mark} {:<8}  {:<16}  {:>7}  {:<11} {peak}  {:>5} {:>4}  ",
            past.id.chars().take(8).collect::<String>(),
            date_time(past.when),
            duration(past.duration_ms),
            truncate_width(&past.agent, 11),
            past.tool_calls,
            past.approvals,
        );
        let mut tail = escape_control(&past.handoff_line);
        if let Some(author) = &past.author {
            tail = format!("{tail} ({})", escape_control(author));
        }
        let room = row_width.saturating_sub(head.chars().count());
        lines.push(Line::from(vec![
            Span::raw(head),
            Span::styled(truncate_width(&tail, room), theme.dim()),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
