//! Keys become data first: an [`Action`], resolved through the keymap of the
//! mode the screen is in. Applying it is the state's business.

use crossterm::event::{Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers, MouseEventKind};

use crate::config::keys::Keys;
use crate::keyname::KeyName;

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
    /// The terminal changed size, or Ctrl-L: redraw the whole screen.
    Redraw,
    /// Approval prompt: allow once.
    Approve,
    /// Approval prompt: deny (a reason may be typed next).
    Deny,
    /// Approval prompt: allow and remember for this session.
    AllowRemember,
    /// Approval prompt: show or hide the whole input.
    ApprovalDetails,
    /// Approval prompt: leave it to the agent's own prompt.
    Defer,
    /// Typing the deny reason.
    Input(char),
    Backspace,
    Submit,
    Cancel,
    /// Open the one-line learning input.
    Learning,
    /// Show or hide the past sessions (outer loop).
    OuterLoop,
    /// In the outer loop view: start typing a search of the learnings.
    Search,
    /// Acknowledge every alert shown.
    Acknowledge,
    /// Show or hide the per-session counters (Factor V).
    Stats,
    /// Ctrl-Z: raw mode turns it into a key, so the app stops itself.
    Suspend,
    /// Add the rule a Process Gridlock alert proposes.
    AddRule,
    /// An approval key on the main screen: no request is waiting (it says
    /// so; it answers nothing).
    NoRequest,
}

/// What the screen shows on top, which decides how keys are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Normal,
    Help,
    /// The approval modal is open: it takes every key.
    Approval,
    /// Typing the reason for a deny.
    Reason,
    /// Typing a learning.
    Note,
    /// "Resume yesterday's session?"
    Offer,
    /// The outer loop view: `/` searches the learnings, any other key closes.
    Outer,
    /// Typing that search.
    Search,
}

/// The resume offer's keys, fixed: the offer names them.
const OFFER_KEYS: [(KeyCode, Action); 6] = [
    (KeyCode::Char('r'), Action::Approve),
    (KeyCode::Char('y'), Action::Approve),
    (KeyCode::Enter, Action::Approve),
    (KeyCode::Esc, Action::Defer),
    (KeyCode::Char('n'), Action::Defer),
    (KeyCode::Char('q'), Action::Defer),
];

/// Typing a line (a deny's reason, a learning): every character is text.
fn text_entry(code: KeyCode) -> Option<Action> {
    match code {
        KeyCode::Enter => Some(Action::Submit),
        KeyCode::Esc => Some(Action::Cancel),
        KeyCode::Backspace => Some(Action::Backspace),
        KeyCode::Char(c) => Some(Action::Input(c)),
        _ => None,
    }
}

pub fn resolve(event: &TermEvent, mode: Mode, keys: &Keys) -> Option<Action> {
    match event {
        TermEvent::Key(key) if key.kind != KeyEventKind::Release => {
            let hit = |names: &[KeyName]| names.iter().any(|n| n.matches(key));
            let ctrl_c =
                key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
            let ctrl_z =
                key.code == KeyCode::Char('z') && key.modifiers.contains(KeyModifiers::CONTROL);
            let ctrl_l =
                key.code == KeyCode::Char('l') && key.modifiers.contains(KeyModifiers::CONTROL);
            match mode {
                _ if ctrl_c => Some(Action::Quit),
                _ if ctrl_z => Some(Action::Suspend),
                // Redraws the whole screen, as in a shell.
                _ if ctrl_l => Some(Action::Redraw),
                Mode::Offer => OFFER_KEYS
                    .iter()
                    .find(|(code, _)| *code == key.code)
                    .map(|(_, action)| *action),
                Mode::Outer if hit(&keys.search) => Some(Action::Search),
                Mode::Reason | Mode::Note | Mode::Search => text_entry(key.code),
                Mode::Approval | Mode::Normal => table(keys, mode)
                    .into_iter()
                    .find(|(_, names, _)| hit(names))
                    .map(|(_, _, action)| action)
                    .or_else(|| {
                        let answer = [&keys.approve, &keys.deny, &keys.always];
                        let idle = mode == Mode::Normal && answer.iter().any(|k| hit(k));
                        idle.then_some(Action::NoRequest)
                    }),
                // The help and outer loop overlays take every key and any other closes them (Ctrl-C
                // quit above).
                Mode::Help | Mode::Outer => Some(Action::Close),
            }
        }
        TermEvent::Mouse(_) if !matches!(mode, Mode::Normal | Mode::Help | Mode::Outer) => None,
        TermEvent::Mouse(mouse) => match mouse.kind {
            MouseEventKind::ScrollUp => Some(Action::ScrollUp(3)),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown(3)),
            _ => None,
        },
        TermEvent::Resize(..) | TermEvent::FocusGained => Some(Action::Redraw),
        _ => None,
    }
}

