//! [`Detectors`]: turns each session's records into [`Event`]s (pairing tool
//! calls with results, recognising validation runs, following the gauge),
//! runs every detector, and keeps the alerts, counters and validation runs.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSetBuilder};

use super::{
    Alert, Detector, Edit, Event, Pattern, collision::WorkspaceCollision,
    context_amnesia::ContextAmnesia, deadlock::MultiAgentDeadlock, debug_loop::DebugLoopSpiral,
    deletion::RepositoryDeletion, eldritch::EldritchCodeHorror, gridlock::ProcessGridlock,
    memory_decay::MemoryTattooDecay, tests_passing_lie::TestsPassingLie, waits::AgentWait,
};
use super::{bridge::BridgeTorching, drift::InstructionDrift, stewnami::Stewnami};
use crate::agents::{Millis, Record, ToolEnd, ToolStart};
use crate::approvals::policy::Verdict;
use crate::approvals::protocol::ApprovalRequest;
use crate::config::{Config, GaugeConfig};
use crate::loops::changes::FileChange;
use crate::loops::validation::{Matcher, Tracker, ValidationRun};
use crate::state::gauge::Gauge;

/// Alerts and runs kept; counters cover everything.
const KEEP: usize = 500;

#[derive(Default)]
struct SessionState {
    starts: HashMap<String, ToolStart>,
    tracker: Tracker,
    gauge: Gauge,
    cwd: Option<PathBuf>,
}

pub struct Detectors {
    detectors: Vec<Box<dyn Detector>>,
    matcher: Matcher,
    gauge_config: GaugeConfig,
    sessions: HashMap<String, SessionState>,
    alerts: VecDeque<Alert>,
    next_id: u64,
    counters: BTreeMap<Pattern, u64>,
    runs: VecDeque<(String, ValidationRun)>,
    /// The last agents snapshot fed (the next is fed only when it differs).
    agents: Vec<AgentWait>,
}

impl std::fmt::Debug for Detectors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Detectors")
            .field("alerts", &self.alerts.len())
            .field("runs", &self.runs.len())
            .finish_non_exhaustive()
    }
}

impl Detectors {
    pub fn new(config: &Config) -> Self {
        let d = &config.detect;
        let mut globs = GlobSetBuilder::new();
        for glob in &config.loops.handoff_globs {
            if let Ok(glob) = Glob::new(glob) {
                globs.add(glob);
            }
        }
        let handoff = globs.build().unwrap_or_default();
        let detectors: Vec<Box<dyn Detector>> = vec![
            Box::new(TestsPassingLie::new(&d.done_claims)),
            Box::new(ContextAmnesia::new(
                &d.context_thresholds,
                d.rereads_after_compaction,
            )),
            Box::new(DebugLoopSpiral::new(
                d.same_failure_repeats,
                d.edits_per_file,
                d.edit_window_secs,
            )),
            Box::new(EldritchCodeHorror::new(d.max_file_lines, d.max_added_block)),
            Box::new(WorkspaceCollision::new(d.collision_window_secs)),
            Box::new(MemoryTattooDecay::new(handoff)),
            Box::new(RepositoryDeletion::new(
                &d.destructive_commands,
                d.deleted_files,
                d.deleted_lines,
            )),
            Box::new(MultiAgentDeadlock::new(d.deadlock_quiet_secs)),
            Box::new(ProcessGridlock::new(
                d.gridlock_window_secs,
                d.gridlock_wait_percent,
                d.gridlock_min_requests,
                d.gridlock_same_answers,
            )),
            Box::new(InstructionDrift::new(d.drift_outside_files)),
            Box::new(Stewnami::new(d.stewnami_failing_tests)),
            Box::new(BridgeTorching::new(d.bridge_grace_secs, d.bridge_max_files)),
        ];
        Self {
            detectors,
            matcher: Matcher::new(&config.loops).0,
            gauge_config: config.gauge.clone(),
            sessions: HashMap::new(),
            alerts: VecDeque::new(),
            next_id: 1,
            counters: Pattern::ALL.iter().map(|p| (*p, 0)).collect(),
            runs: VecDeque::new(),
            agents: Vec::new(),
        }
    }

