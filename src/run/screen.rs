//! One run of the cockpit's screen: what it shows and where it keeps
//! things (`Options`), the app, sources and watches wired, then the loop.

use std::path::{Path, PathBuf};

use color_eyre::Result;

use crate::agents::tokens;
use crate::app::{self, App};
use crate::clock::now_millis;
use crate::config::Config;
use crate::event;
use crate::sources::{self, FollowSettings};
use crate::state::Cockpit;
use crate::state::notice::NoticeGoes;
use crate::store::persist::Persist;
use crate::tui::Tui;

/// What one run of the cockpit shows and where it keeps things.
pub(super) struct Options {
    pub(super) project: String,
    pub(super) branch: Option<String>,
    pub(super) cwd: PathBuf,
    /// The project whose hooks this cockpit answers.
    pub(super) approvals_root: PathBuf,
    /// Where sessions are saved (the repository, or the demo's own).
    pub(super) repo_dir: PathBuf,
    pub(super) transcripts: Vec<PathBuf>,
    /// The working tree the inner loop watches (the project, or the demo's).
    pub(super) worktree_dir: PathBuf,
    /// Continue this stored session.
    pub(super) resume: Option<String>,
    /// Why nothing of this run is kept (the demo), if so.
    pub(super) not_kept: Option<String>,
    pub(super) offer_resume: bool,
}

pub(super) async fn cockpit(
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
                state.project_mut().past_sessions = list
                    .iter()
                    .take(200)
                    .map(crate::state::PastSession::from)
                    .collect();
                state.project_mut().past_learnings = crate::store::learnings::newest_first(&list);
                state.project_mut().past_learnings.truncate(2_000);
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
            app.state.project_mut().worktree =
                crate::state::worktree::Worktree::watching(watch.root.clone());
            app.worktree_watch = Some(watch);
        }
        Err(err) => {
            tracing::info!("working tree not watched: {err}");
            app.state.project_mut().worktree.unavailable = Some("not a git working tree".into());
        }
    }
}
