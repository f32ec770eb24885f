//! Plain data: what the cockpit knows and what the user is looking at.
//! Nothing here draws; the views in `ui` borrow this for one frame.

mod actions;
pub mod answer;
pub mod approvals;
pub mod detect;
pub mod effect;
pub mod gauge;
pub mod learning_search;
pub mod propose;
pub mod reading;
pub mod retire;
pub mod session;
pub mod stats;
pub mod tools;
pub mod waits;
pub mod worktree;
pub mod zone_time;

use std::sync::Arc;

use crate::action::Mode;
use crate::agents::source::{Batch, Source, SourceId};
use crate::clock::Millis;

pub use effect::Effect;
pub use session::{Activity, Session};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tools,
    Details,
    Sessions,
}

#[derive(Debug)]
pub struct Cockpit {
    pub project: String,
    pub git_branch: Option<String>,
    pub sessions: Vec<Session>,
    /// Index into `sessions` of the one on screen.
    pub selected: Option<usize>,
    /// The user chose a session; new ones no longer take the screen.
    pub user_picked: bool,
    /// Transcripts a `SessionStart` hook named before their source was added.
    pub announced: Vec<std::path::PathBuf>,
    pub focus: Focus,
    /// Selected row in the tool feed, counted from the newest (0 = follow the tail).
    pub tool_cursor: usize,
    pub detail_scroll: u16,
    pub details_open: bool,
    pub help_open: bool,
    pub notice: Option<String>,
    /// Why the session is not saved (retrying), until a save succeeds.
    pub save_failure: Option<String>,
    /// Why hooks cannot reach this cockpit (its socket is not up), until it is.
    pub approvals_off: Option<String>,
    pub started_at: Millis,
    /// Set by anything that changes what is drawn.
    pub dirty: bool,
    /// Rows the tool list showed last frame (for page up/down).
    pub page_rows: usize,
    pub feed_capacity: usize,
    /// Shown as a bar on the screen when set (e.g. demo replay).
    pub banner: Option<String>,
    pub approvals: approvals::Approvals,
    /// Milliseconds since the epoch, updated by the app before each action
    /// (the state keeps no clock of its own, so tests control time).
    pub now: Millis,
    /// Learnings written this session (Law 1), with when.
    pub learnings: Vec<(Millis, String)>,
    /// The one-line learning being typed; `quitting`: asked on the way out.
    pub note_input: Option<NoteInput>,
    /// Quitting asks for one learning first (once).
    pub ask_learning_on_quit: bool,
    /// "An unfinished session of this repository: resume it?"
    pub resume_offer: Option<ResumeOffer>,
    /// The outer loop: past sessions of this repository, newest first.
    pub past_sessions: Vec<PastSession>,
    pub outer_open: bool,
    /// The failure-pattern detectors, fed from inside this state's updates
    /// (`detect.rs`); the app sets the configured ones.
    pub detect: crate::detect::Rules,
    /// Failure-pattern alerts not yet acknowledged, newest last; `x` moves
    /// them to `alert_log`.
    pub alerts: Vec<crate::detect::Alert>,
    /// The inner loop's working tree (files changed, checkpoint).
    pub worktree: worktree::Worktree,
    /// Validation runs recognised in every session's tool stream, oldest
    /// first, each with its session key (the transcript path).
    pub validation_runs: Vec<(String, crate::loops::validation::ValidationRun)>,
    /// Quiet this long (no record, no call running) and an agent is idle.
    pub idle_after_ms: i64,
    /// The alerts acknowledged, oldest first: with `alerts`, every alert
    /// kept (`all_alerts`).
    pub alert_log: Vec<crate::detect::Alert>,
    /// The stats view (`s`) is open.
    pub stats_open: bool,
    /// The outer loop's git side; `None` when the project is not in a git
    /// repository (or it could not be read).
    pub git_history: Option<crate::loops::git_history::GitHistory>,
    /// Zone thresholds and windows each new session classifies its zone
    /// time by (the app sets the configured ones).
    pub gauge_config: Arc<crate::config::GaugeConfig>,
    /// Windows reported by earlier status lines, by session id.
    pub known_windows: crate::store::windows::KnownWindows,
    /// The learnings of this repository's past sessions, newest first.
    pub past_learnings: Vec<crate::store::learnings::PastLearning>,
    /// The outer loop view's search through them.
    pub learning_search: learning_search::LearningSearch,
}

