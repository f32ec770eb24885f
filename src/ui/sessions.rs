//! The followed transcripts, when there is more than one: pick which is shown.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::state::{Cockpit, Focus};
use crate::text::{escape_control, truncate_width};

use super::ViewContext;

pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let focused = cockpit.focus == Focus::Sessions;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(Line::from(vec![
            Span::styled(" Transcripts ", theme.title()),
            Span::styled(format!("{} followed ", cockpit.sessions.len()), theme.dim()),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = inner.height as usize;
    let selected = cockpit.selected.unwrap_or(0);
    let first = selected.saturating_sub(rows.saturating_sub(1));
    let width = inner.width as usize;
    let lines: Vec<Line> = cockpit
        .sessions
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, session)| {
            let gauge = &session.gauge;
            let zone = gauge.zone(&ctx.config.gauge);
            let role = if session.is_main() {
                "session "
            } else {
                "  └ agent"
            };
            let percent = if gauge.settled.is_some() {
                format!("{:>3.0}%", gauge.percent(&ctx.config.gauge))
            } else {
                "  - ".to_string()
            };
            let prompt = session
                .last_prompt
                .as_deref()
                .map(|p| crate::text::one_line(p, 200))
                .unwrap_or_default();
            let marker = if i == selected { "▸" } else { " " };
            let head = format!(
                "{marker} {role} {:<10} {:<11}",
                truncate_width(&escape_control(&session.short_id()), 10),
                session.source.kind.label()
            );
            let tail = format!(" {:>5} calls  ", session.tools.total);
            let room = width.saturating_sub(head.chars().count() + 5 + tail.chars().count());
            let mut line = Line::from(vec![
                Span::raw(head),
                Span::styled(percent, Style::new().fg(theme.zone(zone))),
                Span::styled(tail, theme.dim()),
                Span::raw(truncate_width(&prompt, room)),
            ]);
            if i == selected && focused {
                line = line.style(theme.selected());
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
