//! Command-line interface.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cockpit",
    version,
    about = "A full-screen cockpit beside your AI coding agent: live context gauge and tool feed",
    long_about = None
)]
pub struct Cli {
    /// Follow this transcript instead of discovering the project's (repeatable).
    #[arg(long = "transcript", value_name = "PATH", global = true)]
    pub transcripts: Vec<PathBuf>,

    /// Read settings from this file instead of $XDG_CONFIG_HOME/cockpit/config.toml.
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,

    /// The project directory whose agent sessions to show (default: the current
    /// one; for `report`, every project).
    #[arg(long, value_name = "DIR", global = true)]
    pub project: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Replay a bundled real Claude Code session at a watchable pace.
    Demo {
        /// How many times faster than the recorded session.
        #[arg(long, default_value_t = 10.0)]
        speed: f64,
        /// Longest pause between two lines, in milliseconds.
        #[arg(long, default_value_t = 2000)]
        max_pause_ms: u64,
    },
    /// Token usage of every past session, read from the transcripts on disk.
    Report(ReportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
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
