//! The inner-loop feed: one row per tool call, newest at the bottom.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::clock::time_of_day;
use crate::config::KeyName;
use crate::state::tools::{ToolCall, ToolStatus};
use crate::state::{Cockpit, Focus};
use crate::text::{duration, escape_control, truncate_width};

use super::kit::ViewContext;

/// Draws the feed and returns how many rows it had room for.
pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) -> usize {
    let theme = ctx.theme;
    let session = cockpit.current();
    let focused = cockpit.view.focus == Focus::Tools;
    let mut title = vec![Span::styled(" Tool calls ", theme.title())];
    if let Some(session) = session {
        let tools = &session.tools;
        let mut counts = format!("{} calls", tools.total);
        if tools.failed > 0 {
            counts.push_str(&format!(", {} failed", tools.failed));
        }
        let running = tools.running();
        if running > 0 {
            counts.push_str(&format!(", {running} running"));
        }
        title.push(Span::styled(format!("{counts} "), theme.dim()));
        if cockpit.view.tool_pick.is_some() && !tools.calls().is_empty() {
            // Calls arriving do not move the choice: say how to follow again.
            let key = ctx.config.keys.bottom.first().map(KeyName::label);
            title.push(Span::styled(
                format!("· {} follows the newest ", key.unwrap_or_default()),
                theme.dim(),
            ));
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = inner.height as usize;
    let Some(session) = session else {
        return rows;
    };
    let calls = session.tools.calls();
    if calls.is_empty() {
        let text = if session.caught_up {
            " no tool calls yet"
        } else {
            " reading history…"
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), inner);
        return rows;
    }
    // Rows are counted from the newest; keep the cursor row on screen.
    let picked = cockpit.view.call_index(&session.tools).unwrap_or(0);
    let cursor = calls.len() - 1 - picked;
    let first_from_newest = cursor.saturating_sub(rows.saturating_sub(1));
    let newest_shown = calls.len() - 1 - first_from_newest;
    let oldest_shown = (newest_shown + 1).saturating_sub(rows);
    let width = inner.width as usize;
    let lines: Vec<Line> = (oldest_shown..=newest_shown)
        .map(|i| {
            let selected = calls.len() - 1 - i == cursor;
            row(&calls[i], width, selected && focused, selected, ctx)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
    rows
}

fn row(
    call: &ToolCall,
    width: usize,
    highlight: bool,
    selected: bool,
    ctx: &ViewContext,
) -> Line<'static> {
    let theme = ctx.theme;
    let (icon, icon_style) = theme.status(call.status);
    let time = call
        .started
        .map(time_of_day)
        .unwrap_or_else(|| "--:--:--".into());
    let took = call
        .duration_ms(ctx.now)
        .map(|ms| {
            if call.status == ToolStatus::Running {
                duration(ms / 1000 * 1000)
            } else {
                duration(ms)
            }
        })
        .unwrap_or_default();
    let status_word = match call.status {
        ToolStatus::Running => "running",
        ToolStatus::Ok => "ok",
        ToolStatus::Failed => "failed",
    };
    let compact = width < 70;
    let name = truncate_width(&escape_control(&call.name), 12);
    let tail = if compact {
        format!(" {took:>7}")
    } else {
        format!(" {status_word:<7} {took:>7}")
    };
    let head_width = if compact { 2 + 13 } else { 9 + 2 + 13 };
    let summary_width = width.saturating_sub(head_width + tail.chars().count());
    let summary = truncate_width(&call.summary, summary_width);
    let pad = summary_width.saturating_sub(unicode_width::UnicodeWidthStr::width(summary.as_str()));
    let mut spans = Vec::new();
    if !compact {
        spans.push(Span::styled(format!("{time} "), theme.dim()));
    }
    spans.push(Span::styled(format!("{icon} "), icon_style));
    spans.push(Span::styled(
        format!("{name:<12} "),
        Style::new().fg(theme.colors.accent),
    ));
    spans.push(Span::raw(summary));
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(tail, icon_style));
    let mut line = Line::from(spans);
    if highlight {
        line = line.style(theme.selected());
    } else if selected {
        line = line.style(Style::new().bg(ratatui::style::Color::Indexed(236)));
    }
    line
}
