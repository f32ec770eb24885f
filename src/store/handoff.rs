//! The handoff: a short summary of a session for whoever (or whichever
//! fresh agent) picks the work up. Kept short on purpose: pasted into a new
//! session it should cost a few hundred tokens, leaving the context far
//! under the 40% line.

use std::fmt::Write as _;

use crate::config::GaugeConfig;

use super::handoff_work::{LIST_ITEMS, clip, open_approval, section};
use super::schema::{Agent, SessionRecord, TranscriptRole};

pub use crate::state::learning_search::PastLearning;

/// One line for listings: the hand-written summary's first line, else what
/// the human last asked the agent.
pub fn first_line(record: &SessionRecord) -> String {
    let written = record
        .handoff
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty());
    let line = match written {
        Some(line) => line.to_string(),
        None => match last_prompt(record) {
            Some(prompt) => format!("was: {}", prompt.lines().next().unwrap_or_default()),
            None => String::new(),
        },
    };
    clip(&line, 100)
}

fn last_prompt(record: &SessionRecord) -> Option<&str> {
    record
        .main_agent()
        .and_then(|a| a.last_prompt.as_deref())
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

/// `handoff.md`, stored beside each record.
pub fn markdown(record: &SessionRecord) -> String {
    let mut out = String::new();
    let short: String = record.id.chars().take(8).collect();
    let branch = record.branch.as_deref().unwrap_or("no branch");
    let _ = writeln!(
        out,
        "# Handoff: {} ({branch}), cockpit session {short}\n",
        record.project
    );
    if !record.handoff.trim().is_empty() {
        let _ = writeln!(out, "{}\n", record.handoff.trim());
    }
    super::handoff_work::done(&mut out, record);
    if let Some(agent) = record.main_agent().filter(|a| a.window > 0) {
        let percent = agent.context_tokens as f64 * 100.0 / agent.window.max(1) as f64;
        let zone = GaugeConfig::default().zone_of(percent).label();
        let model = agent.model.as_deref().unwrap_or("unknown model");
        // Every figure says what it is: the gauge's reported part and its estimate differ.
        let estimated = agent.estimated_tokens.min(agent.context_tokens);
        let parts = if estimated > 0 {
            format!(
                ": {} reported by the agent + {estimated} estimated since its last reply",
                agent.context_tokens - estimated
            )
        } else {
            ", as the agent reported it".to_string()
        };
        let _ = writeln!(
            out,
            "## Context\n{} of {} tokens in the context window{parts} ({percent:.0}%, {zone}) on {model}; peak {} reported, {} compaction(s).",
            agent.context_tokens,
            agent.window,
            record.peak_tokens(),
            agent.compactions,
        );
        let (calls, failed) = record.main_session_calls();
        let _ = writeln!(out, "{calls} tool calls, {failed} failed.\n");
    }
    section(&mut out, "## Other agents followed", &other_agents(record));
    super::handoff_work::left(&mut out, record);
    let learned: Vec<String> = record.learnings.iter().map(|l| clip(l, 200)).collect();
    section(&mut out, "## Learned", &learned);
    out.trim_end().to_string() + "\n"
}

/// One line per other agent conversation followed, each with its own
/// figures (its main transcript's context, its and its subagents' calls).
fn other_agents(record: &SessionRecord) -> Vec<String> {
    let Some(main) = record.main_agent() else {
        return Vec::new();
    };
    let is_main_role = |a: &&Agent| {
        record
            .transcript_of(a)
            .is_none_or(|t| t.role == TranscriptRole::Main)
    };
    record
        .agents
        .iter()
        .filter(is_main_role)
        .filter(|a| !SessionRecord::same_session(main, a))
        .map(|agent| {
            let kind = record
                .transcript_of(agent)
                .map_or("agent", |t| t.kind.label());
            let (calls, failed) = record
                .agents
                .iter()
                .filter(|a| SessionRecord::same_session(agent, a))
                .fold((0, 0), |(c, f), a| (c + a.tool_calls, f + a.failed_calls));
            let open: Vec<String> = record
                .open_approvals()
                .filter(|a| record.approval_in(agent, a))
                .map(open_approval)
                .collect();
            let open = match open.is_empty() {
                true => String::new(),
                false => format!("; open approvals: {}", open.join("; ")),
            };
            format!(
                "{kind} {} on {}: {} of {} tokens, peak {}, {} compaction(s), {calls} tool calls, {failed} failed{open}",
                agent.agent_session_id.as_deref().unwrap_or("(no id)"),
                agent.model.as_deref().unwrap_or("unknown model"),
                agent.context_tokens,
                agent.window,
                agent.peak_tokens,
                agent.compactions,
            )
        })
        .collect()
}

/// The handoff as a prompt for a fresh agent session.
pub fn prompt(record: &SessionRecord) -> String {
    prompt_with_earlier(record, &[])
}

/// [`prompt`], with the learnings of the repository's other past sessions
/// (newest first, at most [`LIST_ITEMS`]) after the session's own.
pub fn prompt_with_earlier(record: &SessionRecord, earlier: &[PastLearning]) -> String {
    let mut text = format!(
        "You are continuing work another session started. Its handoff follows; \
         read the files it names before changing anything, and ask if unsure.\n\n{}",
        markdown(record)
    );
    let mut earlier: Vec<String> = earlier
        .iter()
        .filter(|l| l.session != record.id)
        .take(LIST_ITEMS)
        .map(|l| clip(&l.text, 200))
        .collect();
    earlier.reverse();
    if !earlier.is_empty() {
        text.push('\n');
        section(
            &mut text,
            "## Learned in earlier sessions (newest last)",
            &earlier,
        );
        text = text.trim_end().to_string() + "\n";
    }
    text
}
