//! `cockpit statusline`: Claude Code's status-line command. Prints a one-line
//! gauge coloured by zone from the JSON on stdin, forwards that JSON to the
//! running cockpit (Claude Code's own window size is the only reliable source
//! for 1M windows), and runs the user's previous status line (`--wrap`).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::agents::AgentKind;
use crate::config::Config;
use crate::state::gauge::Zone;
use crate::text::compact_count;

use super::{hook, ipc};

/// The gauge figures from status-line JSON: tokens in context and window.
pub fn figures(status: &Value, config: &Config) -> (Option<u64>, u64) {
    let window_info = status.get("context_window");
    let window = window_info
        .and_then(|c| c.get("context_window_size"))
        .and_then(Value::as_u64)
        .unwrap_or_else(|| {
            let model = status.pointer("/model/id").and_then(Value::as_str);
            config.gauge.window_for(model)
        });
    // `current_usage`, not `total_input_tokens` (its meaning changed in 2026).
    let used = window_info
        .and_then(|c| c.get("current_usage"))
        .filter(|u| u.is_object())
        .map(|u| {
            [
                "input_tokens",
                "cache_creation_input_tokens",
                "cache_read_input_tokens",
            ]
            .iter()
            .filter_map(|k| u.get(*k).and_then(Value::as_u64))
            .sum::<u64>()
        })
        .or_else(|| {
            window_info
                .and_then(|c| c.get("used_percentage"))
                .and_then(Value::as_f64)
                .map(|p| (p / 100.0 * window as f64).round() as u64)
        });
    (used, window)
}

pub fn line(status: &Value, config: &Config) -> String {
    let (used, window) = figures(status, config);
    let Some(used) = used else {
        return "ctx — (no reply yet)".to_string();
    };
    let percent = used as f64 * 100.0 / window.max(1) as f64;
    let zone = config.gauge.zone_of(percent);
    let colour = match zone {
        Zone::Green => "32",
        Zone::Yellow => "33",
        Zone::Orange => "38;5;208",
        Zone::Red => "31",
    };
    let cells = 10usize;
    let filled = ((percent / 100.0) * cells as f64)
        .round()
        .clamp(0.0, cells as f64) as usize;
    let bar: String = "█".repeat(filled) + &"░".repeat(cells - filled);
    format!(
        "\x1b[{colour}mctx {bar} {percent:.0}%\x1b[0m {}/{}",
        compact_count(used),
        compact_count(window)
    )
}

pub fn run(config: &Config, wrap: Option<&str>) -> i32 {
    let mut input = Vec::new();
    let _ = std::io::stdin().take(4 << 20).read_to_end(&mut input);
    let status: Value = serde_json::from_slice(&input).unwrap_or(Value::Null);
    let mut out = line(&status, config);
    if status.is_object() {
        let cwd = status
            .pointer("/workspace/project_dir")
            .or_else(|| status.get("cwd"))
            .and_then(Value::as_str)
            .map(PathBuf::from)
            .unwrap_or_else(|| std::env::current_dir().unwrap_or_default());
        let mut payload = status.clone();
        payload["hook_event_name"] = Value::String("StatusLine".into());
        let _ = hook::send_event(&ipc::runtime_dir(), &cwd, AgentKind::Claude, payload);
    }
    if let Some(theirs) = wrap.and_then(|command| run_wrapped(command, &input)) {
        out = format!("{out} │ {theirs}");
    }
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{out}");
    0
}

/// The user's own status line, fed the same JSON; its first line of output.
fn run_wrapped(command: &str, input: &[u8]) -> Option<String> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input);
    }
    let output = child.wait_with_output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines().next().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn uses_current_usage_and_the_reported_window() {
        let config = Config::default();
        let status = json!({
            "model": {"id": "claude-opus-4-8"},
            "context_window": {"total_input_tokens": 999999, "context_window_size": 1000000,
                "used_percentage": 6, "current_usage": {"input_tokens": 2, "output_tokens": 812,
                "cache_creation_input_tokens": 1408, "cache_read_input_tokens": 62800}}
        });
        assert_eq!(figures(&status, &config), (Some(64_210), 1_000_000));
        let text = line(&status, &config);
        assert!(text.contains("6%") && text.contains("64.2k/1.0M"), "{text}");
        let after_compact =
            json!({"context_window": {"current_usage": null, "used_percentage": null}});
        assert_eq!(line(&after_compact, &config), "ctx — (no reply yet)");
    }
}
