//! The stats view (`s`, Factor V): one row per followed transcript and a
//! total, then validation runs by kind and alerts by pattern. Abbreviated
//! columns at 80 wide; wide screens add the per-outcome columns, the model
//! and a bar of the time in each zone.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::detect::Pattern;
use crate::state::Cockpit;
use crate::state::gauge::Zone;
use crate::state::stats::{self, Counters, Validations};
use crate::text::{escape_control, truncate_width, zone_duration};

use super::kit::ViewContext;
use super::theme::Theme;

mod zone_bar;

use zone_bar::zone_bar;

/// Inner width from which the wide table is drawn.
const WIDE: u16 = 140;

pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let stats = stats::compute(cockpit);
    let width = area.width.saturating_sub(4).clamp(20, 190);
    let height = area.height.saturating_sub(2).max(5);
    let popup = super::kit::popup(frame, area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Line::from(vec![
            Span::styled(" Stats · this run, per transcript ", theme.title()),
            Span::styled("any key closes ", theme.dim()),
        ]));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let wide = inner.width >= WIDE;
    let rows = inner.height as usize;
    let text_width = inner.width as usize;

    let bottom = bottom_lines(&stats.total, &stats.workspace, theme, text_width);
    // The header and total always show, and the first lines of the summary.
    let session_room = rows.saturating_sub(2 + bottom.len().min(5)).max(1);
    let mut lines = vec![Line::from(Span::styled(
        truncate_width(&header(wide), text_width),
        theme.dim(),
    ))];
    let shown = if stats.sessions.len() > session_room {
        session_room - 1
    } else {
        stats.sessions.len()
    };
    for (i, row) in stats.sessions.iter().enumerate().take(shown) {
        let session = &cockpit.project().sessions[i];
        let mark = if cockpit.project().selected == Some(i) {
            "▸"
        } else {
            " "
        };
        let branch = if row.subagent { "↳ " } else { "" };
        let name = format!("{mark}{branch}{}", escape_control(&row.name));
        let model = session.meta.model.as_deref().unwrap_or("-");
        lines.push(table_row(
            &name,
            model,
            &row.counters,
            wide,
            theme,
            Style::default(),
        ));
    }
    if shown < stats.sessions.len() {
        lines.push(Line::from(Span::styled(
            format!(
                "  … {} more transcripts (in the total)",
                stats.sessions.len() - shown
            ),
            theme.dim(),
        )));
    }
    lines.push(table_row(
        " total",
        "",
        &stats.total,
        wide,
        theme,
        Style::default().add_modifier(Modifier::BOLD),
    ));
    lines.extend(bottom);
    lines.truncate(rows);
    frame.render_widget(Paragraph::new(lines), inner);
}

fn header(wide: bool) -> String {
    if wide {
        format!(
            "{:<16} {:<18} {:>6} {:>5} {:>5}  {:>5} {:>5} {:>5} {:>5} {:>5}  {:>6} {:>4}  {:>6} {:>6} {:>6} {:>6}  time in zones             alerts by pattern",
            " transcript",
            "model",
            "calls",
            "fail",
            "fail%",
            "runs",
            "pass",
            "fail",
            "unkn",
            "pass%",
            "alerts",
            "ack",
            "green",
            "yellow",
            "orange",
            "red"
        )
    } else {
        format!(
            "{:<13} {:>5} {:>4} {:>7} {:>4} {:>6} {:>6} {:>6} {:>6} {:>6}",
            " session",
            "calls",
            "fail",
            "valid",
            "pass",
            "alerts",
            "green",
            "yellow",
            "orange",
            "red"
        )
    }
}

