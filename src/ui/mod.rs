//! The views: each borrows the state for one frame and draws one panel.

mod alerts;
mod approval;
mod details;
mod gauge;
mod header;
mod help;
mod outer;
mod prompts;
mod sessions;
mod stats;
mod status;
pub mod theme;
mod tools;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::agents::Millis;
use crate::config::Config;
use crate::state::Cockpit;

pub use outer::{draw_panel as draw_outer_panel, panel_height as outer_panel_height};
pub use theme::Theme;

/// What a view needs besides the state.
pub struct ViewContext<'a> {
    pub config: &'a Config,
    pub theme: &'a Theme,
    pub now: Millis,
}

/// Facts about the frame the state needs for the next key (page size, layout).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameInfo {
    pub tool_rows: usize,
    pub details_visible: bool,
}

/// Wide enough to show the details beside the tool feed.
const SIDE_BY_SIDE_MIN_WIDTH: u16 = 120;

pub fn draw(frame: &mut Frame, cockpit: &Cockpit, ctx: &ViewContext) -> FrameInfo {
    let area = frame.area();
    let session_rows = if cockpit.sessions.len() > 1 {
        (cockpit.sessions.len() as u16).min(if area.height >= 40 { 8 } else { 3 }) + 2
    } else {
        0
    };
    let banner_rows = u16::from(cockpit.banner.is_some());
    let pending = cockpit.approvals.pending.len() as u16;
    let approval_rows = if pending > 0 { pending.min(3) + 2 } else { 0 };
    let alert_rows = alerts::height(cockpit);
    let [
        header,
        banner,
        gauge_area,
        approvals_area,
        alerts_area,
        sessions_area,
        body,
        status_area,
    ] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(banner_rows),
        Constraint::Length(4),
        Constraint::Length(approval_rows),
        Constraint::Length(alert_rows),
        Constraint::Length(session_rows),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);

    header::draw(frame, header, cockpit, ctx);
    if let Some(text) = &cockpit.banner {
        header::draw_banner(frame, banner, text, ctx);
    }
    gauge::draw(frame, gauge_area, cockpit.current(), ctx);
    if approval_rows > 0 {
        approval::draw_panel(frame, approvals_area, cockpit, ctx);
    }
    if alert_rows > 0 {
        alerts::draw(frame, alerts_area, cockpit, ctx);
    }
    if session_rows > 0 {
        sessions::draw(frame, sessions_area, cockpit, ctx);
    }

    let side_by_side = area.width >= SIDE_BY_SIDE_MIN_WIDTH;
    let (tools_area, details_area) = split_body(body, side_by_side, cockpit.details_open);
    let tool_rows = tools::draw(frame, tools_area, cockpit, ctx);
    if let Some(details_area) = details_area {
        details::draw(frame, details_area, cockpit, ctx);
    }
    status::draw(frame, status_area, cockpit, ctx);
    if cockpit.outer_open {
        outer::draw(frame, area, cockpit, ctx);
    }
    if cockpit.stats_open {
        stats::draw(frame, area, cockpit, ctx);
    }
    if cockpit.help_open {
        help::draw(frame, area, ctx);
    }
    // Last, over everything: the approval modal takes every key while open.
    approval::draw_modal(frame, area, cockpit, ctx);
    prompts::draw(frame, area, cockpit, ctx);
    FrameInfo {
        tool_rows,
        details_visible: details_area.is_some(),
    }
}

/// Wide screens show details beside the feed; narrow ones below it, on demand.
fn split_body(body: Rect, side_by_side: bool, details_open: bool) -> (Rect, Option<Rect>) {
    if side_by_side {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
                .areas(body);
        (left, Some(right))
    } else if details_open && body.height >= 10 {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
        (top, Some(bottom))
    } else {
        (body, None)
    }
}

/// A centred `width` x `height` rectangle of `area`, cleared for a modal.
fn popup(frame: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(ratatui::layout::Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(ratatui::layout::Flex::Center)
        .areas(row);
    frame.render_widget(ratatui::widgets::Clear, popup);
    popup
}
