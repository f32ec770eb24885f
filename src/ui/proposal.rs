//! The rule a Process Gridlock alert proposes, with its preview: exactly what
//! it allows and which past requests it would have decided. It is on screen
//! whenever its key can add it (the main screen, no request waiting).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::clock::time_of_day;
use crate::config::KeyName;
use crate::detect::gridlock::Proposal;
use crate::state::Cockpit;
use crate::state::propose::open_proposal;
use crate::text::{duration, escape_control, truncate_width};

use super::kit::ViewContext;

/// Past requests listed by name; the rest are counted.
const LISTED: usize = 3;

/// Rows the panel needs: 0 with nothing on offer or a request waiting (the
/// key goes to the approval prompt then); on a short screen the rule and
/// its count only.
pub fn height(cockpit: &Cockpit, screen_height: u16) -> u16 {
    match open_proposal(cockpit) {
        Some(p) if cockpit.approvals.pending.is_empty() => {
            let listed = if screen_height < 30 {
                0
            } else {
                p.matched.len().min(LISTED)
            };
            4 + listed as u16
        }
        _ => 0,
    }
}

pub fn draw(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let Some(proposal) = open_proposal(cockpit) else {
        return;
    };
    let theme = ctx.theme;
    let key = |keys: &[KeyName]| keys.first().map(KeyName::label).unwrap_or_default();
    let keys = &ctx.config.keys;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::new().fg(theme.colors.yellow))
        .title(Line::from(vec![
            Span::styled(" Proposed rule ", theme.title()),
            Span::styled(
                format!(
                    "{} adds it for this session · {} dismisses ",
                    key(&keys.add_rule),
                    key(&keys.acknowledge)
                ),
                theme.dim(),
            ),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let fit = |text: String| truncate_width(&escape_control(&text), width);
    let mut lines = vec![
        Line::from(vec![
            Span::styled("allow ", theme.warn()),
            Span::raw(fit(proposal.rule.describe())),
        ]),
        Line::styled(fit(preview_line(proposal)), theme.dim()),
    ];
    for past in proposal.matched.iter().rev().take(LISTED) {
        lines.push(Line::raw(fit(format!(
            "  ✓ {}  {}  waited {}",
            time_of_day(past.asked),
            past.summary,
            duration(past.waited_ms)
        ))));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn preview_line(proposal: &Proposal) -> String {
    let n = proposal.matched.len();
    let waited: i64 = proposal.matched.iter().map(|p| p.waited_ms).sum();
    let all = n + proposal.unmatched;
    format!(
        "would have decided {n} of {all} past requests, all allowed by you, {} of waiting",
        duration(waited)
    )
}