fn table_row(
    name: &str,
    model: &str,
    c: &Counters,
    wide: bool,
    theme: &Theme,
    style: Style,
) -> Line<'static> {
    let v = &c.validations;
    let rate = percent(v.pass_rate());
    let zone = |z: Zone| zone_duration(c.zone_time.get(z));
    if !wide {
        let text = format!(
            "{:<13} {:>5} {:>4} {:>7} {:>4} {:>6} {:>6} {:>6} {:>6} {:>6}",
            truncate_width(name, 13),
            c.tool_calls,
            c.failed_calls,
            format!("{}/{}", v.passed, v.runs),
            rate,
            c.alert_count(),
            zone(Zone::Green),
            zone(Zone::Yellow),
            zone(Zone::Orange),
            zone(Zone::Red),
        );
        return Line::from(Span::styled(text, style));
    }
    let fail_rate =
        percent((c.tool_calls > 0).then(|| c.failed_calls as f64 / c.tool_calls as f64));
    let text = format!(
        "{:<16} {:<18} {:>6} {:>5} {:>5}  {:>5} {:>5} {:>5} {:>5} {:>5}  {:>6} {:>4}  {:>6} {:>6} {:>6} {:>6}  ",
        truncate_width(name, 16),
        truncate_width(&escape_control(model), 18),
        c.tool_calls,
        c.failed_calls,
        fail_rate,
        v.runs,
        v.passed,
        v.failed,
        v.unknown(),
        rate,
        c.alert_count(),
        c.acknowledged,
        zone(Zone::Green),
        zone(Zone::Yellow),
        zone(Zone::Orange),
        zone(Zone::Red),
    );
    let mut spans = vec![Span::styled(text, style)];
    spans.extend(zone_bar(&c.zone_time, theme));
    let patterns: Vec<String> = c
        .alerts
        .iter()
        .map(|(pattern, n)| format!("{} {n}", short_name(*pattern)))
        .collect();
    if !patterns.is_empty() {
        spans.push(Span::styled(
            format!("  {}", patterns.join(" · ")),
            theme.dim(),
        ));
    }
    Line::from(spans)
}

/// A word per pattern, for the wide table's per-transcript breakdown.
fn short_name(pattern: Pattern) -> &'static str {
    match pattern {
        Pattern::TestsPassingLie => "lie",
        Pattern::ContextAmnesia => "amnesia",
        Pattern::DebugLoopSpiral => "loop",
        Pattern::EldritchCodeHorror => "eldritch",
        Pattern::AgentWorkspaceCollision => "collision",
        Pattern::MemoryTattooDecay => "decay",
        Pattern::RepositoryDeletion => "deletion",
        Pattern::MultiAgentDeadlock => "deadlock",
        Pattern::ProcessGridlock => "gridlock",
        Pattern::InstructionDrift => "drift",
        Pattern::Stewnami => "stewnami",
        Pattern::BridgeTorching => "bridge",
    }
}

/// `80%`, or `-` when there is nothing to divide.
fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "-".into(), |r| format!("{:.0}%", r * 100.0))
}

/// Validation by kind, alerts by pattern, and what zone time means.
fn bottom_lines(
    total: &Counters,
    workspace: &Counters,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let v = &total.validations;
    let mut lines = vec![Line::raw("")];
    let runs = match v.runs {
        0 => "Validation: no test, lint, type-check or build run seen yet".to_string(),
        n => format!(
            "Validation: {n} runs, {} passed, {} failed, {} unknown · pass rate {}",
            v.passed,
            v.failed,
            v.unknown(),
            percent(v.pass_rate())
        ),
    };
    lines.push(Line::raw(truncate_width(&runs, width)));
    if !total.by_kind.is_empty() {
        let kinds: Vec<String> = total
            .by_kind
            .iter()
            .map(|(kind, k)| kind_text(kind.label(), k))
            .collect();
        lines.push(Line::from(Span::styled(
            truncate_width(&format!("  passed/runs: {}", kinds.join(" · ")), width),
            theme.dim(),
        )));
    }
    let count = total.alert_count();
    let head = match count {
        0 => "Alerts: none raised".to_string(),
        n => format!(
            "Alerts: {n} raised, {} acknowledged{}",
            total.acknowledged,
            match workspace.alert_count() {
                0 => String::new(),
                w => format!(" ({w} about the working tree)"),
            }
        ),
    };
    lines.push(Line::raw(truncate_width(&head, width)));
    for pattern in Pattern::ALL {
        if let Some(n) = total.alerts.get(&pattern) {
            let text = format!("  {:<26} {n:>4}  {}", pattern.name(), pattern.factor());
            lines.push(Line::from(Span::styled(
                truncate_width(&text, width),
                Style::new().fg(theme.zone(match pattern.severity() {
                    crate::detect::Severity::Medium => Zone::Yellow,
                    crate::detect::Severity::High => Zone::Orange,
                    crate::detect::Severity::Critical => Zone::Red,
                })),
            )));
        }
    }
    for note in [
        "Pass rate: passed of the runs that said pass or fail.",
        "Zone time: transcript time between replies (a gap counts at most 5 min).",
    ] {
        lines.push(Line::from(Span::styled(
            truncate_width(note, width),
            theme.dim(),
        )));
    }
    lines
}

fn kind_text(label: &str, k: &Validations) -> String {
    format!("{label} {}/{}", k.passed, k.runs)
}
