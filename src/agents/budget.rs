//! How much transcript the readers may have read that the app has not yet
//! applied. Reading is faster than the update (the detectors read every
//! test output), so without a bound a long history piles up in the channel
//! between them; with it, a reader waits until the app has applied what it
//! sent, and memory stays bounded whatever the file's size.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

pub struct Budget {
    cap: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

impl Budget {
    pub fn new(cap: u64) -> Arc<Self> {
        Arc::new(Self {
            cap,
            used: Mutex::new(0),
            freed: Condvar::new(),
        })
    }

    /// Waits until `bytes` fit, or until nothing is in flight (a read larger
    /// than the whole budget still goes, alone). `None` once `stop` is set.
    pub fn take(self: &Arc<Self>, bytes: u64, stop: &AtomicBool) -> Option<Permit> {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if stop.load(Ordering::SeqCst) {
                return None;
            }
            if *used == 0 || *used + bytes <= self.cap {
                *used += bytes;
                return Some(Permit {
                    budget: Arc::clone(self),
                    bytes,
                });
            }
            used = self
                .freed
                .wait(used)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Wakes every waiting reader to look at its stop flag (set it first).
    pub fn interrupt(&self) {
        let _held = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        self.freed.notify_all();
    }

    /// Bytes read and not yet applied.
    pub fn in_flight(&self) -> u64 {
        *self.used.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, from: u64, to: u64) {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        *used = (*used - from) + to;
        if to < from {
            self.freed.notify_all();
        }
    }
}

/// A share of the budget, given back when dropped: a batch carries it to
/// the app, which drops it once the batch is applied.
pub struct Permit {
    budget: Arc<Budget>,
    bytes: u64,
}

impl Permit {
    /// The bytes actually read: fewer than taken (a short append), or more
    /// (the slice's last line ran past it).
    pub fn resize(&mut self, bytes: u64) {
        self.budget.set(self.bytes, bytes);
        self.bytes = bytes;
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.budget.set(self.bytes, 0);
    }
}

impl std::fmt::Debug for Permit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Permit({} bytes)", self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_reader_waits_until_the_app_gives_bytes_back() {
        let budget = Budget::new(10);
        let stop = Arc::new(AtomicBool::new(false));
        let first = budget.take(6, &stop).unwrap();
        let waiting = std::thread::spawn({
            let (budget, stop) = (Arc::clone(&budget), Arc::clone(&stop));
            move || budget.take(6, &stop).map(|p| p.bytes)
        });
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiting.is_finished(), "12 bytes do not fit in 10");
        drop(first);
        assert_eq!(waiting.join().unwrap(), Some(6));
        assert_eq!(budget.in_flight(), 0);
    }

    #[test]
    fn a_read_larger_than_the_budget_goes_alone_and_resizing_frees() {
        let budget = Budget::new(10);
        let stop = AtomicBool::new(false);
        let mut big = budget.take(25, &stop).unwrap();
        assert_eq!(budget.in_flight(), 25);
        big.resize(3);
        assert_eq!(budget.in_flight(), 3);
        let small = budget.take(7, &stop).unwrap();
        assert_eq!(budget.in_flight(), 10);
        drop((big, small));
        assert_eq!(budget.in_flight(), 0);
    }

    #[test]
    fn stopping_ends_a_wait() {
        let budget = Budget::new(10);
        let stop = Arc::new(AtomicBool::new(false));
        let _held = budget.take(10, &stop).unwrap();
        let waiting = std::thread::spawn({
            let (budget, stop) = (Arc::clone(&budget), Arc::clone(&stop));
            move || budget.take(1, &stop).is_none()
        });
        std::thread::sleep(Duration::from_millis(50));
        stop.store(true, Ordering::SeqCst);
        budget.interrupt();
        assert!(waiting.join().unwrap());
    }
}
