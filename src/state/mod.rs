//! Plain data: what the cockpit knows and what the user is looking at.
//! Nothing here draws; the views in `ui` borrow this for one frame.

mod actions;
pub mod activity;
pub mod agent_events;
pub mod answer_keys;
pub mod approvals;
pub mod belongs;
pub mod detect;
pub mod effect;
pub mod from_config;
pub mod gauge;
pub mod guard;
pub mod hook_line;
pub mod learning_search;
pub mod notice;
mod notice_words;
pub mod past_sessions;
pub mod project;
pub mod propose;
pub mod reading;
pub mod replay;
pub mod retire;
pub mod session;
pub mod stats;
pub mod tools;
pub mod update;
pub mod view;
pub mod waits;
pub mod work;
pub mod worktree;
pub mod zone_time;

use std::sync::Arc;

use crate::action::Mode;
use crate::agents::source::{Batch, Source, SourceId};
use crate::clock::Millis;

pub use effect::Effect;
pub use from_config::Settings;
pub use past_sessions::{PastSession, ResumeOffer};
pub use project::Project;
pub use session::{Activity, Session};
pub use view::{Focus, NoteInput, Overlay, View};

/// What the cockpit knows (its projects, each with the agents' sessions, the
/// loops and the store's past; approvals, alerts) and, in `view`, what the
/// user is looking at.
#[derive(Debug)]
pub struct Cockpit {
    pub view: View,
    /// What the configuration tells the state (the app sets it).
    pub settings: Settings,
    /// The projects followed; the cockpit of one directory holds one, the
    /// current one (`project()`).
    pub projects: Vec<Project>,
    /// Transcripts a `SessionStart` hook named before their source was added.
    pub announced: Vec<std::path::PathBuf>,
    pub notice: Option<String>,
    /// How long `notice` stays (see `notice.rs`).
    pub notice_life: notice::NoticeLife,
    /// Why this session is not kept after quitting (the demo's repository
    /// goes with it), so nothing on screen promises it is.
    pub not_kept: Option<String>,
    /// Why the session is not saved (retrying), until a save succeeds.
    pub save_failure: Option<String>,
    /// Why hooks cannot reach this cockpit (its socket is not up), until it is.
    pub approvals_off: Option<String>,
    pub started_at: Millis,
    /// Shown as a bar on the screen when set (e.g. demo replay).
    pub banner: Option<String>,
    pub approvals: approvals::Approvals,
    /// Milliseconds since the epoch, updated by the app before each action
    /// (the state keeps no clock of its own, so tests control time).
    pub now: Millis,
    /// Learnings written this session (Law 1), with when.
    pub learnings: Vec<(Millis, String)>,
    /// Quitting asks for one learning first (once).
    pub ask_learning_on_quit: bool,
    /// "An unfinished session of this repository: resume it?"
    pub resume_offer: Option<ResumeOffer>,
    /// The failure-pattern detectors, fed from inside this state's updates
    /// (`detect.rs`); the app sets the configured ones.
    pub detect: crate::detect::Rules,
    /// Failure-pattern alerts not yet acknowledged, newest last; `x` moves
    /// them to `alert_log`.
    pub alerts: Vec<crate::detect::Alert>,
    /// The alerts acknowledged, oldest first: with `alerts`, every alert
    /// kept (`all_alerts`).
    pub alert_log: Vec<crate::detect::Alert>,
    /// Windows reported by earlier status lines, by session id.
    pub known_windows: crate::known_windows::KnownWindows,
}

impl Cockpit {
    pub fn new(project: String, git_branch: Option<String>, started_at: Millis) -> Self {
        Self {
            view: View::default(),
            settings: Settings::default(),
            projects: vec![Project::new(project, git_branch)],
            announced: Vec::new(),
            notice: None,
            notice_life: notice::NoticeLife::default(),
            not_kept: None,
            save_failure: None,
            approvals_off: None,
            started_at,
            banner: None,
            approvals: approvals::Approvals::default(),
            now: started_at,
            learnings: Vec::new(),
            ask_learning_on_quit: false,
            resume_offer: None,
            detect: crate::detect::Rules::new(&crate::config::Config::default()),
            alerts: Vec::new(),
            alert_log: Vec::new(),
            known_windows: Default::default(),
        }
    }

    /// The project on screen (the one of a one-directory cockpit).
    pub fn project(&self) -> &Project {
        &self.projects[0]
    }

    pub fn project_mut(&mut self) -> &mut Project {
        &mut self.projects[0]
    }

