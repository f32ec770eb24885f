//! The approvals: a panel listing what waits, and the modal for the oldest,
//! drawn last over everything; it takes every key while open.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState,
};

use crate::agents::summary::{detail_upto_except, text_upto};
use crate::state::Cockpit;
use crate::state::approvals::PendingApproval;
use crate::state::reading::{PromptView, Reading, ShownPrompt};
use crate::text::{duration, escape_control, thousands, truncate_width};

use super::kit::ViewContext;
use super::wrap;

mod footer;

use footer::footer_lines;

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

/// The prompt shows the input up to this many bytes; a longer one can be
/// denied or handed back, never allowed from here.
const PROMPT_BYTES: usize = 64 << 10;

/// The modal for the oldest request; returns what it showed of which request.
pub fn draw_modal(
    frame: &mut Frame,
    area: Rect,
    cockpit: &Cockpit,
    ctx: &ViewContext,
) -> Option<ShownPrompt> {
    let first = cockpit.approvals.pending.front()?;
    let theme = ctx.theme;
    let approvals = &cockpit.approvals;
    let width = area.width.saturating_sub(4).clamp(20, 100);
    // Inside the border: the body's columns, and rows around it.
    let body_width = width.saturating_sub(2);
    let (lines, complete) = body_lines(first, ctx, body_width);
    let mut text_width = body_width;
    let mut rows = wrap::rows(lines.clone(), text_width);
    // As tall as the call needs, up to three fifths of a tall screen (all of
    // it when asked for); never less than 16 rows where the screen has them.
    let most = if approvals.show_details {
        area.height.saturating_sub(2)
    } else {
        (area.height * 3 / 5).max(16).min(area.height)
    };
    let wanted = u16::try_from(rows.len() + 4).unwrap_or(u16::MAX);
    let height = wanted.clamp(16.min(most), most);
    if rows.len() + 4 > usize::from(height) {
        // Room for the scroll bar.
        text_width = body_width.saturating_sub(1);
        rows = wrap::rows(lines, text_width);
    }
    let popup = super::kit::popup(frame, area, width, height);
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
    let [body, footer] = Layout::vertical([
        Constraint::Length(inner.height.saturating_sub(2)),
        Constraint::Length(2),
    ])
    .areas(inner);
    let visible = usize::from(body.height);
    let top = usize::from(approvals.detail_scroll).min(rows.len().saturating_sub(visible));
    let view = PromptView {
        width: text_width,
        top,
        rows: visible,
        total: rows.len(),
        complete,
    };
    let shown: Vec<Line> = rows.iter().skip(top).take(visible).cloned().collect();
    frame.render_widget(Paragraph::new(shown), body);
    if text_width < body_width {
        let mut bar = ScrollbarState::new(rows.len().saturating_sub(visible)).position(top);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight),
            body,
            &mut bar,
        );
    }
    let reading = Reading::after(approvals.guard.reading(&first.id), &view);
    frame.render_widget(Paragraph::new(footer_lines(cockpit, ctx, &reading)), footer);
    Some(ShownPrompt {
        id: first.id.clone(),
        view,
    })
}

/// Everything the human decides on, as logical lines, and whether the input
/// is all there (not cut at `PROMPT_BYTES`).
fn body_lines(
    pending: &PendingApproval,
    ctx: &ViewContext,
    width: u16,
) -> (Vec<Line<'static>>, bool) {
    let theme = ctx.theme;
    let request = &pending.request;
    let label = |name: &str| Span::styled(format!("{name:<8}"), theme.dim());
    let tool = escape_control(&request.tool);
    // The heading names the call in one row; the whole input follows.
    let room = usize::from(width).saturating_sub(11 + tool.chars().count());
    let mut lines = vec![
        Line::from(vec![
            label("tool"),
            Span::styled(
                tool,
                Style::new()
                    .fg(theme.colors.accent)
                    .add_modifier(Modifier::BOLD),
            ),
            Span::raw("  "),
            Span::raw(truncate_width(&escape_control(&pending.summary()), room)),
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
            Span::raw(escape_control(&always(request))),
        ]),
        Line::raw(""),
    ];
    let said = request.input.get("description").and_then(|d| d.as_str());
    let except = said.map(|_| "description");
    let (input, mut left_out) = detail_upto_except(&request.input, PROMPT_BYTES, except);
    for line in input.lines() {
        lines.push(Line::raw(escape_control(line)));
    }
    if let Some(said) = said {
        // The model writes this to explain the call: it can say anything,
        // so it is shown apart from what the call does, as the agent's claim.
        let room = PROMPT_BYTES.saturating_sub(input.len());
        let (said, more) = text_upto(said, room);
        left_out += more;
        lines.push(Line::from(Span::styled(
            "description, in the agent's words (not checked):",
            theme.dim(),
        )));
        for line in said.lines() {
            lines.push(Line::raw(format!("  {}", escape_control(line))));
        }
    }
    if left_out > 0 {
        lines.push(Line::from(Span::styled(
            format!(
                "… and {} more bytes the prompt does not show: this call cannot be allowed here",
                thousands(left_out as u64)
            ),
            theme.warn(),
        )));
    }
    (lines, left_out == 0)
}

/// What `a` would allow from now on, in one line (the input itself is below).
fn always(request: &crate::policy::protocol::ApprovalRequest) -> String {
    use crate::policy::remember::{RememberedRule, Scope};
    match RememberedRule::of(request) {
        None => "not offered for this call".into(),
        Some(RememberedRule {
            tool,
            scope: Some(Scope::Exact { cwd, .. }),
            ..
        }) => {
            let at = cwd.map(|c| format!(" in {c}")).unwrap_or_default();
            format!("{tool} with exactly the input below{at}, nothing else")
        }
        Some(rule) => rule.describe(),
    }
}
