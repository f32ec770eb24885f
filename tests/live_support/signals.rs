//! What the agents tell the outside world about their state, recorded with
//! the time each sign appeared: every hook event (a logger hook for every
//! event name each agent knows), and Claude Code's registry of live sessions
//! (`$CLAUDE_CONFIG_DIR/sessions/<pid>.json`), polled. The fleet relies on
//! these signs; the live tests in tests/live_signals.rs assert them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::World;

/// Milliseconds since the epoch, the clock the logger hook writes.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// Every hook event Claude Code 2.1.328 names (its bundle's list) that a
/// live session can fire without plugins or teammates.
pub const CLAUDE_EVENTS: &[&str] = &[
    "PreToolUse",
    "PostToolUse",
    "PostToolUseFailure",
    "Notification",
    "UserPromptSubmit",
    "SessionStart",
    "SessionEnd",
    "Stop",
    "StopFailure",
    "PermissionRequest",
    "PermissionDenied",
    "Elicitation",
];

/// Codex 0.169.0's hook events (FORMATS.md 6.2; it has no Notification).
pub const CODEX_EVENTS: &[&str] = &[
    "PreToolUse",
    "PermissionRequest",
    "PostToolUse",
    "SessionStart",
    "SessionEnd",
    "UserPromptSubmit",
    "Stop",
    "Interrupt",
];

/// One hook call: when it started (ms since the epoch) and its stdin.
#[derive(Debug, Clone)]
pub struct HookCall {
    pub at_ms: u64,
    pub input: Value,
}

impl HookCall {
    pub fn event(&self) -> &str {
        self.input["hook_event_name"].as_str().unwrap_or_default()
    }
}

/// A hook command that appends `<ms> <stdin on one line>` to a log and
/// decides nothing, so each agent goes on exactly as without it.
pub struct HookLog {
    pub path: PathBuf,
    script: PathBuf,
}

