//! The outer loop (weeks to months): past sessions of this repository, read
//! from the cockpit's git refs, newest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::clock::date_time;
use crate::state::Cockpit;
use crate::text::{duration, escape_control, truncate_width};

use super::ViewContext;

pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let width = area.width.saturating_sub(4).clamp(20, 150);
    let height = area.height.saturating_sub(2).max(5);
    let popup = super::popup(frame, area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Line::from(vec![
            Span::styled(" Outer loop · past sessions ", theme.title()),
            Span::styled(
                format!("{} stored · any key closes ", cockpit.past_sessions.len()),
                theme.dim(),
            ),
        ]));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
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
