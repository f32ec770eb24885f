//! Wiring: settings, sources, terminal, loop.

use std::path::{Path, PathBuf};

use color_eyre::Result;
use color_eyre::eyre::eyre;

use crate::agents::timestamp::now_millis;
use crate::app::{self, App};
use crate::cli::{Cli, Command};
use crate::config::{self, Config};
use crate::demo;
use crate::event;
use crate::sources::{self, FollowSettings};
use crate::state::Cockpit;
use crate::tokens;
use crate::tui::Tui;

pub fn main(cli: Cli) -> Result<()> {
    let config = match config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(message) => return Err(eyre!(message)),
    };
    // A report prints and exits: no terminal, no runtime, no log file.
    if let Some(Command::Report(args)) = &cli.command {
        return crate::report::cli::run(args, cli.project.as_deref(), config.gauge);
    }
    let _log_guard = crate::logging::init();
    let cwd = match &cli.project {
        Some(dir) => std::fs::canonicalize(dir).map_err(|err| eyre!("{}: {err}", dir.display()))?,
        None => std::env::current_dir()?,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    match cli.command {
        Some(Command::Demo {
            speed,
            max_pause_ms,
        }) => {
            let demo = demo::prepare()?;
            let pace = demo::Pace {
                speed: speed.max(0.01),
                max_pause: std::time::Duration::from_millis(max_pause_ms),
            };
            let project = "spotter (demo)".to_string();
            let transcript = demo.transcript.clone();
            runtime.block_on(async move {
                let (tx, rx) = event::channel();
                demo::spawn_replay(transcript.clone(), pace, tx.clone());
                cockpit(config, project, None, &cwd, vec![transcript], tx, rx).await
            })?;
            drop(demo);
        }
        // Handled before the runtime exists.
        Some(Command::Report(_)) => {}
        None => {
            let (project, branch) = project_and_branch(&cwd);
            runtime.block_on(async move {
                let (tx, rx) = event::channel();
                cockpit(config, project, branch, &cwd, cli.transcripts, tx, rx).await
            })?;
        }
    }
    // Reader threads sleep on their channels; do not wait for them.
    runtime.shutdown_background();
    Ok(())
}

async fn cockpit(
    config: Config,
    project: String,
    branch: Option<String>,
    cwd: &Path,
    transcripts: Vec<PathBuf>,
    tx: event::EventSender,
    rx: event::EventReceiver,
) -> Result<()> {
    tokens::warm_up();
    let mut state = Cockpit::new(project, branch, now_millis());
    state.feed_capacity = config.follow.feed_capacity;
    let settings = FollowSettings {
        cwd: cwd.to_path_buf(),
        transcripts,
        line_cap: config.follow.line_cap_bytes(),
        recent_hours: config.follow.recent_hours,
        codex_days: config.follow.codex_days,
    };
    // The terminal first: the first frame never waits for discovery or history.
    let tui = Tui::enter()?;
    let _sources = sources::start(settings, tx.clone())?;
    app::run(App::new(config, state), tui, rx, tx).await
}

/// The project's name (the repository's directory) and its checked-out branch.
pub fn project_and_branch(cwd: &Path) -> (String, Option<String>) {
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string())
    };
    match git2::Repository::discover(cwd) {
        Ok(repo) => {
            let root = repo
                .workdir()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| cwd.to_path_buf());
            let branch = match repo.head() {
                Ok(head) if head.is_branch() => head.shorthand().ok().map(str::to_string),
                Ok(head) => head
                    .target()
                    .map(|oid| format!("detached {:.7}", oid.to_string())),
                // A repository with no commits yet: HEAD names an unborn branch.
                Err(_) => repo
                    .find_reference("HEAD")
                    .ok()
                    .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_string))
                    .map(|t| t.trim_start_matches("refs/heads/").to_string()),
            };
            (name_of(&root), branch)
        }
        Err(_) => (name_of(cwd), None),
    }
}
