//! The context gauge: a bar with the zones drawn on it, the 40% mark, the
//! settled figure in the zone's colour and the estimated pending segment.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::config::GaugeConfig;
use crate::state::Session;
use crate::state::gauge::Zone;
use crate::text::{compact_count, thousands};

use super::kit::ViewContext;
use super::theme::Theme;

pub fn draw(frame: &mut Frame, area: Rect, session: Option<&Session>, ctx: &ViewContext) {
    if area.height < 4 {
        return draw_short(frame, area, session, ctx);
    }
    let theme = ctx.theme;
    let config = &ctx.config.gauge;
    let mut title = vec![Span::styled(" Context ", theme.title())];
    if let Some(session) = session {
        let gauge = &session.gauge;
        let window = gauge.window(config);
        // A window nobody reported and the table does not know is a guess:
        // say so rather than present it as the agent's.
        let assumed = match gauge.window_source(config) {
            crate::state::gauge::WindowSource::Assumed => "(assumed: model not in the table) ",
            _ => "",
        };
        title.push(Span::styled(
            format!(
                "{} window {assumed}",
                compact_count(window).replace(".0", "")
            ),
            theme.dim(),
        ));
        if gauge.settled.is_some() || gauge.pending > 0 {
            let zone = gauge.zone(config);
            title.push(Span::styled(
                format!("· {} ", zone.label()),
                Style::new().fg(theme.zone(zone)),
            ));
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(false))
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let bar_area = Rect { height: 1, ..inner };
    let text_area = Rect {
        y: inner.y + 1,
        height: inner.height.saturating_sub(1),
        ..inner
    };
    let Some(session) = session else {
        frame.render_widget(Bar::empty(config, theme), bar_area);
        frame.render_widget(
            Paragraph::new(Span::styled(" waiting for a transcript…", theme.dim())),
            text_area,
        );
        return;
    };
    let gauge = &session.gauge;
    let window = gauge.window(config).max(1);
    frame.render_widget(
        Bar {
            settled: gauge.settled.unwrap_or(0) as f64 / window as f64,
            pending: gauge.pending as f64 / window as f64,
            zone: gauge.zone(config),
            config,
            theme,
        },
        bar_area,
    );
    frame.render_widget(Paragraph::new(figures(session, config, theme)), text_area);
}

/// A short screen's gauge: the border goes first, then the figures' row;
/// the bar, and the percentage beside it, stay.
fn draw_short(frame: &mut Frame, area: Rect, session: Option<&Session>, ctx: &ViewContext) {
    let (theme, config) = (ctx.theme, &ctx.config.gauge);
    let mut rows = area;
    if area.height >= 3 {
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(theme.border(false))
            .title(Span::styled(" Context ", theme.title()));
        rows = block.inner(area);
        frame.render_widget(block, area);
    }
    let Some(session) = session else {
        frame.render_widget(Bar::empty(config, theme), Rect { height: 1, ..rows });
        return;
    };
    let gauge = &session.gauge;
    let percent = match gauge.settled {
        Some(_) => format!("{:>3.0}% ", gauge.percent(config)),
        None => " -  ".into(),
    };
    let label = Span::styled(
        percent,
        Style::new()
            .fg(theme.zone(gauge.zone(config)))
            .add_modifier(Modifier::BOLD),
    );
    let label_width = label.width() as u16;
    frame.render_widget(Paragraph::new(label), Rect { height: 1, ..rows });
    let window = gauge.window(config).max(1);
    let bar = Rect {
        x: rows.x + label_width,
        width: rows.width.saturating_sub(label_width),
        height: 1,
        ..rows
    };
    frame.render_widget(
        Bar {
            settled: gauge.settled.unwrap_or(0) as f64 / window as f64,
            pending: gauge.pending as f64 / window as f64,
            zone: gauge.zone(config),
            config,
            theme,
        },
        bar,
    );
    if rows.height >= 2 {
        let text = Rect {
            y: rows.y + 1,
            height: 1,
            ..rows
        };
        frame.render_widget(Paragraph::new(figures(session, config, theme)), text);
    }
}

fn figures(session: &Session, config: &GaugeConfig, theme: &Theme) -> Line<'static> {
    let gauge = &session.gauge;
    let zone_style = Style::new()
        .fg(theme.zone(gauge.zone(config)))
        .add_modifier(Modifier::BOLD);
    let sep = || Span::styled(" · ", theme.dim());
    let mut spans = vec![Span::raw(" ")];
    match gauge.settled {
        Some(tokens) => {
            spans.push(Span::styled(thousands(tokens), zone_style));
            spans.push(Span::styled(
                format!("/{}", thousands(gauge.window(config))),
                theme.dim(),
            ));
            spans.push(sep());
            spans.push(Span::styled(
                format!("{:.0}%", gauge.percent(config)),
                zone_style,
            ));
        }
        None if gauge.awaiting_reply_after_compaction => {
            spans.push(Span::styled(
                "compacted, waiting for the next reply",
                zone_style,
            ));
        }
        None if !session.caught_up => spans.push(Span::styled("reading history…", theme.dim())),
        None => spans.push(Span::styled("no usage reported yet", theme.dim())),
    }
    if gauge.pending > 0 {
        spans.push(sep());
        spans.push(Span::styled(
            format!("+{} pending (est.)", compact_count(gauge.pending)),
            Style::new().fg(theme.colors.pending),
        ));
    }
    if gauge.peak > 0 {
        spans.push(sep());
        spans.push(Span::raw(format!("peak {}", thousands(gauge.peak))));
    }
    spans.push(sep());
    spans.push(Span::raw(match gauge.compactions {
        1 => "1 compaction".to_string(),
        n => format!("{n} compactions"),
    }));
    Line::from(spans)
}

