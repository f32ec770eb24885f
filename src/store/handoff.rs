//! The handoff: a short summary of a session for whoever (or whichever
//! fresh agent) picks the work up. Kept short on purpose: pasted into a new
//! session it should cost a few hundred tokens, leaving the context far
//! under the 40% line.

use std::fmt::Write as _;

use crate::config::GaugeConfig;

use super::schema::{Decider, SessionRecord};

pub use crate::state::learning_search::PastLearning;

/// Caps that keep the handoff short whatever the session did.
const PROMPT_CHARS: usize = 400;
const LIST_ITEMS: usize = 10;

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
    if let Some(prompt) = last_prompt(record) {
        let _ = writeln!(
            out,
            "## What was being done\n{}\n",
            clip(prompt, PROMPT_CHARS)
        );
    }
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
        let _ = writeln!(
            out,
            "{} tool calls, {} failed.\n",
            record.counters.tool_calls, record.counters.failed_calls
        );
    }
    let open: Vec<String> = record
        .open_approvals()
        .map(|a| {
            let who = match &a.decider {
                Decider::Policy { rule } => format!(" (rule {rule})"),
                Decider::Human => String::new(),
            };
            format!("{}: {}{who}", a.tool, clip(&a.input_summary, 120))
        })
        .collect();
    section(&mut out, "Open approvals", &open);
    let failing: Vec<String> = record
        .validations
        .iter()
        .filter(|v| !v.ok)
        .map(|v| match &v.summary {
            Some(why) => format!("`{}`: {}", v.command, clip(why, 160)),
            None => format!("`{}`", v.command),
        })
        .collect();
    section(&mut out, "Failing validation", &failing);
    let alerts: Vec<String> = record
        .alerts
        .iter()
        .filter(|a| !a.acknowledged)
        .map(|a| match &a.factor {
            Some(factor) => format!("{} (factor {factor}): {}", a.name, clip(&a.message, 160)),
            None => format!("{}: {}", a.name, clip(&a.message, 160)),
        })
        .collect();
    section(&mut out, "Alerts", &alerts);
    section(&mut out, "Files changed", &record.files_changed);
    let learned: Vec<String> = record.learnings.iter().map(|l| clip(l, 200)).collect();
    section(&mut out, "Learned", &learned);
    out.trim_end().to_string() + "\n"
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
            "Learned in earlier sessions (newest last)",
            &earlier,
        );
        text = text.trim_end().to_string() + "\n";
    }
    text
}

/// A `## title` list, skipped when empty; long lists keep their newest items.
fn section(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "## {title}");
    let skip = items.len().saturating_sub(LIST_ITEMS);
    if skip > 0 {
        let _ = writeln!(out, "- ({skip} earlier not shown)");
    }
    for item in &items[skip..] {
        let _ = writeln!(out, "- {}", item.replace('\n', " "));
    }
    out.push('\n');
}

fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}
