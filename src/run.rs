//! Wiring: settings, sources, terminal, loop.

use color_eyre::Result;
use color_eyre::eyre::eyre;

use crate::agents::AgentKind;
use crate::cli::{AgentArg, Cli, Command, PolicyCommand, StoreCommand};
use crate::config::{self, Config};
use crate::demo;
use crate::event;

mod screen;

use screen::{Options, cockpit};

pub fn main(cli: Cli) -> Result<()> {
    // The hooks answer whatever they are given (an agent waits on them).
    let hook = matches!(
        cli.command,
        Some(Command::Hook { .. } | Command::Statusline { .. })
    );
    if let Some(why) = cli.misplaced().filter(|_| !hook) {
        return Err(eyre!(why));
    }
    let config = match config::load(cli.config.as_deref()) {
        Ok(config) => config,
        Err(message) => {
            // A hook must still answer, and never more leniently than the
            // config it cannot read: built-in denials, else a human.
            if let Some(Command::Hook { agent }) = &cli.command {
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "cockpit hook: {message}; every call needs a human until it is fixed"
                );
                let mut config = Config::default();
                config.policy.rules = crate::approvals::failsafe::broken_config_rules(&message);
                std::process::exit(crate::approvals::hook::run(
                    agent_kind(*agent),
                    &config,
                    &config.compiled_policy(),
                ));
            }
            return Err(eyre!(message));
        }
    };
    // Commands that print and exit: no terminal, no runtime, no log file.
    match &cli.command {
        Some(Command::Hook { agent }) => {
            std::process::exit(crate::approvals::hook::run(
                agent_kind(*agent),
                &config,
                &config.compiled_policy(),
            ));
        }
        Some(Command::Statusline { wrap }) => {
            std::process::exit(crate::approvals::statusline::run(&config, wrap.as_deref()));
        }
        Some(Command::Policy {
            command: PolicyCommand::Test { json },
        }) => {
            return crate::approvals::hook_commands::policy_test(&config, json);
        }
        Some(Command::InstallHooks {
            user,
            dry_run,
            trust_codex,
            ..
        }) => {
            return crate::approvals::hook_commands::install(*user, *dry_run, true, *trust_codex);
        }
        Some(Command::UninstallHooks { user, dry_run, .. }) => {
            return crate::approvals::hook_commands::install(*user, *dry_run, false, false);
        }
        _ => {}
    }
    // A report prints and exits: no terminal, no runtime, no log file.
    let project_dir = cli.project_dir();
    if let Some(dir) = project_dir.filter(|dir| !dir.is_dir()) {
        return Err(eyre!("--project {}: no such directory", dir.display()));
    }
    if let Some(Command::Report(args)) = &cli.command {
        return crate::report::command::run(args, project_dir, config.gauge);
    }
    let _log_guard = crate::logging::init();
    let cwd = match project_dir {
        Some(dir) => std::fs::canonicalize(dir).map_err(|err| eyre!("{}: {err}", dir.display()))?,
        None => std::env::current_dir()?,
    };
    // `cockpit resume` opens the cockpit on the stored session; the other
    // store commands print and exit.
    let mut resume_id = None;
    match &cli.command {
        // Not on a terminal (a pipe, a script): print what would be restored.
        Some(Command::Store(command @ StoreCommand::Resume { .. }))
            if !std::io::IsTerminal::is_terminal(&std::io::stdout()) =>
        {
            return crate::store::commands::run(command, &cwd);
        }
        Some(Command::Store(StoreCommand::Resume { id, .. })) => {
            let store = crate::store::Store::open(&cwd).map_err(|e| eyre!("{e}"))?;
            let id = match id {
                // The session's id, not its ref name: `App::resume` loads by id.
                Some(id) => store.load(id).map_err(|e| eyre!("{e}"))?.id,
                None => store
                    .latest_unfinished()
                    .map_err(|e| eyre!("{e}"))?
                    .map(|s| s.id)
                    .ok_or_else(|| eyre!("no unfinished session in {}", store.location()))?,
            };
            resume_id = Some(id);
        }
        Some(Command::Store(command)) => return crate::store::commands::run(command, &cwd),
        _ => {}
    }
    // A mistyped `--transcript` is said before the screen opens; nothing is saved.
    if matches!(
        cli.command,
        None | Some(Command::Store(StoreCommand::Resume { .. }))
    ) {
        crate::cli::check_transcripts(&cli.all_transcripts()).map_err(|e| eyre!(e))?;
    }
    // Only the screen is left (the printing commands returned above).
    if let Some(why) = crate::tui::no_terminal() {
        return Err(eyre!(why));
    }
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
            let targets = demo.targets();
            // The demo answers approvals for its own throwaway project only;
            // its sessions go to that project's repository.
            let demo_root = demo.root().to_path_buf();
            let options = Options {
                project,
                branch: None,
                cwd: cwd.clone(),
                approvals_root: demo_root.clone(),
                worktree_dir: demo_root.clone(),
                repo_dir: demo_root,
                transcripts: vec![targets.transcript.clone(), targets.subagent.clone()],
                resume: None,
                offer_resume: false,
                not_kept: Some("the demo's repository goes when you quit".into()),
            };
            runtime.block_on(async move {
                let (tx, rx) = event::channel();
                demo::spawn_replay(targets, pace, tx.clone());
                cockpit(config, options, tx, rx).await
            })?;
            drop(demo);
        }
        // Handled before the runtime exists.
        Some(Command::Report(_)) => {}
        None | Some(Command::Store(StoreCommand::Resume { .. })) => {
            let (project, branch) = crate::loops::repo::project_and_branch(&cwd);
            let offer_resume = config.store.offer_resume && resume_id.is_none();
            let options = Options {
                project,
                branch,
                approvals_root: cwd.clone(),
                repo_dir: cwd.clone(),
                worktree_dir: cwd.clone(),
                cwd,
                transcripts: cli.all_transcripts(),
                resume: resume_id,
                offer_resume,
                not_kept: None,
            };
            runtime.block_on(async move {
                let (tx, rx) = event::channel();
                cockpit(config, options, tx, rx).await
            })?;
        }
        Some(_) => unreachable!("handled above"),
    }
    // Reader threads sleep on their channels; do not wait for them.
    runtime.shutdown_background();
    Ok(())
}

fn agent_kind(agent: AgentArg) -> AgentKind {
    match agent {
        AgentArg::Claude => AgentKind::Claude,
        AgentArg::Codex => AgentKind::Codex,
    }
}
