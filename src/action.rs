//! Keys become data first: an [`Action`], resolved through the keymap of the
//! mode the screen is in. Applying it is the state's business.

use crossterm::event::{Event as TermEvent, KeyEventKind, MouseEventKind};

use crate::config::{KeyName, Keys};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ToggleHelp,
    FocusNext,
    FocusPrev,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    ToggleDetails,
    Close,
    ScrollUp(u16),
    ScrollDown(u16),
    /// The terminal changed size: redraw.
    Redraw,
}

/// What the screen shows on top, which decides how keys are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Help,
}

pub fn resolve(event: &TermEvent, mode: Mode, keys: &Keys) -> Option<Action> {
    match event {
        TermEvent::Key(key) if key.kind != KeyEventKind::Release => {
            let hit = |names: &[KeyName]| names.iter().any(|n| n.matches(key));
            match mode {
                // The help overlay takes every key; any closes it, but Ctrl-C
                // always quits.
                Mode::Help => {
                    let ctrl_c = key.code == crossterm::event::KeyCode::Char('c')
                        && key
                            .modifiers
                            .contains(crossterm::event::KeyModifiers::CONTROL);
                    Some(if ctrl_c { Action::Quit } else { Action::Close })
                }
                Mode::Normal => [
                    (&keys.quit, Action::Quit),
                    (&keys.help, Action::ToggleHelp),
                    (&keys.focus_next, Action::FocusNext),
                    (&keys.focus_prev, Action::FocusPrev),
                    (&keys.down, Action::Down),
                    (&keys.up, Action::Up),
                    (&keys.page_down, Action::PageDown),
                    (&keys.page_up, Action::PageUp),
                    (&keys.top, Action::Top),
                    (&keys.bottom, Action::Bottom),
                    (&keys.details, Action::ToggleDetails),
                    (&keys.close, Action::Close),
                ]
                .into_iter()
                .find(|(names, _)| hit(names))
                .map(|(_, action)| action),
            }
        }
        TermEvent::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollUp => Some(Action::ScrollUp(3)),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown(3)),
            _ => None,
        },
        TermEvent::Resize(..) | TermEvent::FocusGained => Some(Action::Redraw),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn key(code: KeyCode) -> TermEvent {
        TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn normal_keys_map_to_actions() {
        let keys = Keys::default();
        assert_eq!(
            resolve(&key(KeyCode::Char('q')), Mode::Normal, &keys),
            Some(Action::Quit)
        );
        assert_eq!(
            resolve(&key(KeyCode::Char('j')), Mode::Normal, &keys),
            Some(Action::Down)
        );
        assert_eq!(
            resolve(&key(KeyCode::Up), Mode::Normal, &keys),
            Some(Action::Up)
        );
        assert_eq!(
            resolve(&key(KeyCode::Tab), Mode::Normal, &keys),
            Some(Action::FocusNext)
        );
        assert_eq!(resolve(&key(KeyCode::Char('z')), Mode::Normal, &keys), None);
    }

    #[test]
    fn help_swallows_keys_and_ctrl_c_still_quits() {
        let keys = Keys::default();
        assert_eq!(
            resolve(&key(KeyCode::Char('j')), Mode::Help, &keys),
            Some(Action::Close)
        );
        assert_eq!(
            resolve(&key(KeyCode::Char('q')), Mode::Help, &keys),
            Some(Action::Close)
        );
        let ctrl_c = TermEvent::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert_eq!(resolve(&ctrl_c, Mode::Help, &keys), Some(Action::Quit));
    }
}