impl HookLog {
    pub fn new(world: &World) -> Self {
        let path = world.root.join("hook-events.log");
        let script = world.root.join("log-hook.sh");
        std::fs::write(
            &script,
            format!(
                "#!/bin/bash\nts=$(date +%s%3N)\nin=$(cat | tr -d '\\n')\nprintf '%s %s\\n' \"$ts\" \"$in\" >> '{}'\n",
                path.display()
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        Self { path, script }
    }

    fn hooks(&self, events: &[&str]) -> Value {
        let mut hooks = serde_json::Map::new();
        for event in events {
            hooks.insert(
                event.to_string(),
                json!([{"matcher": "*", "hooks": [
                    {"type": "command", "command": self.script.display().to_string(), "timeout": 30}
                ]}]),
            );
        }
        Value::Object(hooks)
    }

    /// The project's `.claude/settings.json`: the logger on every event,
    /// plus `extra` settings (permissions ...).
    pub fn install_claude(&self, world: &World, extra: Value) {
        let mut settings = json!({"hooks": self.hooks(CLAUDE_EVENTS)});
        if let Value::Object(more) = extra {
            for (k, v) in more {
                settings[k] = v;
            }
        }
        let dir = world.project.join(".claude");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("settings.json"), settings.to_string()).unwrap();
    }

    /// `$CODEX_HOME/hooks.json` with the logger on every event. Codex runs
    /// hooks only once trusted: its TUI asks at start.
    pub fn install_codex(&self, world: &World) {
        std::fs::write(
            world.codex_home.join("hooks.json"),
            json!({"hooks": self.hooks(CODEX_EVENTS)}).to_string(),
        )
        .unwrap();
    }

    pub fn calls(&self) -> Vec<HookCall> {
        let text = std::fs::read_to_string(&self.path).unwrap_or_default();
        text.lines()
            .filter_map(|line| {
                let (at, input) = line.split_once(' ')?;
                Some(HookCall {
                    at_ms: at.parse().ok()?,
                    input: serde_json::from_str(input).ok()?,
                })
            })
            .collect()
    }

    /// The first call of `event` (and, when given, whose stdin holds
    /// `needle`) that started at or after `since_ms`, waiting up to `deadline`.
    pub fn wait(
        &self,
        event: &str,
        needle: Option<&str>,
        since_ms: u64,
        deadline: Duration,
    ) -> HookCall {
        let end = Instant::now() + deadline;
        loop {
            if let Some(call) = self.find(event, needle, since_ms) {
                return call;
            }
            assert!(
                Instant::now() < end,
                "no {event} hook {needle:?} after {since_ms} within {deadline:?}; calls: {:#?}",
                self.names()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn find(&self, event: &str, needle: Option<&str>, since_ms: u64) -> Option<HookCall> {
        self.calls().into_iter().find(|c| {
            c.at_ms >= since_ms
                && c.event() == event
                && needle.is_none_or(|n| c.input.to_string().contains(n))
        })
    }

    /// `event[/notification_type] @ms` for each call: what a failure shows.
    pub fn names(&self) -> Vec<String> {
        self.calls()
            .iter()
            .map(|c| {
                let kind = c.input["notification_type"].as_str().unwrap_or_default();
                format!("{}/{} @{}", c.event(), kind, c.at_ms)
            })
            .collect()
    }
}

/// One state of a registry file as the poller saw it: `None` once removed.
#[derive(Debug, Clone)]
pub struct Seen {
    pub at_ms: u64,
    pub file: String,
    pub content: Option<Value>,
}

/// Polls a directory every 20 ms and keeps each change of each `*.json`.
pub struct RegistryWatch {
    pub dir: PathBuf,
    seen: Arc<Mutex<Vec<Seen>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl RegistryWatch {
    pub fn start(dir: &Path) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (dir2, seen2, stop2) = (dir.to_path_buf(), seen.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut last: std::collections::HashMap<String, String> = Default::default();
            while !stop2.load(std::sync::atomic::Ordering::Relaxed) {
                let mut now: std::collections::HashMap<String, String> = Default::default();
                for entry in std::fs::read_dir(&dir2).into_iter().flatten().flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if name.ends_with(".json")
                        && let Ok(text) = std::fs::read_to_string(entry.path())
                    {
                        now.insert(name, text);
                    }
                }
                let at_ms = now_ms();
                let mut seen = seen2.lock().unwrap();
                for (name, text) in &now {
                    if last.get(name) != Some(text)
                        && let Ok(value) = serde_json::from_str(text)
                    {
                        seen.push(Seen {
                            at_ms,
                            file: name.clone(),
                            content: Some(value),
                        });
                    }
                }
                for name in last.keys().filter(|n| !now.contains_key(*n)) {
                    seen.push(Seen {
                        at_ms,
                        file: name.clone(),
                        content: None,
                    });
                }
                drop(seen);
                last = now;
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        Self {
            dir: dir.to_path_buf(),
            seen,
            stop,
        }
    }

    pub fn history(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The first state in effect at or after `since_ms` that `pred` accepts.
    /// The state already in effect at `since_ms` counts (with `at_ms` set to
    /// `since_ms`): the registry can change a moment before a hook process
    /// on a loaded machine writes the time it was run.
    pub fn wait(
        &self,
        what: &str,
        since_ms: u64,
        deadline: Duration,
        pred: impl Fn(&Seen) -> bool,
    ) -> Seen {
        let end = Instant::now() + deadline;
        loop {
            let history = self.history();
            let in_effect = history.iter().rposition(|s| s.at_ms < since_ms);
            let found = history
                .iter()
                .enumerate()
                .filter(|(i, s)| s.at_ms >= since_ms || Some(*i) == in_effect)
                .map(|(_, s)| s)
                .find(|s| pred(s));
            if let Some(s) = found {
                let mut s = s.clone();
                s.at_ms = s.at_ms.max(since_ms);
                return s;
            }
            assert!(
                Instant::now() < end,
                "registry: no {what} within {deadline:?}; seen: {:#?}",
                self.statuses()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// `file status @ms` for each change: what a failure shows.
    pub fn statuses(&self) -> Vec<String> {
        self.history()
            .iter()
            .map(|s| match &s.content {
                Some(v) => format!(
                    "{} {} {} @{}",
                    s.file,
                    v["status"].as_str().unwrap_or("-"),
                    v["waitingFor"].as_str().unwrap_or(""),
                    s.at_ms
                ),
                None => format!("{} removed @{}", s.file, s.at_ms),
            })
            .collect()
    }
}

impl Drop for RegistryWatch {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Every line of a JSONL file that parses.
pub fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}
