//! The approval modal's footer: the keys that do something now (none while
//! the request is arming, deny's reason while it is typed).

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::config::KeyName;
use crate::state::Cockpit;
use crate::state::approvals::RememberedRule;
use crate::state::reading::Reading;
use crate::text::escape_control;

use crate::ui::kit::ViewContext;

pub(super) fn footer_lines(
    cockpit: &Cockpit,
    ctx: &ViewContext,
    reading: &Reading,
) -> Vec<Line<'static>> {
    let theme = ctx.theme;
    if let Some(reason) = &cockpit.approvals.typing_reason {
        return vec![
            Line::from(vec![
                Span::styled("Deny, reason for the agent: ", theme.warn()),
                Span::raw(escape_control(reason)),
                Span::styled("▏", theme.title()),
            ]),
            Line::from(Span::styled("Enter send · Esc back", theme.dim())),
        ];
    }
    let front = cockpit.approvals.pending.front();
    let armed = front
        .and_then(|p| cockpit.approvals.guard.armed_at(&p.id))
        .is_some_and(|at| ctx.now >= at);
    if !armed {
        // A request that just appeared takes no key yet (it may be under
        // fingers meant for the one before).
        return vec![
            Line::from(Span::styled(
                "arming… keys are ignored for a moment",
                theme.warn(),
            )),
            Line::raw(""),
        ];
    }
    let keys = &ctx.config.keys;
    let key = |names: &[KeyName]| names.first().map(KeyName::label).unwrap_or_default();
    let hint = |k: String, what: &str| {
        vec![
            Span::styled(k, theme.title()),
            Span::styled(format!(" {what}  "), Style::new()),
        ]
    };
    let mut spans = Vec::new();
    if reading.whole() {
        spans.extend(hint(key(&keys.approve), "allow once"));
        spans.extend(hint(key(&keys.deny), "deny…"));
        let offered = front.is_some_and(|p| RememberedRule::of(&p.request).is_some());
        if offered {
            spans.extend(hint(key(&keys.always), "always (this session)"));
        }
    } else {
        let why = if !reading.complete() {
            "too long to show whole: not allowed here  ".to_string()
        } else {
            format!("↓ {} more rows: read them to allow  ", reading.unread())
        };
        spans.push(Span::styled(why, theme.warn()));
        spans.extend(hint(key(&keys.deny), "deny…"));
    }
    let mut second = Vec::new();
    if reading.unread() > 0 {
        let keys = format!("{}/{}", key(&keys.down), key(&keys.page_down));
        second.extend(hint(keys, "read on"));
    }
    second.extend(hint(key(&keys.details), "full screen"));
    // Handing back where the agent has no prompt of its own denies.
    let can_ask = front.is_some_and(|p| {
        crate::approvals::answer::Gate::parse(&p.request.hook_event)
            .is_some_and(|gate| crate::approvals::answer::agent_can_ask(p.request.agent, gate))
    });
    let back = if can_ask {
        "ask in the agent"
    } else {
        "hand back (denied: no prompt in the agent here)"
    };
    second.extend(hint(key(&keys.close), back));
    vec![Line::from(spans), Line::from(second)]
}
