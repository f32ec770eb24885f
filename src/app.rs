//! The loop: receive, update, render. Renders are coalesced: a burst of a
//! thousand appended lines is one frame, and nothing wakes up when nothing
//! changes.

use std::time::Duration;

use color_eyre::Result;
use tokio::time::{Instant, sleep_until};

use crate::clock::now_millis;
use crate::config::Config;
use crate::event::{Event, EventReceiver, EventSender};
use crate::sources::Sources;
use crate::state::update::{self, Turn};
use crate::state::{Cockpit, Effect};
use crate::store::persist::Persist;
use crate::tui::Tui;
use crate::ui::{self, FrameInfo, Theme, ViewContext};

mod decisions;
mod detect_deadline;
mod save;
mod signals;
pub mod socket;
mod terminal_input;
mod ticks;

/// Why the loop ended when the terminal went away: not a clean finish.
const TERMINAL_GONE: &str = "the terminal went away";

/// No two frames closer than this (about 60 per second at most).
const MIN_FRAME: Duration = Duration::from_millis(16);

pub struct App {
    pub config: Config,
    pub state: Cockpit,
    theme: Theme,
    frame: FrameInfo,
    /// Escape sequences to write outside a frame (bell, desktop notification).
    pub alerts: Vec<String>,
    pub sources: Option<Sources>,
    /// Session state saved to git; `None` when the store could not be opened.
    pub persist: Option<Persist>,
    /// Set when leaving on a signal: that save is not a clean finish.
    exit_signal: Option<&'static str>,
    /// Ctrl-Z or SIGTSTP: the loop hands the terminal back and stops.
    suspend_requested: bool,
    /// The user quit, or a signal came: the loop ends after this turn.
    quit_requested: bool,
    /// A resize or Ctrl-L: the next frame is drawn whole.
    redraw_whole: bool,
    /// The working-tree watcher; stopped when the app is dropped.
    pub worktree_watch: Option<crate::loops::worktree::WorktreeWatch>,
    /// Reads the outer loop's git history again when HEAD or a ref moves.
    pub git_refresher: Option<crate::loops::git_history::Refresher>,
    /// The socket hooks reach this cockpit through (its file goes with it).
    pub socket: Option<socket::Socket>,
}

impl App {
    pub fn new(config: Config, mut state: Cockpit) -> Self {
        let theme = Theme::new(config.colors.clone());
        state.settings.gauge = std::sync::Arc::new(config.gauge.clone());
        state.detect = crate::detect::Rules::new(&config);
        Self {
            config,
            state,
            theme,
            frame: FrameInfo::default(),
            alerts: Vec::new(),
            sources: None,
            persist: None,
            exit_signal: None,
            suspend_requested: false,
            quit_requested: false,
            redraw_whole: false,
            worktree_watch: None,
            git_refresher: None,
            socket: None,
        }
    }

    /// One event: the state updates itself (`state::update`), and what it
    /// asks of the loop is carried out here.
    pub fn handle(&mut self, event: Event) {
        let now = now_millis();
        let turn = Turn {
            now,
            keys: &self.config.keys,
            details_visible: self.frame.details_visible,
            socket: self.socket.as_mut().and_then(|s| s.retry(now)),
        };
        let effects = update::update(&mut self.state, event, turn);
        self.carry_out_all(effects);
    }

    /// What the update asked of the loop, carried out: I/O only. The
    /// decisions go to their hooks last (`decisions.rs`), once the record
    /// holding them is saved.
    fn carry_out_all(&mut self, effects: Vec<Effect>) {
        let mut answers = Vec::new();
        for effect in effects {
            match effect {
                Effect::Quit => self.quit_requested = true,
                Effect::LeaveOnSignal(name) => {
                    self.exit_signal = Some(name);
                    self.quit_requested = true;
                }
                Effect::Suspend => self.suspend_requested = true,
                Effect::RedrawWhole => {
                    self.redraw_whole = true;
                    self.state.view.dirty = true;
                }
                Effect::Announce(summary) => self.announce(&summary),
                Effect::RecordGauges => {
                    if let Some(persist) = self.persist.as_mut() {
                        persist.observe(&self.state, &self.config.gauge, self.state.now);
                    }
                }
                Effect::RefreshGitHistory => {
                    if let Some(refresher) = &self.git_refresher {
                        refresher.refresh();
                    }
                }
                Effect::Resume(id) => self.resume(&id),
                // Done by the update; nothing reaches here.
                Effect::AcknowledgeAlerts => {}
                Effect::Follow(path) => {
                    if let Some(sources) = &self.sources {
                        sources.follow(path);
                    }
                }
                Effect::EndWithCodexProcess { session_id, cwd } => {
                    if let Some(sources) = &self.sources {
                        sources.end_with_codex_process(session_id, cwd);
                    }
                }
                Effect::SaveKnownWindows => self.state.known_windows.save(),
                answer @ (Effect::SaveDecisions | Effect::Reply(_) | Effect::Withdraw(_)) => {
                    answers.push(answer)
                }
            }
        }
        self.answer_hooks(answers);
    }

