//! The alerts strip: failure patterns named as they happen, with the factor
//! that prevents each and what to do; `x` acknowledges them. It lists every
//! agent's alerts (naming whose each is when several agents are followed):
//! one row each, the newest first; with focus, every alert in full, scrolled
//! with the movement keys.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::clock::time_of_day;
use crate::config::KeyName;
use crate::detect::Alert;
use crate::state::{Cockpit, Focus};
use crate::text::{escape_control, truncate_width};

use super::kit::ViewContext;

/// Unfocused, one row per alert, as many as the screen's height allows
/// (the feed needs the room on a short one).
fn most_rows(screen_height: u16) -> usize {
    match screen_height {
        0..30 => 1,
        30..40 => 2,
        _ => 4,
    }
}

fn focused(cockpit: &Cockpit) -> bool {
    cockpit.view.focus == Focus::Alerts && !cockpit.alerts.is_empty()
}

/// Rows the strip wants (0 when nothing is unacknowledged): a row per
/// alert shown, or with focus every alert in full, up to half the screen.
pub fn height(cockpit: &Cockpit, screen: Rect, ctx: &ViewContext) -> u16 {
    let n = cockpit.alerts.len();
    if n == 0 {
        return 0;
    }
    if focused(cockpit) {
        let rows = full_rows(cockpit, screen.width.saturating_sub(2), ctx).len() as u16;
        return (rows + 2).min((screen.height / 2).max(3));
    }
    n.min(most_rows(screen.height)) as u16 + 2
}

/// Whose alert it is, when more than one agent is followed.
fn owner(cockpit: &Cockpit, alert: &Alert) -> Option<String> {
    if cockpit.project().sessions.len() < 2 {
        return None;
    }
    Some(match &alert.session {
        None => "working tree".to_string(),
        Some(key) => cockpit
            .project()
            .sessions
            .iter()
            .find(|s| Cockpit::key_of(s) == *key)
            .map(|s| escape_control(&s.short_id()))
            .unwrap_or_else(|| "an agent no longer followed".into()),
    })
}

fn head_style(ctx: &ViewContext) -> Style {
    // Blinks (the terminal does it: no redraws) until `x`.
    Style::new()
        .fg(ctx.theme.colors.red)
        .add_modifier(Modifier::BOLD | Modifier::SLOW_BLINK)
}

/// Every alert in full, newest first: its name, whose and when, what was
/// seen, what to do; wrapped to `width`.
fn full_rows(cockpit: &Cockpit, width: u16, ctx: &ViewContext) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, alert) in cockpit.alerts.iter().rev().enumerate() {
        if i > 0 {
            lines.push(Line::raw(""));
        }
        let mut about = Vec::new();
        if let Some(owner) = owner(cockpit, alert) {
            about.push(format!("agent {owner}"));
        }
        if let Some(at) = alert.at {
            about.push(time_of_day(at));
        }
        let about = if about.is_empty() {
            String::new()
        } else {
            format!(" · {}", about.join(" · "))
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("⚠ {} ({})", alert.pattern.name(), alert.factor),
                head_style(ctx),
            ),
            Span::styled(about, ctx.theme.dim()),
        ]));
        lines.push(Line::raw(escape_control(&alert.message)));
        lines.push(Line::raw(format!(
            "→ {}",
            escape_control(&alert.what_to_do)
        )));
    }
    super::wrap::rows(lines, width)
}

fn first(names: &[KeyName]) -> String {
    names.first().map(KeyName::label).unwrap_or_default()
}

fn title(cockpit: &Cockpit, shown: usize, ctx: &ViewContext) -> Line<'static> {
    let keys = &ctx.config.keys;
    let n = cockpit.alerts.len();
    let mut parts = vec![n.to_string()];
    if shown < n && !focused(cockpit) {
        parts.push(format!("newest {shown} of {n}"));
    }
    if cockpit.project().sessions.len() > 1 {
        parts.push("all agents".into());
    }
    if focused(cockpit) {
        parts.push(format!("{}/{} scroll", first(&keys.down), first(&keys.up)));
        parts.push(format!("{} acknowledges", first(&keys.acknowledge)));
        parts.push(format!("{} leaves", first(&keys.focus_next)));
    } else {
        parts.push(format!("{} reads them", first(&keys.focus_next)));
        parts.push(format!("{} acknowledges", first(&keys.acknowledge)));
    }
    Line::from(vec![
        Span::styled(" Alerts ", ctx.theme.title()),
        Span::styled(format!("{} ", parts.join(" · ")), ctx.theme.dim()),
    ])
}

pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let inner = Block::default().borders(Borders::ALL).inner(area);
    let shown = cockpit.alerts.len().min(inner.height as usize);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(theme.colors.red))
        .title(title(cockpit, shown, ctx));
    frame.render_widget(block, area);
    if focused(cockpit) {
        let rows = full_rows(cockpit, inner.width, ctx);
        let max_scroll = (rows.len() as u16).saturating_sub(inner.height);
        let scroll = cockpit.view.alert_scroll.min(max_scroll);
        frame.render_widget(Paragraph::new(rows).scroll((scroll, 0)), inner);
        return;
    }
    let width = inner.width as usize;
    let lines: Vec<Line> = cockpit
        .alerts
        .iter()
        .rev()
        .take(inner.height as usize)
        .map(|alert| {
            let owner = owner(cockpit, alert)
                .map(|o| format!("{o} "))
                .unwrap_or_default();
            let head = format!("⚠ {} ({}) ", alert.pattern.name(), alert.factor);
            let rest = format!("{} → {}", alert.message, alert.what_to_do);
            let used = unicode_width::UnicodeWidthStr::width(format!("{owner}{head}").as_str());
            Line::from(vec![
                Span::styled(owner, Style::new().fg(theme.colors.accent)),
                Span::styled(head, head_style(ctx)),
                Span::raw(truncate_width(
                    &escape_control(&rest),
                    width.saturating_sub(used),
                )),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
