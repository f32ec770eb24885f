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

    /// The project directory whose agent sessions to show (default: the current one).
    #[arg(long, value_name = "DIR")]
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
    #[command(flatten)]
    Store(StoreCommand),
}

/// Stored sessions (`refs/cockpit/sessions/*`, see docs/session-record.md).
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// List stored sessions, newest first (* = not ended by a clean quit).
    Sessions {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print one stored session.
    Show {
        /// Session id or a unique prefix.
        id: String,
        /// Print the raw record.
        #[arg(long)]
        json: bool,
    },
    /// Print a session's handoff as a prompt for a fresh agent session.
    Handoff {
        /// Session id or prefix (default: the newest).
        id: Option<String>,
    },
    /// Show what resuming a session restores and the agent's resume command.
    Resume {
        /// Session id or prefix (default: the newest unfinished one).
        id: Option<String>,
    },
    /// Test helper: save to a repository in a loop.
    #[command(name = "__store-stress", hide = true)]
    StoreStress {
        repo: PathBuf,
        own: String,
        shared: String,
        saves: u64,
    },
}
