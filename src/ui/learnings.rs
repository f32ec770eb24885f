//! The learnings of past sessions in the outer loop view, newest first, and
//! the search through them (`/`).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::clock::date_time;
use crate::state::Cockpit;
use crate::store::learnings::matching;
use crate::text::{escape_control, truncate_width};

use super::theme::Theme;

/// Rows the section wants at most: its head, the search line, the matches.
pub fn wanted_rows(cockpit: &Cockpit) -> u16 {
    if cockpit.project().past_learnings.is_empty() && !searching(cockpit) {
        return 0;
    }
    let matches = matching(
        &cockpit.project().past_learnings,
        &cockpit.view.learning_search.query,
    )
    .count();
    let search_line = u16::from(searching(cockpit));
    2 + search_line + matches.clamp(1, 200) as u16
}

fn searching(cockpit: &Cockpit) -> bool {
    let search = &cockpit.view.learning_search;
    search.typing || !search.query.is_empty()
}

pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let width = area.width as usize;
    let search = &cockpit.view.learning_search;
    let all = &cockpit.project().past_learnings;
    let found: Vec<_> = matching(all, &search.query).collect();
    let head = if search.query.is_empty() {
        format!(
            "Learnings · {} from past sessions, newest first · / searches",
            all.len()
        )
    } else {
        format!(
            "Learnings matching \u{201c}{}\u{201d} · {} of {} · {}",
            escape_control(&search.query),
            found.len(),
            all.len(),
            if search.typing {
                "Enter keeps · Esc clears"
            } else {
                "/ searches again"
            }
        )
    };
    let mut lines = vec![
        Line::raw(""),
        Line::from(Span::styled(truncate_width(&head, width), theme.title())),
    ];
    if search.typing {
        lines.push(Line::from(vec![
            Span::styled("/ ", theme.dim()),
            Span::raw(truncate_width(
                &escape_control(&search.query),
                width.saturating_sub(3),
            )),
            Span::styled("▏", theme.dim()),
        ]));
    }
    if found.is_empty() {
        let none = if all.is_empty() {
            "No learning stored yet: `L` writes one into this session."
        } else {
            "No learning holds every word typed."
        };
        lines.push(Line::from(Span::styled(none, theme.dim())));
    }
    for learning in found.iter().take(area.height as usize) {
        let head = format!(
            "  {}  {:<8}  ",
            date_time(learning.when),
            learning.session.chars().take(8).collect::<String>()
        );
        let room = width.saturating_sub(head.chars().count());
        lines.push(Line::from(vec![
            Span::styled(head, theme.dim()),
            Span::raw(truncate_width(&escape_control(&learning.text), room)),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
