//! The alerts strip: failure patterns named as they happen, with the factor
//! that prevents each and what to do; `x` acknowledges them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::config::KeyName;
use crate::state::Cockpit;
use crate::text::{escape_control, truncate_width};

use super::kit::ViewContext;

/// Rows the strip needs (0 when nothing is unacknowledged): the newest two,
/// or one on a short screen, where the feed needs the room.
pub fn height(cockpit: &Cockpit, screen_height: u16) -> u16 {
    let most = if screen_height < 30 { 1 } else { 2 };
    match cockpit.alerts.len() {
        0 => 0,
        n => (n as u16).min(most) + 2,
    }
}

pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let key = ctx
        .config
        .keys
        .acknowledge
        .first()
        .map(KeyName::label)
        .unwrap_or_default();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(theme.colors.red))
        .title(Line::from(vec![
            Span::styled(" Alerts ", theme.title()),
            Span::styled(
                format!("{} · {key} acknowledges ", cockpit.alerts.len()),
                theme.dim(),
            ),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let lines: Vec<Line> = cockpit
        .alerts
        .iter()
        .rev()
        .take(inner.height as usize)
        .map(|alert| {
            let head = format!("⚠ {} ({}) ", alert.pattern.name(), alert.factor);
            let rest = format!("{} → {}", alert.message, alert.what_to_do);
            let room = width.saturating_sub(unicode_width::UnicodeWidthStr::width(head.as_str()));
            Line::from(vec![
                Span::styled(
                    head,
                    // Blinks (the terminal does it: no redraws) until `x`.
                    Style::new()
                        .fg(theme.colors.red)
                        .add_modifier(Modifier::BOLD | Modifier::SLOW_BLINK),
                ),
                Span::raw(truncate_width(&escape_control(&rest), room)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
