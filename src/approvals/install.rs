//! `cockpit install-hooks` / `uninstall-hooks`: merge the cockpit's hook
//! entries and status line into the agents' settings, keeping every entry
//! that is there, with a backup and a diff; idempotent; removable exactly.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use super::wiring;
use crate::policy::shell::quote::{shell_quote, shell_unquote};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `.claude/settings.local.json` and `.codex/hooks.json` in the project.
    Project,
    /// `~/.claude/settings.json` and `~/.codex/hooks.json`.
    User,
}

#[derive(Debug, Clone)]
pub struct Target {
    pub path: PathBuf,
    pub agent: &'static str,
    /// Claude Code's settings also get the status line.
    pub status_line: bool,
}

pub fn targets(scope: Scope, project: &Path) -> Vec<Target> {
    let claude_root = crate::agents::discover::claude_roots()
        .into_iter()
        .next()
        .unwrap_or_else(|| PathBuf::from(".claude"));
    let codex_home =
        crate::agents::discover::codex_home().unwrap_or_else(|| PathBuf::from(".codex"));
    let (claude, codex) = match scope {
        Scope::Project => (
            project.join(".claude").join("settings.local.json"),
            project.join(".codex").join("hooks.json"),
        ),
        Scope::User => (
            claude_root.join("settings.json"),
            codex_home.join("hooks.json"),
        ),
    };
    vec![
        Target {
            path: claude,
            agent: "claude",
            status_line: true,
        },
        Target {
            path: codex,
            agent: "codex",
            status_line: false,
        },
    ]
}

/// The command line the agent runs, with the binary's absolute path.
pub fn hook_command(binary: &str, agent: &str) -> String {
    format!("{} hook {agent}", shell_quote(binary))
}

fn statusline_command(binary: &str, wrapped: Option<&str>) -> String {
    match wrapped {
        Some(old) => format!(
            "{} statusline --wrap {}",
            shell_quote(binary),
            shell_quote(old)
        ),
        None => format!("{} statusline", shell_quote(binary)),
    }
}

pub(crate) fn is_ours(command: &str, agent: &str) -> bool {
    command.contains("cockpit") && command.ends_with(&format!(" hook {agent}"))
}

fn is_our_statusline(command: &str) -> bool {
    command.contains("cockpit") && command.contains(" statusline")
}

