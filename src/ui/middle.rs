//! The middle loop: every agent working in this project side by side (the
//! sessions followed, their subagents), each with what it was asked, what it
//! is doing, its own small gauge, its calls and how long it has run. The
//! selected row is the session the rest of the screen shows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::state::{Activity, Cockpit, Focus, Session};
use crate::text::{duration, escape_control, truncate_width};

use super::kit::ViewContext;
use super::theme::Theme;

/// Cells of each row's gauge bar.
const BAR: usize = 8;

/// Rows the panel wants: one per agent (up to `max_rows`), a header row when
/// there is room for one, and the border.
pub fn height(cockpit: &Cockpit, max_rows: u16, header: bool) -> u16 {
    let agents = (cockpit.project().sessions.len().max(1) as u16).min(max_rows);
    agents + 2 + u16::from(header)
}

fn activity_style(theme: &Theme, activity: Activity) -> Style {
    match activity {
        Activity::Working => Style::new().fg(theme.colors.green),
        Activity::Starting => Style::new().fg(theme.colors.yellow),
        Activity::WaitingApproval => Style::new()
            .fg(theme.colors.orange)
            .add_modifier(Modifier::BOLD),
        Activity::Idle => Style::new().fg(theme.colors.dim),
        Activity::Ended => Style::new().fg(theme.colors.dim),
    }
}

fn counts(cockpit: &Cockpit) -> String {
    let mut working = 0;
    let mut waiting = 0;
    for i in 0..cockpit.project().sessions.len() {
        match cockpit.activity(i) {
            Activity::Working => working += 1,
            Activity::WaitingApproval => waiting += 1,
            _ => {}
        }
    }
    let mut text = format!(
        "{} agent{}",
        cockpit.project().sessions.len(),
        if cockpit.project().sessions.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    if working > 0 {
        text.push_str(&format!(", {working} working"));
    }
    if waiting > 0 {
        text.push_str(&format!(", {waiting} waiting for approval"));
    }
    text
}

fn gauge_spans(session: &Session, ctx: &ViewContext) -> Vec<Span<'static>> {
    let gauge = &session.gauge;
    let config = &ctx.config.gauge;
    if gauge.settled.is_none() {
        return vec![Span::styled(format!("{:─<BAR$}   - ", ""), ctx.theme.dim())];
    }
    let percent = gauge.percent(config);
    let color = ctx.theme.zone(gauge.zone(config));
    let filled = ((percent / 100.0 * BAR as f64).round() as usize).min(BAR);
    vec![
        Span::styled("█".repeat(filled), Style::new().fg(color)),
        Span::styled("─".repeat(BAR - filled), ctx.theme.dim()),
        Span::styled(format!(" {percent:>3.0}%"), Style::new().fg(color)),
    ]
}

fn elapsed(session: &Session, activity: Activity, now: i64) -> String {
    let (Some(first), Some(last)) = (session.first_seen, session.last_seen) else {
        return String::new();
    };
    if first == last && activity != Activity::Working {
        return String::new();
    }
    let end = if activity == Activity::Working {
        now.max(last)
    } else {
        last
    };
    duration((end - first) / 1000 * 1000)
}

/// The name column: `main 4d5611e5` or `└ a2898e3` under its session.
fn name(session: &Session) -> String {
    let id = escape_control(&session.short_id());
    if session.is_main() {
        let kind = match session.source.kind {
            crate::agents::AgentKind::Claude => "claude",
            crate::agents::AgentKind::Codex => "codex",
        };
        format!("{kind} {id}")
    } else {
        format!("  └ {id}")
    }
}

pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let focused = cockpit.view.focus == Focus::Sessions;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(Line::from(vec![
            Span::styled(" Agents ", theme.title()),
            Span::styled(format!("{} ", counts(cockpit)), theme.dim()),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if cockpit.project().sessions.is_empty() {
        let text = " no agent session found for this project yet";
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), inner);
        return;
    }
    let width = inner.width as usize;
    let wide = width >= 90;
    let header = wide && inner.height as usize > cockpit.project().sessions.len();
    let name_width = if wide { 22 } else { 16 };
    let mut lines = Vec::new();
    if header && inner.height >= 2 {
        let head = format!(
            "  {:<name_width$} {:<9} {:<BAR$}      {:>11} {:>8}  asked",
            "agent", "state", "context", "calls", "ran"
        );
        lines.push(Line::from(Span::styled(
            truncate_width(&head, width),
            theme.dim(),
        )));
    }
    let rows = (inner.height as usize).saturating_sub(lines.len());
    let selected = cockpit.project().selected.unwrap_or(0);
    let order = cockpit.agent_order();
    let at = order.iter().position(|&i| i == selected).unwrap_or(0);
    let first = at.saturating_sub(rows.saturating_sub(1));
    for &i in order.iter().skip(first).take(rows) {
        let session = &cockpit.project().sessions[i];
        let activity = cockpit.activity(i);
        let marker = if i == selected { "▸ " } else { "  " };
        let calls = if wide {
            let failed = session.tools.failed;
            if failed > 0 {
                format!("{:>5} ✗{:<4}", session.tools.total, failed)
            } else {
                format!("{:>5}      ", session.tools.total)
            }
        } else {
            format!("{:>5}", session.tools.total)
        };
        let ran = elapsed(session, activity, ctx.now);
        let mut spans = vec![
            Span::raw(marker.to_string()),
            Span::raw(format!(
                "{:<name_width$} ",
                truncate_width(&name(session), name_width)
            )),
            Span::styled(
                format!("{:<9} ", activity.label()),
                activity_style(theme, activity),
            ),
        ];
        spans.extend(gauge_spans(session, ctx));
        spans.push(Span::styled(format!(" {calls} "), theme.dim()));
        if wide {
            spans.push(Span::styled(format!("{ran:>8}  "), theme.dim()));
        }
        let used: usize = spans
            .iter()
            .map(|s| unicode_width::UnicodeWidthStr::width(s.content.as_ref()))
            .sum();
        let prompt = session
            .last_prompt
            .as_deref()
            .map(|p| crate::text::one_line(p, 300))
            .unwrap_or_default();
        spans.push(Span::raw(truncate_width(
            &prompt,
            width.saturating_sub(used),
        )));
        let mut line = Line::from(spans);
        if i == selected && focused {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One line for small screens with a single agent: its state and figures.
pub fn draw_line(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let mut spans = vec![Span::styled(" Agents ", theme.title())];
    match cockpit
        .project()
        .selected
        .and_then(|i| cockpit.project().sessions.get(i).map(|s| (i, s)))
    {
        Some((i, session)) => {
            let activity = cockpit.activity(i);
            spans.push(Span::raw(format!("{} ", name(session).trim())));
            spans.push(Span::styled(
                format!("{} ", activity.label()),
                activity_style(theme, activity),
            ));
            spans.extend(gauge_spans(session, ctx));
            spans.push(Span::styled(
                format!(
                    " · {} calls · {}",
                    session.tools.total,
                    elapsed(session, activity, ctx.now)
                ),
                theme.dim(),
            ));
        }
        None => spans.push(Span::styled("no agent session yet", theme.dim())),
    }
    let line = super::kit::truncate_spans(Line::from(spans), area.width as usize);
    frame.render_widget(Paragraph::new(line), area);
}
