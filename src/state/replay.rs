//! [`Detectors`]: the detectors fed records without the app, through the
//! same update the running cockpit makes (a state with only sessions): for
//! replays of transcripts and for tests. Each method returns how many
//! alerts it raised.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::Cockpit;
use crate::agents::source::{Batch, Role, Source, SourceId};
use crate::agents::{AgentKind, Millis, Record};
use crate::config::Config;
use crate::detect::waits::AgentWait;
use crate::detect::{Alert, Event, Pattern};
use crate::loops::changes::FileChange;
use crate::loops::validation::ValidationRun;
use crate::policy::Verdict;
use crate::policy::protocol::ApprovalRequest;

pub struct Detectors {
    state: Cockpit,
    /// Each session key's source in `state`.
    sources: HashMap<String, SourceId>,
}

impl Detectors {
    pub fn new(config: &Config) -> Self {
        let mut state = Cockpit::new(String::new(), None, 0);
        state.settings.gauge = Arc::new(config.gauge.clone());
        state.detect = crate::detect::Rules::new(config);
        Self {
            state,
            sources: HashMap::new(),
        }
    }

    /// Feeds one record of `session` (any stable key: it is the session's
    /// transcript path in the running cockpit).
    pub fn on_record(&mut self, session: &str, record: &Record) -> usize {
        let id = match self.sources.get(session) {
            Some(id) => *id,
            None => {
                let id = SourceId(u32::try_from(self.sources.len()).unwrap_or(u32::MAX));
                self.sources.insert(session.to_string(), id);
                self.state.add_source(Source {
                    id,
                    path: session.into(),
                    kind: AgentKind::Claude,
                    role: Role::Main,
                    modified_ms: 0,
                });
                id
            }
        };
        let before = self.raised();
        let batch = Batch {
            records: vec![record.clone()],
            ..Batch::default()
        };
        self.state.apply_batch(id, batch);
        (self.raised() - before) as usize
    }

    fn raised(&self) -> u64 {
        self.state.detect.counters().values().sum()
    }

    /// A batch from the working-tree watcher.
    pub fn on_changes(&mut self, root: &Path, changes: Vec<FileChange>) -> usize {
        self.state.observe(Event::FilesChanged {
            root: root.to_path_buf(),
            changes,
        })
    }

    pub fn session_ended(&mut self, session: &str, at: Option<Millis>) -> usize {
        let session = session.to_string();
        self.state.observe(Event::SessionEnded { session, at })
    }

    /// The cockpit saved its own handoff for `session`.
    pub fn handoff_saved(&mut self, session: &str, at: Option<Millis>) -> usize {
        let session = session.to_string();
        self.state.observe(Event::HandoffSaved { session, at })
    }

    /// A request queued for a human, of the agent `session` (its key).
    pub fn approval_asked(
        &mut self,
        session: &str,
        id: &str,
        request: &ApprovalRequest,
        at: Millis,
    ) -> usize {
        self.state.observe(Event::ApprovalAsked {
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
        self.state.observe(Event::ApprovalEnded {
            id: id.to_string(),
            verdict,
            by: by.to_string(),
            at,
        })
    }

    /// What every agent waits on now; fed to the detectors when it changed.
    pub fn agents(&mut self, agents: Vec<AgentWait>, at: Millis) -> usize {
        self.state.detect_agents(agents, at)
    }

    /// Time passed; detectors whose deadline is due see it.
    pub fn clock(&mut self, at: Millis) -> usize {
        self.state.detect_clock(at)
    }

    /// The earliest moment a detector must see the time again, if any.
    pub fn next_deadline(&self) -> Option<Millis> {
        self.state.detect.next_deadline()
    }

    /// Raises what the detectors' background work found, and what became
    /// due by `now` (wall clock).
    pub fn poll(&mut self, now: Millis) -> usize {
        self.state.detect_poll(now)
    }

    /// Some detector's background work is not finished.
    pub fn busy(&self) -> bool {
        self.state.detect.busy()
    }

    /// Every alert kept, oldest first.
    pub fn alerts(&self) -> super::detect::AllAlerts<'_> {
        self.state.all_alerts()
    }

    pub fn unacknowledged(&self) -> impl Iterator<Item = &Alert> {
        self.state.alerts.iter().filter(|a| !a.acknowledged)
    }

    /// Marks an alert seen; false when no such alert is kept.
    pub fn acknowledge(&mut self, id: u64) -> bool {
        self.state.acknowledge_alert(id)
    }

    pub fn acknowledge_all(&mut self) {
        self.state.acknowledge_alerts();
    }

    /// Alerts raised per pattern since start (every pattern present, 0 or more).
    pub fn counters(&self) -> &std::collections::BTreeMap<Pattern, u64> {
        self.state.detect.counters()
    }

    pub fn count(&self, pattern: Pattern) -> u64 {
        self.state.detect.count(pattern)
    }

    /// Validation runs of every session, oldest first, with their session.
    pub fn validation_runs(&self) -> Runs<'_> {
        Runs(&self.state.project().validation_runs)
    }
}

/// The state's validation runs, read-only.
pub struct Runs<'a>(&'a [(String, ValidationRun)]);

impl<'a> Runs<'a> {
    pub fn iter(&self) -> std::slice::Iter<'a, (String, ValidationRun)> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::ops::Index<usize> for Runs<'_> {
    type Output = (String, ValidationRun);
    fn index(&self, index: usize) -> &Self::Output {
        &self.0[index]
    }
}