    pub fn render(&mut self, frame: &mut ratatui::Frame) {
        let ctx = ViewContext {
            config: &self.config,
            theme: &self.theme,
            now: now_millis(),
        };
        self.frame = ui::draw(frame, &self.state, &ctx);
        // What the prompt showed is what a key pressed now was meant for.
        let shown = self.frame.prompt.as_ref();
        self.state.approvals.drawn(shown, ctx.now);
        self.state.view.page_rows = self.frame.tool_rows;
        self.state.view.dirty = false;
    }
}

pub async fn run(
    mut app: App,
    mut tui: Tui,
    mut events: EventReceiver,
    sender: EventSender,
) -> Result<()> {
    let wake = sender.clone();
    (app.state.detect).wake_with(std::sync::Arc::new(move || {
        let _ = wake.send(Event::DetectorsReady);
    }));
    signals::listen(sender);
    let mut terminal_input = terminal_input::spawn();
    let mut last_draw: Option<Instant> = None;
    let autosave_every = app
        .persist
        .as_ref()
        .map(|p| p.interval)
        .filter(|d| !d.is_zero())
        .unwrap_or(Duration::from_secs(24 * 3600));
    let mut next_autosave = Instant::now() + autosave_every;
    loop {
        if !app.alerts.is_empty() {
            use std::io::Write;
            let backend = tui.terminal.backend_mut();
            for alert in app.alerts.drain(..) {
                let _ = backend.write_all(alert.as_bytes());
            }
            let _ = backend.flush();
        }
        if app.state.view.dirty {
            let due = last_draw.map_or(Instant::now(), |t| t + MIN_FRAME);
            if Instant::now() >= due {
                if std::mem::take(&mut app.redraw_whole)
                    && let Err(err) = tui.redraw_whole()
                {
                    tracing::info!(%err, "cannot clear the screen");
                }
                if let Err(err) = tui.terminal.draw(|frame| app.render(frame)) {
                    // The terminal is gone (the pane was closed): leave, and
                    // still make the last save.
                    tracing::info!(%err, "the terminal is gone");
                    app.exit_signal.get_or_insert(TERMINAL_GONE);
                    break;
                }
                last_draw = Some(Instant::now());
            }
        }
        let wake_at = if app.state.view.dirty {
            last_draw.map(|t| t + MIN_FRAME)
        } else {
            app.next_tick()
        };
        let far = Instant::now() + Duration::from_secs(24 * 3600);
        tokio::select! {
            input = terminal_input.recv() => match input {
                Some(terminal_input::Input::Events(batch)) => {
                    for term_event in batch {
                        app.handle(Event::Terminal(term_event));
                    }
                }
                // The terminal is gone (the pane was closed): leave.
                Some(terminal_input::Input::Gone) | None => {
                    app.exit_signal.get_or_insert(TERMINAL_GONE);
                    break;
                }
            },
            event = events.recv() => {
                let Some(event) = event else { break };
                app.handle(event);
                // Coalesce: apply everything already queued before drawing.
                while let Ok(more) = events.try_recv() {
                    app.handle(more);
                }
            },
            _ = sleep_until(wake_at.unwrap_or(far)) => {
                app.tick();
                if !app.state.view.dirty {
                    app.state.view.dirty = wake_at.is_some();
                }
            },
            _ = sleep_until(next_autosave) => {
                next_autosave = Instant::now() + autosave_every;
                if let (Some(persist), Some(record)) = (app.persist.as_ref(), app.snapshot(false)) {
                    persist.save(record);
                }
            },
        }
        if std::mem::take(&mut app.suspend_requested) {
            tui.suspend()?;
            app.state.view.dirty = true;
        }
        if app.quit_requested {
            break;
        }
    }
    // The terminal first (the user sees the shell at once), then the last save.
    drop(tui);
    app.end_waiting_hooks();
    let finished = app.exit_signal.is_none();
    if let (Some(persist), Some(record)) = (app.persist.as_ref(), app.snapshot(finished)) {
        persist.save_before_exit(record).await;
    }
    Ok(())
}
