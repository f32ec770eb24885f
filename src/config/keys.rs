//! The `[keys]` section: which keys do what, in every mode.

use std::str::FromStr;

use serde::Deserialize;

use crate::keyname::KeyName;

/// Keys per action; each entry is a key name such as `q`, `?`, `tab`,
/// `backtab`, `enter`, `esc`, `up`, `pagedown`, `home`, `f1`, or `ctrl-c`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Keys {
    pub quit: Vec<KeyName>,
    pub help: Vec<KeyName>,
    pub focus_next: Vec<KeyName>,
    pub focus_prev: Vec<KeyName>,
    pub down: Vec<KeyName>,
    pub up: Vec<KeyName>,
    pub page_down: Vec<KeyName>,
    pub page_up: Vec<KeyName>,
    pub top: Vec<KeyName>,
    pub bottom: Vec<KeyName>,
    pub details: Vec<KeyName>,
    pub close: Vec<KeyName>,
    /// In the approval prompt: allow once, deny (then type an optional
    /// reason), allow and remember for this session. `details` shows the
    /// whole input; `close` defers to the agent's own prompt.
    pub approve: Vec<KeyName>,
    pub deny: Vec<KeyName>,
    pub always: Vec<KeyName>,
    /// Write a one-line learning into the session (Law 1).
    pub learning: Vec<KeyName>,
    /// The outer loop: past sessions of this repository.
    pub outer_loop: Vec<KeyName>,
    /// In the outer loop view: search the past sessions' learnings.
    pub search: Vec<KeyName>,
    /// Acknowledge the failure-pattern alerts (they stop showing).
    pub acknowledge: Vec<KeyName>,
    /// The stats view: counters per session (Factor V).
    pub stats: Vec<KeyName>,
    /// Add the rule a Process Gridlock alert proposes (its preview is on screen).
    pub add_rule: Vec<KeyName>,
}

impl Default for Keys {
    fn default() -> Self {
        let keys = |names: &[&str]| {
            names
                .iter()
                .map(|n| KeyName::from_str(n).expect("built-in key names parse"))
                .collect()
        };
        Self {
            quit: keys(&["q", "ctrl-c"]),
            help: keys(&["?", "f1"]),
            focus_next: keys(&["tab"]),
            focus_prev: keys(&["backtab"]),
            down: keys(&["j", "down"]),
            up: keys(&["k", "up"]),
            page_down: keys(&["pagedown", "ctrl-d"]),
            page_up: keys(&["pageup", "ctrl-u"]),
            top: keys(&["g", "home"]),
            bottom: keys(&["G", "end"]),
            details: keys(&["enter"]),
            close: keys(&["esc"]),
            approve: keys(&["y"]),
            deny: keys(&["n"]),
            always: keys(&["a"]),
            learning: keys(&["L"]),
            outer_loop: keys(&["o"]),
            search: keys(&["/"]),
            acknowledge: keys(&["x"]),
            stats: keys(&["s"]),
            add_rule: keys(&["R"]),
        }
    }
}

impl Keys {
    /// The approval prompt's keys in the order they are tried: (config
    /// key, its keys).
    pub fn approval_prompt(&self) -> Vec<(&'static str, &[KeyName])> {
        vec![
            ("approve", &self.approve),
            ("deny", &self.deny),
            ("always", &self.always),
            ("details", &self.details),
            ("close", &self.close),
            ("down", &self.down),
            ("up", &self.up),
            ("page_down", &self.page_down),
            ("page_up", &self.page_up),
        ]
    }

    /// The main screen's keys in the order they are tried.
    pub fn main_screen(&self) -> Vec<(&'static str, &[KeyName])> {
        vec![
            ("quit", &self.quit),
            ("help", &self.help),
            ("focus_next", &self.focus_next),
            ("focus_prev", &self.focus_prev),
            ("down", &self.down),
            ("up", &self.up),
            ("page_down", &self.page_down),
            ("page_up", &self.page_up),
            ("top", &self.top),
            ("bottom", &self.bottom),
            ("details", &self.details),
            ("close", &self.close),
            ("learning", &self.learning),
            ("outer_loop", &self.outer_loop),
            ("acknowledge", &self.acknowledge),
            ("stats", &self.stats),
            ("add_rule", &self.add_rule),
        ]
    }

    /// Every action's config name and its keys: the two screens' tables
    /// (a key in both counts once) and the outer loop's search.
    fn named(&self) -> Vec<(&'static str, &[KeyName])> {
        let mut all = self.main_screen();
        for entry in self.approval_prompt() {
            if !all.iter().any(|(name, _)| *name == entry.0) {
                all.push(entry);
            }
        }
        all.push(("search", &self.search));
        all
    }

    /// The first action given no key (`quit = []`): it could not be done,
    /// and the status bar and help would show a blank. Its name, and its
    /// default keys.
    pub fn unbound(&self) -> Option<(&'static str, String)> {
        let (name, _) = self.named().into_iter().find(|(_, keys)| keys.is_empty())?;
        let defaults = Keys::default();
        let (_, keys) = defaults.named().into_iter().find(|(n, _)| *n == name)?;
        let keys: Vec<String> = keys.iter().map(KeyName::label).collect();
        Some((name, keys.join(", ")))
    }

    /// A key bound to two actions in one screen (the second would never
    /// fire), as `keys.approve and keys.down both use `j` in the approval
    /// prompt`.
    pub fn conflict(&self) -> Option<String> {
        for (table, label) in [
            (self.main_screen(), "the main screen"),
            (self.approval_prompt(), "the approval prompt"),
        ] {
            for (i, (first, a)) in table.iter().enumerate() {
                for (second, b) in &table[i + 1..] {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_bound_twice_in_one_mode_is_named() {
        assert_eq!(Keys::default().conflict(), None);
        let keys = Keys {
            approve: vec!["j".parse().unwrap()],
            ..Keys::default()
        };
        assert_eq!(
            keys.conflict().as_deref(),
            Some("keys.approve and keys.down both use `j` in the approval prompt")
        );
    }
}
