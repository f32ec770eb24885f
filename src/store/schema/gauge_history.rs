//! The session record's gauge history and the run's totals, with the time
//! spent in each zone.

use serde::{Deserialize, Serialize};

use crate::clock::Millis;

/// The context gauge over time: samples thinned so a long run stays small,
/// the peak and every compaction kept exactly.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GaugeHistory {
    /// Which transcript the samples follow (the agent that was on screen).
    pub transcript: Option<String>,
    /// Samples in time order; at most a few hundred however long the run.
    pub samples: Vec<GaugeSample>,
    /// The highest sample ever recorded, even if thinned out of `samples`.
    pub peak: Option<GaugeSample>,
    /// Every compaction seen, in time order.
    pub compactions: Vec<Compaction>,
}

/// One reading of the gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GaugeSample {
    /// Milliseconds since the Unix epoch.
    pub at: Millis,
    /// Context tokens.
    pub tokens: u64,
    /// The window in tokens.
    pub window: u64,
}

/// The agent compacted its context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Compaction {
    pub at: Millis,
    /// Tokens in the context just before.
    pub tokens_before: u64,
}

/// Totals over the run.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Counters {
    /// Tool calls by every agent.
    pub tool_calls: u64,
    /// Tool calls whose result was an error.
    pub failed_calls: u64,
    /// Seconds in each zone, summed over the agents' own `zone_seconds`
    /// (the stats view's total). Records of older cockpits hold the
    /// wall-clock time of the gauge on screen instead.
    pub zone_seconds: ZoneSeconds,
}

/// Seconds spent in each gauge zone (the 40% rule's green, then yellow,
/// orange, red).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ZoneSeconds {
    pub green: f64,
    pub yellow: f64,
    pub orange: f64,
    pub red: f64,
}

impl ZoneSeconds {
    /// A session's zone clock (milliseconds), in seconds.
    pub fn of(time: &crate::state::zone_time::ZoneTime) -> ZoneSeconds {
        let secs = |ms: i64| ms as f64 / 1000.0;
        ZoneSeconds {
            green: secs(time.green),
            yellow: secs(time.yellow),
            orange: secs(time.orange),
            red: secs(time.red),
        }
    }

    /// Back to the clock's milliseconds, as the stats view counts them.
    pub fn as_time(&self) -> crate::state::zone_time::ZoneTime {
        let ms = |secs: f64| (secs * 1000.0).round() as i64;
        crate::state::zone_time::ZoneTime {
            green: ms(self.green),
            yellow: ms(self.yellow),
            orange: ms(self.orange),
            red: ms(self.red),
        }
    }
}
