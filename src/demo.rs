//! `cockpit demo`: a real recorded session replayed into a temporary file, so
//! the cockpit shows its whole path (file event, tail, parse, gauge) with no
//! agent installed.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::agents::timestamp::parse_millis;
use crate::event::{Event, EventSender};

const SESSION: &[u8] = include_bytes!("../assets/demo/claude-session.jsonl");

/// Lines longer than this are written in two parts, as a busy agent's writes
/// sometimes land, to show that half a line waits for its end.
const SPLIT_WRITES_OVER: usize = 16 * 1024;

pub struct Demo {
    // Removed with everything in it when the demo ends.
    _dir: tempfile::TempDir,
    pub transcript: PathBuf,
}

impl Demo {
    pub fn root(&self) -> &std::path::Path {
        self._dir.path()
    }
}

pub fn prepare() -> std::io::Result<Demo> {
    let dir = tempfile::Builder::new().prefix("cockpit-demo-").tempdir()?;
    let transcript = dir
        .path()
        .join("4d5611e5-241a-462a-8d15-5122611a9569.jsonl");
    File::create(&transcript)?;
    Ok(Demo {
        _dir: dir,
        transcript,
    })
}

pub struct Pace {
    pub speed: f64,
    pub max_pause: Duration,
}

/// The replay raises one real approval request, through the real hook
/// process and socket, at this line.
const APPROVAL_AT_LINE: usize = 120;

pub fn spawn_replay(path: PathBuf, pace: Pace, events: EventSender) {
    let spawned = std::thread::Builder::new()
        .name("demo-replay".into())
        .spawn(move || {
            if let Err(err) = replay(&path, &pace, &events) {
                let _ = events.send(Event::Banner(format!("demo replay stopped: {err}")));
            }
        });
    if let Err(err) = spawned {
        tracing::error!(%err, "could not start the demo replay");
    }
}

fn replay(path: &PathBuf, pace: &Pace, events: &EventSender) -> std::io::Result<()> {
    let mut file = OpenOptions::new().append(true).open(path)?;
    let lines: Vec<&[u8]> = SESSION
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    let total = lines.len();
    let mut previous: Option<i64> = None;
    for (i, line) in lines.iter().enumerate() {
        let mut value: Value = match serde_json::from_slice(line) {
            Ok(value) => value,
            Err(_) => continue,
        };
        let recorded = value
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(parse_millis);
        if let (Some(now), Some(before)) = (recorded, previous) {
            let gap = ((now - before).max(0) as f64 / pace.speed) as u64;
            std::thread::sleep(Duration::from_millis(gap).min(pace.max_pause));
        }
        previous = recorded.or(previous);
        if value.get("timestamp").is_some() {
            let now = OffsetDateTime::now_utc()
                .format(&Rfc3339)
                .unwrap_or_default();
            value["timestamp"] = Value::String(now);
        }
        let mut bytes = serde_json::to_vec(&value).unwrap_or_default();
        bytes.push(b'\n');
        if bytes.len() > SPLIT_WRITES_OVER {
            let half = bytes.len() / 2;
            file.write_all(&bytes[..half])?;
            std::thread::sleep(Duration::from_millis(30));
            file.write_all(&bytes[half..])?;
        } else {
            file.write_all(&bytes)?;
        }
        if i == APPROVAL_AT_LINE {
            let root = path.parent().map(PathBuf::from).unwrap_or_default();
            raise_approval(root, events.clone());
        }
        if i % 20 == 0 || i + 1 == total {
            let _ = events.send(Event::Banner(format!(
                "demo · replaying a real Claude Code session at {}× · line {}/{} · ? help · q quit",
                pace.speed,
                i + 1,
                total
            )));
        }
    }
    let _ = events.send(Event::Banner(
        "demo · replay finished: this is where the recorded session ended · q quit".into(),
    ));
    Ok(())
}

/// Runs `cockpit hook claude` as Claude Code would, with a PreToolUse for a
/// push, and reports what the hook answered once the user has decided.
fn raise_approval(root: PathBuf, events: EventSender) {
    let request = serde_json::json!({
        "session_id": "4d5611e5-241a-462a-8d15-5122611a9569",
        "transcript_path": root.join("4d5611e5-241a-462a-8d15-5122611a9569.jsonl"),
        "cwd": root,
        "permission_mode": "default",
        "hook_event_name": "PreToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": "git push origin spotter-dov", "description": "Push the branch"},
        "tool_use_id": "toolu_demo_push"
    });
    let spawned = std::thread::Builder::new()
        .name("demo-hook".into())
        .spawn(move || {
            let Ok(binary) = std::env::current_exe() else {
                return;
            };
            let child = std::process::Command::new(binary)
                .args(["hook", "claude"])
                .current_dir(&root)
                .env_remove("CLAUDE_PROJECT_DIR")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn();
            let Ok(mut child) = child else { return };
            if let Some(mut stdin) = child.stdin.take() {
                let _ = stdin.write_all(request.to_string().as_bytes());
            }
            let Ok(output) = child.wait_with_output() else {
                return;
            };
            let answer = String::from_utf8_lossy(&output.stdout);
            let verdict = ["allow", "deny", "ask"]
                .into_iter()
                .find(|v| answer.contains(&format!("\"permissionDecision\":\"{v}\"")))
                .unwrap_or("no decision");
            let _ = events.send(Event::Notice(format!(
                "demo: the hook process answered Claude Code with `{verdict}`"
            )));
        });
    if let Err(err) = spawned {
        tracing::warn!(%err, "demo approval not raised");
    }
}
