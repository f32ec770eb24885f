//! The `report` subcommand: options from the command line, output to stdout,
//! warnings to stderr.

use std::io::{self, Write};
use std::path::Path;

use color_eyre::Result;
use color_eyre::eyre::eyre;
use time::macros::format_description;
use time::{Date, PrimitiveDateTime, Time};

use super::{Options, collect, print_json, print_table};
use crate::agents::AgentKind;
use crate::cli::{ReportAgent, ReportArgs};
use crate::config::GaugeConfig;

pub fn run(args: &ReportArgs, project: Option<&Path>, gauge: GaugeConfig) -> Result<()> {
    let since_ms = match args.since.as_deref() {
        Some(text) => Some(
            parse_day(text)
                .ok_or_else(|| eyre!("--since {text}: expected a day as YYYY-MM-DD or YYYYMMDD"))?,
        ),
        None => None,
    };
    let options = Options {
        project: project.map(Path::to_path_buf),
        since_ms,
        agent: args.agent.map(|a| match a {
            ReportAgent::Claude => AgentKind::Claude,
            ReportAgent::Codex => AgentKind::Codex,
        }),
        workers: args.workers,
        gauge,
        ..Options::from_env()
    };
    let mut report = collect(&options);
    // Claude's transcripts do not say the window; its status line did.
    let known = crate::known_windows::KnownWindows::load(
        &crate::known_windows::KnownWindows::default_path(),
    );
    for row in &mut report.sessions {
        if row.agent == AgentKind::Claude
            && let Some(window) = known.get(&row.session_id)
        {
            row.context_window = Some(window);
        }
    }
    for warning in &report.warnings {
        eprintln!("cockpit report: warning: cannot read {warning}");
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = if args.json {
        print_json(&report, &mut out)
    } else {
        print_table(&report, &mut out)
    }
    .and_then(|()| out.flush());
    match written {
        // `cockpit report | head` is fine.
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Midnight UTC of `YYYY-MM-DD` or `YYYYMMDD`, in epoch milliseconds.
pub fn parse_day(text: &str) -> Option<i64> {
    let dashed = format_description!("[year]-[month]-[day]");
    let compact = format_description!("[year][month][day]");
    let date = Date::parse(text, dashed)
        .or_else(|_| Date::parse(text, compact))
        .ok()?;
    let at = PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc();
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_both_spellings() {
        assert_eq!(parse_day("1970-01-02"), Some(86_400_000));
        assert_eq!(parse_day("19700102"), Some(86_400_000));
        assert_eq!(parse_day("yesterday"), None);
    }
}
