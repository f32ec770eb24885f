//! What the configuration tells the state (`Settings`).

use std::sync::Arc;

/// What the configuration tells the state, in one place.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Zone thresholds and windows each new session classifies its zone
    /// time by.
    pub gauge: Arc<crate::config::GaugeConfig>,
    /// Tool calls each session keeps for its feed.
    pub feed_capacity: usize,
    /// Quiet this long (no record, no call running) and an agent is idle.
    pub idle_after_ms: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            gauge: Arc::default(),
            feed_capacity: 2_000,
            idle_after_ms: 90_000,
        }
    }
}
