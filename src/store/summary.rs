//! The one-line-per-session view of the store, and how it rides in each
//! commit's message so listing a thousand sessions reads a thousand small
//! commits instead of a thousand records.

use git2::{Commit, Oid};
use serde::{Deserialize, Serialize};

use crate::clock::Millis;

use super::handoff;
use super::schema::SessionRecord;

/// Learnings a summary carries, and how long each may be: enough for the
/// outer loop's search without making every commit message a record.
pub const LEARNINGS_KEPT: usize = 20;
const LEARNING_CHARS: usize = 300;

/// The trailer carrying the summary as one line of JSON.
const TRAILER: &str = "Cockpit-Summary: ";

/// What `cockpit sessions` shows of one session.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionSummary {
    pub id: String,
    pub project: String,
    pub branch: Option<String>,
    /// The record's author, else the commit's.
    pub author: Option<String>,
    pub started_at: Millis,
    pub last_saved_at: Millis,
    pub ended_at: Option<Millis>,
    pub finished: bool,
    /// The main agent's kind (`claude`, `codex`) and model; every figure
    /// below is of that agent's conversation (alerts: and the working tree's).
    pub agent: Option<crate::agents::AgentKind>,
    pub model: Option<String>,
    pub agent_session_id: Option<String>,
    pub peak_tokens: u64,
    pub window: u64,
    pub tool_calls: u64,
    pub failed_calls: u64,
    pub approvals: usize,
    pub open_approvals: usize,
    pub alerts: usize,
    /// The first line of the handoff.
    pub handoff_line: String,
    /// The session's learnings (Law 1), its newest [`LEARNINGS_KEPT`];
    /// `None` in summaries written before they were kept here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learnings: Option<Vec<String>>,
    /// Filled in by the store, not stored: where this copy was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote: Option<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub refname: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub commit: String,
}

impl SessionSummary {
    /// The figures are the main agent's conversation's (it and its
    /// subagents), the one the row names: never another agent's.
    pub fn of(record: &SessionRecord) -> SessionSummary {
        let main = record.main_agent();
        let (tool_calls, failed_calls) = record.main_session_calls();
        SessionSummary {
            id: record.id.clone(),
            project: record.project.clone(),
            branch: record.branch.clone(),
            author: record.author.as_ref().map(|p| p.name.clone()),
            started_at: record.started_at,
            last_saved_at: record.last_saved_at,
            ended_at: record.ended_at,
            finished: record.finished,
            agent: main.and_then(|a| record.transcript_of(a)).map(|t| t.kind),
            model: main.and_then(|a| a.model.clone()),
            agent_session_id: main.and_then(|a| a.agent_session_id.clone()),
            peak_tokens: record.peak_tokens(),
            window: main.map_or(0, |a| a.window),
            tool_calls,
            failed_calls,
            approvals: record
                .approvals
                .iter()
                .filter(|a| record.approval_of_main_session(a))
                .count(),
            open_approvals: record
                .open_approvals()
                .filter(|a| record.approval_of_main_session(a))
                .count(),
            alerts: record
                .alerts
                .iter()
                .filter(|a| record.of_main_session(a.transcript.as_deref()))
                .count(),
            handoff_line: handoff::first_line(record),
            learnings: Some(
                record.learnings[record.learnings.len().saturating_sub(LEARNINGS_KEPT)..]
                    .iter()
                    .map(|l| l.chars().take(LEARNING_CHARS).collect())
                    .collect(),
            ),
            remote: None,
            refname: String::new(),
            commit: String::new(),
        }
    }

    /// Milliseconds from start to the end (or the last save of an unfinished one).
    pub fn duration_ms(&self) -> i64 {
        (self.ended_at.unwrap_or(self.last_saved_at) - self.started_at).max(0)
    }

    pub(super) fn located(
        mut self,
        refname: String,
        remote: Option<String>,
        tip: Oid,
        commit: &Commit<'_>,
    ) -> SessionSummary {
        self.refname = refname;
        self.remote = remote;
        self.commit = tip.to_string();
        if self.author.is_none() {
            self.author = commit.author().name().ok().map(str::to_string);
        }
        self
    }
}

/// A subject a human can read in `git log refs/cockpit/sessions/<id>`, and
/// the summary trailer `list` reads.
pub fn commit_message(record: &SessionRecord) -> String {
    let summary = SessionSummary::of(record);
    let short: String = record.id.chars().take(8).collect();
    let state = if record.finished { "finished" } else { "saved" };
    let mut subject = format!("cockpit: {} session {short} {state}", record.project);
    if !summary.handoff_line.is_empty() {
        subject.push_str(": ");
        subject.extend(summary.handoff_line.chars().take(72));
    }
    let json = serde_json::to_string(&summary).unwrap_or_default();
    format!("{subject}\n\n{TRAILER}{json}\n")
}

/// The summary in a commit's message, if it has one we can read.
pub fn parse(commit: &Commit<'_>) -> Option<SessionSummary> {
    let message = std::str::from_utf8(commit.message_raw_bytes()).ok()?;
    let line = message.lines().rev().find(|l| l.starts_with(TRAILER))?;
    serde_json::from_str(&line[TRAILER.len()..]).ok()
}

/// One paragraph for the "resume it?" prompt: when, which agent, how full
/// the context got, and the handoff's first line.
pub fn describe_for_offer(summary: &SessionSummary) -> String {
    let agent = summary.agent.map(|a| a.label()).unwrap_or("an agent");
    let percent = summary
        .peak_tokens
        .saturating_mul(100)
        .checked_div(summary.window)
        .map(|p| format!(", context peaked at {p}%"))
        .unwrap_or_default();
    let mut text = format!(
        "Session {} from {} ({agent}{percent}, {} tool calls) did not end with a quit.",
        summary.id.chars().take(8).collect::<String>(),
        crate::clock::date_time(summary.last_saved_at),
        summary.tool_calls,
    );
    if !summary.handoff_line.is_empty() {
        text.push_str(&format!(" {}", summary.handoff_line));
    }
    text
}
