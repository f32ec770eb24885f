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
use crate::config::Config;
use crate::event::{Event, EventReceiver, EventSender};
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
}

impl App {
    pub fn new(config: Config, state: Cockpit) -> Self {
        let theme = Theme::new(config.colors.clone());
        Self {
            config,
            state,
            theme,
            frame: FrameInfo::default(),
        }
    }

    pub fn handle(&mut self, event: Event) {
        match event {
            Event::Terminal(term_event) => {
                if let Some(action) =
                    action::resolve(&term_event, self.state.mode(), &self.config.keys)
                {
                    self.state.apply(action, self.frame.details_visible);
                }
            }
            Event::SourceAdded(source) => self.state.add_source(source),
            Event::Transcript(id, batch) => self.state.apply_batch(id, batch),
            Event::Notice(text) => self.state.notice(text),
            Event::Banner(text) => {
                self.state.banner = Some(text);
                self.state.dirty = true;
            }
            Event::Signal(name) => {
                tracing::info!(signal = name, "leaving on signal");
                self.state.should_quit = true;
            }
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
    loop {
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
        }
        if app.state.should_quit {
            break;
        }
    }
    drop(tui);
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
