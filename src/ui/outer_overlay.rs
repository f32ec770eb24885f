//! The `o` overlay: the outer loop whole (git history, past sessions of this
//! repository, newest first) and their learnings at the bottom.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::clock::date_time;
use crate::loops::git_history::GitHistory;
use crate::state::Cockpit;
use crate::text::{duration, escape_control, truncate_width};

use super::kit::ViewContext;
use super::outer::{branch_line, commit_lines, session_line, week_label, weeks_line};
use super::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let width = area.width.saturating_sub(4).clamp(20, 150);
    let height = area.height.saturating_sub(2).max(5);
    let popup = super::kit::popup(frame, area, width, height);
    let name = if cockpit.project().git_history.is_some() {
        " Outer loop · git history · past sessions "
    } else {
        " Outer loop · past sessions "
    };
    let stored = cockpit.project().past_sessions.len();
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
    let share =
        if cockpit.view.learning_search.query.is_empty() && !cockpit.view.learning_search.typing {
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
    if let Some(history) = &cockpit.project().git_history {
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
    if cockpit.project().past_sessions.is_empty() {
        let text = match &cockpit.not_kept {
            Some(why) => format!("No stored session: this one is not kept ({why})."),
            None => {
                "No stored session yet: this one is saved on quit (see `cockpit sessions`).".into()
            }
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), inner);
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
    for past in cockpit
        .project()
        .past_sessions
        .iter()
        .take(inner.height as usize)
    {
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
