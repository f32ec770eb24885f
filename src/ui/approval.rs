//! The approvals: a panel listing what waits, and the modal for the oldest,
//! drawn last over everything; it takes every key while open.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::config::KeyName;
use crate::state::Cockpit;
use crate::state::approvals::PendingApproval;
use crate::text::{duration, escape_control, truncate_width};

use super::ViewContext;

/// The queue, one row per request, oldest first.
pub fn draw_panel(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let pending = &cockpit.approvals.pending;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(theme.colors.yellow))
        .title(Line::from(vec![
            Span::styled(" Approvals ", theme.title()),
            Span::styled(format!("{} waiting ", pending.len()), theme.warn()),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let lines: Vec<Line> = pending
        .iter()
        .take(inner.height as usize)
        .map(|p| {
            let head = format!(
                "{:>6}  {:<6} {:<9} {:<10} ",
                duration(ctx.now - p.received_at),
                p.request.agent.label().split(' ').next().unwrap_or(""),
                truncate_width(&short(p.request.session_id.as_deref()), 9),
                truncate_width(&escape_control(&p.request.tool), 10),
            );
            let room = width.saturating_sub(head.chars().count());
            Line::from(vec![
                Span::styled(head, theme.dim()),
                Span::raw(truncate_width(&escape_control(&p.summary()), room)),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn short(id: Option<&str>) -> String {
    id.map(|i| i.split('-').next().unwrap_or(i).to_string())
        .unwrap_or_else(|| "-".into())
}

/// The modal for the oldest request; returns the id of the request shown.
pub fn draw_modal(
    frame: &mut Frame,
    area: Rect,
    cockpit: &Cockpit,
    ctx: &ViewContext,
) -> Option<String> {
    let first = cockpit.approvals.pending.front()?;
    let theme = ctx.theme;
    let approvals = &cockpit.approvals;
    let width = area.width.saturating_sub(4).clamp(20, 100);
    let height = if approvals.show_details {
        area.height.saturating_sub(2)
    } else {
        16.min(area.height)
    };
    let popup = super::popup(frame, area, width, height);
    let count = approvals.pending.len();
    let title = if count > 1 {
        format!(" Approval needed · 1 of {count} ")
    } else {
        " Approval needed ".to_string()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(
            Style::new()
                .fg(theme.colors.yellow)
                .add_modifier(Modifier::BOLD),
        )
        .title(Span::styled(
            title,
            theme.warn().add_modifier(Modifier::BOLD),
        ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [body, footer] = Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(inner);
    frame.render_widget(
        Paragraph::new(body_lines(first, ctx))
            .wrap(Wrap { trim: false })
            .scroll((approvals.detail_scroll, 0)),
        body,
    );
    frame.render_widget(Paragraph::new(footer_lines(cockpit, ctx)), footer);
    Some(first.id.clone())
}

fn body_lines(pending: &PendingApproval, ctx: &ViewContext) -> Vec<Line<'static>> {
    let theme = ctx.theme;
    let request = &pending.request;
    let label = |name: &str| Span::styled(format!("{name:<8}"), theme.dim());
    let mut lines = vec![
        Line::from(vec![
            label("tool"),
            Span::styled(
                escape_control(&request.tool),
                Style::new()
                    .fg(theme.colors.accent)
                    .add_modifier(Modifier::BOLD),
            ),
            Span::raw("  "),
            Span::raw(escape_control(&pending.summary())),
        ]),
        Line::from(vec![
            label("agent"),
            Span::raw(format!(
                "{} · session {} · {} · waiting {}",
                request.agent.label(),
                short(request.session_id.as_deref()),
                request.hook_event,
                duration(ctx.now - pending.received_at)
            )),
        ]),
        Line::from(vec![
            label("cwd"),
            Span::raw(escape_control(request.cwd.as_deref().unwrap_or("?"))),
        ]),
        Line::from(vec![
            label("why"),
            Span::raw(escape_control(&match (&request.rule, &request.reason) {
                (Some(rule), Some(reason)) => format!("{reason} (rule `{rule}`: {})", request.why),
                (Some(rule), None) => format!("rule `{rule}`: {}", request.why),
                _ => "the agent asks for permission".to_string(),
            })),
        ]),
        Line::from(vec![
            label("always"),
            Span::raw(escape_control(
                &crate::approvals::remember::RememberedRule::of(request)
                    .map_or("not offered for this call".into(), |r| r.describe()),
            )),
        ]),
        Line::raw(""),
    ];
    let input = crate::agents::summary::detail(&request.input);
    let shown: Vec<&str> = input.lines().collect();
    let limit = if shown.len() > 6 { 6 } else { shown.len() };
    for line in &shown[..limit] {
        lines.push(Line::raw(escape_control(line)));
    }
    if shown.len() > limit {
        lines.push(Line::from(Span::styled(
            format!("… {} more lines (Enter shows all)", shown.len() - limit),
            theme.dim(),
        )));
    }
    lines
}

fn footer_lines(cockpit: &Cockpit, ctx: &ViewContext) -> Vec<Line<'static>> {
    let theme = ctx.theme;
    if let Some(reason) = &cockpit.approvals.typing_reason {
        return vec![
            Line::from(vec![
                Span::styled("Deny, reason for the agent: ", theme.warn()),
                Span::raw(escape_control(reason)),
                Span::styled("▏", theme.title()),
            ]),
            Line::from(Span::styled("Enter send · Esc back", theme.dim())),
        ];
    }
    let armed = cockpit
        .approvals
        .pending
        .front()
        .and_then(|p| cockpit.approvals.guard.armed_at(&p.id))
        .is_some_and(|at| ctx.now >= at);
    if !armed {
        // A request that just appeared takes no key yet (it may be under
        // fingers meant for the one before).
        return vec![
            Line::from(Span::styled(
                "arming… keys are ignored for a moment",
                theme.warn(),
            )),
            Line::raw(""),
        ];
    }
    let keys = &ctx.config.keys;
    let key = |names: &[KeyName]| names.first().map(KeyName::label).unwrap_or_default();
    let hint = |k: String, what: &str| {
        vec![
            Span::styled(k, theme.title()),
            Span::styled(format!(" {what}  "), Style::new()),
        ]
    };
    let mut spans = Vec::new();
    spans.extend(hint(key(&keys.approve), "allow once"));
    spans.extend(hint(key(&keys.deny), "deny…"));
    spans.extend(hint(key(&keys.always), "always (this session)"));
    let mut second = Vec::new();
    second.extend(hint(key(&keys.details), "details"));
    second.extend(hint(key(&keys.close), "ask in the agent"));
    vec![Line::from(spans), Line::from(second)]
}
