//! Which keys may answer a request. A key answers only the request that was
//! on screen when it was pressed, only once that prompt has been up long
//! enough to be read, and never as part of a burst (a paste in a terminal
//! without bracketed paste arrives as many keys within a few milliseconds).

use crate::action::{Action, Mode};

use super::guard::{BURST_MS, Held};
use super::{Cockpit, Effect};

const UNREAD: &str = "read the whole request before allowing it: ↓ or PgDn shows the rest (n denies, Esc asks in the agent)";

/// Whether `action` would let the call run.
fn allows(action: Action) -> bool {
    matches!(action, Action::Approve | Action::AllowRemember)
}

/// Whether `action` in `mode` would answer the front request.
fn answers(mode: Mode, action: Action) -> bool {
    match mode {
        Mode::Approval => matches!(
            action,
            Action::Approve | Action::AllowRemember | Action::Defer | Action::Deny
        ),
        Mode::Reason => action == Action::Submit,
        _ => false,
    }
}

impl Cockpit {
    /// A key press, resolved or not (an unmapped key still counts toward a
    /// burst). Answers pass the guard; everything else is applied at once,
    /// and what it asks of the loop returned.
    pub fn press(&mut self, action: Option<Action>, details_visible: bool) -> Option<Effect> {
        self.release_held(details_visible);
        let now = self.now;
        let guard = &mut self.approvals.guard;
        let burst = guard.last_input_at.is_some_and(|at| now - at < BURST_MS);
        guard.last_input_at = Some(now);
        if burst && guard.held.take().is_some() {
            self.notice("keys in a burst (a paste?) never answer a request".into());
        }
        let action = action?;
        if !answers(self.mode(), action) {
            return self.apply(action, details_visible);
        }
        if burst {
            self.notice("keys in a burst (a paste?) never answer a request".into());
            return None;
        }
        let front = self.approvals.pending.front().map(|p| p.id.clone())?;
        match self.approvals.guard.armed_at(&front) {
            None => self.notice("key dropped: the request on screen had changed".into()),
            Some(at) if now < at => self.notice("the prompt is arming: key ignored".into()),
            Some(_) if allows(action) && !self.approvals.guard.read_whole(&front) => {
                self.notice(UNREAD.into())
            }
            Some(_) => {
                self.approvals.guard.held = Some(Held {
                    action,
                    at: now,
                    target: front,
                })
            }
        }
        None
    }

    /// A paste never answers: it is text for the reason or learning being
    /// typed, control characters stripped, and ignored anywhere else.
    pub fn paste(&mut self, text: &str) {
        let now = self.now;
        let guard = &mut self.approvals.guard;
        guard.last_input_at = Some(now);
        let dropped = guard.held.take().is_some();
        let clean = text.chars().filter(|c| !c.is_control());
        if let Some(reason) = self.approvals.typing_reason.as_mut() {
            let room = 500usize.saturating_sub(reason.chars().count());
            reason.extend(clean.take(room));
        } else if let Some(input) = self.view.note_input.as_mut() {
            let room = 500usize.saturating_sub(input.text.chars().count());
            input.text.extend(clean.take(room));
        } else if dropped || !self.approvals.pending.is_empty() {
            return self.notice("a paste never answers a request".into());
        }
        self.view.dirty = true;
    }