    pub fn mode(&self) -> Mode {
        if self.view.note_input.is_some() {
            return Mode::Note;
        }
        if self.resume_offer.is_some() && self.approvals.pending.is_empty() {
            return Mode::Offer;
        }
        if !self.approvals.pending.is_empty() {
            // The approval modal takes every key while open.
            return if self.approvals.typing_reason.is_some() {
                Mode::Reason
            } else {
                Mode::Approval
            };
        }
        match self.view.overlay {
            Some(Overlay::Outer) if self.view.learning_search.typing => Mode::Search,
            Some(Overlay::Outer) => Mode::Outer,
            Some(Overlay::Help | Overlay::Stats) => Mode::Help,
            None => Mode::Normal,
        }
    }

    /// What the agent of `sessions[index]` is doing now.
    pub fn activity(&self, index: usize) -> Activity {
        let Some(session) = self.project().sessions.get(index) else {
            return Activity::Ended;
        };
        let waiting = self.approvals.pending.iter().any(|p| {
            let request = &p.request;
            belongs::Named::new(
                request.session_id.as_deref(),
                request.transcript_path.as_deref(),
            )
            .names(session)
        });
        session.activity(self.now, waiting, self.settings.idle_after_ms)
    }

    /// Indexes of `sessions` in the agents panel's order: each main session
    /// followed by its own subagents (`<session>/subagents/...`), then the
    /// subagents whose session is not followed.
    pub fn agent_order(&self) -> Vec<usize> {
        let sessions = &self.project().sessions;
        let parent_of = |s: &Session| -> Option<usize> {
            if s.is_main() {
                return None;
            }
            sessions.iter().position(|m| {
                m.is_main()
                    && m.source.path.file_stem().is_some_and(|stem| {
                        s.source
                            .path
                            .ancestors()
                            .any(|a| a.file_name() == Some(stem))
                    })
            })
        };
        let parents: Vec<Option<usize>> = sessions.iter().map(parent_of).collect();
        let mut order = Vec::with_capacity(sessions.len());
        for (i, session) in sessions.iter().enumerate() {
            if session.is_main() {
                order.push(i);
                order.extend((0..sessions.len()).filter(|&j| parents[j] == Some(i)));
            }
        }
        order.extend(
            (0..sessions.len()).filter(|&j| !sessions[j].is_main() && parents[j].is_none()),
        );
        order
    }

    /// The session key the detectors use for `session` (its transcript path).
    pub fn key_of(session: &Session) -> String {
        session.source.path.to_string_lossy().into_owned()
    }

    /// Validation runs of the session on screen, oldest first.
    pub fn current_runs(
        &self,
    ) -> impl DoubleEndedIterator<Item = &crate::loops::validation::ValidationRun> {
        let key = self.current().map(Self::key_of);
        self.project()
            .validation_runs
            .iter()
            .filter(move |(k, _)| Some(k) == key.as_ref())
            .map(|(_, run)| run)
    }

    pub fn current(&self) -> Option<&Session> {
        let project = self.project();
        project.selected.and_then(|i| project.sessions.get(i))
    }

    pub fn add_source(&mut self, source: Source) {
        self.session_appeared();
        let is_main = source.role == crate::agents::source::Role::Main;
        let modified = source.modified_ms;
        let mut session = Session::new(source, self.settings.feed_capacity)
            .with_gauge_config(Arc::clone(&self.settings.gauge))
            .listen();
        // A Claude transcript is named by its session id.
        if let Some(window) = session
            .source
            .path
            .file_stem()
            .and_then(|stem| self.known_windows.get(&stem.to_string_lossy()))
        {
            session.gauge.on_window_hint(window);
        }
        if let Some(at) = self
            .announced
            .iter()
            .position(|p| *p == session.source.path)
        {
            self.announced.swap_remove(at);
            session.announced = true;
        }
        self.project_mut().sessions.push(session);
        let newest_main = self
            .project()
            .selected
            .and_then(|i| self.project().sessions.get(i))
            .is_none_or(|s| !s.is_main() || s.source.modified_ms <= modified);
        if self.project().selected.is_none() || (is_main && !self.view.user_picked && newest_main) {
            self.select(self.project().sessions.len() - 1);
        }
        self.view.dirty = true;
    }

    pub fn apply_batch(&mut self, id: SourceId, batch: Batch) {
        if let Some(index) = self
            .project()
            .sessions
            .iter()
            .position(|s| s.source.id == id)
        {
            self.project_mut().sessions[index].apply(batch);
            self.observe_session(index);
            self.view.dirty = true;
        }
    }

    fn select(&mut self, index: usize) {
        if self.project().selected != Some(index) {
            self.project_mut().selected = Some(index);
            self.view.tool_pick = None;
            self.view.detail_scroll = 0;
        }
    }
}

#[cfg(test)]
mod tests;
