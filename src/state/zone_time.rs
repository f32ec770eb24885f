//! Time in each zone of the gauge, in transcript time.

use super::gauge::Zone;

/// Gaps longer than this between two observations (a suspended laptop) are
/// not counted as time in a zone (by the state and the saved record alike).
pub(crate) const MAX_ZONE_STEP_MS: i64 = 5 * 60 * 1000;

/// Milliseconds spent in each gauge zone, in transcript time: the time
/// between two consecutive readings goes to the zone of the earlier one, so
/// a replay of the same transcript always gives the same figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ZoneTime {
    pub green: i64,
    pub yellow: i64,
    pub orange: i64,
    pub red: i64,
}

impl ZoneTime {
    pub fn get(&self, zone: Zone) -> i64 {
        match zone {
            Zone::Green => self.green,
            Zone::Yellow => self.yellow,
            Zone::Orange => self.orange,
            Zone::Red => self.red,
        }
    }

    pub fn add(&mut self, zone: Zone, ms: i64) {
        let slot = match zone {
            Zone::Green => &mut self.green,
            Zone::Yellow => &mut self.yellow,
            Zone::Orange => &mut self.orange,
            Zone::Red => &mut self.red,
        };
        *slot += ms;
    }

    pub fn total(&self) -> i64 {
        self.green + self.yellow + self.orange + self.red
    }

    pub fn sum(&self, other: &ZoneTime) -> ZoneTime {
        ZoneTime {
            green: self.green + other.green,
            yellow: self.yellow + other.yellow,
            orange: self.orange + other.orange,
            red: self.red + other.red,
        }
    }
}
