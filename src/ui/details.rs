//! The selected tool call in full: status, timing and the whole input.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::clock::time_of_day;
use crate::config::KeyName;
use crate::state::{Cockpit, Focus};
use crate::text::{duration, escape_control};

use super::kit::ViewContext;

/// `in_place`: the details cover the feed (too short to share): the title
/// says how to get the feed back.
pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext, in_place: bool) {
    let theme = ctx.theme;
    let mut title = vec![Span::styled(" Details ", theme.title())];
    if in_place {
        let keys = &ctx.config.keys;
        let first = |names: &[KeyName]| names.first().map(KeyName::label).unwrap_or_default();
        title.push(Span::styled(
            format!(
                "· {}/{} other calls · {} back to the list ",
                first(&keys.down),
                first(&keys.up),
                first(&keys.details)
            ),
            theme.dim(),
        ));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(cockpit.view.focus == Focus::Details))
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(session) = cockpit.current() else {
        return;
    };
    let calls = session.tools.calls();
    let Some(call) = cockpit
        .view
        .call_index(&session.tools)
        .and_then(|i| calls.get(i))
    else {
        let mut lines = vec![Line::from(Span::styled(
            "No tool call selected.",
            theme.dim(),
        ))];
        if let Some(prompt) = &session.last_prompt {
            lines.push(Line::raw(""));
            lines.push(Line::from(Span::styled("Last prompt", theme.title())));
            lines.push(Line::raw(escape_control(prompt)));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
        return;
    };
    let (icon, style) = theme.status(call.status);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{icon} "), style),
            Span::styled(
                escape_control(&call.name),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::styled(format!("  {}", escape_control(&call.id)), theme.dim()),
        ]),
        Line::from(Span::styled(
            format!(
                "started {}{}",
                call.started.map(time_of_day).unwrap_or_else(|| "?".into()),
                call.duration_ms(ctx.now)
                    .map(|d| match call.status {
                        crate::state::tools::ToolStatus::Running => {
                            format!(" · running for {}", duration(d / 1000 * 1000))
                        }
                        _ => format!(" · took {}", duration(d)),
                    })
                    .unwrap_or_default()
            ),
            theme.dim(),
        )),
        Line::raw(""),
    ];
    // Input lines keep their own line breaks; each is escaped on its own.
    lines.extend(call.input.lines().map(|l| Line::raw(escape_control(l))));
    let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
    let scroll = cockpit.view.detail_scroll.min(max_scroll);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        inner,
    );
}
