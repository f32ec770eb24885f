//! The loop: receive, update, render. Renders are coalesced: a burst of a
//! thousand appended lines is one frame, and nothing wakes up when nothing
//! changes.

use std::time::Duration;

use color_eyre::Result;
use crossterm::event::EventStream;
use futures::StreamExt;
use tokio::time::{Instant, sleep_until};

use crate::action;
use crate::agents::timestamp::now_millis;
use std::collections::HashMap;

use tokio::sync::oneshot;

use crate::approvals::protocol::Reply;
use crate::config::{Config, Notify};
use crate::event::{Event, EventReceiver, EventSender};
use crate::persist::Persist;
use crate::sources::Sources;
use crate::state::Cockpit;
use crate::state::tools::ToolStatus;
use crate::tui::Tui;
use crate::ui::{self, FrameInfo, Theme, ViewContext};

/// No two frames closer than this (about 60 per second at most).
const MIN_FRAME: Duration = Duration::from_millis(16);

pub struct App {
    pub config: Config,
    pub state: Cockpit,
    theme: Theme,
    frame: FrameInfo,
    /// The open hook connections, by request id: each answered once.
    replies: HashMap<String, oneshot::Sender<Reply>>,
    /// Escape sequences to write outside a frame (bell, desktop notification).
    pub alerts: Vec<String>,
    pub sources: Option<Sources>,
    /// Session state saved to git; `None` when the store could not be opened.
    pub persist: Option<Persist>,
    /// Set when leaving on a signal: that save is not a clean finish.
    exit_signal: Option<&'static str>,
    /// Failure-pattern detectors, fed every transcript record.
    detectors: crate::detect::Detectors,
    /// The working-tree watcher; stopped when the app is dropped.
    pub worktree_watch: Option<crate::loops::worktree::WorktreeWatch>,
    /// Reads the outer loop's git history again when HEAD or a ref moves.
    pub git_refresher: Option<crate::loops::git_history::Refresher>,
}

impl App {
    pub fn new(config: Config, mut state: Cockpit) -> Self {
        let theme = Theme::new(config.colors.clone());
        state.gauge_config = std::sync::Arc::new(config.gauge.clone());
        let detectors = crate::detect::Detectors::new(&config);
        Self {
            detectors,
            config,
            state,
            theme,
            frame: FrameInfo::default(),
            replies: HashMap::new(),
            alerts: Vec::new(),
            sources: None,
            persist: None,
            exit_signal: None,
            worktree_watch: None,
            git_refresher: None,
        }
    }

    pub fn handle(&mut self, event: Event) {
        self.state.now = now_millis();
        match event {
            Event::Terminal(term_event) => {
                if let Some(action) =
                    action::resolve(&term_event, self.state.mode(), &self.config.keys)
                {
                    self.state.apply(action, self.frame.details_visible);
                }
            }
            Event::ApprovalRequested { id, request, reply } => {
                let summary = format!(
                    "{} {}",
                    request.tool,
                    crate::agents::summary::summarize(
                        &request.tool,
                        &request.input,
                        request.cwd.as_deref()
                    )
                );
                tracing::debug!(%id, "approval requested");
                self.replies.insert(id.clone(), reply);
                if self.state.approvals.arrive(id, *request, self.state.now) {
                    self.announce(&summary);
                }
                self.state.dirty = true;
            }
            Event::ApprovalWithdrawn(id) => {
                tracing::debug!(%id, "approval withdrawn");
                self.replies.remove(&id);
                self.state.approvals.withdraw(&id);
                self.state.dirty = true;
            }
            Event::AgentEvent { agent, payload } => {
                let ended_before: Vec<bool> = self.state.sessions.iter().map(|s| s.ended).collect();
                crate::agent_events::apply(&mut self.state, agent, &payload, self.sources.as_ref());
                // A session that just ended: did it leave a handoff?
                let now = self.state.now;
                let ended: Vec<String> = self
                    .state
                    .sessions
                    .iter()
                    .zip(ended_before)
                    .filter(|(s, before)| s.ended && !before)
                    .map(|(s, _)| Cockpit::key_of(s))
                    .collect();
                let raised: usize = ended
                    .iter()
                    .map(|key| self.detectors.session_ended(key, Some(now)))
                    .sum();
                if raised > 0 {
                    self.mirror_alerts();
                }
                self.state.dirty = true;
            }
            Event::SourceAdded(source) => self.state.add_source(source),
            Event::Transcript(id, batch) => {
                let key = self
                    .state
                    .sessions
                    .iter()
                    .find(|s| s.source.id == id)
                    .map(|s| s.source.path.to_string_lossy().into_owned());
                if let Some(key) = key {
                    let raised: usize = batch
                        .records
                        .iter()
                        .map(|record| self.detectors.on_record(&key, record))
                        .sum();
                    if raised > 0 {
                        self.mirror_alerts();
                    }
                }
                self.state.apply_batch(id, batch);
                self.mirror_runs();
                if let Some(persist) = self.persist.as_mut() {
                    persist.observe(&self.state, &self.config.gauge, self.state.now);
                }
            }
            Event::Worktree(batch) => {
                if let Some(warning) = &batch.warning {
                    self.state.notice(warning.clone());
                }
                let root = self.state.worktree.root.clone().unwrap_or_default();
                if !batch.changes.is_empty()
                    && self.detectors.on_changes(&root, batch.changes.clone()) > 0
                {
                    self.mirror_alerts();
                }
                // A batch with no file rows is HEAD or a ref moving; so is
                // a new checkpoint time.
                let head_moved = batch.changes.is_empty()
                    || batch.checkpoint.head_at != self.state.worktree.checkpoint.head_at;
                self.state.worktree.apply(&batch);
                if head_moved && let Some(refresher) = &self.git_refresher {
                    refresher.refresh();
                }
                self.state.dirty = true;
            }
            Event::GitHistory(history) => {
                self.state.git_history = history;
                self.state.dirty = true;
            }
            Event::Notice(text) => self.state.notice(text),
            Event::Banner(text) => {
                self.state.banner = Some(text);
                self.state.dirty = true;
            }
            Event::Signal(name) => {
                tracing::info!(signal = name, "leaving on signal");
                self.exit_signal = Some(name);
                self.state.should_quit = true;
            }
        }
        self.send_replies();
        if std::mem::take(&mut self.state.acknowledge_requested) {
            self.detectors.acknowledge_all();
            self.mirror_alerts();
        }
        if let Some(id) = self.state.resume_accepted.take() {
            self.resume(&id);
        }
    }

