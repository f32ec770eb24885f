//! `install-hooks --trust-codex`: records Codex's trust for the cockpit's own
//! hooks, as choosing "Trust all" in Codex's review would, for users of
//! `codex exec` (which skips untrusted hooks silently). Codex does the work:
//! its app-server lists the hooks with the hash it computes (`hooks/list`,
//! `currentHash`) and writes `hooks.state` into its own config.toml
//! (`config/batchWrite`). Nothing is hashed here, so a Codex that changes how
//! it hashes still gets its own answer; only entries in the file we wrote
//! whose command is ours are trusted.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use super::install::is_ours;

const WAIT: Duration = Duration::from_secs(60);

/// The Codex to ask: `$CODEX_BIN`, else `codex` on PATH.
pub fn codex_bin() -> String {
    std::env::var("CODEX_BIN").unwrap_or_else(|_| "codex".into())
}

/// Trusts the cockpit's hooks in `hooks_file`; returns the keys trusted now.
pub fn trust(codex: &str, hooks_file: &Path, project: &Path) -> Result<Vec<String>, String> {
    let mut server = AppServer::start(codex, project)?;
    server.call(
        "initialize",
        json!({"clientInfo": {"name": "cockpit", "version": env!("CARGO_PKG_VERSION")}}),
    )?;
    server.notify("initialized")?;
    let listed = server.list(project)?;
    if ours(&listed, hooks_file).next().is_none() {
        // Project hooks are read only in a project Codex trusts.
        return Err(format!(
            "Codex does not load the cockpit's hooks from {} (for a project file: is {} a trusted project in Codex?)",
            hooks_file.display(),
            project.display()
        ));
    }
    let wanted: Map<String, Value> = ours(&listed, hooks_file)
        .filter(|h| h["trustStatus"] != "trusted")
        .filter_map(|h| {
            let key = h["key"].as_str()?.to_string();
            Some((key, json!({"trusted_hash": h["currentHash"].as_str()?})))
        })
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let edit = json!({"keyPath": "hooks.state", "mergeStrategy": "upsert", "value": wanted});
    server.call("config/batchWrite", json!({"edits": [edit]}))?;
    // Read back: Codex itself must now call them trusted.
    let listed = server.list(project)?;
    let untrusted: Vec<&str> = ours(&listed, hooks_file)
        .filter(|h| h["trustStatus"] != "trusted")
        .filter_map(|h| h["key"].as_str())
        .collect();
    if !untrusted.is_empty() {
        return Err(format!(
            "Codex still lists as untrusted: {}",
            untrusted.join(", ")
        ));
    }
    Ok(wanted.keys().cloned().collect())
}

/// The cockpit's entries of `hooks_file` in a `hooks/list` answer.
fn ours<'a>(listed: &'a Value, hooks_file: &'a Path) -> impl Iterator<Item = &'a Value> + 'a {
    let file = hooks_file
        .canonicalize()
        .unwrap_or_else(|_| hooks_file.to_path_buf());
    listed["data"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|d| d["hooks"].as_array().into_iter().flatten())
        .filter(move |h| {
            let source = h["sourcePath"].as_str().map(Path::new);
            let same = source.is_some_and(|s| s.canonicalize().is_ok_and(|s| s == file));
            same && h["command"].as_str().is_some_and(|c| is_ours(c, "codex"))
        })
}

/// `codex app-server` over stdio, one JSON-RPC message per line.
struct AppServer {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    next_id: u64,
}

impl AppServer {
    fn start(codex: &str, cwd: &Path) -> Result<Self, String> {
        let mut child = Command::new(codex)
            .arg("app-server")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run `{codex} app-server`: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Ok(Self {
            child,
            stdin,
            lines,
            next_id: 1,
        })
    }

    fn send(&mut self, message: &Value) -> Result<(), String> {
        writeln!(self.stdin, "{message}").map_err(|e| format!("Codex app-server: {e}"))
    }

    fn notify(&mut self, method: &str) -> Result<(), String> {
        self.send(&json!({"method": method}))
    }

    /// Sends a request and waits for its result (notifications are skipped).
    fn call(&mut self, method: &str, params: Value) -> Result<Value, String> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"id": id, "method": method, "params": params}))?;
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .map_err(|_| format!("Codex app-server did not answer {method}"))?;
            let Ok(message) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            if message["id"] != id {
                continue;
            }
            if let Some(error) = message.get("error") {
                return Err(format!("Codex refused {method}: {error}"));
            }
            return Ok(message["result"].clone());
        }
    }

    fn list(&mut self, project: &Path) -> Result<Value, String> {
        self.call("hooks/list", json!({"cwds": [project]}))
    }
}

impl Drop for AppServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
