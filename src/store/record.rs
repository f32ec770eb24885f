//! The session record, built in one place from what the running cockpit
//! knows: the state (sessions and their zone clocks, approvals, learnings,
//! working tree, git history), the tracker's histories, and the detectors'
//! alerts.

use std::collections::HashSet;

use crate::agents::source::Role;
use crate::clock::Millis;
use crate::config::GaugeConfig;
use crate::state::zone_time::ZoneTime;
use crate::state::{Cockpit, Session};

use super::schema::{
    Agent, Alert, CommitMade, GaugeHistory, Note, SessionRecord, Transcript, TranscriptRole,
    Validation, ZoneSeconds,
};
use super::tracker::Tracker;

mod add_approvals;

use add_approvals::add_approvals;

/// What goes into a save besides the state and the tracker.
pub struct Extras<'a> {
    pub gauge: &'a GaugeConfig,
    /// Every alert the detectors keep, acknowledged ones included.
    pub alerts: &'a [crate::detect::Alert],
    /// Keep the human's last prompt to each agent.
    pub record_prompts: bool,
}

/// The whole record to save now; `finished` marks a clean quit.
pub fn build(
    tracker: &Tracker,
    state: &Cockpit,
    extras: &Extras<'_>,
    now: Millis,
    finished: bool,
) -> SessionRecord {
    let mut record = from_state(state, tracker, extras.gauge, now, finished);
    add_approvals(&mut record, state);
    for (at, text) in &state.learnings {
        record.learnings.push(text.clone());
        record.notes.push(Note {
            at: *at,
            text: text.clone(),
        });
    }
    if !extras.record_prompts {
        for agent in &mut record.agents {
            agent.last_prompt = None;
            agent.prompts.clear();
        }
    }
    add_alerts(&mut record, extras.alerts);
    add_loops(&mut record, state);
    record
}

impl Tracker {
    /// The record of the state alone (no decisions, learnings, alerts or
    /// loops: [`build`] adds those); `finished` marks a clean quit. Here and
    /// not in `tracker.rs`, so the tracker does not import the builder that
    /// reads it.
    pub fn record(
        &self,
        state: &Cockpit,
        config: &GaugeConfig,
        now: Millis,
        finished: bool,
    ) -> SessionRecord {
        from_state(state, self, config, now, finished)
    }
}

/// The part of the record the state and the tracker alone decide.
pub fn from_state(
    state: &Cockpit,
    tracker: &Tracker,
    config: &GaugeConfig,
    now: Millis,
    finished: bool,
) -> SessionRecord {
    let mut record = tracker.base.clone();
    record.project.clone_from(&state.project().name);
    record.branch.clone_from(&state.project().git_branch);
    record.last_saved_at = now;
    record.finished = finished;
    record.ended_at = finished.then_some(now);
    record.transcripts = state.project().sessions.iter().map(transcript_of).collect();
    record.agents = state
        .project()
        .sessions
        .iter()
        .map(|s| agent_of(s, config))
        .collect();
    keep_unread_agents(&mut record, &tracker.base, state);
    record.counters.tool_calls = record.agents.iter().map(|a| a.tool_calls).sum();
    record.counters.failed_calls = record.agents.iter().map(|a| a.failed_calls).sum();
    let zones = record.agents.iter().map(|a| a.zone_seconds.as_time());
    record.counters.zone_seconds =
        ZoneSeconds::of(&zones.fold(ZoneTime::default(), |t, z| t.sum(&z)));
    // The gauge the user watched: the one on screen, else the newest main one.
    let watched = state
        .current()
        .filter(|s| s.is_main())
        .or_else(|| {
            state
                .project()
                .sessions
                .iter()
                .filter(|s| s.is_main())
                .max_by_key(|s| s.last_seen)
        })
        .map(|s| s.source.path.display().to_string())
        .or_else(|| tracker.base.gauge.transcript.clone());
    if let Some(path) = watched {
        record.gauge = tracker
            .history(&path)
            .cloned()
            .unwrap_or_else(|| GaugeHistory {
                transcript: Some(path),
                ..GaugeHistory::default()
            });
    }
    record
}

/// A resumed session's transcripts are read again from their start: one
/// saved before that read reached its end (a quit right after `resume`;
/// a session is listed before its first line is applied) keeps the agent
/// as it was saved, rather than losing it and its resume command.
fn keep_unread_agents(record: &mut SessionRecord, base: &SessionRecord, state: &Cockpit) {
    let read_again = |path: &str| {
        state
            .project()
            .sessions
            .iter()
            .any(|s| s.caught_up && s.source.path.display().to_string() == path)
    };
    for transcript in &base.transcripts {
        if read_again(&transcript.path) {
            continue;
        }
        record.transcripts.retain(|t| t.path != transcript.path);
        record.agents.retain(|a| a.transcript != transcript.path);
        record.transcripts.push(transcript.clone());
        let agents = base
            .agents
            .iter()
            .filter(|a| a.transcript == transcript.path);
        record.agents.extend(agents.cloned());
    }
}

