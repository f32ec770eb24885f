//! The screen tests' harness: a cockpit in a pty following Claude
//! transcripts written line by line in a temporary home, with nothing from
//! the real user's config or state.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

use super::pty::Pty;

pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Self {
        let home = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(home.project()).unwrap();
        home
    }

    pub fn project(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    /// The transcript of session `id` (created empty on first use).
    pub fn transcript(&self, id: &str) -> PathBuf {
        let path = self.dir.path().join(format!("{id}.jsonl"));
        if !path.exists() {
            std::fs::write(&path, b"").unwrap();
        }
        path
    }

    /// Writes `text` as the cockpit's config file.
    pub fn config(&self, text: &str) {
        let dir = self.dir.path().join("config/cockpit");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), text).unwrap();
    }

    /// `cockpit ARGS --transcript T...` on a `cols` x `rows` terminal.
    pub fn start(&self, args: &[&str], transcripts: &[&Path], (cols, rows): (u16, u16)) -> Pty {
        let dir = self.dir.path();
        let (config, state, run) = (dir.join("config"), dir.join("state"), dir.join("run"));
        let env = [
            ("HOME", dir),
            ("XDG_CONFIG_HOME", config.as_path()),
            ("XDG_STATE_HOME", state.as_path()),
            ("COCKPIT_RUNTIME_DIR", run.as_path()),
        ];
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        for t in transcripts {
            all.push("--transcript".into());
            all.push(t.to_string_lossy().into_owned());
        }
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        Pty::start(&all, &self.project(), &env, (rows, cols))
    }
}

pub fn append(path: &Path, text: &str) {
    let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

/// `10:00:SS.000Z` on the test day.
fn at(second: u32) -> String {
    format!("2026-03-01T10:{:02}:{:02}.000Z", second / 60, second % 60)
}

/// An assistant line of session `session` calling Bash with `command`.
pub fn bash_call(session: &str, id: &str, command: &str, second: u32, tokens: u64) -> String {
    let input = serde_json::json!({ "command": command });
    format!(
        r#"{{"type":"assistant","isSidechain":false,"sessionId":"{session}","timestamp":"{}","message":{{"model":"claude-opus-4-6","id":"m{id}","content":[{{"type":"tool_use","id":"{id}","name":"Bash","input":{input}}}],"usage":{{"input_tokens":{tokens},"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":5}}}}}}
"#,
        at(second)
    )
}

/// The result of call `id`, `output` its text.
pub fn result(session: &str, id: &str, ok: bool, output: &str, second: u32) -> String {
    let output = serde_json::Value::String(output.into());
    format!(
        r#"{{"type":"user","isSidechain":false,"sessionId":"{session}","timestamp":"{}","message":{{"role":"user","content":[{{"type":"tool_result","tool_use_id":"{id}","is_error":{},"content":{output}}}]}}}}
"#,
        at(second),
        !ok
    )
}

/// The agent saying something, with usage.
pub fn says(session: &str, text: &str, second: u32, tokens: u64) -> String {
    let text = serde_json::Value::String(text.into());
    format!(
        r#"{{"type":"assistant","isSidechain":false,"sessionId":"{session}","timestamp":"{}","message":{{"model":"claude-opus-4-6","id":"t{second}","content":[{{"type":"text","text":{text}}}],"usage":{{"input_tokens":{tokens},"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":9}}}}}}
"#,
        at(second)
    )
}

/// A failing `cargo test`, then the claim that the tests pass: a Tests
/// Passing Lie alert for `session`.
pub fn tests_passing_lie(session: &str, id: &str, second: u32, tokens: u64) -> String {
    let failed = "running 12 tests\ntest result: FAILED. 10 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out\nerror: test failed";
    bash_call(session, id, "cargo test", second, tokens)
        + &result(session, id, false, failed, second + 8)
        + &says(
            session,
            "All tests pass now. The work is done.",
            second + 11,
            tokens + 1000,
        )
}

/// The row of the screen holding `text`, if any.
pub fn row_with(pty: &Pty, text: &str) -> Option<u16> {
    let screen = pty.screen.screen();
    let (rows, _) = screen.size();
    (0..rows).find(|&r| row_text(pty, r).contains(text))
}

pub fn row_text(pty: &Pty, row: u16) -> String {
    let screen = pty.screen.screen();
    let (_, cols) = screen.size();
    screen.contents_between(row, 0, row, cols)
}
