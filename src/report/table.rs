//! Rows out of merged sessions, and the two ways to print them.

use std::io::{self, Write};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::merge::SessionAcc;
use super::rows::{Report, SessionRow, Tokens};
use crate::agents::AgentKind;
use crate::config::GaugeConfig;
use crate::text::{escape_control, thousands};

pub(super) fn row(acc: SessionAcc, gauge: &GaugeConfig) -> SessionRow {
    let agent = acc.agent.unwrap_or(AgentKind::Claude);
    let context = acc.context.unwrap_or_default();
    let context_window = context.window.or_else(|| {
        // The transcript does not say whether the 1M variant was on; a
        // context larger than the table's window says it was.
        let table = gauge.window_for(acc.model.as_deref());
        let seen = context.peak.max(context.tokens.unwrap_or(0));
        Some(if seen > table && table < gauge.large_window {
            gauge.large_window
        } else {
            table
        })
    });
    SessionRow {
        session_id: acc.session_id,
        agent,
        project: acc.cwd.unwrap_or(acc.project_key),
        model: acc.model,
        first_seen: acc.first_ms.and_then(iso),
        last_seen: acc.last_ms.and_then(iso),
        tokens: acc.tokens,
        context_tokens: context.tokens,
        context_window,
        tool_calls: acc.tool_calls,
        malformed_lines: acc.malformed,
        last_ms: acc.last_ms,
    }
}

fn iso(ms: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()?
        .format(&Rfc3339)
        .ok()
}

pub fn print_json(report: &Report, out: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    writeln!(out)
}

pub fn print_table(report: &Report, out: &mut impl Write) -> io::Result<()> {
    let header = [
        "agent",
        "session",
        "project",
        "model",
        "last seen",
        "input",
        "output",
        "cache w",
        "cache r",
        "context",
        "tools",
        "bad",
    ];
    let mut rows: Vec<[String; 12]> = Vec::with_capacity(report.sessions.len() + 1);
    for s in &report.sessions {
        rows.push([
            s.agent.to_string(),
            s.session_id.chars().take(8).collect(),
            last_part(&s.project),
            s.model.clone().unwrap_or_else(|| "-".into()),
            s.last_seen.as_deref().map_or("-".into(), |t| {
                t.chars().take(16).collect::<String>().replace('T', " ")
            }),
            figure(&s.tokens, s.tokens.input),
            figure(&s.tokens, s.tokens.output),
            figure(&s.tokens, s.tokens.cache_creation),
            figure(&s.tokens, s.tokens.cache_read),
            context(s),
            s.tool_calls.to_string(),
            s.malformed_lines.to_string(),
        ]);
    }
    let t = &report.totals;
    rows.push([
        "total".into(),
        format!("{} sessions", t.sessions),
        format!("{} files", t.files),
        format!("{:.1} MB", t.bytes as f64 / 1e6),
        String::new(),
        figure(&t.tokens, t.tokens.input),
        figure(&t.tokens, t.tokens.output),
        figure(&t.tokens, t.tokens.cache_creation),
        figure(&t.tokens, t.tokens.cache_read),
        String::new(),
        t.tool_calls.to_string(),
        t.malformed_lines.to_string(),
    ]);
    // Session ids, paths and models come from transcripts: never raw to the terminal.
    for r in &mut rows {
        for cell in r.iter_mut() {
            *cell = escape_control(cell);
        }
    }
    let mut widths = header.map(str::len);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    // Text columns flush left, numbers flush right.
    let numeric = |i: usize| i >= 5;
    let line = |cells: &[&str]| -> String {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            if numeric(i) {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                s.push_str(&" ".repeat(pad));
            }
        }
        s.trim_end().to_string()
    };
    writeln!(out, "{}", line(&header))?;
    let (body, total) = rows.split_at(rows.len() - 1);
    for r in body {
        writeln!(out, "{}", line(&r.each_ref().map(String::as_str)))?;
    }
    let rule: usize = widths.iter().sum::<usize>() + 2 * (widths.len() - 1);
    writeln!(out, "{}", "-".repeat(rule))?;
    writeln!(out, "{}", line(&total[0].each_ref().map(String::as_str)))?;
    if t.tokens.saturated {
        writeln!(
            out,
            "≥ saturated: a sum reached the largest figure the report can hold; the true total is larger"
        )?;
    }
    Ok(())
}

/// A token figure; a sum that saturated is marked `≥` (it is a floor).
fn figure(tokens: &Tokens, value: u64) -> String {
    if tokens.saturated && value == u64::MAX {
        format!("≥{}", thousands(value))
    } else {
        thousands(value)
    }
}

fn context(s: &SessionRow) -> String {
    match (s.context_tokens, s.context_window) {
        (Some(t), Some(w)) if w > 0 => {
            let percent = u128::from(t) * 100 / u128::from(w);
            format!("{} / {} ({percent}%)", thousands(t), thousands(w))
        }
        (Some(t), _) => thousands(t),
        (None, _) => "-".into(),
    }
}

fn last_part(path: &str) -> String {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(path)
        .to_string()
}
