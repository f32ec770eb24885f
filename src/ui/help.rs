//! The help overlay: keys, zones, and what each figure means.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::config::KeyName;
use crate::state::gauge::Zone;

use super::kit::ViewContext;

pub fn draw(frame: &mut Frame, area: Rect, ctx: &ViewContext) {
    let theme = ctx.theme;
    let keys = &ctx.config.keys;
    let gauge = &ctx.config.gauge;
    let names = |list: &[KeyName]| {
        list.iter()
            .map(KeyName::label)
            .collect::<Vec<_>>()
            .join(" ")
    };
    let key_line = |list: &[KeyName], what: &str| {
        Line::from(vec![
            Span::styled(format!("{:>12}  ", names(list)), theme.title()),
            Span::raw(what.to_string()),
        ])
    };
    let zone_line = |zone: Zone, range: String, meaning: &str| {
        Line::from(vec![
            Span::styled("  ████  ", Style::new().fg(theme.zone(zone))),
            Span::raw(format!("{range:<9} {meaning}")),
        ])
    };
    let lines = vec![
        key_line(&keys.quit, "quit (the terminal is restored)"),
        key_line(&keys.help, "this help"),
        key_line(&keys.focus_next, "next panel"),
        key_line(&keys.down, "down / newer"),
        key_line(&keys.up, "up / older"),
        key_line(&keys.page_down, "page down"),
        key_line(&keys.page_up, "page up"),
        key_line(&keys.top, "oldest"),
        key_line(&keys.bottom, "newest (follow)"),
        key_line(&keys.details, "details of the selected call"),
        key_line(&keys.learning, "write a learning into the session"),
        key_line(&keys.outer_loop, "outer loop: history, sessions, learnings"),
        key_line(&keys.stats, "stats: calls, validations, alerts, zones"),
        key_line(&keys.acknowledge, "acknowledge the alerts"),
        key_line(&keys.close, "close"),
        Line::raw(""),
        Line::from(Span::styled(" The 40% rule", theme.title())),
        zone_line(Zone::Green, format!("< {:.0}%", gauge.yellow_at), "optimal"),
        zone_line(
            Zone::Yellow,
            format!("{:.0}-{:.0}%", gauge.yellow_at, gauge.orange_at),
            "degradation begins",
        ),
        zone_line(
            Zone::Orange,
            format!("{:.0}-{:.0}%", gauge.orange_at, gauge.red_at),
            "instruction loss, drift",
        ),
        zone_line(
            Zone::Red,
            format!(">= {:.0}%", gauge.red_at),
            "confabulation: hand off, compact",
        ),
        // One line, so the whole help still fits 24 rows.
        Line::from(Span::styled(
            " Figures: the agent's reports; ▒ added since (tiktoken est.)",
            theme.dim(),
        )),
    ];
    let height = (lines.len() as u16 + 2).min(area.height);
    let width = 64.min(area.width);
    let popup = super::kit::popup(frame, area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Span::styled(
            " Help · any key closes · the wheel scrolls ",
            theme.title(),
        ));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
}
