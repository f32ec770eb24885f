//! Ranges for every duration and count in the config, checked once on load:
//! a huge `autosave_secs` would otherwise overflow an `Instant` and panic
//! mid-run, and a zero capacity would make a panel that can hold nothing.

use super::settings::Config;

const DAY_SECS: u64 = 86_400;
const YEAR_SECS: u64 = 365 * DAY_SECS;

/// The first value out of its range, as `LINE: key `a.b`: why`.
pub fn check(config: &Config, text: &str) -> Result<(), String> {
    let s = &config.store;
    let a = &config.approvals;
    let f = &config.follow;
    let g = &config.gauge;
    let l = &config.loops;
    let d = &config.detect;
    let as_u64 = |v: usize| v as u64;
    let mut checks: Vec<(&str, &str, u64, u64, u64)> = vec![
        ("store", "autosave_secs", s.autosave_secs, 0, DAY_SECS),
        // Well under 40% of the smallest window: the handoff starts the
        // session, it must not fill it.
        (
            "store",
            "handoff_max_tokens",
            s.handoff_max_tokens,
            100,
            20_000,
        ),
        ("approvals", "timeout_secs", a.timeout_secs, 1, DAY_SECS),
        ("follow", "line_cap_mib", f.line_cap_mib, 1, 1024),
        ("follow", "recent_hours", f.recent_hours, 0, 24 * 365),
        ("follow", "codex_days", as_u64(f.codex_days), 0, 3650),
        (
            "follow",
            "feed_capacity",
            as_u64(f.feed_capacity),
            1,
            1_000_000,
        ),
        ("gauge", "default_window", g.default_window, 1, 1 << 40),
        ("gauge", "large_window", g.large_window, 1, 1 << 40),
        ("loops", "batch_ms", l.batch_ms, 1, 60_000),
        (
            "detect",
            "rereads_after_compaction",
            u64::from(d.rereads_after_compaction),
            1,
            1_000_000,
        ),
        (
            "detect",
            "same_failure_repeats",
            u64::from(d.same_failure_repeats),
            1,
            1_000_000,
        ),
        (
            "detect",
            "edits_per_file",
            u64::from(d.edits_per_file),
            1,
            1_000_000,
        ),
        (
            "detect",
            "edit_window_secs",
            d.edit_window_secs,
            1,
            YEAR_SECS,
        ),
        (
            "detect",
            "collision_window_secs",
            d.collision_window_secs,
            1,
            YEAR_SECS,
        ),
        (
            "detect",
            "deleted_files",
            d.deleted_files,
            1,
            u64::from(u32::MAX),
        ),
        (
            "detect",
            "deleted_lines",
            d.deleted_lines,
            1,
            u64::from(u32::MAX),
        ),
        (
            "detect",
            "max_file_lines",
            d.max_file_lines,
            1,
            u64::from(u32::MAX),
        ),
        (
            "detect",
            "max_added_block",
            d.max_added_block,
            1,
            u64::from(u32::MAX),
        ),
        // Under a minute is an agent thinking, not a deadlock.
        (
            "detect",
            "deadlock_quiet_secs",
            d.deadlock_quiet_secs,
            60,
            DAY_SECS,
        ),
        (
            "detect",
            "gridlock_window_secs",
            d.gridlock_window_secs,
            60,
            DAY_SECS,
        ),
        (
            "detect",
            "gridlock_wait_percent",
            d.gridlock_wait_percent,
            1,
            100,
        ),
        (
            "detect",
            "gridlock_min_requests",
            u64::from(d.gridlock_min_requests),
            1,
            1_000_000,
        ),
        // Once is no repetition.
        (
            "detect",
            "gridlock_same_answers",
            u64::from(d.gridlock_same_answers),
            2,
            1_000_000,
        ),
        (
            "detect",
            "drift_outside_files",
            u64::from(d.drift_outside_files),
            1,
            100_000,
        ),
        (
            "detect",
            "stewnami_failing_tests",
            u64::from(d.stewnami_failing_tests),
            1,
            100_000,
        ),
        (
            "detect",
            "bridge_grace_secs",
            d.bridge_grace_secs,
            0,
            DAY_SECS,
        ),
        // Each file is read on every search: more would stall the worker.
        ("detect", "bridge_max_files", d.bridge_max_files, 1, 200_000),
    ];
    for model in &g.models {
        checks.push(("gauge", "models.window", model.window, 1, 1 << 40));
    }
    for (table, key, value, min, max) in checks {
        if !(min..=max).contains(&value) {
            return Err(format!(
                "{}: key `{table}.{key}`: {value} is out of range, allowed {min} to {max}",
                line_of(text, table, key)
            ));
        }
    }
    Ok(())
}

/// The line of `key` inside `[table]`, else of the key anywhere, else 1.
fn line_of(text: &str, table: &str, key: &str) -> usize {
    let key = key.rsplit('.').next().unwrap_or(key);
    let is_key = |line: &str| {
        line.trim_start()
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
    };
    let mut in_table = false;
    let mut anywhere = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            let name = trimmed.trim_matches(|c| c == '[' || c == ']').trim();
            in_table = name == table || name.starts_with(&format!("{table}."));
        }
        if is_key(line) {
            if in_table {
                return i + 1;
            }
            anywhere.get_or_insert(i + 1);
        }
    }
    anywhere.unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use crate::config::parse;

    #[test]
    fn durations_and_counts_are_bounded() {
        let err = parse("[store]\nautosave_secs = 18446744073709551615\n").unwrap_err();
        assert_eq!(
            err,
            "2: key `store.autosave_secs`: 18446744073709551615 is out of range, allowed 0 to 86400"
        );
        let err = parse("[follow]\nfeed_capacity = 0\n").unwrap_err();
        assert!(
            err.starts_with("2: key `follow.feed_capacity`: 0 is out of range"),
            "{err}"
        );
        let err = parse("[approvals]\ntimeout_secs = 99999999999\n").unwrap_err();
        assert!(err.starts_with("2: key `approvals.timeout_secs`"), "{err}");
    }

    #[test]
    fn a_key_bound_to_two_actions_is_refused() {
        let err = parse("[keys]\napprove = [\"j\"]\n").unwrap_err();
        assert_eq!(
            err,
            "1: key `keys`: keys.approve and keys.down both use `j` in the approval prompt"
        );
    }
}
