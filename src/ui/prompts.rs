//! Small modal prompts: the one-line learning, and the offer to resume an
//! unfinished session. Drawn last; each takes every key while open.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::state::Cockpit;
use crate::text::escape_control;

use super::kit::ViewContext;

pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let (title, lines) = if let Some(input) = &cockpit.view.note_input {
        let title = if input.quitting {
            " Before you go: one learning from this session "
        } else {
            " A learning for this session "
        };
        let hint = if input.quitting {
            "Enter saves and quits · Esc quits without one"
        } else {
            "Enter saves · Esc cancels"
        };
        (
            title,
            vec![
                Line::from(vec![
                    Span::raw(escape_control(&input.text)),
                    Span::styled("▏", theme.title()),
                ]),
                Line::raw(""),
                Line::from(Span::styled(hint, theme.dim())),
            ],
        )
    } else if let Some(offer) = &cockpit.resume_offer {
        (
            " Unfinished session ",
            vec![
                Line::raw(escape_control(&offer.description)),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("r", theme.title()),
                    Span::raw(" resume it   "),
                    Span::styled("Esc", theme.title()),
                    Span::raw(" start a new session"),
                ]),
            ],
        )
    } else {
        return;
    };
    let width = area.width.saturating_sub(4).clamp(20, 90).min(area.width);
    // The keys are the last line: the height counts the wrapped rows, and a
    // screen too short for them all drops the blank line first.
    let mut rows = super::wrap::rows(lines, width.saturating_sub(2));
    if rows.len() as u16 + 2 > area.height
        && let Some(blank) = rows.iter().rposition(|r| r.width() == 0)
    {
        rows.remove(blank);
    }
    let height = (rows.len() as u16 + 2).min(area.height);
    let skip = (rows.len() as u16 + 2).saturating_sub(height);
    // Cut from the top: the keys stay.
    let rows: Vec<Line> = rows.into_iter().skip(usize::from(skip)).collect();
    let popup = super::kit::popup(frame, area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Span::styled(
            title,
            theme.title().add_modifier(Modifier::BOLD),
        ));
    frame.render_widget(Paragraph::new(rows).block(block), popup);
}
