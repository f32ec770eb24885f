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
                    .map(|(_, _, action)| action),
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
/// what they do), first match wins.
fn table(keys: &Keys, mode: Mode) -> Vec<(&'static str, &[KeyName], Action)> {
    match mode {
        Mode::Approval => vec![
            ("approve", &keys.approve, Action::Approve),
            ("deny", &keys.deny, Action::Deny),
            ("always", &keys.always, Action::AllowRemember),
            ("details", &keys.details, Action::ApprovalDetails),
            ("close", &keys.close, Action::Defer),
            ("down", &keys.down, Action::Down),
            ("up", &keys.up, Action::Up),
            ("page_down", &keys.page_down, Action::PageDown),
            ("page_up", &keys.page_up, Action::PageUp),
        ],
        Mode::Normal => vec![
            ("quit", &keys.quit, Action::Quit),
            ("help", &keys.help, Action::ToggleHelp),
            ("focus_next", &keys.focus_next, Action::FocusNext),
            ("focus_prev", &keys.focus_prev, Action::FocusPrev),
            ("down", &keys.down, Action::Down),
            ("up", &keys.up, Action::Up),
            ("page_down", &keys.page_down, Action::PageDown),
            ("page_up", &keys.page_up, Action::PageUp),
            ("top", &keys.top, Action::Top),
            ("bottom", &keys.bottom, Action::Bottom),
            ("details", &keys.details, Action::ToggleDetails),
            ("close", &keys.close, Action::Close),
            ("learning", &keys.learning, Action::Learning),
            ("outer_loop", &keys.outer_loop, Action::OuterLoop),
            ("acknowledge", &keys.acknowledge, Action::Acknowledge),
            ("stats", &keys.stats, Action::Stats),
            ("add_rule", &keys.add_rule, Action::AddRule),
        ],
        _ => Vec::new(),
    }
    .into_iter()
    .map(|(name, names, action)| (name, names.as_slice(), action))
    .collect()
}

/// A key bound to two actions in one mode (the second would never fire),
/// as `keys.approve and keys.down both use `j` in the approval prompt`.
pub fn conflict(keys: &Keys) -> Option<String> {
    for (mode, label) in [
        (Mode::Normal, "the main screen"),
        (Mode::Approval, "the approval prompt"),
    ] {
        let table = table(keys, mode);
        for (i, (first, a, _)) in table.iter().enumerate() {
            for (second, b, _) in &table[i + 1..] {
                if let Some(key) = a.iter().find(|k| b.contains(k)) {
                    return Some(format!(
                        "keys.{first} and keys.{second} both use `{}` in {label}",
                        key.label()
                    ));
                }
            }
        }
    }
    None
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
    fn a_key_bound_twice_in_one_mode_is_named() {
        assert_eq!(conflict(&Keys::default()), None);
        let keys = Keys {
            approve: vec!["j".parse().unwrap()],
            ..Keys::default()
        };
        assert_eq!(
            conflict(&keys).as_deref(),
            Some("keys.approve and keys.down both use `j` in the approval prompt")
        );
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
