//! What an action does to the state: focus, cursors, overlays, the note
//! being typed and the resume offer. Keys become actions in `crate::action`.

use crate::action::{Action, Mode};
use crate::approvals::policy::Verdict;

use super::{Cockpit, Effect, Focus, NoteInput, Overlay};

impl Cockpit {
    /// Panels that can take focus, in Tab order.
    pub fn focusable(&self, details_visible: bool) -> Vec<Focus> {
        let mut panels = vec![Focus::Tools];
        if details_visible {
            panels.push(Focus::Details);
        }
        if self.sessions.len() > 1 {
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
            Action::AddRule => self.add_proposed_rule(),
            Action::Acknowledge => return Some(Effect::AcknowledgeAlerts),
            Action::Close => {
                if self.view.overlay.take().is_some() {
                    self.view.learning_search = Default::default();
                } else if self.view.details_open {
                    self.view.details_open = false;
                    if self.view.focus == Focus::Details {
                        self.view.focus = Focus::Tools;
                    }
                }
            }
            Action::ToggleDetails => {
                self.view.details_open = !self.view.details_open;
                self.view.detail_scroll = 0;
            }
            Action::FocusNext | Action::FocusPrev => {
                let panels = self.focusable(details_visible);
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
            Action::Bottom => self.move_cursor(isize::MIN / 2),
            Action::Redraw | Action::Suspend => {}
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

    /// Positive moves toward older rows (up the screen).
    fn move_cursor(&mut self, delta: isize) {
        if !self.approvals.pending.is_empty() {
            let next = i64::from(self.approvals.detail_scroll) - delta.clamp(-1000, 1000) as i64;
            self.approvals.detail_scroll = next.clamp(0, i64::from(u16::MAX)) as u16;
            return;
        }
        match self.view.focus {
            Focus::Tools => {
                let len = self.current().map_or(0, |s| s.tools.calls().len());
                let max = len.saturating_sub(1) as isize;
                let next = (self.view.tool_cursor as isize + delta).clamp(0, max);
                if next as usize != self.view.tool_cursor {
                    self.view.tool_cursor = next as usize;
                    self.view.detail_scroll = 0;
                }
            }
            Focus::Details => {
                let next = i64::from(self.view.detail_scroll) - delta as i64;
                self.view.detail_scroll = next.clamp(0, i64::from(u16::MAX)) as u16;
            }
            Focus::Sessions => {
                if self.sessions.is_empty() {
                    return;
                }
                // Up and down the rows as the agents panel orders them.
                let order = self.agent_order();
                let max = order.len() as isize - 1;
                let selected = self.selected.unwrap_or(0);
                let at = order.iter().position(|&i| i == selected).unwrap_or(0) as isize;
                let next = (at - delta.signum()).clamp(0, max) as usize;
                self.view.user_picked = true;
                self.select(order[next]);
            }
        }
    }
}