/// One stored session, as the outer loop lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastSession {
    pub id: String,
    pub when: Millis,
    pub duration_ms: i64,
    pub agent: String,
    pub peak_percent: Option<u64>,
    pub tool_calls: u64,
    pub approvals: usize,
    pub finished: bool,
    pub author: Option<String>,
    pub handoff_line: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteInput {
    pub text: String,
    pub quitting: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResumeOffer {
    pub id: String,
    /// What it was: date, agent, context, the handoff's first line.
    pub description: String,
}

impl Cockpit {
    pub fn new(project: String, git_branch: Option<String>, started_at: Millis) -> Self {
        Self {
            project,
            git_branch,
            sessions: Vec::new(),
            selected: None,
            user_picked: false,
            announced: Vec::new(),
            focus: Focus::Tools,
            tool_cursor: 0,
            detail_scroll: 0,
            details_open: false,
            help_open: false,
            notice: None,
            save_failure: None,
            approvals_off: None,
            started_at,
            dirty: true,
            page_rows: 10,
            feed_capacity: 2_000,
            banner: None,
            approvals: approvals::Approvals::default(),
            now: started_at,
            learnings: Vec::new(),
            note_input: None,
            ask_learning_on_quit: false,
            resume_offer: None,
            past_sessions: Vec::new(),
            outer_open: false,
            detect: crate::detect::Rules::new(&crate::config::Config::default()),
            alerts: Vec::new(),
            worktree: worktree::Worktree::default(),
            validation_runs: Vec::new(),
            idle_after_ms: 90_000,
            alert_log: Vec::new(),
            stats_open: false,
            git_history: None,
            gauge_config: Arc::default(),
            known_windows: Default::default(),
            past_learnings: Vec::new(),
            learning_search: Default::default(),
        }
    }

    pub fn mode(&self) -> Mode {
        if self.note_input.is_some() {
            return Mode::Note;
        }
        if self.resume_offer.is_some() && self.approvals.pending.is_empty() {
            return Mode::Offer;
        }
        if !self.approvals.pending.is_empty() {
            // The approval modal takes every key while open.
            if self.approvals.typing_reason.is_some() {
                Mode::Reason
            } else {
                Mode::Approval
            }
        } else if self.outer_open && !self.help_open && !self.stats_open {
            if self.learning_search.typing {
                Mode::Search
            } else {
                Mode::Outer
            }
        } else if self.help_open || self.outer_open || self.stats_open {
            Mode::Help
        } else {
            Mode::Normal
        }
    }

    /// What the agent of `sessions[index]` is doing now.
    pub fn activity(&self, index: usize) -> Activity {
        let Some(session) = self.sessions.get(index) else {
            return Activity::Ended;
        };
        let path = session.source.path.to_string_lossy();
        let waiting = self.approvals.pending.iter().any(|p| {
            let request = &p.request;
            request.transcript_path.as_deref() == Some(path.as_ref())
                || (request.session_id.is_some()
                    && session.is_main()
                    && request.session_id == session.meta.session_id)
        });
        session.activity(self.now, waiting, self.idle_after_ms)
    }

    /// Indexes of `sessions` in the agents panel's order: each main session
    /// followed by its own subagents (`<session>/subagents/...`), then the
    /// subagents whose session is not followed.
    pub fn agent_order(&self) -> Vec<usize> {
        let parent_of = |s: &Session| -> Option<usize> {
            if s.is_main() {
                return None;
            }
            self.sessions.iter().position(|m| {
                m.is_main()
                    && m.source.path.file_stem().is_some_and(|stem| {
                        s.source
                            .path
                            .ancestors()
                            .any(|a| a.file_name() == Some(stem))
                    })
            })
        };
        let parents: Vec<Option<usize>> = self.sessions.iter().map(parent_of).collect();
        let mut order = Vec::with_capacity(self.sessions.len());
        for (i, session) in self.sessions.iter().enumerate() {
            if session.is_main() {
                order.push(i);
                order.extend((0..self.sessions.len()).filter(|&j| parents[j] == Some(i)));
            }
        }
        order.extend(
            (0..self.sessions.len())
                .filter(|&j| !self.sessions[j].is_main() && parents[j].is_none()),
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
        self.validation_runs
            .iter()
            .filter(move |(k, _)| Some(k) == key.as_ref())
            .map(|(_, run)| run)
    }

    pub fn current(&self) -> Option<&Session> {
        self.selected.and_then(|i| self.sessions.get(i))
    }

    pub fn add_source(&mut self, source: Source) {
        let is_main = source.role == crate::agents::source::Role::Main;
        let modified = source.modified_ms;
        let mut session = Session::new(source, self.feed_capacity)
            .with_gauge_config(Arc::clone(&self.gauge_config))
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
        self.sessions.push(session);
        let newest_main = self
            .selected
            .and_then(|i| self.sessions.get(i))
            .is_none_or(|s| !s.is_main() || s.source.modified_ms <= modified);
        if self.selected.is_none() || (is_main && !self.user_picked && newest_main) {
            self.select(self.sessions.len() - 1);
        }
        self.dirty = true;
    }

    pub fn apply_batch(&mut self, id: SourceId, batch: Batch) {
        if let Some(index) = self.sessions.iter().position(|s| s.source.id == id) {
            self.sessions[index].apply(batch);
            self.observe_session(index);
            self.dirty = true;
        }
    }

    pub fn notice(&mut self, text: String) {
        self.notice = Some(text);
        self.dirty = true;
    }

    fn select(&mut self, index: usize) {
        if self.selected != Some(index) {
            self.selected = Some(index);
            self.tool_cursor = 0;
            self.detail_scroll = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::action::Action;
    use crate::agents::source::{Role, Source, SourceId};

    fn source(id: u32, path: &str, role: Role) -> Source {
        Source {
            id: SourceId(id),
            path: path.into(),
            kind: crate::agents::AgentKind::Claude,
            role,
            modified_ms: 0,
        }
    }

    fn sub(id: &str) -> Role {
        Role::Subagent {
            agent_id: id.into(),
        }
    }

    #[test]
    fn subagents_sit_under_their_session_and_j_k_follow_that_order() {
        let mut state = Cockpit::new("p".into(), None, 0);
        state.add_source(source(0, "/t/s1.jsonl", Role::Main));
        state.add_source(source(1, "/t/s2.jsonl", Role::Main));
        state.add_source(source(2, "/t/s1/subagents/agent-a.jsonl", sub("a")));
        state.add_source(source(3, "/t/gone/subagents/agent-b.jsonl", sub("b")));
        state.add_source(source(4, "/t/s2/subagents/agent-c.jsonl", sub("c")));
        assert_eq!(state.agent_order(), [0, 2, 1, 4, 3]);
        state.focus = Focus::Sessions;
        state.selected = Some(0);
        state.apply(Action::Down, false);
        assert_eq!(state.selected, Some(2), "s1's subagent is below s1");
        state.apply(Action::Down, false);
        assert_eq!(state.selected, Some(1));
        state.apply(Action::Up, false);
        assert_eq!(state.selected, Some(2));
    }
}
