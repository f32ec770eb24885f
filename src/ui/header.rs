//! The top line: project, branch, agent, model, session, elapsed time.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::state::Cockpit;
use crate::text::{duration, escape_control, truncate_width};
use unicode_width::UnicodeWidthStr;

use super::kit::ViewContext;

/// A session with no line for this long is shown as idle.
const IDLE_AFTER_MS: i64 = 5 * 60 * 1000;

pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let sep = Span::styled(" │ ", theme.dim());
    let mut spans = vec![
        Span::styled(" cockpit ", theme.title().add_modifier(Modifier::REVERSED)),
        Span::raw(" "),
    ];
    if cockpit.approvals_off.is_some() {
        // First, so a narrow screen never cuts it: the agent's calls do not
        // reach this cockpit (they go to the agent's own prompt instead).
        spans.push(Span::styled(
            " approvals OFF ",
            Style::new()
                .fg(theme.colors.red)
                .add_modifier(Modifier::REVERSED | Modifier::BOLD),
        ));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(
        escape_control(&cockpit.project().name),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let session = cockpit.current();
    let branch = cockpit
        .project()
        .git_branch
        .clone()
        .or_else(|| session.and_then(|s| s.meta.git_branch.clone()));
    if let Some(branch) = branch {
        spans.push(Span::styled(
            format!(" ⎇ {}", escape_control(&branch)),
            theme.dim(),
        ));
    }
    match session {
        Some(session) => {
            spans.push(sep.clone());
            spans.push(Span::raw(session.source.kind.label()));
            if let Some(model) = &session.meta.model {
                spans.push(sep.clone());
                spans.push(Span::styled(
                    escape_control(model),
                    Style::new().fg(theme.colors.accent),
                ));
            }
            if let Some(first) = session.first_seen {
                let last = session.last_seen.unwrap_or(first);
                let idle = ctx.now - last;
                spans.push(sep.clone());
                if idle > IDLE_AFTER_MS {
                    // A fixed figure, so an idle screen has nothing to redraw.
                    let since = crate::clock::time_of_day(last);
                    spans.push(Span::raw(format!(
                        "{} · idle since {}",
                        duration(last - first),
                        &since[..5]
                    )));
                } else {
                    spans.push(Span::raw(coarse(ctx.now - first)));
                }
            }
            // After the elapsed time: on a narrow screen the id is cut first.
            spans.push(sep.clone());
            spans.push(Span::styled(
                escape_control(&session.short_id()),
                theme.dim(),
            ));
        }
        None => {
            spans.push(sep);
            spans.push(Span::styled("no agent session yet", theme.dim()));
        }
    }
    let line = fit(spans, area.width as usize);
    frame.render_widget(Paragraph::new(line), area);
}

/// Minutes resolution, so the header does not force a redraw every second.
fn coarse(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    if minutes < 60 {
        format!("{minutes}m")
    } else {
        format!("{}h{:02}m", minutes / 60, minutes % 60)
    }
}

/// Cuts the last spans to fit; the project and agent stay.
fn fit(spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let mut used = 0;
    let mut out = Vec::new();
    for span in spans {
        let w = span.width();
        if used + w <= width {
            used += w;
            out.push(span);
        } else {
            let room = width.saturating_sub(used);
            if room > 2 {
                out.push(Span::styled(
                    truncate_width(&span.content, room),
                    span.style,
                ));
            }
            break;
        }
    }
    Line::from(out)
}

/// The banner as rows: its ` · ` parts packed whole onto each (a command
/// in it is copied from the screen), a part wider than a row wrapped.
fn banner_lines(text: &str, width: u16, style: Style) -> Vec<Line<'static>> {
    let room = usize::from(width);
    let mut rows: Vec<String> = Vec::new();
    for part in escape_control(text).split(" · ") {
        match rows.last_mut() {
            Some(row) if row.width() + 3 + part.width() <= room => {
                row.push_str(" · ");
                row.push_str(part);
            }
            Some(row) => {
                row.push_str(" ·");
                rows.push(format!(" {part}"));
            }
            None => rows.push(format!(" {part}")),
        }
    }
    let lines = rows.into_iter().map(|r| Line::styled(r, style)).collect();
    super::wrap::rows(lines, width)
}

/// Rows the banner takes, up to three.
pub fn banner_rows(text: &str, width: u16) -> u16 {
    (banner_lines(text, width, Style::new()).len() as u16).min(3)
}

pub fn draw_banner(frame: &mut Frame, area: Rect, text: &str, ctx: &ViewContext) {
    let style = Style::new()
        .fg(ctx.theme.colors.accent)
        .add_modifier(Modifier::ITALIC);
    let mut rows = banner_lines(text, area.width, style);
    if rows.len() > usize::from(area.height) {
        // Not all the room it wants: fill what it has instead.
        let line = Line::styled(format!(" {}", escape_control(text)), style);
        rows = super::wrap::rows(vec![line], area.width);
    }
    frame.render_widget(Paragraph::new(rows), area);
}
