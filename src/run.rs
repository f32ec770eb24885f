//! Wiring: settings, sources, terminal, loop.

use std::path::{Path, PathBuf};

use color_eyre::Result;
use color_eyre::eyre::eyre;

use crate::agents::AgentKind;
use crate::agents::tokens;
use crate::app::{self, App};
use crate::cli::{AgentArg, Cli, Command, PolicyCommand, StoreCommand};
use crate::clock::now_millis;
use crate::config::{self, Config};
use crate::demo;
use crate::event;
use crate::sources::{self, FollowSettings};
use crate::state::Cockpit;
use crate::state::notice::NoticeGoes;
use crate::store::persist::Persist;
use crate::tui::Tui;

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
            return crate::approvals::cli::policy_test(&config, json);
        }
        Some(Command::InstallHooks {
            user,
            dry_run,
            trust_codex,
            ..
        }) => {
            return crate::approvals::cli::install(*user, *dry_run, true, *trust_codex);
        }
        Some(Command::UninstallHooks { user, dry_run, .. }) => {
            return crate::approvals::cli::install(*user, *dry_run, false, false);
        }
        _ => {}
    }
    // A report prints and exits: no terminal, no runtime, no log file.
    let project_dir = cli.project_dir();
    if let Some(dir) = project_dir.filter(|dir| !dir.is_dir()) {
        return Err(eyre!("--project {}: no such directory", dir.display()));
    }
    if let Some(Command::Report(args)) = &cli.command {
        return crate::report::cli::run(args, project_dir, config.gauge);
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

/// What one run of the cockpit shows and where it keeps things.
struct Options {
    project: String,
    branch: Option<String>,
    cwd: PathBuf,
    /// The project whose hooks this cockpit answers.
    approvals_root: PathBuf,
    /// Where sessions are saved (the repository, or the demo's own).
    repo_dir: PathBuf,
    transcripts: Vec<PathBuf>,
    /// The working tree the inner loop watches (the project, or the demo's).
    worktree_dir: PathBuf,
    /// Continue this stored session.
    resume: Option<String>,
    /// Why nothing of this run is kept (the demo), if so.
    not_kept: Option<String>,
    offer_resume: bool,
}

async fn cockpit(
    config: Config,
    options: Options,
    tx: event::EventSender,
    rx: event::EventReceiver,
) -> Result<()> {
    let Options {
        project,
        branch,
        cwd,
        approvals_root,
        repo_dir,
        transcripts,
        worktree_dir,
        resume,
        offer_resume,
        not_kept,
    } = options;
    let (cwd, approvals_root) = (cwd.as_path(), approvals_root.as_path());
    tokens::set_encoding(config.gauge.tokenizer);
    tokens::warm_up();
    let mut state = Cockpit::new(project, branch, now_millis());
    // A learning asked for on the way out of the demo would be thrown away.
    state.ask_learning_on_quit = config.store.ask_learning_on_quit && not_kept.is_none();
    state.not_kept = not_kept;
    state.known_windows = crate::known_windows::KnownWindows::load(
        &crate::known_windows::KnownWindows::default_path(),
    );
    // The store: opened once here (about a millisecond) for the author and
    // the resume offer; every save opens it again on a blocking thread.
    let persist = match crate::store::Store::open(&repo_dir) {
        Ok(store) => {
            if store.location().is_fallback() {
                tracing::info!("{}", store.location());
                state.notice_until(
                    "not a git repository: sessions saved under the state dir".into(),
                    NoticeGoes::Never,
                );
            }
            if let Ok(list) = store.list() {
                state.past_sessions = list
                    .iter()
                    .take(200)
                    .map(crate::state::PastSession::from)
                    .collect();
                state.past_learnings = crate::store::learnings::newest_first(&list);
                state.past_learnings.truncate(2_000);
            }
            if offer_resume && let Ok(Some(summary)) = store.latest_unfinished() {
                state.resume_offer = Some(crate::state::ResumeOffer {
                    description: crate::store::describe_for_offer(&summary),
                    id: summary.id,
                });
            }
            Some(Persist::new(
                repo_dir.clone(),
                crate::store::Tracker::new(now_millis(), store.author()),
                std::time::Duration::from_secs(config.store.autosave_secs),
                tx.clone(),
            ))
        }
        Err(err) => {
            state.notice_until(
                format!("session state will not be saved: {err}"),
                NoticeGoes::Never,
            );
            None
        }
    };
    state.settings.feed_capacity = config.follow.feed_capacity;
    let settings = FollowSettings {
        cwd: cwd.to_path_buf(),
        transcripts,
        line_cap: config.follow.line_cap_bytes(),
        recent_hours: config.follow.recent_hours,
        codex_days: config.follow.codex_days,
        other_worktrees: crate::loops::repo::other_worktrees(cwd),
    };
    // Approvals: the socket hooks reach this cockpit through.
    let (socket, off) = crate::app::socket::Socket::bind(
        crate::approvals::ipc::runtime_dir(),
        approvals_root.to_path_buf(),
        tx.clone(),
        state.now,
    );
    state.approvals_off = off;
    // The terminal first: the first frame never waits for discovery or history.
    let tui = Tui::enter()?;
    let batch = std::time::Duration::from_millis(config.loops.batch_ms);
    let mut app = App::new(config, state);
    app.socket = Some(socket);
    app.sources = Some(sources::start(settings, tx.clone())?);
    start_worktree_watch(&mut app, &worktree_dir, batch, tx.clone());
    let git_tx = tx.clone();
    let refresher = crate::loops::git_history::Refresher::new(
        &worktree_dir,
        app.state.started_at,
        GIT_HISTORY_COMMITS,
        move |history| {
            let _ = git_tx.send(event::Event::GitHistory(history));
        },
    );
    refresher.refresh();
    app.git_refresher = Some(refresher);
    app.persist = persist;
    if let Some(id) = resume {
        app.resume(&id);
    }
    app::run(app, tui, rx, tx).await
}

/// Commits of the session kept for the outer loop (the count goes on).
const GIT_HISTORY_COMMITS: usize = 20;

/// The inner loop's working-tree watch; outside a git repository the panel
/// says why there is none.
fn start_worktree_watch(
    app: &mut App,
    dir: &Path,
    batch: std::time::Duration,
    tx: event::EventSender,
) {
    let send = move |b| {
        let _ = tx.send(event::Event::Worktree(b));
    };
    let options = crate::loops::worktree::WatchOptions {
        batch,
        initial_batch: true,
        ..Default::default()
    };
    match crate::loops::worktree::spawn_with(dir, options, send) {
        Ok(watch) => {
            app.state.worktree = crate::state::worktree::Worktree::watching(watch.root.clone());
            app.worktree_watch = Some(watch);
        }
        Err(err) => {
            tracing::info!("working tree not watched: {err}");
            app.state.worktree.unavailable = Some("not a git working tree".into());
        }
    }
}

fn agent_kind(agent: AgentArg) -> AgentKind {
    match agent {
        AgentArg::Claude => AgentKind::Claude,
        AgentArg::Codex => AgentKind::Codex,
    }
}