    /// Continues a stored session: its id, lists and gauge history, and the
    /// transcripts it followed.
    pub fn resume(&mut self, id: &str) {
        let Some(persist) = self.persist.as_mut() else {
            return;
        };
        let loaded = crate::store::Store::open(&persist.repo_dir).and_then(|store| store.load(id));
        match loaded {
            Ok(record) => {
                let command = crate::store::resume_command(&record);
                if let Some(sources) = &self.sources {
                    for transcript in &record.transcripts {
                        sources.follow(transcript.path.clone().into());
                    }
                }
                let short: String = record.id.chars().take(8).collect();
                for rule in &record.remembered_approvals {
                    if !rule.restorable() {
                        // Older saves hold rules wider than what the human saw.
                        tracing::warn!(rule = %rule.describe(), "remembered approval too wide to restore; dropped");
                        continue;
                    }
                    if !self.state.approvals.remembered.contains(rule) {
                        self.state.approvals.remembered.push(rule.clone());
                    }
                }
                if let Some(refresher) = self.git_refresher.as_mut() {
                    refresher.set_since(record.started_at);
                    refresher.refresh();
                }
                persist.tracker = crate::store::Tracker::resume(record);
                self.state.banner = Some(match command {
                    Some(command) => {
                        format!("resumed session {short} · resume the agent with: {command}")
                    }
                    None => format!("resumed session {short}"),
                });
            }
            Err(err) => self.state.notice(format!("could not resume {id}: {err}")),
        }
        self.state.dirty = true;
    }

    /// Copies the detectors' validation runs when a new one arrived.
    fn mirror_runs(&mut self) {
        let runs = self.detectors.validation_runs();
        let newest = |r: Option<&(String, crate::loops::validation::ValidationRun)>| {
            r.map(|(_, run)| run.tool_id.clone())
        };
        if runs.len() != self.state.validation_runs.len()
            || newest(runs.back()) != newest(self.state.validation_runs.last())
        {
            self.state.validation_runs = runs.iter().cloned().collect();
        }
    }

    fn mirror_alerts(&mut self) {
        self.state.alerts = self.detectors.unacknowledged().cloned().collect();
        // The stats view counts acknowledged alerts too.
        self.state.alert_log = self.detectors.alerts().iter().cloned().collect();
        self.state.dirty = true;
    }

    /// The record as it stands, for a save.
    fn snapshot(&self, finished: bool) -> Option<crate::store::SessionRecord> {
        let persist = self.persist.as_ref()?;
        let mut record = persist.record(&self.state, &self.config.gauge, now_millis(), finished);
        record.alerts.extend(
            self.detectors
                .alerts()
                .iter()
                .map(|a| crate::store::schema::Alert {
                    name: a.pattern.name().to_string(),
                    factor: Some(a.factor.to_string()),
                    at: a.at.unwrap_or(0),
                    message: a.message.clone(),
                    acknowledged: a.acknowledged,
                }),
        );
        record
            .validations
            .extend(self.state.validation_runs.iter().map(|(_, run)| {
                crate::store::schema::Validation {
                    command: run.command.clone(),
                    ok: run.outcome == crate::loops::validation::Outcome::Passed,
                    at: run.ended.or(run.started).unwrap_or(0),
                    summary: run.counts.map(|c| {
                        format!(
                            "{} passed, {} failed, {} skipped",
                            c.passed, c.failed, c.skipped
                        )
                    }),
                }
            }));
        // A resumed session's runs are already in the record: keep each once.
        let mut seen = std::collections::HashSet::new();
        record
            .validations
            .retain(|v| seen.insert((v.command.clone(), v.at)));
        if let Some(history) = &self.state.git_history {
            for commit in history.commits.iter().rev() {
                if !record.commits.iter().any(|c| c.id == commit.id) {
                    record
                        .commits
                        .push(crate::store::schema::CommitMade::from(commit));
                }
            }
        }
        for file in &self.state.worktree.files {
            let path = file.path.to_string_lossy().into_owned();
            if !record.files_changed.contains(&path) {
                record.files_changed.push(path);
            }
        }
        Some(record)
    }

