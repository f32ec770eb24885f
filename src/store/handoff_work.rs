//! The handoff's two lists: what was done (what the human asked, the files
//! the agents edited and the repository's changed ones, commits, the last
//! run of each validation) and what is left (the last request if it was not
//! seen finished, failing validation, open approvals, alerts). Only what the
//! record holds; a list with nothing in it is left out.

use std::fmt::Write as _;

use super::schema::{Agent, ApprovalDecision, Decider, SessionRecord, Validation};

/// Caps that keep the handoff short whatever the session did.
pub(super) const LIST_ITEMS: usize = 10;
const FIRST_PROMPT_CHARS: usize = 400;
const PROMPT_CHARS: usize = 200;

/// `## What was done`, with its lists as `###` sections.
pub fn done(out: &mut String, record: &SessionRecord) {
    let mut body = String::new();
    section(
        &mut body,
        "### Asked (first, then the latest)",
        &asked(record),
    );
    section(&mut body, "### Files edited by the agents", &edited(record));
    section(
        &mut body,
        "### Files changed in the repository",
        &record.files_changed,
    );
    let commits: Vec<String> = record
        .commits
        .iter()
        .map(|c| {
            let short: String = c.id.chars().take(7).collect();
            format!("{short} {}", clip(&c.summary, 120))
        })
        .collect();
    section(&mut body, "### Commits made", &commits);
    let runs: Vec<String> = last_runs(record)
        .into_iter()
        .map(|v| {
            let word = if v.ok { "passed" } else { "failed" };
            match &v.summary {
                Some(counts) => format!("`{}`: {word} ({})", v.command, clip(counts, 160)),
                None => format!("`{}`: {word}", v.command),
            }
        })
        .collect();
    section(&mut body, "### Validation (the last run of each)", &runs);
    if !body.is_empty() {
        let _ = write!(out, "## What was done\n\n{body}");
    }
}

/// `## What is left`, with its lists as `###` sections.
pub fn left(out: &mut String, record: &SessionRecord) {
    let mut body = String::new();
    let unfinished = record
        .main_agent()
        .filter(|a| !a.last_prompt_answered)
        .and_then(|a| a.last_prompt.as_deref())
        .map(str::trim)
        .filter(|p| !p.is_empty());
    if let Some(prompt) = unfinished {
        let _ = writeln!(
            body,
            "### Last request (not seen finished: no end of the agent's turn came after it)\n{}\n",
            clip(prompt, FIRST_PROMPT_CHARS)
        );
    }
    let failing: Vec<String> = last_runs(record)
        .into_iter()
        .filter(|v| !v.ok && record.of_main_session(v.transcript.as_deref()))
        .map(|v| match &v.summary {
            Some(why) => format!("`{}`: {}", v.command, clip(why, 160)),
            None => format!("`{}`", v.command),
        })
        .collect();
    section(&mut body, "### Failing validation", &failing);
    let open: Vec<String> = record
        .open_approvals()
        .filter(|a| record.approval_of_main_session(a))
        .map(open_approval)
        .collect();
    section(&mut body, "### Open approvals", &open);
    let alerts: Vec<String> = record
        .alerts
        .iter()
        .filter(|a| !a.acknowledged && record.of_main_session(a.transcript.as_deref()))
        .map(|a| match &a.factor {
            Some(factor) => format!("{} (factor {factor}): {}", a.name, clip(&a.message, 160)),
            None => format!("{}: {}", a.name, clip(&a.message, 160)),
        })
        .collect();
    section(&mut body, "### Alerts", &alerts);
    if !body.is_empty() {
        let _ = write!(out, "## What is left\n\n{body}");
    }
}

/// `Bash: git push (rule git-push)`: a request still waiting.
pub(super) fn open_approval(approval: &ApprovalDecision) -> String {
    let who = match &approval.decider {
        Decider::Policy { rule } => format!(" (rule {rule})"),
        _ => String::new(),
    };
    format!(
        "{}: {}{who}",
        approval.tool,
        clip(&approval.input_summary, 120)
    )
}

