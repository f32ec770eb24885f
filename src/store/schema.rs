//! The session record: everything the cockpit saves about one of its runs.
//!
//! Version 1 of a documented, versioned format (`docs/session-record.md`).
//! Every field has a default and unknown fields are ignored, so a record
//! written by a newer cockpit still loads here and an older one fills in what
//! it lacks. A change that alters the meaning of an existing field bumps
//! [`FORMAT_VERSION`]; adding a field does not.

use serde::{Deserialize, Serialize};

use crate::agents::AgentKind;
use crate::clock::Millis;

mod approval_decision;
mod gauge_history;

pub use approval_decision::{ApprovalDecision, Decider, Decision};
pub use gauge_history::{Compaction, Counters, GaugeHistory, GaugeSample, ZoneSeconds};

/// The record format this cockpit writes.
pub const FORMAT_VERSION: u32 = 1;

/// One cockpit run, as saved under `refs/cockpit/sessions/<id>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionRecord {
    /// The record format (see [`FORMAT_VERSION`]).
    pub format_version: u32,
    /// The cockpit's own session id: 128 random bits written like a UUID v4.
    pub id: String,
    /// The project's name (its repository's directory).
    pub project: String,
    /// The branch checked out when the record was saved (`detached <sha>` for a detached HEAD).
    pub branch: Option<String>,
    /// Who ran the cockpit: `user.name`/`user.email` from git, when set.
    pub author: Option<Person>,
    /// When the cockpit started, in milliseconds since the Unix epoch.
    pub started_at: Millis,
    /// When the cockpit stopped (`None` while it runs or if it was killed).
    pub ended_at: Option<Millis>,
    /// When this record was saved.
    pub last_saved_at: Millis,
    /// Set by a clean quit; a record left `false` is a crashed or running session.
    pub finished: bool,
    /// The transcript files the cockpit followed.
    pub transcripts: Vec<Transcript>,
    /// One entry per followed agent conversation (main sessions and subagents).
    pub agents: Vec<Agent>,
    /// The context over time of the agent on screen (see [`GaugeHistory`]).
    pub gauge: GaugeHistory,
    /// Totals over the whole run.
    pub counters: Counters,
    /// Alerts the cockpit raised (factor violations, context thresholds).
    pub alerts: Vec<Alert>,
    /// Tool approvals decided while the cockpit ran, by a policy rule or a human.
    pub approvals: Vec<ApprovalDecision>,
    /// Validation runs (tests, lints) and whether they passed.
    pub validations: Vec<Validation>,
    /// Paths (relative to the repository) the agents changed.
    pub files_changed: Vec<String>,
    /// Commits made during the run.
    pub commits: Vec<CommitMade>,
    /// Notes the user wrote during the run.
    pub notes: Vec<Note>,
    /// What the user or agent learned, worth carrying to the next session.
    pub learnings: Vec<String>,
    /// A hand-written summary for whoever picks the work up next; the
    /// generated `handoff.md` starts with it.
    pub handoff: String,
    /// Approvals the human chose to "allow and remember" (`a`): restored on
    /// resume so the same call is not asked again. Added within format 1: an
    /// older record without it loads with none.
    pub remembered_approvals: Vec<crate::policy::remember::RememberedRule>,
}

impl Default for SessionRecord {
    fn default() -> Self {
        Self {
            format_version: FORMAT_VERSION,
            id: String::new(),
            project: String::new(),
            branch: None,
            author: None,
            started_at: 0,
            ended_at: None,
            last_saved_at: 0,
            finished: false,
            transcripts: Vec::new(),
            agents: Vec::new(),
            gauge: GaugeHistory::default(),
            counters: Counters::default(),
            alerts: Vec::new(),
            approvals: Vec::new(),
            validations: Vec::new(),
            files_changed: Vec::new(),
            commits: Vec::new(),
            notes: Vec::new(),
            learnings: Vec::new(),
            handoff: String::new(),
            remembered_approvals: Vec::new(),
        }
    }
}

/// A name and an email, as git writes them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// Whether a transcript is a session's own or a subagent's.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TranscriptRole {
    #[default]
    Main,
    Subagent,
}

/// A followed transcript file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Transcript {
    /// Absolute path of the JSONL file.
    pub path: String,
    /// Which agent wrote it (`claude` or `codex`).
    pub kind: AgentKind,
    pub role: TranscriptRole,
    /// The subagent's id (`agent-…`), for subagent transcripts.
    pub subagent_id: Option<String>,
    /// The agent's own session id, which its resume command takes.
    pub agent_session_id: Option<String>,
}

impl Default for Transcript {
    fn default() -> Self {
        Self {
            path: String::new(),
            kind: AgentKind::Claude,
            role: TranscriptRole::Main,
            subagent_id: None,
            agent_session_id: None,
        }
    }
}

/// What the cockpit knew about one agent conversation when it saved.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Agent {
    /// The transcript it was read from (same as a [`Transcript::path`]).
    pub transcript: String,
    /// The agent's own session id.
    pub agent_session_id: Option<String>,
    /// The last model the agent reported.
    pub model: Option<String>,
    /// The agent's version string (`2.1.39`, `0.98.0`).
    pub version: Option<String>,
    /// The working directory the agent reported.
    pub cwd: Option<String>,
    /// The last prompt the human typed to it.
    pub last_prompt: Option<String>,
    /// First and last transcript timestamps seen.
    pub first_seen: Option<Millis>,
    pub last_seen: Option<Millis>,
    /// Context tokens at the save (settled plus estimated pending).
    pub context_tokens: u64,
    /// The estimated part of `context_tokens`: text added since the agent's
    /// last reported usage, counted with tiktoken (0 in older records).
    pub estimated_tokens: u64,
    /// The context window those tokens are measured against.
    pub window: u64,
    /// The largest context the agent reported.
    pub peak_tokens: u64,
    pub compactions: u32,
    pub tool_calls: u64,
    pub failed_calls: u64,
    /// Seconds its gauge spent in each zone, in transcript time: what the
    /// stats view shows for it. Added within format 1: 0 in older records.
    pub zone_seconds: ZoneSeconds,
    /// The first prompt the human typed and the latest few, oldest first
    /// (added within format 1: an older record loads with none).
    pub prompts: Vec<String>,
    /// Files the agent's edit tools named, as written, each once.
    pub files_edited: Vec<String>,
    /// The agent ended its turn after the last prompt (a `Stop` hook, Codex's
    /// `task_complete`); `false`: it was not seen to.
    pub last_prompt_answered: bool,
}

/// An alert the cockpit raised.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Alert {
    /// A short stable name (`context-red`, `loop-detected`).
    pub name: String,
    /// The 12-Factor AgentOps factor it relates to (`3`), when one does.
    pub factor: Option<String>,
    pub at: Millis,
    pub message: String,
    /// The user dismissed it.
    pub acknowledged: bool,
    /// The transcript of the agent it concerns; `None` for the working
    /// tree (and in records written before alerts said whose they were).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
}

/// One validation run (tests, lints, a build).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Validation {
    pub command: String,
    pub ok: bool,
    pub at: Millis,
    /// The first failure, when it failed.
    pub summary: Option<String>,
    /// The transcript of the agent that ran it (`None` in older records).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transcript: Option<String>,
}

/// A commit made during the run.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CommitMade {
    /// The full object id.
    pub id: String,
    /// Its subject line.
    pub summary: String,
    pub at: Millis,
}

/// A note the user wrote.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Note {
    pub at: Millis,
    pub text: String,
}