    /// Feeds one record of `session` (any stable key: the session id or the
    /// transcript path). Returns how many alerts it raised.
    pub fn on_record(&mut self, session: &str, record: &Record) -> usize {
        let state = self.sessions.entry(session.to_string()).or_default();
        let session = session.to_string();
        let mut events = Vec::new();
        match record {
            Record::Meta(meta) => {
                if let Some(cwd) = &meta.cwd {
                    state.cwd = Some(PathBuf::from(cwd));
                }
            }
            Record::Usage {
                context_tokens,
                window,
                model,
                at,
            } => {
                state
                    .gauge
                    .on_usage(*context_tokens, *window, model.as_deref(), *at);
                let percent = state.gauge.percent(&self.gauge_config);
                events.push(Event::Context {
                    session,
                    percent,
                    at: *at,
                });
            }
            Record::WindowHint(window) => state.gauge.on_window_hint(*window),
            Record::TurnEnded { .. } => {}
            Record::Compacted {
                post_tokens, at, ..
            } => {
                state.gauge.on_compacted(*post_tokens, *at);
                events.push(Event::Compacted { session, at: *at });
            }
            Record::ToolStart(start) => {
                state.tracker.start(&self.matcher, start);
                state.starts.insert(start.id.clone(), start.clone());
            }
            Record::ToolEnd(end) => {
                if let Some(run) = state.tracker.end(end) {
                    self.runs.push_back((session.clone(), run.clone()));
                    if self.runs.len() > KEEP {
                        self.runs.pop_front();
                    }
                    events.push(Event::Validation {
                        session: session.clone(),
                        run,
                    });
                }
                if let Some(start) = state.starts.remove(&end.id) {
                    let (edits, reads) = touched(&start, end, state.cwd.as_deref());
                    // The call comes before its verdict: edits, then the run.
                    events.insert(
                        0,
                        Event::Tool {
                            session,
                            start,
                            end: end.clone(),
                            edits,
                            reads,
                        },
                    );
                }
            }
            Record::AssistantText { text, at } => events.push(Event::AssistantText {
                session,
                text: text.clone(),
                at: *at,
            }),
            Record::Prompt { text, at } => events.push(Event::Prompt {
                session,
                text: text.clone(),
                cwd: state.cwd.clone(),
                at: *at,
            }),
            Record::PendingText(_) | Record::Pending { .. } => {}
        }
        events.into_iter().map(|e| self.feed(e)).sum()
    }

    /// A batch from the working-tree watcher.
    pub fn on_changes(&mut self, root: &Path, changes: Vec<FileChange>) -> usize {
        self.feed(Event::FilesChanged {
            root: root.to_path_buf(),
            changes,
        })
    }

    pub fn session_ended(&mut self, session: &str, at: Option<Millis>) -> usize {
        self.feed(Event::SessionEnded {
            session: session.to_string(),
            at,
        })
    }

    /// The cockpit saved its own handoff for `session`.
    pub fn handoff_saved(&mut self, session: &str, at: Option<Millis>) -> usize {
        self.feed(Event::HandoffSaved {
            session: session.to_string(),
            at,
        })
    }

    /// A request queued for a human, of the agent `session` (its key).
    pub fn approval_asked(
        &mut self,
        session: &str,
        id: &str,
        request: &ApprovalRequest,
        at: Millis,
    ) -> usize {
        self.feed(Event::ApprovalAsked {
            session: session.to_string(),
            id: id.to_string(),
            request: Box::new(request.clone()),
            at,
        })
    }

    /// A queued request ended (`verdict` None: withdrawn, no decision).
    pub fn approval_ended(
        &mut self,
        id: &str,
        verdict: Option<Verdict>,
        by: &str,
        at: Millis,
    ) -> usize {
        self.feed(Event::ApprovalEnded {
            id: id.to_string(),
            verdict,
            by: by.to_string(),
            at,
        })
    }

    /// What every agent waits on now; fed to the detectors when it changed.
    pub fn agents(&mut self, agents: Vec<AgentWait>, at: Millis) -> usize {
        if agents == self.agents {
            return self.clock(at);
        }
        self.agents.clone_from(&agents);
        self.feed(Event::Agents { agents, at })
    }