/// The main agent's first prompt and latest ones (older records: the last).
fn asked(record: &SessionRecord) -> Vec<String> {
    let Some(agent) = record.main_agent() else {
        return Vec::new();
    };
    let mut prompts: Vec<&str> = agent.prompts.iter().map(|p| p.trim()).collect();
    if prompts.is_empty() {
        prompts.extend(agent.last_prompt.as_deref().map(str::trim));
    }
    prompts.retain(|p| !p.is_empty());
    prompts
        .iter()
        .enumerate()
        .map(|(n, p)| {
            clip(
                p,
                if n == 0 {
                    FIRST_PROMPT_CHARS
                } else {
                    PROMPT_CHARS
                },
            )
        })
        .collect()
}

/// Every agent's edited files, relative to its working directory when under it.
fn edited(record: &SessionRecord) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for agent in &record.agents {
        for path in &agent.files_edited {
            let path = relative(agent, path);
            if !files.contains(&path) {
                files.push(path);
            }
        }
    }
    files
}

fn relative(agent: &Agent, path: &str) -> String {
    agent
        .cwd
        .as_deref()
        .map(|cwd| cwd.trim_end_matches('/'))
        .filter(|cwd| !cwd.is_empty())
        .and_then(|cwd| path.strip_prefix(cwd)?.strip_prefix('/'))
        .unwrap_or(path)
        .to_string()
}

/// The last run of each command, in the order the commands were first run:
/// a run that failed and then passed is not left failing.
fn last_runs(record: &SessionRecord) -> Vec<&Validation> {
    let mut runs: Vec<&Validation> = Vec::new();
    for run in &record.validations {
        match runs.iter_mut().find(|r| r.command == run.command) {
            Some(seen) if run.at >= seen.at => *seen = run,
            Some(_) => {}
            None => runs.push(run),
        }
    }
    runs
}

/// A list under `heading` (`## ...`, `### ...`), skipped when empty; long
/// lists keep their newest items.
pub(super) fn section(out: &mut String, heading: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{heading}");
    let skip = items.len().saturating_sub(LIST_ITEMS);
    if skip > 0 {
        let _ = writeln!(out, "- ({skip} earlier not shown)");
    }
    for item in &items[skip..] {
        let _ = writeln!(out, "- {}", item.replace('\n', " "));
    }
    out.push('\n');
}

pub(super) fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::schema::{Transcript, TranscriptRole};

    fn record(answered: bool) -> SessionRecord {
        let mut record = SessionRecord::default();
        record.transcripts.push(Transcript {
            path: "t.jsonl".into(),
            role: TranscriptRole::Main,
            ..Transcript::default()
        });
        record.agents.push(Agent {
            transcript: "t.jsonl".into(),
            last_prompt: Some("fix the parser".into()),
            last_prompt_answered: answered,
            ..Agent::default()
        });
        for (at, ok) in [(1, false), (2, true)] {
            record.validations.push(Validation {
                command: "cargo test".into(),
                ok,
                at,
                summary: None,
                transcript: Some("t.jsonl".into()),
            });
        }
        record
    }

    #[test]
    fn a_run_fixed_since_and_an_answered_request_are_not_left() {
        let mut out = String::new();
        left(&mut out, &record(true));
        assert_eq!(out, "");
        let mut out = String::new();
        done(&mut out, &record(true));
        assert!(out.contains("- `cargo test`: passed\n"), "{out}");
        assert!(!out.contains("failed"), "{out}");
    }

    #[test]
    fn a_request_not_seen_finished_is_left() {
        let mut out = String::new();
        left(&mut out, &record(false));
        assert!(
            out.starts_with("## What is left\n\n### Last request"),
            "{out}"
        );
        assert!(out.contains("\nfix the parser\n"), "{out}");
    }
}
