//! The live harness: the real Claude Code and Codex (pinned in
//! `live-agents/package.json`) driven in pseudo-terminals against a scripted
//! model server on 127.0.0.1, beside the real cockpit, in a throwaway git
//! repository with its own HOME, config, state and runtime directories.
//!
//! The agents' binaries come from `COCKPIT_LIVE_CLAUDE` / `COCKPIT_LIVE_CODEX`
//! (`.ci/run` installs them with `npm ci` and sets both), else from
//! `live-agents/node_modules/.bin`. Without them a live test prints why it was
//! skipped; with `CI=true` it fails instead, so CI never passes unseen.

#![allow(dead_code)]

pub mod model_server;
pub mod signals;
pub mod term;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde_json::json;

#[allow(unused_imports)]
pub use model_server::{ModelServer, Reply, Usage};
#[allow(unused_imports)]
pub use term::Term;

pub const COCKPIT: &str = env!("CARGO_BIN_EXE_cockpit");
/// Generous: two real programs start on a shared, busy machine.
pub const SLOW: Duration = Duration::from_secs(60);
pub const API_KEY: &str = "sk-ant-scripted-0123456789abcdefghijklmnopqrstuvwxyz";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agent {
    Claude,
    Codex,
}

impl Agent {
    fn env_var(self) -> &'static str {
        match self {
            Agent::Claude => "COCKPIT_LIVE_CLAUDE",
            Agent::Codex => "COCKPIT_LIVE_CODEX",
        }
    }

    fn bin_name(self) -> &'static str {
        match self {
            Agent::Claude => "claude",
            Agent::Codex => "codex",
        }
    }

    /// The pinned binary, or `None` (after saying why) when the test must be
    /// skipped. Panics in CI: there the live tests are required.
    pub fn binary(self) -> Option<PathBuf> {
        let from_env = std::env::var_os(self.env_var()).map(PathBuf::from);
        let local = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("live-agents/node_modules/.bin")
            .join(self.bin_name());
        let found = from_env.clone().or(Some(local)).filter(|p| p.exists());
        if found.is_none() {
            let why = format!(
                "live test skipped: no {} binary ({} is {}; run `npm ci --prefix live-agents` to install the pinned agents)",
                self.bin_name(),
                self.env_var(),
                from_env.map_or("unset".to_string(), |p| format!(
                    "{} (missing)",
                    p.display()
                )),
            );
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{why}: the live tests are required in CI"
            );
            eprintln!("{why}");
        }
        found
    }
}

/// A throwaway machine for one scenario: a git repository and every
/// directory the agents and the cockpit write to.
pub struct World {
    _dir: tempfile::TempDir,
    /// One live scenario at a time per test binary: two real agents and two
    /// cockpits per scenario are already a load for a 2-core machine.
    _serial: std::sync::MutexGuard<'static, ()>,
    pub root: PathBuf,
    pub home: PathBuf,
    pub project: PathBuf,
    pub claude_config: PathBuf,
    pub codex_home: PathBuf,
    pub runtime: PathBuf,
    pub env: HashMap<String, String>,
}

