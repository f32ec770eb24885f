//! What a detector raises ([`Alert`]: the [`Pattern`], the factor that
//! prevents it, its [`Severity`]) and what a detector is ([`Detector`]):
//! the shared vocabulary every detector file and the engine import.

use super::event::Event;
use super::proposal::Proposal;
use crate::agents::Millis;

/// The failure patterns the cockpit can see from outside the agent
/// (numbers as in the seed's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pattern {
    TestsPassingLie,
    ContextAmnesia,
    DebugLoopSpiral,
    EldritchCodeHorror,
    AgentWorkspaceCollision,
    MemoryTattooDecay,
    RepositoryDeletion,
    MultiAgentDeadlock,
    ProcessGridlock,
    InstructionDrift,
    Stewnami,
    BridgeTorching,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Medium,
    High,
    Critical,
}

impl Pattern {
    pub const ALL: [Pattern; 12] = [
        Pattern::TestsPassingLie,
        Pattern::ContextAmnesia,
        Pattern::DebugLoopSpiral,
        Pattern::EldritchCodeHorror,
        Pattern::AgentWorkspaceCollision,
        Pattern::MemoryTattooDecay,
        Pattern::RepositoryDeletion,
        Pattern::MultiAgentDeadlock,
        Pattern::ProcessGridlock,
        Pattern::InstructionDrift,
        Pattern::Stewnami,
        Pattern::BridgeTorching,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Pattern::TestsPassingLie => "Tests Passing Lie",
            Pattern::ContextAmnesia => "Context Amnesia",
            Pattern::DebugLoopSpiral => "Debug Loop Spiral",
            Pattern::EldritchCodeHorror => "Eldritch Code Horror",
            Pattern::AgentWorkspaceCollision => "Agent Workspace Collision",
            Pattern::MemoryTattooDecay => "Memory Tattoo Decay",
            Pattern::RepositoryDeletion => "Repository Deletion",
            Pattern::MultiAgentDeadlock => "Multi-Agent Deadlock",
            Pattern::ProcessGridlock => "Process Gridlock",
            Pattern::InstructionDrift => "Instruction Drift",
            Pattern::Stewnami => "Stewnami",
            Pattern::BridgeTorching => "Bridge Torching",
        }
    }

    /// The factor the seed says prevents this pattern.
    pub fn factor(self) -> &'static str {
        match self {
            Pattern::TestsPassingLie => "IV. Continuous Validation",
            Pattern::ContextAmnesia => "II. Context Loading",
            Pattern::DebugLoopSpiral => "VII. Smart Routing",
            Pattern::EldritchCodeHorror => "X. Small Iterations",
            Pattern::AgentWorkspaceCollision => {
                "II. Context Loading, VII. Smart Routing (partitioning)"
            }
            Pattern::MemoryTattooDecay => "VI. Resume Work",
            Pattern::RepositoryDeletion => "VIII. Human Validation",
            Pattern::MultiAgentDeadlock => "III. Focused Agents, VII. Smart Routing",
            Pattern::ProcessGridlock => "IV. Continuous Validation, V. Measure Everything",
            Pattern::InstructionDrift => "III. Focused Agents, X. Small Iterations",
            Pattern::Stewnami => "X. Small Iterations, XII. Package Patterns",
            Pattern::BridgeTorching => "IV. Continuous Validation, VIII. Human Validation",
        }
    }

    /// The seed's severity for the pattern.
    pub fn severity(self) -> Severity {
        match self {
            Pattern::ContextAmnesia | Pattern::MemoryTattooDecay => Severity::Medium,
            Pattern::InstructionDrift => Severity::Medium,
            Pattern::Stewnami => Severity::High,
            Pattern::BridgeTorching => Severity::Critical,
            Pattern::TestsPassingLie
            | Pattern::DebugLoopSpiral
            | Pattern::AgentWorkspaceCollision
            | Pattern::MultiAgentDeadlock
            | Pattern::ProcessGridlock => Severity::High,
            Pattern::EldritchCodeHorror | Pattern::RepositoryDeletion => Severity::Critical,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// Unique within one [`Rules`](super::Rules); used to acknowledge.
    pub id: u64,
    pub pattern: Pattern,
    pub factor: &'static str,
    pub severity: Severity,
    pub message: String,
    pub what_to_do: String,
    pub at: Option<Millis>,
    /// The session it concerns; `None` for working-tree alerts.
    pub session: Option<String>,
    pub acknowledged: bool,
    /// A rule the human can add with one key (Process Gridlock).
    pub proposal: Option<Box<Proposal>>,
}

impl Alert {
    pub fn new(
        pattern: Pattern,
        session: Option<&str>,
        at: Option<Millis>,
        message: impl Into<String>,
        what_to_do: impl Into<String>,
    ) -> Self {
        Self {
            id: 0,
            pattern,
            factor: pattern.factor(),
            severity: pattern.severity(),
            message: message.into(),
            what_to_do: what_to_do.into(),
            at,
            session: session.map(str::to_string),
            acknowledged: false,
            proposal: None,
        }
    }
}

/// Called by a detector's work off the UI thread when it finishes, so the
/// loop raises its results then, not at some unrelated tick.
pub type Waker = std::sync::Arc<dyn Fn() + Send + Sync>;

/// One rule. `observe` sees every event in order and appends what it raises.
pub trait Detector: Send {
    fn pattern(&self) -> Pattern;
    fn observe(&mut self, event: &Event, out: &mut Vec<Alert>);
    /// When the detector must see the time again although nothing happens
    /// (a one-shot wake-up, fed as [`Event::Clock`]); `None`: not needed.
    fn deadline(&self) -> Option<Millis> {
        None
    }
    /// Raises what work done off the UI thread found since the last call,
    /// and what became due by `now` (the wall clock).
    fn poll(&mut self, _now: Millis, _out: &mut Vec<Alert>) {}
    /// Work handed off the UI thread is not finished yet.
    fn busy(&self) -> bool {
        false
    }
    /// What to call when work handed off the UI thread finishes.
    fn wake_with(&mut self, _waker: Waker) {}
}