/// The keymap of a mode read through the config: (config key, its keys,
/// what they do), first match wins. The config lists the keys of each
/// screen (and finds a key bound twice); this says what each does. The help
/// lists it, so every key that does something is there.
pub fn table(keys: &Keys, mode: Mode) -> Vec<(&'static str, &[KeyName], Action)> {
    let screen = match mode {
        Mode::Approval => keys.approval_prompt(),
        Mode::Normal => keys.main_screen(),
        _ => Vec::new(),
    };
    (screen.into_iter())
        .filter_map(|(name, names)| Some((name, names, action_of(mode, name)?)))
        .collect()
}

/// What the config key `name` does in `mode`.
fn action_of(mode: Mode, name: &str) -> Option<Action> {
    Some(match (mode, name) {
        (Mode::Approval, "approve") => Action::Approve,
        (Mode::Approval, "deny") => Action::Deny,
        (Mode::Approval, "always") => Action::AllowRemember,
        (Mode::Approval, "details") => Action::ApprovalDetails,
        (Mode::Approval, "close") => Action::Defer,
        (_, "down") => Action::Down,
        (_, "up") => Action::Up,
        (_, "page_down") => Action::PageDown,
        (_, "page_up") => Action::PageUp,
        (Mode::Normal, "quit") => Action::Quit,
        (Mode::Normal, "help") => Action::ToggleHelp,
        (Mode::Normal, "focus_next") => Action::FocusNext,
        (Mode::Normal, "focus_prev") => Action::FocusPrev,
        (Mode::Normal, "top") => Action::Top,
        (Mode::Normal, "bottom") => Action::Bottom,
        (Mode::Normal, "details") => Action::ToggleDetails,
        (Mode::Normal, "close") => Action::Close,
        (Mode::Normal, "learning") => Action::Learning,
        (Mode::Normal, "outer_loop") => Action::OuterLoop,
        (Mode::Normal, "acknowledge") => Action::Acknowledge,
        (Mode::Normal, "stats") => Action::Stats,
        (Mode::Normal, "add_rule") => Action::AddRule,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEvent;

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
        assert_eq!(
            resolve(&key(KeyCode::Char('s')), Mode::Normal, &keys),
            Some(Action::Stats)
        );
        assert_eq!(resolve(&key(KeyCode::Char('z')), Mode::Normal, &keys), None);
    }

    #[test]
    fn the_approval_prompt_takes_every_key() {
        let keys = Keys::default();
        let resolve = |code, mode| resolve(&key(code), mode, &keys);
        assert_eq!(
            resolve(KeyCode::Char('y'), Mode::Approval),
            Some(Action::Approve)
        );
        assert_eq!(
            resolve(KeyCode::Char('n'), Mode::Approval),
            Some(Action::Deny)
        );
        assert_eq!(
            resolve(KeyCode::Char('a'), Mode::Approval),
            Some(Action::AllowRemember)
        );
        assert_eq!(resolve(KeyCode::Esc, Mode::Approval), Some(Action::Defer));
        assert_eq!(resolve(KeyCode::Char('q'), Mode::Approval), None);
        assert_eq!(
            resolve(KeyCode::Char('q'), Mode::Reason),
            Some(Action::Input('q'))
        );
        assert_eq!(resolve(KeyCode::Enter, Mode::Reason), Some(Action::Submit));
    }

    #[test]
    fn every_key_the_config_lists_does_something() {
        let keys = Keys::default();
        for (mode, screen) in [
            (Mode::Normal, keys.main_screen()),
            (Mode::Approval, keys.approval_prompt()),
        ] {
            for (name, _) in screen {
                assert!(action_of(mode, name).is_some(), "keys.{name} in {mode:?}");
            }
        }
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
