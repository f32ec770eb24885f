//! Plain-text views of stored sessions for the CLI (no terminal UI).

use std::fmt::Write as _;

use crate::clock;
use crate::text::{compact_count, duration, one_line, zone_duration};

use super::SessionSummary;
use super::schema::{ApprovalDecision, Decider, Decision, SessionRecord, ZoneSeconds};

/// The `cockpit sessions` table, newest first; `*` marks unfinished ones.
pub fn sessions_table(sessions: &[SessionSummary]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {:<16} {:>8} {:<20} {:>13} {:>6} {:>5} {:>6} {:<14} {:<8} HANDOFF",
        "DATE", "DURATION", "AGENT", "PEAK", "TOOLS", "APPR", "ALERTS", "AUTHOR", "ID"
    );
    for s in sessions {
        let mark = if s.finished { ' ' } else { '*' };
        // The model names the agent; the kind is the fallback.
        let agent = match (&s.model, s.agent) {
            (Some(model), _) => model.clone(),
            (None, Some(kind)) => kind_name(kind).to_string(),
            (None, None) => "-".into(),
        };
        let peak = if s.window > 0 {
            format!(
                "{}/{}",
                compact_count(s.peak_tokens),
                compact_count(s.window)
            )
        } else {
            compact_count(s.peak_tokens)
        };
        let mut author = s.author.clone().unwrap_or_else(|| "-".into());
        if let Some(remote) = &s.remote {
            author = format!("{author}@{remote}");
        }
        let _ = writeln!(
            out,
            "{mark} {:<16} {:>8} {:<20} {:>13} {:>6} {:>5} {:>6} {:<14} {:<8} {}",
            clock::date_time(s.started_at),
            duration(s.duration_ms()),
            one_line(&agent, 20),
            peak,
            s.tool_calls,
            s.approvals,
            s.alerts,
            one_line(&author, 14),
            s.id.chars().take(8).collect::<String>(),
            one_line(&s.handoff_line, 60),
        );
    }
    out
}

fn kind_name(kind: crate::agents::AgentKind) -> &'static str {
    match kind {
        crate::agents::AgentKind::Claude => "claude",
        crate::agents::AgentKind::Codex => "codex",
    }
}

