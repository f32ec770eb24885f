//! When the screen would change with no event: a running call's duration,
//! the header's elapsed time, the approval prompt arming, a detector's deadline,
//! a passing notice's end, another try at the approval socket.

use std::time::Duration;

use tokio::time::Instant;

use crate::clock::now_millis;
use crate::state::tools::ToolStatus;

use super::App;

impl App {
    /// When the screen would change by itself: every second while a call runs
    /// (its duration counts up), every minute while the session is active (the
    /// header's elapsed time), at a detector's deadline (a deadlock due), else never.
    pub(super) fn next_tick(&self) -> Option<Instant> {
        let now = now_millis();
        let front = self.state.approvals.pending.front().map(|p| p.id.as_str());
        let guard = self.state.approvals.guard.next_due(front, now);
        let guard =
            guard.map(|at| Instant::now() + Duration::from_millis((at - now).max(1) as u64));
        let session = self.next_session_tick(now);
        let deadline = self.detect_deadline(now);
        // A passing notice's end; the next try at the approval socket.
        let words = (self.state.notice_due().into_iter())
            .chain(self.socket.as_ref().and_then(|s| s.retry_at()))
            .map(|at| Instant::now() + Duration::from_millis((at - now).max(1) as u64));
        guard
            .into_iter()
            .chain(session)
            .chain(deadline)
            .chain(words)
            .min()
    }

    fn next_session_tick(&self, now: crate::clock::Millis) -> Option<Instant> {
        let session = self.state.current()?;
        let running = session
            .tools
            .calls()
            .iter()
            .rev()
            .take(200)
            .any(|c| c.status == ToolStatus::Running);
        let wait_ms = if running {
            1_000 - now.rem_euclid(1_000)
        } else {
            let last = session.last_seen?;
            // Active: the minute display ticks. Idle past 5 minutes: the
            // header shows a fixed "idle" figure after one last change.
            let idle_for = now - last;
            if idle_for > 6 * 60_000 {
                return None;
            }
            60_000 - (now - session.first_seen.unwrap_or(now)).rem_euclid(60_000)
        };
        Some(Instant::now() + Duration::from_millis(wait_ms.max(1) as u64))
    }
}
