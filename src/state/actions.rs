//! What an action does to the state: focus, cursors, overlays, the note
//! being typed and the resume offer. Keys become actions in `crate::action`.

use crate::action::{Action, Mode};
use crate::policy::Verdict;

use super::{Cockpit, Effect, Focus, NoteInput, Overlay};

impl Cockpit {
    /// Panels that can take focus, in Tab order.
    pub fn focusable(&self, details_visible: bool) -> Vec<Focus> {
        let mut panels = vec![Focus::Tools];
        if !self.alerts.is_empty() {
            panels.push(Focus::Alerts);
        }
        if details_visible {
            panels.push(Focus::Details);
        }
        if self.project().sessions.len() > 1 {
            panels.push(Focus::Sessions);
        }
        panels
    }

    /// `details_visible`: the view shows the details pane (wide screen or opened).
    /// Returns what the loop must do beyond the state, if anything.
    pub fn apply(&mut self, action: Action, details_visible: bool) -> Option<Effect> {
        self.view.dirty = true;
        match self.mode() {
            Mode::Note => return self.apply_note(action),
            Mode::Offer => return self.apply_offer(action),
            Mode::Search => {
                self.view.learning_search.apply(action);
                return None;
            }
            _ => {}
        }
        match action {
            Action::ScrollUp(n) if self.view.is_open(Overlay::Help) => {
                self.view.help_scroll = self.view.help_scroll.saturating_sub(n);
            }
            Action::ScrollDown(n) if self.view.is_open(Overlay::Help) => {
                // The view stops at the last row.
                self.view.help_scroll = self.view.help_scroll.saturating_add(n).min(60);
            }
            Action::Quit if self.ask_learning_on_quit => {
                // Once: a second `q` (or Ctrl-C) in the prompt leaves.
                self.ask_learning_on_quit = false;
                self.view.note_input = Some(NoteInput {
                    text: String::new(),
                    quitting: true,
                });
            }
            Action::Quit => return Some(Effect::Quit),
            Action::Learning => {
                self.view.note_input = Some(NoteInput {
                    text: String::new(),
                    quitting: false,
                })
            }
            Action::ToggleHelp => self.view.toggle(Overlay::Help),
            Action::OuterLoop => self.view.toggle(Overlay::Outer),
            Action::Search => self.view.learning_search.open(),
            Action::Stats => self.view.toggle(Overlay::Stats),
            Action::AddRule if super::propose::open_proposal(self).is_none() => self.notice(
                "no rule is proposed now (a Process Gridlock alert proposes one, with its preview)"
                    .into(),
            ),
            Action::AddRule => self.add_proposed_rule(),
            Action::Acknowledge => {
                if self.alerts.is_empty() {
                    self.notice("no alert to acknowledge".into());
                }
                // The strip goes with its alerts.
                if self.view.focus == Focus::Alerts {
                    self.view.focus = Focus::Tools;
                }
                self.view.alert_scroll = 0;
                return Some(Effect::AcknowledgeAlerts);
            }
            Action::Close => {
                if self.view.overlay.take().is_some() {
                    self.view.learning_search = Default::default();
                } else if self.view.details_open {
                    self.view.details_open = false;
                    if self.view.focus == Focus::Details {
                        self.view.focus = Focus::Tools;
                    }
                } else {
                    self.notice("nothing open to close".into());
                }
            }
            Action::ToggleDetails => {
                self.view.details_open = !self.view.details_open;
                self.view.detail_scroll = 0;
            }
            Action::FocusNext | Action::FocusPrev => {
                let panels = self.focusable(details_visible);
                if panels.len() == 1 {
                    self.notice(
                        "one panel takes focus now (alerts, details or a second agent add more)"
                            .into(),
                    );
                }
                let at = panels
                    .iter()
                    .position(|p| *p == self.view.focus)
                    .unwrap_or(0);
                let next = if action == Action::FocusNext {
                    (at + 1) % panels.len()
                } else {
                    (at + panels.len() - 1) % panels.len()
                };
                self.view.focus = panels[next];
            }
            Action::Up | Action::ScrollUp(_) | Action::PageUp => {
                let step = match action {
                    Action::ScrollUp(n) => usize::from(n),
                    Action::PageUp => self.page_step(),
                    _ => 1,
                };
                self.move_cursor(step as isize);
            }
            Action::Down | Action::ScrollDown(_) | Action::PageDown => {
                let step = match action {
                    Action::ScrollDown(n) => usize::from(n),
                    Action::PageDown => self.page_step(),
                    _ => 1,
                };
                self.move_cursor(-(step as isize));
            }
            Action::Top => self.move_cursor(isize::MAX / 2),
            Action::Bottom => {
                self.move_cursor(isize::MIN / 2);
                // The one key that follows the newest call again.
                if self.approvals.pending.is_empty() && self.view.focus == Focus::Tools {
                    self.view.tool_pick = None;
                }
            }
            Action::Redraw | Action::Suspend => {}
            Action::NoRequest => self.notice("no request is waiting for approval".into()),
            Action::Approve => self.approvals.answer(Verdict::Allow, None, false, self.now),
            Action::AllowRemember => self.approvals.answer(Verdict::Allow, None, true, self.now),
            Action::Defer => self.approvals.answer(Verdict::Ask, None, false, self.now),
            Action::Deny => self.approvals.typing_reason = Some(String::new()),
            Action::ApprovalDetails => {
                self.approvals.show_details = !self.approvals.show_details;
                self.approvals.detail_scroll = 0;
            }
            Action::Input(c) => {
                if let Some(reason) = self.approvals.typing_reason.as_mut()
                    && reason.chars().count() < 500
                    && !c.is_control()
                {
                    reason.push(c);
                }
            }
            Action::Backspace => {
                if let Some(reason) = self.approvals.typing_reason.as_mut() {
                    reason.pop();
                }
            }
            Action::Submit => {
                let reason = self.approvals.typing_reason.take().unwrap_or_default();
                let reason = Some(reason.trim().to_string()).filter(|r| !r.is_empty());
                self.approvals
                    .answer(Verdict::Deny, reason, false, self.now);
            }
            Action::Cancel => self.approvals.typing_reason = None,
        }
        None
    }

