//! The help overlay: every key, read from the keymaps the keys are resolved
//! with (so none is left out), then the zones and what each figure means.
//! Two columns where the screen is wide enough; the wheel scrolls it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::action::{Action, Mode, table};
use crate::config::KeyName;
use crate::state::gauge::Zone;

use super::kit::ViewContext;
use super::theme::Theme;

/// What a key does, in a few words (a column of the help).
fn what(action: Action) -> &'static str {
    match action {
        Action::Quit => "quit (terminal restored)",
        Action::ToggleHelp => "this help",
        Action::FocusNext => "next panel (alerts in full)",
        Action::FocusPrev => "previous panel",
        Action::Down => "down / newer",
        Action::Up => "up / older",
        Action::PageDown => "page down",
        Action::PageUp => "page up",
        Action::Top => "oldest call",
        Action::Bottom => "newest, and follow it",
        Action::ToggleDetails => "details of the call",
        Action::Close => "close",
        Action::Learning => "write a learning",
        Action::OuterLoop => "outer loop: past sessions",
        Action::Acknowledge => "acknowledge the alerts",
        Action::Stats => "stats per session",
        Action::AddRule => "add the proposed rule",
        Action::Approve => "allow once",
        Action::Deny => "deny (then a reason)",
        Action::AllowRemember => "allow for this session",
        Action::ApprovalDetails => "the whole input",
        Action::Defer => "ask in the agent",
        _ => "",
    }
}

fn names(list: &[KeyName]) -> String {
    list.iter()
        .map(KeyName::label)
        .collect::<Vec<_>>()
        .join(" ")
}

/// (keys, what they do) of a mode; `skip`: actions another section lists.
fn entries(ctx: &ViewContext, mode: Mode, skip: &[Action]) -> Vec<(String, &'static str)> {
    table(&ctx.config.keys, mode)
        .into_iter()
        .filter(|(_, _, action)| !skip.contains(action))
        .map(|(_, keys, action)| (names(keys), what(action)))
        .collect()
}

/// Entries as rows of `columns` columns, `width` each.
fn rows(
    entries: &[(String, &'static str)],
    columns: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let key_width = 9;
    entries
        .chunks(columns)
        .map(|chunk| {
            let mut spans = Vec::new();
            for (keys, what) in chunk {
                let text = format!("{what:<w$}", w = width.saturating_sub(key_width + 2));
                spans.push(Span::styled(format!("{keys:>key_width$}  "), theme.title()));
                spans.push(Span::raw(text));
            }
            Line::from(spans)
        })
        .collect()
}

pub fn draw(frame: &mut Frame, area: Rect, scroll: u16, ctx: &ViewContext) {
    let theme = ctx.theme;
    let gauge = &ctx.config.gauge;
    let width = 78.min(area.width);
    let inner_width = usize::from(width.saturating_sub(2));
    let columns = if inner_width >= 76 { 2 } else { 1 };
    let column = inner_width / columns;
    let zone_line = |zone: Zone, range: String, meaning: &str| {
        Line::from(vec![
            Span::styled("  ████  ", Style::new().fg(theme.zone(zone))),
            Span::raw(format!("{range:<9} {meaning}")),
        ])
    };
    let mut main = entries(ctx, Mode::Normal, &[]);
    let keys = &ctx.config.keys;
    main.push((names(&keys.search), "search (in the outer loop)"));
    main.push(("C-z".into(), "suspend (fg comes back)"));
    // Movement keys scroll the prompt too: listed once, above.
    let moves = [Action::Down, Action::Up, Action::PageDown, Action::PageUp];
    let prompt = entries(ctx, Mode::Approval, &moves);
    let mut lines = rows(&main, columns, column, theme);
    lines.push(Line::from(Span::styled(
        " A request waiting (the prompt takes every key; the moves scroll it):",
        theme.title(),
    )));
    lines.extend(rows(&prompt, columns, column, theme));
    lines.extend([
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
        Line::from(Span::styled(
            " Figures: the agent's reports; ▒ added since (tiktoken est.)",
            theme.dim(),
        )),
    ]);
    let rows = super::wrap::rows(lines, width.saturating_sub(2));
    let height = (rows.len() as u16 + 2).min(area.height);
    let popup = super::kit::popup(frame, area, width, height);
    let hidden = (rows.len() as u16).saturating_sub(height.saturating_sub(2));
    let scroll = scroll.min(hidden);
    let title = if hidden > 0 {
        " Help · any key closes · the wheel scrolls "
    } else {
        " Help · any key closes "
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Span::styled(title, theme.title()));
    frame.render_widget(Paragraph::new(rows).scroll((scroll, 0)).block(block), popup);
}
