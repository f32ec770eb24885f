//! Feeding the gauge history and the zone clock while the cockpit runs.
//!
//! The app records a sample whenever the gauge changes; a long session gives
//! tens of thousands. The history keeps at most [`MAX_SAMPLES`]: when full,
//! neighbouring samples are merged pairwise keeping the higher one, because
//! the question a reader asks of a context history is "how high did it get,
//! and when". Drops are not lost: compactions are listed on their own, and
//! the peak is kept exactly.

use crate::clock::Millis;
use crate::state::gauge::Zone;

use super::schema::{Compaction, GaugeHistory, GaugeSample, ZoneSeconds};

/// Upper bound on kept samples (a few kilobytes of JSON).
pub const MAX_SAMPLES: usize = 512;

use crate::state::zone_time::MAX_ZONE_STEP_MS;

impl GaugeHistory {
    /// Adds a reading. Repeats of the last reading are skipped and out-of-order
    /// times are clamped so samples stay sorted.
    pub fn record(&mut self, at_ms: Millis, tokens: u64, window: u64) {
        let at = self.samples.last().map_or(at_ms, |last| at_ms.max(last.at));
        let sample = GaugeSample { at, tokens, window };
        if self.peak.is_none_or(|p| tokens > p.tokens) {
            self.peak = Some(sample);
        }
        if let Some(last) = self.samples.last()
            && last.tokens == tokens
            && last.window == window
        {
            return;
        }
        if self.samples.len() >= MAX_SAMPLES {
            self.thin();
        }
        self.samples.push(sample);
    }

    /// Notes a compaction, with the context size just before it.
    pub fn record_compaction(&mut self, at_ms: Millis, tokens_before: u64) {
        self.compactions.push(Compaction {
            at: at_ms,
            tokens_before,
        });
    }

    /// Halves the samples: each pair becomes its higher member; the newest
    /// sample always survives so the history ends where the gauge is.
    fn thin(&mut self) {
        let newest = self.samples.pop();
        let merged: Vec<GaugeSample> = self
            .samples
            .chunks(2)
            .map(|pair| {
                *pair
                    .iter()
                    .max_by_key(|s| s.tokens)
                    .expect("chunks are never empty")
            })
            .collect();
        self.samples = merged;
        self.samples.extend(newest);
    }
}

/// Counts the seconds spent in each zone between observations.
#[derive(Debug, Clone, Default)]
pub struct ZoneClock {
    pub seconds: ZoneSeconds,
    last: Option<(Millis, Zone)>,
}

impl ZoneClock {
    pub fn new(seconds: ZoneSeconds) -> Self {
        Self {
            seconds,
            last: None,
        }
    }

    /// The gauge is in `zone` at `now`: the time since the previous
    /// observation is credited to the zone observed then.
    pub fn observe(&mut self, now: Millis, zone: Zone) {
        if let Some((then, was)) = self.last {
            let step = (now - then).clamp(0, MAX_ZONE_STEP_MS);
            let slot = match was {
                Zone::Green => &mut self.seconds.green,
                Zone::Yellow => &mut self.seconds.yellow,
                Zone::Orange => &mut self.seconds.orange,
                Zone::Red => &mut self.seconds.red,
            };
            *slot += step as f64 / 1000.0;
        }
        self.last = Some((now, zone));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_thousand_readings_stay_small_and_keep_the_peak() {
        let mut history = GaugeHistory::default();
        for i in 0..10_000u64 {
            // A sawtooth: climbs to 150k, compacts, climbs again.
            let tokens = 20_000 + (i % 2_500) * 52;
            history.record(i as Millis * 1_000, tokens, 200_000);
        }
        history.record(10_000_000, 171_717, 200_000);
        history.record(10_001_000, 30_000, 200_000);
        assert!(history.samples.len() <= MAX_SAMPLES);
        assert!(history.samples.len() > MAX_SAMPLES / 4);
        assert_eq!(history.peak.map(|p| p.tokens), Some(171_717));
        assert_eq!(history.samples.last().map(|s| s.tokens), Some(30_000));
        assert!(history.samples.windows(2).all(|w| w[0].at <= w[1].at));
    }

    #[test]
    fn repeats_are_skipped() {
        let mut history = GaugeHistory::default();
        history.record(1, 5, 10);
        history.record(2, 5, 10);
        history.record(3, 6, 10);
        assert_eq!(history.samples.len(), 2);
    }

    #[test]
    fn zone_time_goes_to_the_zone_it_was_in() {
        let mut clock = ZoneClock::default();
        clock.observe(0, Zone::Green);
        clock.observe(3_000, Zone::Red);
        clock.observe(4_500, Zone::Red);
        clock.observe(10_000_000, Zone::Green); // a long gap is capped
        assert_eq!(clock.seconds.green, 3.0);
        assert_eq!(clock.seconds.red, 1.5 + 300.0);
    }
}