impl World {
    pub fn new() -> Self {
        static LIVE: std::sync::Mutex<()> = std::sync::Mutex::new(());
        // A scenario that failed still lets the next one run.
        let serial = LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // Not under /tmp: Codex refuses to put its helper binaries there.
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        // Canonical, so the paths the agents write match the ones we compare.
        let root = dir.path().canonicalize().unwrap();
        let home = root.join("home");
        let project = root.join("project");
        let claude_config = root.join("claude-config");
        let codex_home = root.join("codex-home");
        let runtime = root.join("runtime");
        for d in [&home, &project, &claude_config, &codex_home, &runtime] {
            std::fs::create_dir_all(d).unwrap();
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::write(
            home.join(".gitconfig"),
            "[user]\n\tname = Live Test\n\temail = live@example.invalid\n[init]\n\tdefaultBranch = main\n",
        )
        .unwrap();
        let path = |p: &Path| p.display().to_string();
        let mut env = HashMap::new();
        for (k, v) in [
            ("PATH", std::env::var("PATH").unwrap_or_default()),
            ("HOME", path(&home)),
            ("USER", "live".into()),
            ("SHELL", "/bin/bash".into()),
            ("TERM", "xterm-256color".into()),
            ("COLORTERM", "truecolor".into()),
            ("LANG", "C.UTF-8".into()),
            ("XDG_RUNTIME_DIR", path(&runtime)),
            ("XDG_STATE_HOME", path(&root.join("state"))),
            ("XDG_CONFIG_HOME", path(&root.join("config"))),
            ("XDG_DATA_HOME", path(&root.join("data"))),
            ("XDG_CACHE_HOME", path(&root.join("cache"))),
            ("CLAUDE_CONFIG_DIR", path(&claude_config)),
            ("CODEX_HOME", path(&codex_home)),
            ("GIT_CONFIG_NOSYSTEM", "1".into()),
            ("GIT_CONFIG_GLOBAL", path(&home.join(".gitconfig"))),
        ] {
            env.insert(k.to_string(), v);
        }
        let world = Self {
            _dir: dir,
            _serial: serial,
            root,
            home,
            project,
            claude_config,
            codex_home,
            runtime,
            env,
        };
        world.git(&["init", "-q"]);
        std::fs::write(world.project.join("README.md"), "# a live test project\n").unwrap();
        world.git(&["add", "README.md"]);
        world.git(&["commit", "-q", "-m", "first"]);
        world
    }

    pub fn git(&self, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(&self.project)
            .env_clear()
            .envs(&self.env)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs `cockpit ARGS` to its end (install-hooks, report, sessions ...).
    pub fn cockpit(&self, args: &[&str]) -> std::process::Output {
        Command::new(COCKPIT)
            .args(args)
            .current_dir(&self.project)
            .env_clear()
            .envs(&self.env)
            .output()
            .unwrap()
    }

    /// The real cockpit in a pty, following this project.
    pub fn start_cockpit(&self, size: (u16, u16)) -> Term {
        Term::spawn(
            "cockpit",
            Path::new(COCKPIT),
            &[],
            &self.project,
            &self.env,
            size,
        )
    }

    /// Claude Code pointed at `server`, first-run dialogs answered ahead.
    pub fn setup_claude(&mut self, server: &ModelServer) {
        let key_tail: String = API_KEY
            .chars()
            .rev()
            .take(20)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let project = self.project.display().to_string();
        let state = json!({
            "hasCompletedOnboarding": true,
            "theme": "dark",
            "numStartups": 5,
            "customApiKeyResponses": {"approved": [key_tail], "rejected": []},
            "projects": {project: {"hasTrustDialogAccepted": true, "allowedTools": []}},
        });
        std::fs::write(
            self.claude_config.join(".claude.json"),
            serde_json::to_string_pretty(&state).unwrap(),
        )
        .unwrap();
        for (k, v) in [
            ("ANTHROPIC_BASE_URL", server.base_url()),
            ("ANTHROPIC_API_KEY", API_KEY.to_string()),
            ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1".into()),
            ("DISABLE_TELEMETRY", "1".into()),
            ("DISABLE_AUTOUPDATER", "1".into()),
            ("DISABLE_ERROR_REPORTING", "1".into()),
        ] {
            self.env.insert(k.to_string(), v);
        }
    }

    /// Codex pointed at `server` through a custom provider, the project and
    /// its one-time notices trusted ahead.
    pub fn setup_codex(&mut self, server: &ModelServer, model: &str) {
        let project = self.project.display().to_string();
        let config = format!(
            r#"model = "{model}"
model_provider = "scripted"
check_for_update_on_startup = false
approval_policy = "on-request"
sandbox_mode = "danger-full-access"

[model_providers.scripted]
name = "scripted"
base_url = "{base}/v1"
wire_api = "responses"
env_key = "SCRIPTED_API_KEY"
request_max_retries = 0
stream_max_retries = 0

[projects."{project}"]
trust_level = "trusted"

[notice]
hide_full_access_warning = true
hide_rate_limit_model_nudge = true

[notice.model_migrations]
"{model}" = "gpt-6-sol"
"#,
            base = server.base_url()
        );
        std::fs::write(self.codex_home.join("config.toml"), config).unwrap();
        self.env
            .insert("SCRIPTED_API_KEY".into(), "scripted-key".into());
    }

    /// Codex's `approval_policy` (`setup_codex` writes `on-request`); with
    /// `never`, nothing but the hooks can stop a command.
    pub fn codex_approval_policy(&self, policy: &str) {
        let config = self.codex_home.join("config.toml");
        let text = std::fs::read_to_string(&config).unwrap().replace(
            "approval_policy = \"on-request\"",
            &format!("approval_policy = \"{policy}\""),
        );
        std::fs::write(&config, text).unwrap();
    }

    /// `cockpit install-hooks` for this project, as a user runs it.
    /// The usual scenario's start: a world where `agent` talks to `server`
    /// (Codex with `gpt-5.5`, `approval_policy` set when given), the
    /// cockpit's hooks installed, and the cockpit running, with no session yet.
    pub fn hooked(
        agent: Agent,
        server: &ModelServer,
        codex_policy: Option<&str>,
        size: (u16, u16),
    ) -> (World, Term) {
        let mut world = World::new();
        match agent {
            Agent::Claude => world.setup_claude(server),
            Agent::Codex => world.setup_codex(server, "gpt-5.5"),
        }
        if let Some(policy) = codex_policy {
            world.codex_approval_policy(policy);
        }
        world.install_hooks();
        let mut cockpit = world.start_cockpit(size);
        cockpit.wait_for("no agent session", SLOW);
        (world, cockpit)
    }

    /// A cockpit started again after an earlier one's pane closed, its offer
    /// to resume that session accepted.
    pub fn start_cockpit_resuming(&self, size: (u16, u16)) -> Term {
        let mut cockpit = self.start_cockpit(size);
        cockpit.name = "cockpit-after".into();
        cockpit.wait_for("resume it", SLOW);
        cockpit.send("r");
        cockpit.wait_gone("resume it", SLOW);
        cockpit
    }

    pub fn install_hooks(&self) {
        let out = self.cockpit(&["install-hooks"]);
        assert!(out.status.success(), "install-hooks: {out:?}");
    }

    pub fn start_claude(&self, binary: &Path, args: &[&str], size: (u16, u16)) -> Term {
        Term::spawn("claude", binary, args, &self.project, &self.env, size)
    }

    pub fn start_codex(&self, binary: &Path, args: &[&str], size: (u16, u16)) -> Term {
        Term::spawn("codex", binary, args, &self.project, &self.env, size)
    }

    /// Every transcript file Claude Code wrote for this project.
    pub fn claude_transcripts(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        walk(&self.claude_config.join("projects"), &mut found);
        found.retain(|p| p.extension().is_some_and(|e| e == "jsonl"));
        found
    }

    /// Every transcript and rollout of this world replayed through all the
    /// detectors: the high and critical alerts they raise (a live session
    /// of a test shows none of the patterns, so any is a false alarm).
    pub fn serious_alerts(&self) -> Vec<String> {
        use cockpit::agents::AgentKind;
        use cockpit::detect::Severity;
        use cockpit::state::replay::Detectors;
        let mut detectors = Detectors::new(&cockpit::config::Config::default());
        let files = self
            .claude_transcripts()
            .into_iter()
            .map(|p| (p, AgentKind::Claude))
            .chain(
                self.codex_rollouts()
                    .into_iter()
                    .map(|p| (p, AgentKind::Codex)),
            );
        for (path, kind) in files {
            let key = path.display().to_string();
            for record in records_of(&path, kind) {
                detectors.on_record(&key, &record);
            }
        }
        detectors
            .alerts()
            .iter()
            .filter(|a| a.pattern.severity() >= Severity::High)
            .map(|a| format!("{}: {}", a.pattern.name(), a.message))
            .collect()
    }

    pub fn codex_rollouts(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        walk(&self.codex_home.join("sessions"), &mut found);
        found.retain(|p| p.extension().is_some_and(|e| e == "jsonl"));
        found
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// `12,345` as the cockpit prints counts.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl Drop for World {
    /// `COCKPIT_LIVE_KEEP=DIR` keeps what the agents wrote (transcripts,
    /// rollouts, settings) for reading after the run: how to see what a newer
    /// agent version changed. Then every process still running from this
    /// world is ended: Codex's TUI leaves a background app-server behind,
    /// and each one holds an inotify instance (128 per user by default).
    fn drop(&mut self) {
        if let Some(keep) = std::env::var_os("COCKPIT_LIVE_KEEP") {
            let name = std::thread::current()
                .name()
                .unwrap_or("live")
                .replace("::", "-");
            let target = Path::new(&keep).join(name);
            let _ = std::fs::create_dir_all(&target);
            let _ = Command::new("cp")
                .arg("-a")
                .arg(&self.root)
                .arg(&target)
                .status();
        }
        end_processes_under(&self.root);
    }
}

/// Kills (SIGKILL) every process whose command line names a path under
/// `root`: only what this world's agents started.
fn end_processes_under(root: &Path) {
    let root = root.display().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        if String::from_utf8_lossy(&cmdline).contains(&root) {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
        }
    }
}

/// Every record the cockpit's own reader makes of a transcript, read to its end.
pub fn records_of(path: &Path, kind: cockpit::agents::AgentKind) -> Vec<cockpit::agents::Record> {
    // A subagent's own file: its sidechain lines are its main chain.
    let subagent = path.components().any(|c| c.as_os_str() == "subagents");
    let mut reader =
        cockpit::agents::reader::Reader::new(path.to_path_buf(), kind, subagent, 16 << 20);
    let mut records = Vec::new();
    for _ in 0..10_000 {
        let batch = reader.read_batch();
        assert_eq!(
            batch.malformed,
            0,
            "{}: {:?}",
            path.display(),
            batch.last_malformed
        );
        let done = batch.caught_up || batch.records.is_empty();
        records.extend(batch.records);
        if done {
            return records;
        }
    }
    panic!("the reader never caught up with {}", path.display());
}
