//! Transcript timestamps (ISO-8601, UTC) to epoch milliseconds.

use crate::clock::Millis;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub fn parse_millis(text: &str) -> Option<Millis> {
    let parsed = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    i64::try_from(parsed.unix_timestamp_nanos() / 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_claude_and_codex_timestamps() {
        assert_eq!(parse_millis("1970-01-01T00:00:01.500Z"), Some(1500));
        assert_eq!(
            parse_millis("2026-02-12T16:02:25.284Z"),
            Some(1_770_912_145_284)
        );
        assert_eq!(parse_millis("yesterday"), None);
    }
}