    /// Time passed; detectors whose deadline is due see it.
    pub fn clock(&mut self, at: Millis) -> usize {
        if self.next_deadline().is_some_and(|due| due <= at) {
            self.feed(Event::Clock { at })
        } else {
            0
        }
    }

    /// The earliest moment a detector must see the time again, if any.
    pub fn next_deadline(&self) -> Option<Millis> {
        self.detectors.iter().filter_map(|d| d.deadline()).min()
    }

    /// Runs every detector on one event; returns how many alerts it raised.
    pub fn feed(&mut self, event: Event) -> usize {
        let mut raised = Vec::new();
        for detector in &mut self.detectors {
            detector.observe(&event, &mut raised);
        }
        self.keep(raised)
    }

    /// Raises what the detectors' background work found, and what became
    /// due by `now` (wall clock); call it from a timer. Returns how many.
    pub fn poll(&mut self, now: Millis) -> usize {
        let mut raised = Vec::new();
        for detector in &mut self.detectors {
            detector.poll(now, &mut raised);
        }
        self.keep(raised)
    }

    /// Some detector's background work is not finished.
    pub fn busy(&self) -> bool {
        self.detectors.iter().any(|d| d.busy())
    }

    fn keep(&mut self, raised: Vec<Alert>) -> usize {
        let count = raised.len();
        for mut alert in raised {
            alert.id = self.next_id;
            self.next_id += 1;
            *self.counters.entry(alert.pattern).or_default() += 1;
            self.alerts.push_back(alert);
            if self.alerts.len() > KEEP {
                self.alerts.pop_front();
            }
        }
        count
    }

    /// Oldest first.
    pub fn alerts(&self) -> &VecDeque<Alert> {
        &self.alerts
    }

    pub fn unacknowledged(&self) -> impl Iterator<Item = &Alert> {
        self.alerts.iter().filter(|a| !a.acknowledged)
    }

    /// Marks an alert seen; false when no such alert is kept.
    pub fn acknowledge(&mut self, id: u64) -> bool {
        match self.alerts.iter_mut().find(|a| a.id == id) {
            Some(alert) => {
                alert.acknowledged = true;
                true
            }
            None => false,
        }
    }

    pub fn acknowledge_all(&mut self) {
        for alert in &mut self.alerts {
            alert.acknowledged = true;
        }
    }

    /// Alerts raised per pattern since start (every pattern present, 0 or more).
    pub fn counters(&self) -> &BTreeMap<Pattern, u64> {
        &self.counters
    }

    pub fn count(&self, pattern: Pattern) -> u64 {
        self.counters.get(&pattern).copied().unwrap_or(0)
    }

    /// Validation runs of every session, oldest first, with their session.
    pub fn validation_runs(&self) -> &VecDeque<(String, ValidationRun)> {
        &self.runs
    }

    pub fn last_validation(&self, session: &str) -> Option<&ValidationRun> {
        self.runs
            .iter()
            .rev()
            .find(|(s, _)| s == session)
            .map(|(_, run)| run)
    }
}

const EDIT_TOOLS: [&str; 5] = ["Write", "Edit", "MultiEdit", "NotebookEdit", "apply_patch"];

/// The files a successful call wrote and read, resolved against `cwd`.
fn touched(start: &ToolStart, end: &ToolEnd, cwd: Option<&Path>) -> (Vec<Edit>, Vec<PathBuf>) {
    if !end.ok {
        return (Vec::new(), Vec::new());
    }
    let resolve = |p: &str| match cwd {
        Some(cwd) if !Path::new(p).is_absolute() => cwd.join(p),
        _ => PathBuf::from(p),
    };
    if start.name == "Read" {
        return (Vec::new(), start.paths.iter().map(|p| resolve(p)).collect());
    }
    if !EDIT_TOOLS.contains(&start.name.as_str()) {
        return (Vec::new(), Vec::new());
    }
    let deleted: Vec<&str> = start
        .input
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("*** Delete File: "))
        .map(str::trim)
        .collect();
    let edits = start
        .paths
        .iter()
        .map(|p| Edit {
            path: resolve(p),
            deleted: deleted.contains(&p.as_str()),
        })
        .collect();
    (edits, Vec::new())
}