/// The bar itself, one cell per 1/width of the window.
struct Bar<'a> {
    settled: f64,
    pending: f64,
    zone: Zone,
    config: &'a GaugeConfig,
    theme: &'a Theme,
}

impl<'a> Bar<'a> {
    fn empty(config: &'a GaugeConfig, theme: &'a Theme) -> Self {
        Self {
            settled: 0.0,
            pending: 0.0,
            zone: Zone::Green,
            config,
            theme,
        }
    }

    fn band_color(&self, percent: f64) -> Color {
        self.theme.zone(self.config.zone_of(percent))
    }
}

impl Widget for Bar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let width = f64::from(area.width.max(1));
        let settled_cells = (self.settled.min(1.0) * width).round() as u16;
        let total_cells = ((self.settled + self.pending).min(1.0) * width).round() as u16;
        let mark_cell = ((self.config.mark_at / 100.0) * width).floor() as u16;
        let fill = self.theme.zone(self.zone);
        for i in 0..area.width {
            let percent = (f64::from(i) + 0.5) * 100.0 / width;
            let (symbol, style) = if i < settled_cells {
                ("█", Style::new().fg(fill))
            } else if i < total_cells {
                ("▒", Style::new().fg(self.theme.colors.pending))
            } else {
                // The empty part shows where each zone lies, dimmed.
                (
                    "╌",
                    Style::new()
                        .fg(self.band_color(percent))
                        .add_modifier(Modifier::DIM),
                )
            };
            let (symbol, style) = if i == mark_cell && mark_cell > 0 {
                let bg = if i < total_cells { Some(fill) } else { None };
                let mut mark = Style::new().fg(Color::White).add_modifier(Modifier::BOLD);
                if let Some(bg) = bg {
                    mark = mark.bg(bg).fg(Color::Black);
                }
                ("┃", mark)
            } else {
                (symbol, style)
            };
            if let Some(cell) = buf.cell_mut((area.x + i, area.y)) {
                cell.set_symbol(symbol).set_style(style);
            }
        }
    }
}
