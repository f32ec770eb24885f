//! [`Rules`]: every detector run over one stream of [`Event`]s. The alerts
//! they raise are numbered and counted here and kept by the state
//! (`state/detect.rs`), which derives the events from its own update: the
//! call paired with its result by the tool feed, the gauge after a usage.

use std::collections::BTreeMap;

use globset::{Glob, GlobSetBuilder};

use super::alert::{Alert, Detector, Pattern, Waker};
use super::event::Event;
use super::{bridge::BridgeTorching, drift::InstructionDrift, stewnami::Stewnami};
use super::{
    collision::WorkspaceCollision, context_amnesia::ContextAmnesia, deadlock::MultiAgentDeadlock,
    debug_loop::DebugLoopSpiral, deletion::RepositoryDeletion, eldritch::EldritchCodeHorror,
    gridlock::ProcessGridlock, memory_decay::MemoryTattooDecay, tests_passing_lie::TestsPassingLie,
    waits::AgentWait,
};
use crate::agents::{Millis, ToolEnd, ToolStart};
use crate::config::Config;
use crate::loops::validation::{Matcher, ValidationRun};

pub struct Rules {
    detectors: Vec<Box<dyn Detector>>,
    matcher: Matcher,
    next_id: u64,
    counters: BTreeMap<Pattern, u64>,
    /// The last agents snapshot fed (the next is fed only when it differs).
    agents: Vec<AgentWait>,
}

impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rules")
            .field("counters", &self.counters)
            .finish_non_exhaustive()
    }
}

impl Rules {
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
            next_id: 1,
            counters: Pattern::ALL.iter().map(|p| (*p, 0)).collect(),
            agents: Vec::new(),
        }
    }

    /// The validation run a finished call was, when its command is one.
    pub fn validation(&self, start: &ToolStart, end: &ToolEnd) -> Option<ValidationRun> {
        self.matcher.run(start, end)
    }

    /// What every agent waits on now; fed to the detectors when it changed.
    pub fn agents(&mut self, agents: Vec<AgentWait>, at: Millis) -> Vec<Alert> {
        if agents == self.agents {
            return self.clock(at);
        }
        self.agents.clone_from(&agents);
        self.feed(&Event::Agents { agents, at })
    }

    /// Time passed; detectors whose deadline is due see it.
    pub fn clock(&mut self, at: Millis) -> Vec<Alert> {
        if self.next_deadline().is_some_and(|due| due <= at) {
            self.feed(&Event::Clock { at })
        } else {
            Vec::new()
        }
    }

    /// The earliest moment a detector must see the time again, if any.
    pub fn next_deadline(&self) -> Option<Millis> {
        self.detectors.iter().filter_map(|d| d.deadline()).min()
    }

    /// Runs every detector on one event; returns the alerts it raised.
    pub fn feed(&mut self, event: &Event) -> Vec<Alert> {
        let mut raised = Vec::new();
        for detector in &mut self.detectors {
            detector.observe(event, &mut raised);
        }
        self.number(raised)
    }

    /// Raises what the detectors' background work found, and what became
    /// due by `now` (wall clock); call it from a timer.
    pub fn poll(&mut self, now: Millis) -> Vec<Alert> {
        let mut raised = Vec::new();
        for detector in &mut self.detectors {
            detector.poll(now, &mut raised);
        }
        self.number(raised)
    }

    /// `waker` is called when a detector's work off this thread finishes.
    pub fn wake_with(&mut self, waker: Waker) {
        for detector in &mut self.detectors {
            detector.wake_with(waker.clone());
        }
    }

    /// Some detector's background work is not finished.
    pub fn busy(&self) -> bool {
        self.detectors.iter().any(|d| d.busy())
    }

    /// Gives each alert its id and counts it.
    fn number(&mut self, mut raised: Vec<Alert>) -> Vec<Alert> {
        for alert in &mut raised {
            alert.id = self.next_id;
            self.next_id += 1;
            *self.counters.entry(alert.pattern).or_default() += 1;
        }
        raised
    }

    /// Alerts raised per pattern since start (every pattern present, 0 or more).
    pub fn counters(&self) -> &BTreeMap<Pattern, u64> {
        &self.counters
    }

    pub fn count(&self, pattern: Pattern) -> u64 {
        self.counters.get(&pattern).copied().unwrap_or(0)
    }
}
