//! The wide stats table's bar of the time a transcript spent in each zone.

use ratatui::style::Style;
use ratatui::text::Span;

use crate::state::gauge::Zone;
use crate::state::session::ZoneTime;
use crate::ui::theme::Theme;

const ZONES: [Zone; 4] = [Zone::Green, Zone::Yellow, Zone::Orange, Zone::Red];
const BAR_CELLS: usize = 24;

/// Cells in proportion to the time in each zone, in the zone's colour.
pub(super) fn zone_bar(time: &ZoneTime, theme: &Theme) -> Vec<Span<'static>> {
    let total = time.total();
    if total <= 0 {
        return vec![Span::styled("no readings yet", theme.dim())];
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for (i, zone) in ZONES.into_iter().enumerate() {
        // Rounded on the running sum, so the cells always add up.
        let upto = if i == ZONES.len() - 1 {
            BAR_CELLS
        } else {
            let sum: i64 = ZONES[..=i].iter().map(|z| time.get(*z)).sum();
            ((sum as f64 / total as f64) * BAR_CELLS as f64).round() as usize
        };
        let cells = upto.saturating_sub(used);
        used = used.max(upto);
        if cells > 0 {
            spans.push(Span::styled(
                "█".repeat(cells),
                Style::new().fg(theme.zone(zone)),
            ));
        }
    }
    spans
}
