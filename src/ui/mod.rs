//! The views: each borrows the state for one frame and draws one panel.

mod alerts;
mod approval;
mod details;
mod gauge;
mod header;
mod help;
mod inner;
mod kit;
mod learnings;
mod middle;
mod outer;
mod outer_overlay;
mod prompts;
mod proposal;
mod space;
mod stats;
mod status;
pub mod theme;
mod tools;
mod wrap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::state::{Cockpit, Overlay};

pub use kit::ViewContext;
pub use outer::{draw_panel as draw_outer_panel, panel_height as outer_panel_height};
pub use theme::Theme;

/// Facts about the frame the state needs for the next key (page size, layout).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameInfo {
    pub tool_rows: usize,
    pub details_visible: bool,
    /// The request the approval prompt showed, and how, when it could be read.
    pub prompt: Option<crate::state::reading::ShownPrompt>,
}

/// Wide enough to show the details beside the tool feed.
const SIDE_BY_SIDE_MIN_WIDTH: u16 = 120;

/// Big enough to show every loop's panel in full; smaller screens collapse
/// the loops to a line each (the middle loop keeps its rows when there are
/// several agents to pick from).
const FULL_MIN_WIDTH: u16 = 120;
const FULL_MIN_HEIGHT: u16 = 36;

pub fn draw(frame: &mut Frame, cockpit: &Cockpit, ctx: &ViewContext) -> FrameInfo {
    let area = frame.area();
    let pending = cockpit.approvals.pending.len() as u16;
    let wants = space::Wants {
        banner: (cockpit.banner.as_deref()).map_or(0, |t| header::banner_rows(t, area.width)),
        approvals: if pending > 0 { pending.min(3) + 2 } else { 0 },
        alerts: alerts::height(cockpit, area, ctx),
        proposal: proposal::height(cockpit, area.height),
        reading_alerts: cockpit.view.focus == crate::state::Focus::Alerts,
    };
    let rows = space::allocate(area.height, wants);
    let [
        header,
        banner,
        gauge_area,
        approvals_area,
        alerts_area,
        proposal_area,
        body,
        status_area,
    ] = Layout::vertical([
        Constraint::Length(rows.header),
        Constraint::Length(rows.banner),
        Constraint::Length(rows.gauge),
        Constraint::Length(rows.approvals),
        Constraint::Length(rows.alerts),
        Constraint::Length(rows.proposal),
        Constraint::Length(rows.body),
        Constraint::Length(rows.status),
    ])
    .areas(area);
    let (approval_rows, alert_rows, proposal_rows) = (rows.approvals, rows.alerts, rows.proposal);

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
    if proposal_rows > 0 {
        proposal::draw(frame, proposal_area, cockpit, ctx);
    }

    let full = area.width >= FULL_MIN_WIDTH && area.height >= FULL_MIN_HEIGHT;
    let feed_area = if full {
        draw_loops_full(frame, body, cockpit, ctx)
    } else {
        draw_loops_compact(frame, body, cockpit, ctx)
    };
    let side_by_side = area.width >= SIDE_BY_SIDE_MIN_WIDTH;
    let (tools_area, details_area) = split_body(feed_area, side_by_side, cockpit.view.details_open);
    let tool_rows = match tools_area {
        Some(area) => tools::draw(frame, area, cockpit, ctx),
        None => cockpit.view.page_rows,
    };
    if let Some(details_area) = details_area {
        details::draw(frame, details_area, cockpit, ctx, tools_area.is_none());
    }
    status::draw(frame, status_area, cockpit, ctx);
    if cockpit.view.is_open(Overlay::Outer) {
        outer_overlay::draw(frame, area, cockpit, ctx);
    }
    if cockpit.view.is_open(Overlay::Stats) {
        stats::draw(frame, area, cockpit, ctx);
    }
    if cockpit.view.is_open(Overlay::Help) {
        help::draw(frame, area, cockpit.view.help_scroll, ctx);
    }
    // Last, over everything: the approval modal takes every key while open.
    let prompt = approval::draw_modal(frame, area, cockpit, ctx);
    prompts::draw(frame, area, cockpit, ctx);
    FrameInfo {
        tool_rows,
        details_visible: details_area.is_some(),
        // The learning input covers the prompt: it was not readable.
        prompt: prompt.filter(|_| cockpit.view.note_input.is_none()),
    }
}

/// Every panel in full: the inner loop's feed on top, its validation runs
/// and working tree below, then the middle loop's agents beside the outer
/// loop. Returns the area left for the tool feed (and details).
fn draw_loops_full(frame: &mut Frame, body: Rect, cockpit: &Cockpit, ctx: &ViewContext) -> Rect {
    let agents_rows = middle::height(cockpit, 6, true)
        .max(outer::panel_height(cockpit, 5))
        .clamp(6, 11);
    let [feed, inner_row, bottom_row] = Layout::vertical([
        Constraint::Min(6),
        Constraint::Length(7),
        Constraint::Length(agents_rows),
    ])
    .areas(body);
    let [validation, files] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .areas(inner_row);
    inner::draw_validation(frame, validation, cockpit, ctx);
    inner::draw_files(frame, files, cockpit, ctx);
    let [agents, outer_area] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
            .areas(bottom_row);
    middle::draw(frame, agents, cockpit, ctx);
    outer::draw_panel(frame, outer_area, cockpit, ctx);
    feed
}

/// Small screens: the feed, then one line per loop (the agents keep a few
/// rows when there are several to pick from).
fn draw_loops_compact(frame: &mut Frame, body: Rect, cockpit: &Cockpit, ctx: &ViewContext) -> Rect {
    // The agents' rows only where the feed keeps a row of its own.
    let panel = middle::height(cockpit, 3, false);
    let agents_rows = if cockpit.project().sessions.len() > 1 && body.height >= panel + 5 {
        panel
    } else {
        1
    };
    let [feed, inner_line, agents, outer_line] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(agents_rows),
        Constraint::Length(1),
    ])
    .areas(body);
    inner::draw_line(frame, inner_line, cockpit, ctx);
    if agents_rows > 1 {
        middle::draw(frame, agents, cockpit, ctx);
    } else {
        middle::draw_line(frame, agents, cockpit, ctx);
    }
    outer::draw_panel(frame, outer_line, cockpit, ctx);
    feed
}

/// Wide screens show details beside the feed; narrow ones below it, on
/// demand, or in its place when the feed is too short to share.
fn split_body(body: Rect, side_by_side: bool, details_open: bool) -> (Option<Rect>, Option<Rect>) {
    if side_by_side {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
                .areas(body);
        (Some(left), Some(right))
    } else if details_open && body.height >= 10 {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
        (Some(top), Some(bottom))
    } else if details_open {
        (None, Some(body))
    } else {
        (Some(body), None)
    }
}
