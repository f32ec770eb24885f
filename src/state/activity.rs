//! What an agent is doing (`Activity`), as the middle loop shows it.

/// What an agent is doing, as the middle loop shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activity {
    /// A `SessionStart` hook announced it; nothing written yet.
    Starting,
    Working,
    WaitingApproval,
    Idle,
    Ended,
}

impl Activity {
    pub fn label(self) -> &'static str {
        match self {
            Activity::Starting => "starting",
            Activity::Working => "working",
            Activity::WaitingApproval => "approval",
            Activity::Idle => "idle",
            Activity::Ended => "ended",
        }
    }
}
