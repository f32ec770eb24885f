//! The context gauge: what the agent has in its context window right now.

use crate::clock::Millis;
use crate::config::GaugeConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Zone {
    Green,
    Yellow,
    Orange,
    Red,
}

impl Zone {
    pub fn label(self) -> &'static str {
        match self {
            Zone::Green => "under 40%",
            Zone::Yellow => "degrading",
            Zone::Orange => "drifting",
            Zone::Red => "critical",
        }
    }
}

// The model table and the zone thresholds are settings; what they mean for
// the gauge is decided here, so config does not depend on the gauge.
impl GaugeConfig {
    pub fn window_for(&self, model: Option<&str>) -> u64 {
        self.known_window(model).unwrap_or(self.default_window)
    }

    /// The table's window for `model`; `None`: the model is not in the table.
    pub fn known_window(&self, model: Option<&str>) -> Option<u64> {
        let model = model?;
        self.models
            .iter()
            .find(|entry| crate::text::glob_match(&entry.pattern, model))
            .map(|entry| entry.window)
    }

    pub fn zone_of(&self, percent: f64) -> Zone {
        if percent >= self.red_at {
            Zone::Red
        } else if percent >= self.orange_at {
            Zone::Orange
        } else if percent >= self.yellow_at {
            Zone::Yellow
        } else {
            Zone::Green
        }
    }
}

/// Where the gauge's window comes from, so a guess is never shown as a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowSource {
    /// The agent said it (Codex's `model_context_window`, Claude Code's status line).
    Reported,
    /// The config's model table knows the model.
    Table,
    /// A context larger than the table's window was seen: the 1M variant.
    Seen,
    /// Neither: the table's default for a model it does not know.
    Assumed,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Gauge {
    /// Tokens from the last usage the agent reported (`None` before any reply).
    pub settled: Option<u64>,
    /// Compacted and the agent did not say the new size: waiting for the next reply.
    pub awaiting_reply_after_compaction: bool,
    /// Estimated tokens appended since the last usage report.
    pub pending: u64,
    /// The window the agent reported (Codex) or the status line gave.
    pub reported_window: Option<u64>,
    pub model: Option<String>,
    pub peak: u64,
    pub compactions: u32,
    pub last_update: Option<Millis>,
}

impl Gauge {
    pub fn on_usage(
        &mut self,
        tokens: u64,
        window: Option<u64>,
        model: Option<&str>,
        at: Option<Millis>,
    ) {
        self.settled = Some(tokens);
        self.awaiting_reply_after_compaction = false;
        self.pending = 0;
        self.peak = self.peak.max(tokens);
        if window.is_some() {
            self.reported_window = window;
        }
        if let Some(model) = model {
            self.model = Some(model.to_string());
        }
        self.last_update = at.or(self.last_update);
    }

    pub fn on_compacted(&mut self, post_tokens: Option<u64>, at: Option<Millis>) {
        self.compactions += 1;
        self.pending = 0;
        self.settled = post_tokens;
        self.awaiting_reply_after_compaction = post_tokens.is_none();
        self.last_update = at.or(self.last_update);
    }

    pub fn on_window_hint(&mut self, window: u64) {
        self.reported_window = Some(window);
    }

    /// Settled plus pending: the best estimate of the context now.
    pub fn total(&self) -> u64 {
        self.settled.unwrap_or(0).saturating_add(self.pending)
    }

    /// The window in tokens: what the agent reported, else the model table;
    /// a context over the table's window means the 1M variant is active.
    pub fn window(&self, config: &GaugeConfig) -> u64 {
        if let Some(window) = self.reported_window {
            return window;
        }
        let table = config.window_for(self.model.as_deref());
        if self.peak > table && table < config.large_window {
            config.large_window
        } else {
            table
        }
    }

    pub fn window_source(&self, config: &GaugeConfig) -> WindowSource {
        if self.reported_window.is_some() {
            return WindowSource::Reported;
        }
        let known = config.known_window(self.model.as_deref());
        let table = known.unwrap_or(config.default_window);
        if self.peak > table && table < config.large_window {
            WindowSource::Seen
        } else if known.is_some() {
            WindowSource::Table
        } else {
            WindowSource::Assumed
        }
    }

    pub fn percent(&self, config: &GaugeConfig) -> f64 {
        let window = self.window(config).max(1);
        self.total() as f64 * 100.0 / window as f64
    }

    pub fn zone(&self, config: &GaugeConfig) -> Zone {
        config.zone_of(self.percent(config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_windows_follow_formats_md() {
        let gauge = GaugeConfig::default();
        assert_eq!(gauge.window_for(Some("claude-opus-4-6")), 200_000);
        assert_eq!(gauge.window_for(Some("claude-opus-4-8")), 1_000_000);
        assert_eq!(gauge.window_for(Some("sonnet[1m]")), 1_000_000);
        assert_eq!(gauge.window_for(None), 200_000);
    }

    #[test]
    fn compaction_without_post_tokens_waits_for_the_next_reply() {
        let config = GaugeConfig::default();
        let mut gauge = Gauge::default();
        gauge.on_usage(164_831, None, Some("claude-opus-4-6"), None);
        gauge.on_compacted(None, None);
        assert_eq!(gauge.settled, None);
        assert!(gauge.awaiting_reply_after_compaction);
        gauge.on_usage(36_081, None, None, None);
        assert_eq!(gauge.total(), 36_081);
        assert_eq!(gauge.peak, 164_831);
        assert_eq!(gauge.compactions, 1);
        assert_eq!(gauge.window(&config), 200_000);
    }

    /// Claude Code 2.1.328 runs claude-opus-5-5 with a 1M window: before its
    /// status line arrives the table must already say so.
    #[test]
    fn current_models_have_their_window_and_unknown_ones_are_assumed() {
        let config = GaugeConfig::default();
        let mut gauge = Gauge::default();
        gauge.on_usage(41_203, None, Some("claude-opus-5-5"), None);
        assert_eq!(gauge.window(&config), 1_000_000);
        assert_eq!(gauge.window_source(&config), WindowSource::Table);
        gauge.model = Some("claude-novel-9".into());
        assert_eq!(gauge.window(&config), 200_000);
        assert_eq!(gauge.window_source(&config), WindowSource::Assumed);
        gauge.on_window_hint(500_000);
        assert_eq!(gauge.window(&config), 500_000);
        assert_eq!(gauge.window_source(&config), WindowSource::Reported);
    }

    #[test]
    fn over_200k_seen_means_the_1m_window() {
        let config = GaugeConfig::default();
        let mut gauge = Gauge::default();
        gauge.on_usage(250_000, None, Some("claude-sonnet-4-5-20250929"), None);
        assert_eq!(gauge.window(&config), 1_000_000);
        assert_eq!(gauge.zone(&config), Zone::Green);
    }

    #[test]
    fn zones_follow_the_40_percent_rule() {
        let config = GaugeConfig::default();
        let mut gauge = Gauge::default();
        for (tokens, zone) in [
            (79_999, Zone::Green),
            (80_000, Zone::Yellow),
            (120_000, Zone::Orange),
            (160_000, Zone::Red),
        ] {
            gauge.on_usage(tokens, None, Some("claude-opus-4-6"), None);
            gauge.peak = tokens;
            assert_eq!(gauge.zone(&config), zone, "{tokens}");
        }
    }
}
