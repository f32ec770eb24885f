//! What the views share: the context a view draws with, a cleared centred
//! rectangle for a modal, and cutting a line of spans to a width.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::clock::Millis;
use crate::config::Config;

use super::theme::Theme;

/// What a view needs besides the state.
pub struct ViewContext<'a> {
    pub config: &'a Config,
    pub theme: &'a Theme,
    pub now: Millis,
}

/// A centred `width` x `height` rectangle of `area`, cleared for a modal.
pub fn popup(frame: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(ratatui::layout::Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(ratatui::layout::Flex::Center)
        .areas(row);
    frame.render_widget(ratatui::widgets::Clear, popup);
    popup
}

/// Cuts a line of spans to `width` columns.
pub fn truncate_spans(
    line: ratatui::text::Line<'static>,
    width: usize,
) -> ratatui::text::Line<'static> {
    let mut used = 0;
    let mut spans = Vec::new();
    for span in line.spans {
        let w = unicode_width::UnicodeWidthStr::width(span.content.as_ref());
        if used + w <= width {
            used += w;
            spans.push(span);
        } else {
            let cut = crate::text::truncate_width(&span.content, width - used);
            spans.push(ratatui::text::Span::styled(cut, span.style));
            break;
        }
    }
    ratatui::text::Line::from(spans)
}