/// The settings with the cockpit's entries merged in.
pub fn merged(settings: &Value, binary: &str, target: &Target) -> Value {
    let mut settings = settings.clone();
    let root = settings.as_object_mut().expect("settings are an object");
    let hooks = root
        .entry("hooks")
        .or_insert_with(|| Value::Object(Map::new()));
    if !hooks.is_object() {
        *hooks = Value::Object(Map::new());
    }
    let hooks = hooks.as_object_mut().expect("just made an object");
    let command = hook_command(binary, target.agent);
    // Entries of ours for events this agent does not have (an older
    // install wrote `Notification` for Codex, which warns about it).
    let wanted = wiring::events(target.agent);
    for event in wiring::all_events().filter(|e| !wanted.contains(e)) {
        remove_ours(hooks, event, target.agent);
    }
    for event in wanted {
        let timeout = wiring::timeout(target.agent, event);
        let groups = hooks
            .entry(event.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        let Some(groups) = groups.as_array_mut() else {
            continue; // not ours to repair
        };
        let mut present = false;
        for handler in groups.iter_mut().flat_map(handlers_mut) {
            if handler
                .get("command")
                .and_then(Value::as_str)
                .is_some_and(|c| is_ours(c, target.agent))
            {
                present = true;
                // An older install's timeout (Codex clamps SessionEnd's).
                handler["timeout"] = json!(timeout);
            }
        }
        if !present {
            groups.push(json!({
                "matcher": "*",
                "hooks": [{"type": "command", "command": command, "timeout": timeout}]
            }));
        }
    }
    if target.status_line {
        let existing = root
            .get("statusLine")
            .and_then(|s| s.get("command"))
            .and_then(Value::as_str)
            .map(str::to_string);
        match existing {
            Some(command) if is_our_statusline(&command) => {}
            Some(command) => {
                let line = root.get_mut("statusLine").expect("present");
                line["command"] = Value::String(statusline_command(binary, Some(&command)));
            }
            None => {
                root.insert(
                    "statusLine".into(),
                    json!({"type": "command", "command": statusline_command(binary, None), "padding": 0}),
                );
            }
        }
    }
    settings
}

/// The settings with exactly the cockpit's entries taken out.
pub fn removed(settings: &Value, target: &Target) -> Value {
    let mut settings = settings.clone();
    let Some(root) = settings.as_object_mut() else {
        return settings;
    };
    if let Some(hooks) = root.get_mut("hooks").and_then(Value::as_object_mut) {
        for event in wiring::all_events() {
            remove_ours(hooks, event, target.agent);
        }
        if hooks.is_empty() {
            root.remove("hooks");
        }
    }
    if target.status_line {
        let command = root
            .get("statusLine")
            .and_then(|s| s.get("command"))
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(command) = command.filter(|c| is_our_statusline(c)) {
            match command
                .split_once(" statusline --wrap ")
                .map(|(_, w)| shell_unquote(w))
            {
                Some(Some(original)) => {
                    root.get_mut("statusLine").expect("present")["command"] =
                        Value::String(original);
                }
                _ => {
                    root.remove("statusLine");
                }
            }
        }
    }
    settings
}

fn handlers_mut(group: &mut Value) -> impl Iterator<Item = &mut Value> {
    group
        .get_mut("hooks")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
}

/// Takes the cockpit's handlers out of `event`, and groups and the event
/// left empty by that; everything else stays.
fn remove_ours(hooks: &mut Map<String, Value>, event: &str, agent: &str) {
    let Some(groups) = hooks.get_mut(event).and_then(Value::as_array_mut) else {
        return;
    };
    let before = groups.len();
    for group in groups.iter_mut() {
        if let Some(list) = group.get_mut("hooks").and_then(Value::as_array_mut) {
            list.retain(|h| {
                !h.get("command")
                    .and_then(Value::as_str)
                    .is_some_and(|c| is_ours(c, agent))
            });
        }
    }
    groups.retain(|g| {
        g.get("hooks")
            .and_then(Value::as_array)
            .is_none_or(|l| !l.is_empty())
    });
    if groups.is_empty() && before > 0 {
        hooks.remove(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claude() -> Target {
        Target {
            path: PathBuf::from("/x/settings.json"),
            agent: "claude",
            status_line: true,
        }
    }

    #[test]
    fn merge_keeps_existing_entries_and_is_idempotent() {
        let settings = json!({
            "model": "opus",
            "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "mine.sh"}]}]},
            "statusLine": {"type": "command", "command": "my status 'x'"}
        });
        let once = merged(&settings, "/usr/bin/cockpit", &claude());
        let twice = merged(&once, "/usr/bin/cockpit", &claude());
        assert_eq!(once, twice);
        assert_eq!(once["model"], "opus");
        let pre = once["hooks"]["PreToolUse"].as_array().unwrap();
        assert_eq!(pre.len(), 2);
        assert_eq!(pre[0]["hooks"][0]["command"], "mine.sh");
        assert_eq!(
            pre[1]["hooks"][0]["command"],
            "/usr/bin/cockpit hook claude"
        );
        assert_eq!(
            once["statusLine"]["command"],
            r#"/usr/bin/cockpit statusline --wrap 'my status '\''x'\'''"#
        );
        assert_eq!(removed(&once, &claude()), settings);
    }

    #[test]
    fn uninstall_from_nothing_leaves_nothing() {
        let fresh = merged(&json!({}), "/opt/my tools/cockpit", &claude());
        assert_eq!(
            fresh["hooks"]["Stop"][0]["hooks"][0]["command"],
            "'/opt/my tools/cockpit' hook claude"
        );
        assert_eq!(removed(&fresh, &claude()), json!({}));
    }
}
