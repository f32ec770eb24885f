//! Wall-clock time: the one timestamp type, now, and formatting in the
//! user's local time.
//!
//! The local offset can only be read safely while the process has one thread,
//! so `main` calls [`init_local_offset`] before anything else starts.

use std::sync::OnceLock;

use time::{OffsetDateTime, UtcOffset};

/// Milliseconds since the Unix epoch (transcripts, saves, git commits).
pub type Millis = i64;

pub fn now_millis() -> Millis {
    i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}

static LOCAL_OFFSET: OnceLock<UtcOffset> = OnceLock::new();

pub fn init_local_offset() {
    let offset = UtcOffset::current_local_offset().unwrap_or(UtcOffset::UTC);
    let _ = LOCAL_OFFSET.set(offset);
}

fn offset() -> UtcOffset {
    LOCAL_OFFSET.get().copied().unwrap_or(UtcOffset::UTC)
}

/// `14:03:27` in local time.
pub fn time_of_day(at: Millis) -> String {
    let Ok(when) = OffsetDateTime::from_unix_timestamp_nanos(i128::from(at) * 1_000_000) else {
        return "--:--:--".into();
    };
    let local = when.to_offset(offset());
    format!(
        "{:02}:{:02}:{:02}",
        local.hour(),
        local.minute(),
        local.second()
    )
}

/// `2026-02-12 14:03` in local time.
pub fn date_time(at: Millis) -> String {
    let Ok(when) = OffsetDateTime::from_unix_timestamp_nanos(i128::from(at) * 1_000_000) else {
        return "?".into();
    };
    let local = when.to_offset(offset());
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute()
    )
}