/// The detectors' alerts. A resumed session's transcripts are read again
/// and raise again the alerts its record holds: each is kept once (and
/// acknowledged if it was either time).
fn add_alerts(record: &mut SessionRecord, alerts: &[crate::detect::Alert]) {
    let saved = record.alerts.len();
    for alert in alerts {
        let alert = Alert {
            name: alert.pattern.name().to_string(),
            factor: Some(alert.factor.to_string()),
            at: alert.at.unwrap_or(0),
            message: alert.message.clone(),
            acknowledged: alert.acknowledged,
            transcript: alert.session.clone(),
        };
        // A record written before alerts said whose they were matches any.
        let same = |a: &&mut Alert| {
            a.name == alert.name
                && a.at == alert.at
                && a.message == alert.message
                && (a.transcript.is_none() || a.transcript == alert.transcript)
        };
        match record.alerts[..saved].iter_mut().find(same) {
            Some(again) => {
                again.acknowledged |= alert.acknowledged;
                again.transcript.clone_from(&alert.transcript);
            }
            None => record.alerts.push(alert),
        }
    }
}

/// The inner and outer loops: validation runs, commits, files changed.
fn add_loops(record: &mut SessionRecord, state: &Cockpit) {
    record
        .validations
        .extend(
            state
                .project()
                .validation_runs
                .iter()
                .map(|(key, run)| Validation {
                    transcript: Some(key.clone()),
                    command: run.command.clone(),
                    ok: run.outcome == crate::loops::validation::Outcome::Passed,
                    at: run.ended.or(run.started).unwrap_or(0),
                    summary: run.counts.map(|c| {
                        format!(
                            "{} passed, {} failed, {} skipped",
                            c.passed, c.failed, c.skipped
                        )
                    }),
                }),
        );
    // A resumed session's runs are already in the record: keep each once.
    let mut seen = HashSet::new();
    record
        .validations
        .retain(|v| seen.insert((v.command.clone(), v.at)));
    if let Some(history) = &state.project().git_history {
        for commit in history.commits.iter().rev() {
            if !record.commits.iter().any(|c| c.id == commit.id) {
                record.commits.push(CommitMade::from(commit));
            }
        }
    }
    for file in &state.project().worktree.files {
        let path = file.path.to_string_lossy().into_owned();
        if !record.files_changed.contains(&path) {
            record.files_changed.push(path);
        }
    }
}

fn transcript_of(session: &Session) -> Transcript {
    let source = &session.source;
    let (role, subagent_id) = match &source.role {
        Role::Main => (TranscriptRole::Main, None),
        Role::Subagent { agent_id } => (TranscriptRole::Subagent, Some(agent_id.clone())),
    };
    Transcript {
        path: source.path.display().to_string(),
        kind: source.kind,
        role,
        subagent_id,
        agent_session_id: session.meta.session_id.clone(),
    }
}

fn agent_of(session: &Session, config: &GaugeConfig) -> Agent {
    let meta = &session.meta;
    let gauge = &session.gauge;
    Agent {
        transcript: session.source.path.display().to_string(),
        agent_session_id: meta.session_id.clone(),
        model: meta.model.clone().or_else(|| gauge.model.clone()),
        version: meta.version.clone(),
        cwd: meta.cwd.clone(),
        last_prompt: session.last_prompt.clone(),
        first_seen: session.first_seen,
        last_seen: session.last_seen,
        context_tokens: gauge.total(),
        estimated_tokens: gauge.pending,
        window: gauge.window(config),
        peak_tokens: gauge.peak,
        compactions: gauge.compactions,
        tool_calls: session.tools.total,
        failed_calls: session.tools.failed,
        zone_seconds: ZoneSeconds::of(&session.zone_time),
        prompts: session.work.prompts.clone(),
        files_edited: session.work.edited.clone(),
        last_prompt_answered: session
            .work
            .last_prompt_at
            .is_some_and(|asked| session.turn_ended_at.is_some_and(|ended| ended >= asked)),
    }
}

/// The saved session's record of a commit (`SessionRecord::commits`).
impl From<&crate::loops::git_history::CommitInfo> for CommitMade {
    fn from(commit: &crate::loops::git_history::CommitInfo) -> Self {
        Self {
            id: commit.id.clone(),
            summary: commit.summary.clone(),
            at: commit.at,
        }
    }
}
