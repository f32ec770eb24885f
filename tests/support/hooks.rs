//! The approval path's test harness: a temporary home, real `cockpit hook
//! claude` processes fed real hook JSON, and a cockpit in a pty.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use super::pty::{BIN, Pty};

/// The binary the hooks run: `COCKPIT_TEST_BIN` runs them against another build.
pub fn bin() -> String {
    std::env::var("COCKPIT_TEST_BIN").unwrap_or_else(|_| BIN.to_string())
}

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Self {
        let env = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir_all(env.project()).unwrap();
        std::fs::write(env.dir.path().join("t.jsonl"), b"").unwrap();
        env
    }
    pub fn project(&self) -> PathBuf {
        self.dir.path().join("app")
    }
    pub fn runtime(&self) -> PathBuf {
        self.dir.path().join("run")
    }
    /// Where the cockpit of [`Self::project`] listens.
    pub fn socket(&self) -> PathBuf {
        cockpit::approvals::ipc::socket_path(&self.runtime(), &self.project())
    }
    pub fn vars(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("COCKPIT_RUNTIME_DIR", self.runtime()),
            ("HOME", self.dir.path().to_path_buf()),
            ("XDG_CONFIG_HOME", self.dir.path().join("config")),
            ("XDG_STATE_HOME", self.dir.path().join("state")),
        ]
    }
    pub fn write_config(&self, text: &str) {
        let dir = self.dir.path().join("config/cockpit");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), text).unwrap();
    }

    pub fn pre_tool_use(&self, command: &str) -> String {
        serde_json::json!({
            "session_id": "5b1c0000-1111-2222-3333-444455556666",
            "transcript_path": self.dir.path().join("t.jsonl"),
            "cwd": self.project(),
            "permission_mode": "default",
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command, "description": "test"},
            "tool_use_id": "toolu_01B"
        })
        .to_string()
    }

    /// Starts `cockpit hook claude` with `stdin` and lets it run.
    pub fn spawn_hook(&self, stdin: &str) -> Child {
        self.spawn_hook_as("claude", stdin.as_bytes().to_vec()).0
    }

    pub fn hook(&self, stdin: &str) -> Output {
        self.hook_as("claude", stdin)
    }

    /// Starts `cockpit hook <agent>` and, like the agent, writes all of
    /// `stdin` and closes it, from another thread; the receiver says whether
    /// the hook took all of it.
    pub fn spawn_hook_as(&self, agent: &str, stdin: Vec<u8>) -> (Child, Receiver<bool>) {
        let mut cmd = Command::new(bin());
        cmd.args(["hook", agent])
            .current_dir(self.project())
            .env_remove("CLAUDE_PROJECT_DIR")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in self.vars() {
            cmd.env(key, value);
        }
        let mut child = {
            let _spawning = super::pty::spawning();
            cmd.spawn().unwrap()
        };
        let mut pipe = child.stdin.take().unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let ok = pipe.write_all(&stdin).is_ok();
            drop(pipe);
            let _ = tx.send(ok);
        });
        (child, rx)
    }

    pub fn hook_as(&self, agent: &str, stdin: &str) -> Output {
        let child = self.spawn_hook_as(agent, stdin.as_bytes().to_vec()).0;
        wait(child, Duration::from_secs(20))
    }
}

pub fn wait(child: Child, limit: Duration) -> Output {
    let pid = child.id();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("hook did not exit within {limit:?}");
        }
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).trim().to_string()
}

/// A cockpit in a pseudo-terminal whose approval socket is up.
pub struct Cockpit;

impl Cockpit {
    pub fn start(env: &Env) -> Pty {
        Self::start_sized(env, (30, 100))
    }

    /// On a `rows` x `cols` terminal.
    pub fn start_sized(env: &Env, size: (u16, u16)) -> Pty {
        let vars = env.vars();
        let vars: Vec<(&str, &Path)> = vars.iter().map(|(k, v)| (*k, v.as_path())).collect();
        let transcript = env.dir.path().join("t.jsonl");
        let transcript = transcript.to_string_lossy();
        let mut cockpit = Pty::start(&["--transcript", &transcript], &env.project(), &vars, size);
        cockpit.wait_for("Context");
        // The socket is bound before the first frame; make sure it is there.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !env.socket().exists() {
            assert!(Instant::now() < deadline, "no socket");
            std::thread::sleep(Duration::from_millis(20));
        }
        cockpit
    }
}

/// Waits until the prompt on screen takes keys: a new prompt arms for about
/// half a second first. After a prompt changed, wait for "arming" first, or
/// the old prompt's hints may still be on screen.
pub fn armed(cockpit: &mut Pty) {
    // The prompt's own hint: the help lists "allow once" too, and a help
    // left open under a new request would say it while the prompt arms.
    cockpit.wait_for("deny…");
}

/// Denies the request on screen with `reason`, typed as a human types it.
pub fn deny_with_reason(cockpit: &mut Pty, reason: &str) {
    armed(cockpit);
    cockpit.keys("n");
    cockpit.wait_for("reason for the agent");
    cockpit.keys(reason);
    cockpit.wait_for(reason);
    // Enter alone, as a human presses it: a key in the same burst as the
    // text answers nothing.
    cockpit.pump(Duration::from_millis(60));
    cockpit.keys("\r");
}

/// The stdin `agent` (`claude` or `codex`) sends its hook at `event` for a
/// `tool` call with `tool_input`, as Claude Code 2.1.328 and Codex 0.169.0
/// send it (FORMATS.md 6.1, 6.2).
pub fn hook_stdin(
    agent: &str,
    event: &str,
    tool: &str,
    tool_input: serde_json::Value,
    transcript: &Path,
    cwd: &Path,
) -> serde_json::Value {
    use serde_json::json;
    let mut hook = json!({
        "session_id": "019fecd6-44bf-7482-9eaa-ab1f81fff651",
        "transcript_path": transcript,
        "cwd": cwd,
        "hook_event_name": event,
        "permission_mode": "default",
        "tool_name": tool,
        "tool_input": tool_input,
    });
    if agent == "codex" {
        hook["turn_id"] = json!("019fecd6-453c-7902-9dbb-64b9494a85ec");
        hook["model"] = json!("gpt-5.6");
    } else {
        hook["prompt_id"] = json!("p1");
        hook["effort"] = json!({"level": "high"});
    }
    if event == "PreToolUse" {
        hook["tool_use_id"] = json!("toolu_01B");
    }
    if event == "PermissionRequest" && agent == "claude" {
        hook["permission_suggestions"] = json!([]);
    }
    hook
}
