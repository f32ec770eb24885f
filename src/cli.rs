//! Command-line interface.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cockpit",
    version,
    about = "A full-screen cockpit beside your AI coding agent: live context gauge and tool feed",
    long_about = None
)]
pub struct Cli {
    /// Follow this transcript instead of discovering the project's
    /// (repeatable; the screen only: `cockpit` and `cockpit resume`).
    #[arg(long = "transcript", value_name = "PATH")]
    pub transcripts: Vec<PathBuf>,

    /// Read settings from this file instead of $XDG_CONFIG_HOME/cockpit/config.toml.
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,

    /// The project directory whose agent sessions to show (default: the current one).
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum AgentArg {
    Claude,
    Codex,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Show which rule decides a hook's JSON, and why.
    Test {
        /// The hook JSON (as Claude Code or Codex sends it on stdin).
        json: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// The command an agent's hooks run: reads the hook JSON on stdin and
    /// prints the agent's decision (asking the running cockpit when a human must).
    Hook {
        #[arg(value_enum)]
        agent: AgentArg,
    },
    /// The approval policy.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Add the cockpit's hooks and status line to the agents' settings.
    InstallHooks {
        /// This project's `.claude/settings.local.json` and `.codex/hooks.json` (the default).
        #[arg(long, conflicts_with = "user")]
        project: bool,
        /// `~/.claude/settings.json` and `~/.codex/hooks.json`.
        #[arg(long)]
        user: bool,
        /// Show the diff, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Also record Codex's trust for the cockpit's own Codex hooks (as
        /// "Trust all" in Codex's review would), through Codex's app-server
        /// (`$CODEX_BIN`, else `codex`). Needed for `codex exec`, which skips
        /// untrusted hooks silently. Other hooks are never trusted.
        #[arg(long)]
        trust_codex: bool,
    },
    /// Undo install-hooks: each file it wrote and has not changed since is put
    /// back byte for byte (removed, with its directories and backups, if
    /// install created it); a file edited since loses only the cockpit's entries.
    UninstallHooks {
        /// This project's `.claude/settings.local.json` and `.codex/hooks.json` (the default).
        #[arg(long, conflicts_with = "user")]
        project: bool,
        /// `~/.claude/settings.json` and `~/.codex/hooks.json`.
        #[arg(long)]
        user: bool,
        /// Show the diff and what would be removed, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Claude Code's status-line command: a one-line gauge, forwarded to the cockpit.
    Statusline {
        /// The status-line command you had before, run after ours.
        #[arg(long, value_name = "COMMAND")]
        wrap: Option<String>,
    },
    /// Replay a bundled real Claude Code session at a watchable pace.
    Demo {
        /// How many times faster than the recorded session.
        #[arg(long, default_value_t = 10.0)]
        speed: f64,
        /// Longest pause between two lines, in milliseconds.
        #[arg(long, default_value_t = 2000)]
        max_pause_ms: u64,
    },
    #[command(flatten)]
    Store(StoreCommand),
    /// Token usage of every past session, read from the transcripts on disk.
    Report(ReportArgs),
}

/// Stored sessions (`refs/cockpit/sessions/*`, see docs/session-record.md).
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// List stored sessions, newest first (* = not ended by a clean quit).
    Sessions {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        at: ProjectDir,
    },
    /// Print one stored session.
    Show {
        /// Session id or a unique prefix.
        id: String,
        /// Print the raw record.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        at: ProjectDir,
    },
    /// Print a session's handoff as a prompt for a fresh agent session.
    Handoff {
        /// Session id or prefix (default: the newest).
        id: Option<String>,
        #[command(flatten)]
        at: ProjectDir,
    },
    /// Open the cockpit on a stored session again (not on a terminal: print what it
    /// restores); the agent's own resume command is shown either way.
    Resume {
        /// Session id or prefix (default: the newest unfinished one).
        id: Option<String>,
        #[command(flatten)]
        at: ProjectDir,
        /// Follow this transcript too (repeatable), as before the subcommand.
        #[arg(long = "transcript", value_name = "PATH")]
        transcripts: Vec<PathBuf>,
    },
}

/// `--project` after a store command, as before it.
#[derive(Debug, Clone, clap::Args)]
pub struct ProjectDir {
    /// The project whose stored sessions to use (default: the current directory).
    #[arg(long = "project", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

impl Cli {
    /// The project directory given before or after the subcommand (after wins).
    pub fn project_dir(&self) -> Option<&Path> {
        let after = match &self.command {
            Some(Command::Store(
                StoreCommand::Sessions { at, .. }
                | StoreCommand::Show { at, .. }
                | StoreCommand::Handoff { at, .. }
                | StoreCommand::Resume { at, .. },
            )) => at.dir.as_deref(),
            Some(Command::Report(args)) => args.project.as_deref(),
            _ => None,
        };
        after.or(self.project.as_deref())
    }

    /// Every `--transcript`, given before the subcommand or after `resume`.
    pub fn all_transcripts(&self) -> Vec<PathBuf> {
        let mut all = self.transcripts.clone();
        if let Some(Command::Store(StoreCommand::Resume { transcripts, .. })) = &self.command {
            all.extend(transcripts.iter().cloned());
        }
        all
    }

    /// An option given before a subcommand that does not read it: the
    /// one-line error saying so (clap accepts it there, as it is the
    /// cockpit's own).
    pub fn misplaced(&self) -> Option<String> {
        let command = self.command.as_ref()?;
        let name = command.name();
        let screen = matches!(command, Command::Store(StoreCommand::Resume { .. }));
        if !self.transcripts.is_empty() && !screen {
            return Some(format!(
                "`cockpit {name}` does not read --transcript (only `cockpit` and `cockpit resume` do)"
            ));
        }
        let reads_project = matches!(command, Command::Store(_) | Command::Report(_));
        if self.project.is_some() && !reads_project {
            return Some(format!("`cockpit {name}` does not read --project"));
        }
        None
    }
}

impl Command {
    /// The subcommand as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Hook { .. } => "hook",
            Command::Policy { .. } => "policy",
            Command::InstallHooks { .. } => "install-hooks",
            Command::UninstallHooks { .. } => "uninstall-hooks",
            Command::Statusline { .. } => "statusline",
            Command::Demo { .. } => "demo",
            Command::Store(StoreCommand::Sessions { .. }) => "sessions",
            Command::Store(StoreCommand::Show { .. }) => "show",
            Command::Store(StoreCommand::Handoff { .. }) => "handoff",
            Command::Store(StoreCommand::Resume { .. }) => "resume",
            Command::Report(_) => "report",
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Only this project's sessions (default: every project).
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// Print JSON: {"sessions":[...],"totals":{...}}.
    #[arg(long)]
    pub json: bool,
    /// Only sessions active on or after this day (YYYY-MM-DD or YYYYMMDD, UTC).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only one agent's sessions.
    #[arg(long, value_enum)]
    pub agent: Option<ReportAgent>,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0, hide = true)]
    pub workers: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportAgent {
    Claude,
    Codex,
}

/// Every `--transcript` must be a file this user can read: a typo or a
/// directory would otherwise be followed as an empty session, saved as a
/// record, and offered for resume at every start. One line naming it.
pub fn check_transcripts(paths: &[PathBuf]) -> Result<(), String> {
    for path in paths {
        let why = match std::fs::metadata(path) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => "no such file".to_string(),
            Err(err) => format!("cannot be read: {err}"),
            Ok(meta) if meta.is_dir() => "is a directory, not a transcript file".to_string(),
            Ok(meta) if !meta.is_file() => "is not a regular file".to_string(),
            Ok(_) => match std::fs::File::open(path) {
                Ok(_) => continue,
                Err(err) => format!("cannot be read: {err}"),
            },
        };
        return Err(format!("--transcript {}: {why}", path.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_transcript_must_be_a_readable_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("t.jsonl");
        std::fs::write(&file, "").unwrap();
        assert_eq!(check_transcripts(std::slice::from_ref(&file)), Ok(()));
        let missing = dir.path().join("typo.jsonl");
        let err = check_transcripts(&[file, missing.clone()]).unwrap_err();
        assert_eq!(
            err,
            format!("--transcript {}: no such file", missing.display())
        );
        let err = check_transcripts(&[dir.path().to_path_buf()]).unwrap_err();
        assert!(
            err.ends_with("is a directory, not a transcript file"),
            "{err}"
        );
    }
}
