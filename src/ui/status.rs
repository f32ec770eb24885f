//! The bottom line: key hints on the left, what went wrong on the right.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::config::KeyName;
use crate::state::Cockpit;
use crate::text::{escape_control, truncate_width};

use super::kit::ViewContext;

pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let keys = &ctx.config.keys;
    let first = |names: &[KeyName]| names.first().map(KeyName::label).unwrap_or_default();
    let hints = if cockpit.approvals.pending.is_empty() {
        vec![
            (first(&keys.quit), "quit"),
            (first(&keys.help), "help"),
            (first(&keys.focus_next), "focus"),
            (
                format!("{}/{}", first(&keys.down), first(&keys.up)),
                "scroll",
            ),
            (first(&keys.details), "details"),
        ]
    } else {
        // The prompt takes every key: its own hints are in it.
        vec![
            ("Ctrl-C".to_string(), "quit"),
            ("approval".to_string(), "keys in the prompt"),
        ]
    };
    let mut right: Vec<Span> = Vec::new();
    // First, so that a narrow screen cuts the rest: losing the session matters most.
    if let Some(why) = &cockpit.save_failure {
        right.push(Span::styled(
            format!("session NOT saved, retrying: {} ", escape_control(why)),
            Style::new().fg(theme.colors.red),
        ));
    }
    if let Some(why) = &cockpit.approvals_off {
        right.push(Span::styled(
            format!("approvals off: {} ", escape_control(why)),
            Style::new().fg(theme.colors.red),
        ));
    }
    if let Some(session) = cockpit.current() {
        if session.malformed > 0 {
            let s = if session.malformed == 1 { "" } else { "s" };
            // `file.jsonl:812` of the newest one; the reason is in the log.
            let place = session
                .last_malformed
                .as_deref()
                .and_then(|m| m.rsplit('/').next())
                .and_then(|m| m.split(": ").next())
                .map(|p| format!("(last {}) ", escape_control(p)))
                .unwrap_or_default();
            right.push(Span::styled(
                format!("{} malformed line{s} skipped {place}", session.malformed),
                theme.warn(),
            ));
        }
        if session.oversized > 0 {
            right.push(Span::styled(
                format!("{} over-long skipped ", session.oversized),
                theme.warn(),
            ));
        }
        // An announced session whose file is not written yet was never deleted.
        let starting = session.announced && session.last_seen.is_none();
        if session.gone && !starting {
            right.push(Span::styled(
                "transcript deleted ",
                Style::new().fg(theme.colors.red),
            ));
        }
        if !session.caught_up {
            right.push(Span::styled("reading history… ", theme.dim()));
        }
    }
    if right.is_empty()
        && let Some(notice) = &cockpit.notice
    {
        right.push(Span::styled(
            format!("{} ", escape_control(notice)),
            theme.dim(),
        ));
    }
    // The first two hints (quit, help) always stay; the right side is cut to fit.
    let reserved = 1 + hints
        .iter()
        .take(2)
        .map(|(key, what)| key.chars().count() + what.len() + 3)
        .sum::<usize>();
    let room_right = (area.width as usize).saturating_sub(reserved);
    let right_text: usize = right.iter().map(Span::width).sum();
    if right_text > room_right {
        let style = right.first().map(|s| s.style).unwrap_or_default();
        let text: String = right.iter().map(|s| s.content.to_string()).collect();
        right = vec![Span::styled(truncate_width(&text, room_right), style)];
    }
    let right_width: usize = right.iter().map(Span::width).sum();
    let room = (area.width as usize).saturating_sub(right_width);
    let mut left = Vec::new();
    let mut used = 1;
    left.push(Span::raw(" "));
    for (key, what) in hints {
        let w = key.chars().count() + what.len() + 3;
        if used + w > room {
            break;
        }
        used += w;
        left.push(Span::styled(key, theme.title()));
        left.push(Span::styled(format!(" {what}  "), theme.dim()));
    }
    let pad = room.saturating_sub(used);
    left.push(Span::raw(" ".repeat(pad)));
    left.extend(right);
    frame.render_widget(Paragraph::new(Line::from(left)), area);
}