    fn apply_note(&mut self, action: Action) -> Option<Effect> {
        let input = self.view.note_input.as_mut()?;
        match action {
            Action::Input(c) if !c.is_control() && input.text.chars().count() < 500 => {
                input.text.push(c)
            }
            Action::Backspace => {
                input.text.pop();
            }
            Action::Submit | Action::Cancel | Action::Quit => {
                let input = self.view.note_input.take().unwrap_or(NoteInput {
                    text: String::new(),
                    quitting: false,
                });
                let text = input.text.trim().to_string();
                if action == Action::Submit && !text.is_empty() {
                    self.learnings.push((self.now, text));
                    self.notice("learning saved into this session".into());
                }
                if input.quitting || action == Action::Quit {
                    return Some(Effect::Quit);
                }
            }
            _ => {}
        }
        None
    }

    fn apply_offer(&mut self, action: Action) -> Option<Effect> {
        match action {
            Action::Approve => self
                .resume_offer
                .take()
                .map(|offer| Effect::Resume(offer.id)),
            Action::Defer => {
                self.resume_offer = None;
                None
            }
            Action::Quit => Some(Effect::Quit),
            _ => None,
        }
    }

    /// Rows a page key moves: the approval prompt's page keeps one row of
    /// the last, so paging down shows every row.
    fn page_step(&self) -> usize {
        let prompt = self.approvals.pending.front();
        match prompt.and_then(|p| self.approvals.guard.reading(&p.id)) {
            Some(reading) => reading.rows.saturating_sub(1).max(1),
            None => self.view.page_rows.max(1),
        }
    }

    /// Rows the focused alerts could take on the narrowest screen (the view
    /// stops at the last row; this keeps `k` from having far to come back).
    fn alert_rows_at_most(&self) -> u16 {
        const NARROWEST: usize = 38;
        let rows: usize = (self.alerts.iter())
            .map(|a| {
                let lines = [
                    a.pattern.name().len() + a.factor.len() + 40,
                    a.message.len(),
                    a.what_to_do.len() + 2,
                ];
                lines
                    .iter()
                    .map(|n| n.div_ceil(NARROWEST).max(1))
                    .sum::<usize>()
                    + 1
            })
            .sum();
        rows.min(usize::from(u16::MAX)) as u16
    }

    /// Positive moves toward older rows (up the screen).
    fn move_cursor(&mut self, delta: isize) {
        if !self.approvals.pending.is_empty() {
            let next = i64::from(self.approvals.detail_scroll) - delta.clamp(-1000, 1000) as i64;
            self.approvals.detail_scroll = next.clamp(0, i64::from(u16::MAX)) as u16;
            return;
        }
        match self.view.focus {
            Focus::Tools => {
                let Some(feed) = self.current().map(|s| &s.tools) else {
                    return;
                };
                let Some(at) = self.view.call_index(feed) else {
                    return;
                };
                let max = feed.calls().len() as isize - 1;
                let next = (at as isize - delta).clamp(0, max);
                // Picked, even the newest: arriving calls do not move it.
                let pick = Some(feed.seq(next as usize));
                if pick != self.view.tool_pick {
                    self.view.tool_pick = pick;
                    self.view.detail_scroll = 0;
                }
            }
            Focus::Details => {
                let next = i64::from(self.view.detail_scroll) - delta as i64;
                self.view.detail_scroll = next.clamp(0, i64::from(u16::MAX)) as u16;
            }
            Focus::Alerts => {
                let next = i64::from(self.view.alert_scroll) - delta as i64;
                let most = i64::from(self.alert_rows_at_most());
                self.view.alert_scroll = next.clamp(0, most) as u16;
            }
            Focus::Sessions => {
                if self.project().sessions.is_empty() {
                    return;
                }
                // Up and down the rows as the agents panel orders them.
                let order = self.agent_order();
                let max = order.len() as isize - 1;
                let selected = self.project().selected.unwrap_or(0);
                let at = order.iter().position(|&i| i == selected).unwrap_or(0) as isize;
                let next = (at - delta.signum()).clamp(0, max) as usize;
                self.view.user_picked = true;
                self.select(order[next]);
            }
        }
    }
}