    /// Sends every decision the state made to the hook waiting for it.
    fn send_replies(&mut self) {
        for reply in self.state.approvals.outbox.drain(..) {
            match self.replies.remove(&reply.id) {
                Some(sender) => {
                    let _ = sender.send(reply);
                }
                None => tracing::warn!(id = %reply.id, "decision for a request no hook waits for"),
            }
        }
    }

    /// Bell and desktop notification for a request that needs the human.
    fn announce(&mut self, summary: &str) {
        let approvals = &self.config.approvals;
        if approvals.bell {
            self.alerts.push("\x07".into());
        }
        // Only printable text inside the escape sequence.
        let text: String = crate::text::escape_control(summary)
            .chars()
            .filter(|c| *c != ';')
            .take(120)
            .collect();
        match approvals.notify {
            Notify::Osc9 => self
                .alerts
                .push(format!("\x1b]9;cockpit: approval needed: {text}\x1b\\")),
            Notify::Osc777 => self.alerts.push(format!(
                "\x1b]777;notify;cockpit: approval needed;{text}\x1b\\"
            )),
            Notify::None => {}
        }
    }

    pub fn render(&mut self, frame: &mut ratatui::Frame) {
        let ctx = ViewContext {
            config: &self.config,
            theme: &self.theme,
            now: now_millis(),
        };
        self.frame = ui::draw(frame, &self.state, &ctx);
        self.state.page_rows = self.frame.tool_rows;
        self.state.dirty = false;
    }

    /// When the screen would change by itself: every second while a call runs
    /// (its duration counts up), every minute while the session is active (the
    /// header's elapsed time), else never.
    fn next_tick(&self) -> Option<Instant> {
        let session = self.state.current()?;
        let now = now_millis();
        let running = session
            .tools
            .calls()
            .iter()
            .rev()
            .take(200)
            .any(|c| c.status == ToolStatus::Running);
        let wait_ms = if running {
            1_000 - now.rem_euclid(1_000)
        } else {
            let last = session.last_seen?;
            // Active: the minute display ticks. Idle past 5 minutes: the
            // header shows a fixed "idle" figure after one last change.
            let idle_for = now - last;
            if idle_for > 6 * 60_000 {
                return None;
            }
            60_000 - (now - session.first_seen.unwrap_or(now)).rem_euclid(60_000)
        };
        Some(Instant::now() + Duration::from_millis(wait_ms.max(1) as u64))
    }
}

pub async fn run(
    mut app: App,
    mut tui: Tui,
    mut events: EventReceiver,
    sender: EventSender,
) -> Result<()> {
    spawn_signal_listener(sender);
    let mut terminal_events = EventStream::new();
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
        if app.state.dirty {
            let due = last_draw.map_or(Instant::now(), |t| t + MIN_FRAME);
            if Instant::now() >= due {
                tui.terminal.draw(|frame| app.render(frame))?;
                last_draw = Some(Instant::now());
            }
        }
        let wake_at = if app.state.dirty {
            last_draw.map(|t| t + MIN_FRAME)
        } else {
            app.next_tick()
        };
        let far = Instant::now() + Duration::from_secs(24 * 3600);
        tokio::select! {
            term = terminal_events.next() => match term {
                Some(Ok(term_event)) => app.handle(Event::Terminal(term_event)),
                // The terminal is gone (the pane was closed): leave.
                Some(Err(_)) | None => break,
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
                if !app.state.dirty {
                    app.state.dirty = wake_at.is_some();
                }
            },
            _ = sleep_until(next_autosave) => {
                next_autosave = Instant::now() + autosave_every;
                if let (Some(persist), Some(record)) = (app.persist.as_ref(), app.snapshot(false)) {
                    persist.save(record);
                }
            },
        }
        if app.state.should_quit {
            break;
        }
    }
    // The terminal first (the user sees the shell at once), then the last save.
    drop(tui);
    let finished = app.exit_signal.is_none();
    if let (Some(persist), Some(record)) = (app.persist.as_ref(), app.snapshot(finished)) {
        persist.save_before_exit(record).await;
    }
    Ok(())
}

fn spawn_signal_listener(sender: EventSender) {
    use tokio::signal::unix::{SignalKind, signal};
    for (kind, name) in [
        (SignalKind::terminate(), "SIGTERM"),
        (SignalKind::hangup(), "SIGHUP"),
        (SignalKind::interrupt(), "SIGINT"),
    ] {
        let sender = sender.clone();
        match signal(kind) {
            Ok(mut stream) => {
                tokio::spawn(async move {
                    if stream.recv().await.is_some() {
                        let _ = sender.send(Event::Signal(name));
                    }
                });
            }
            Err(err) => tracing::warn!(%err, name, "cannot listen for signal"),
        }
    }
}