    /// Applies a held key once no burst followed it, if its request is
    /// still the one in front.
    pub fn release_held(&mut self, details_visible: bool) {
        let guard = &mut self.approvals.guard;
        if guard
            .held
            .as_ref()
            .is_none_or(|h| self.now - h.at < BURST_MS)
        {
            return;
        }
        let Some(held) = guard.held.take() else {
            return;
        };
        let front = self.approvals.pending.front().map(|p| p.id.as_str());
        if front != Some(held.target.as_str()) || !answers(self.mode(), held.action) {
            self.notice("key dropped: the request it was meant for is gone".into());
        } else if allows(held.action) && !self.approvals.guard.read_whole(&held.target) {
            self.notice(UNREAD.into());
        } else {
            let effect = self.apply(held.action, details_visible);
            // An answer is settled in the state: nothing for the loop to do.
            debug_assert!(effect.is_none(), "an answer asked the loop for {effect:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::AgentKind;
    use crate::clock::Millis;
    use crate::policy::Verdict;
    use crate::policy::protocol::ApprovalRequest;
    use crate::state::guard::ARMING_MS;
    use crate::state::reading::{PromptView, ShownPrompt};

    fn request(command: &str) -> ApprovalRequest {
        ApprovalRequest {
            version: 1,
            agent: AgentKind::Claude,
            hook_event: "PermissionRequest".into(),
            session_id: Some("s".into()),
            transcript_path: None,
            cwd: Some("/p".into()),
            tool: "Bash".into(),
            input: serde_json::json!({ "command": command }),
            rule: None,
            reason: None,
            why: String::new(),
        }
    }

    /// A cockpit with `ids` queued, the first on screen since `shown_at`.
    fn cockpit(ids: &[&str], shown_at: Millis) -> Cockpit {
        let mut state = Cockpit::new("p".into(), None, 0);
        for id in ids {
            let line = crate::state::hook_line::HookLine::detached();
            state.approvals.arrive(id.to_string(), request(id), line, 0);
        }
        show(&mut state, ids[0], shown_at, 0, 8);
        state
    }

    /// A frame showed the prompt of `id` from row `top`, 10 rows of `total`.
    fn show(state: &mut Cockpit, id: &str, now: Millis, top: usize, total: usize) {
        let view = PromptView {
            width: 76,
            top,
            rows: 10,
            total,
            complete: true,
        };
        let shown = ShownPrompt {
            id: id.into(),
            view,
        };
        state.approvals.guard.drawn(Some(&shown), now);
    }

    fn at(state: &mut Cockpit, now: Millis) -> &mut Cockpit {
        state.now = now;
        state
    }

    fn answered(state: &Cockpit) -> Vec<(&str, Verdict)> {
        state
            .approvals
            .outbox
            .iter()
            .map(|a| (a.reply.id.as_str(), a.reply.verdict))
            .collect()
    }

    #[test]
    fn a_key_answers_after_arming_once_no_burst_follows() {
        let mut state = cockpit(&["a"], 1_000);
        at(&mut state, 1_200).press(Some(Action::Approve), false);
        at(&mut state, 1_400).release_held(false);
        assert!(answered(&state).is_empty(), "arming: the key is ignored");
        at(&mut state, 1_600).press(Some(Action::Approve), false);
        at(&mut state, 1_605).release_held(false);
        assert!(answered(&state).is_empty(), "held for the burst window");
        at(&mut state, 1_600 + BURST_MS).release_held(false);
        assert_eq!(answered(&state), [("a", Verdict::Allow)]);
    }

    #[test]
    fn keys_in_a_burst_never_answer() {
        // "yes", typed by a terminal without bracketed paste.
        let mut state = cockpit(&["a"], 0);
        at(&mut state, 5_000).press(Some(Action::Approve), false);
        at(&mut state, 5_001).press(None, false);
        at(&mut state, 5_002).press(None, false);
        at(&mut state, 6_000).release_held(false);
        // "please": the `a` comes fourth.
        for (i, action) in [None, None, None, Some(Action::AllowRemember), None, None]
            .into_iter()
            .enumerate()
        {
            at(&mut state, 7_000 + i as Millis).press(action, false);
        }
        at(&mut state, 8_000).release_held(false);
        assert!(answered(&state).is_empty());
        assert_eq!(state.approvals.pending.len(), 1);
    }

    #[test]
    fn a_paste_never_answers_and_is_text_in_the_reason() {
        let mut state = cockpit(&["a"], 0);
        at(&mut state, 5_000).paste("please check the status of the build");
        at(&mut state, 6_000).release_held(false);
        assert!(answered(&state).is_empty());
        at(&mut state, 7_000).press(Some(Action::Deny), false);
        at(&mut state, 7_100).press(None, false);
        assert_eq!(state.approvals.typing_reason.as_deref(), Some(""));
        at(&mut state, 7_200).paste("not\x1b[31m now\r\n");
        assert_eq!(
            state.approvals.typing_reason.as_deref(),
            Some("not[31m now")
        );
        at(&mut state, 8_000).press(Some(Action::Submit), false);
        at(&mut state, 8_100).release_held(false);
        assert_eq!(answered(&state), [("a", Verdict::Deny)]);
    }

    #[test]
    fn a_key_for_a_request_that_went_away_does_not_land_on_the_next() {
        // `y` pressed while A was on screen; A's hook goes away before the
        // key is applied.
        let mut state = cockpit(&["a", "b"], 0);
        at(&mut state, 5_000).press(Some(Action::Approve), false);
        state.approvals.withdraw("a");
        at(&mut state, 5_100).release_held(false);
        assert!(answered(&state).is_empty());
        assert!(state.notice.as_deref().unwrap().contains("dropped"));
        // A withdrawn, B in front but the last frame still showed A.
        at(&mut state, 5_200).press(Some(Action::Approve), false);
        at(&mut state, 5_300).release_held(false);
        assert!(answered(&state).is_empty());
        // B drawn: it arms, then takes the key.
        show(&mut state, "b", 5_300, 0, 8);
        at(&mut state, 5_400).press(Some(Action::Approve), false);
        at(&mut state, 5_500).release_held(false);
        assert!(answered(&state).is_empty(), "b is still arming");
        at(&mut state, 5_900).press(Some(Action::Approve), false);
        at(&mut state, 6_000).release_held(false);
        assert_eq!(answered(&state), [("b", Verdict::Allow)]);
    }

    #[test]
    fn the_app_is_woken_to_release_and_to_arm() {
        let mut state = cockpit(&["a"], 1_000);
        let guard = &state.approvals.guard;
        assert_eq!(guard.next_due(Some("a"), 1_100), Some(1_000 + ARMING_MS));
        assert_eq!(guard.next_due(Some("a"), 2_000), None);
        at(&mut state, 2_000).press(Some(Action::Approve), false);
        let guard = &state.approvals.guard;
        assert_eq!(guard.next_due(Some("a"), 2_000), Some(2_000 + BURST_MS));
    }

    #[test]
    fn allowing_waits_until_every_row_was_on_screen_and_denying_does_not() {
        // 25 rows, 10 on screen: the end of the command is below the edge.
        let mut state = cockpit(&["a"], 0);
        show(&mut state, "a", 100, 0, 25);
        for (i, action) in [Action::Approve, Action::AllowRemember]
            .into_iter()
            .enumerate()
        {
            let t = 1_000 + 500 * i as Millis;
            at(&mut state, t).press(Some(action), false);
            at(&mut state, t + 100).release_held(false);
            assert!(answered(&state).is_empty(), "{action:?} before reading");
            assert!(state.notice.as_deref().unwrap().contains("read the whole"));
        }
        // Read down, a page at a time: now it allows.
        show(&mut state, "a", 1_700, 9, 25);
        show(&mut state, "a", 1_800, 15, 25);
        at(&mut state, 2_000).press(Some(Action::Approve), false);
        at(&mut state, 2_100).release_held(false);
        assert_eq!(answered(&state), [("a", Verdict::Allow)]);
        // Deny and hand-back need no reading.
        let mut state = cockpit(&["b", "c"], 0);
        show(&mut state, "b", 0, 0, 25);
        at(&mut state, 1_000).press(Some(Action::Defer), false);
        at(&mut state, 1_100).release_held(false);
        assert_eq!(answered(&state), [("b", Verdict::Ask)]);
    }
}