/// `cockpit show`: one record, every section that has something in it.
pub fn record(record: &SessionRecord) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "session   {}", record.id);
    let _ = writeln!(
        w,
        "project   {} ({})",
        record.project,
        record.branch.as_deref().unwrap_or("no branch")
    );
    if let Some(author) = &record.author {
        let _ = writeln!(w, "author    {} <{}>", author.name, author.email);
    }
    let end = record.ended_at.unwrap_or(record.last_saved_at);
    let state = if record.finished {
        "finished"
    } else {
        "unfinished (last save)"
    };
    let _ = writeln!(
        w,
        "time      {} to {}, {} ({state})",
        clock::date_time(record.started_at),
        clock::date_time(end),
        duration(end - record.started_at)
    );
    let _ = writeln!(w, "\nagents");
    for agent in &record.agents {
        let kind = record
            .transcript_of(agent)
            .map_or("?", |t| kind_name(t.kind));
        let _ = writeln!(
            w,
            "  {kind} {} {}: {}/{} tokens, peak {}, {} compaction(s), {} tool calls ({} failed)",
            agent.agent_session_id.as_deref().unwrap_or("-"),
            agent.model.as_deref().unwrap_or("-"),
            compact_count(agent.context_tokens),
            compact_count(agent.window),
            compact_count(agent.peak_tokens),
            agent.compactions,
            agent.tool_calls,
            agent.failed_calls,
        );
        let _ = writeln!(w, "    zones: {}", zones(&agent.zone_seconds));
        let asked: Vec<_> = record
            .approvals
            .iter()
            .filter(|a| a.transcript.as_deref() == Some(agent.transcript.as_str()))
            .collect();
        if !asked.is_empty() {
            let count = |d: Decision| asked.iter().filter(|a| a.decision == d).count();
            let _ = writeln!(
                w,
                "    approvals: {} ({} allowed, {} denied, {} handed back, {} open)",
                asked.len(),
                count(Decision::Allow),
                count(Decision::Deny),
                count(Decision::HandedBack),
                count(Decision::Pending),
            );
        }
        let _ = writeln!(w, "    {}", agent.transcript);
        if let Some(prompt) = &agent.last_prompt {
            let _ = writeln!(w, "    last prompt: {}", one_line(prompt, 100));
        }
    }
    // The history is one agent's: it says whose, and its figures are its own.
    let gauge = &record.gauge;
    let followed = record
        .agents
        .iter()
        .find(|a| gauge.transcript.as_deref() == Some(a.transcript.as_str()))
        .and_then(|a| a.agent_session_id.as_deref())
        .unwrap_or("-");
    let _ = writeln!(
        w,
        "\ngauge     {} samples of {followed}, peak {}, {} compaction(s)",
        gauge.samples.len(),
        compact_count(gauge.peak.map_or(0, |p| p.tokens)),
        gauge.compactions.len(),
    );
    let _ = writeln!(
        w,
        "zones     {} (all agents, transcript time)",
        zones(&record.counters.zone_seconds)
    );
    let _ = writeln!(
        w,
        "tools     {} calls, {} failed (all agents)",
        record.counters.tool_calls, record.counters.failed_calls
    );
    list(
        w,
        "alerts",
        record.alerts.iter().map(|a| {
            let ack = if a.acknowledged {
                " (acknowledged)"
            } else {
                ""
            };
            format!(
                "{} {}{}: {}{ack}",
                clock::date_time(a.at),
                a.name,
                whose(record, a.transcript.as_deref()),
                one_line(&a.message, 100)
            )
        }),
    );
    list(
        w,
        "approvals",
        record.approvals.iter().map(|a| {
            let who = match &a.decider {
                Decider::Policy { rule } => format!("rule {rule}"),
                Decider::Human => "human".into(),
                Decider::Agent => "the agent".into(),
                Decider::Hook => "the hook".into(),
            };
            // How it ended when neither the human nor a rule ended it.
            let how = match (&a.decider, &a.reason) {
                (Decider::Agent | Decider::Hook, Some(reason)) => {
                    format!(": {}", one_line(reason, 160))
                }
                _ => String::new(),
            };
            let decision = match a.decision {
                Decision::HandedBack => "Handed back".to_string(),
                other => format!("{other:?}"),
            };
            format!(
                "{decision} {} {} by {who}{}{how}",
                a.tool,
                one_line(&a.input_summary, 80),
                approval_whose(record, a),
            )
        }),
    );
    list(
        w,
        "validation",
        record
            .validations
            .iter()
            .map(|v| format!("{} {}", if v.ok { "ok  " } else { "FAIL" }, v.command)),
    );
    list(w, "files changed", record.files_changed.iter().cloned());
    list(
        w,
        "commits",
        record
            .commits
            .iter()
            .map(|c| format!("{:.10} {}", c.id, one_line(&c.summary, 80))),
    );
    list(
        w,
        "notes",
        record.notes.iter().map(|n| one_line(&n.text, 120)),
    );
    list(
        w,
        "learnings",
        record.learnings.iter().map(|l| one_line(l, 120)),
    );
    if !record.handoff.trim().is_empty() {
        let _ = writeln!(w, "\nhandoff\n{}", record.handoff.trim());
    }
    out
}

/// ` (codex 019a2d7a)`: the agent an alert is about, as its line above
/// names it; nothing for the working tree's or an older record's.
fn whose(record: &SessionRecord, transcript: Option<&str>) -> String {
    let Some(agent) = transcript.and_then(|t| record.agent_at(t)) else {
        return String::new();
    };
    let transcript = record.transcript_of(agent);
    let kind = transcript.map_or("?", |t| kind_name(t.kind));
    let id: String = agent
        .agent_session_id
        .as_deref()
        .unwrap_or("-")
        .chars()
        .take(8)
        .collect();
    match transcript.and_then(|t| t.subagent_id.as_deref()) {
        Some(sub) => format!(" ({kind} {id} subagent {sub})"),
        None => format!(" ({kind} {id})"),
    }
}

/// The agent session an approval's request named, as [`whose`] names
/// it; one the cockpit did not follow is named by its id.
fn approval_whose(record: &SessionRecord, approval: &ApprovalDecision) -> String {
    let followed = whose(record, approval.transcript.as_deref());
    if !followed.is_empty() {
        return followed;
    }
    match (&approval.agent_session_id, approval.agent) {
        (Some(id), agent) => {
            let kind = agent.map_or("?", kind_name);
            let id: String = id.chars().take(8).collect();
            format!(" ({kind} {id}, not followed)")
        }
        _ => String::new(),
    }
}

/// Time in each zone, written as the stats view writes it.
fn zones(seconds: &ZoneSeconds) -> String {
    let time = seconds.as_time();
    format!(
        "green {}, yellow {}, orange {}, red {}",
        zone_duration(time.green),
        zone_duration(time.yellow),
        zone_duration(time.orange),
        zone_duration(time.red)
    )
}

fn list(out: &mut String, title: &str, items: impl Iterator<Item = String>) {
    let items: Vec<String> = items.collect();
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}");
    for item in items {
        let _ = writeln!(out, "  {item}");
    }
}
