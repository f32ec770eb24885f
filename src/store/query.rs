//! Questions asked of a record by the summary, the handoff and the CLI.

use super::schema::{Agent, ApprovalDecision, Decision, SessionRecord, Transcript, TranscriptRole};

impl SessionRecord {
    /// The main agent that matters most: the one the gauge followed, else
    /// the most recently active main transcript, else any.
    pub fn main_agent(&self) -> Option<&Agent> {
        let followed = self.gauge.transcript.as_deref();
        let is_main = |a: &&Agent| {
            self.transcripts
                .iter()
                .any(|t| t.path == a.transcript && t.role == TranscriptRole::Main)
        };
        self.agents
            .iter()
            .find(|a| Some(a.transcript.as_str()) == followed)
            .or_else(|| {
                self.agents
                    .iter()
                    .filter(is_main)
                    .max_by_key(|a| a.last_seen)
            })
            .or_else(|| self.agents.first())
    }

    /// The transcript an agent was read from.
    pub fn transcript_of(&self, agent: &Agent) -> Option<&Transcript> {
        self.transcripts.iter().find(|t| t.path == agent.transcript)
    }

    /// Approvals still waiting for an answer.
    pub fn open_approvals(&self) -> impl Iterator<Item = &ApprovalDecision> {
        self.approvals
            .iter()
            .filter(|a| a.decision == Decision::Pending)
    }

    /// Whether `approval` belongs to `agent`'s conversation (it and the
    /// subagents sharing its session id): by the transcript it names, else
    /// by the session id its request named.
    pub fn approval_in(&self, agent: &Agent, approval: &ApprovalDecision) -> bool {
        match (&approval.transcript, &approval.agent_session_id) {
            (Some(path), _) => self
                .agent_at(path)
                .is_some_and(|a| Self::same_session(agent, a)),
            (None, Some(id)) => agent.agent_session_id.as_ref() == Some(id),
            (None, None) => false,
        }
    }

    /// Whether `approval` belongs to the main agent's conversation; one of
    /// an older record, which did not say whose it was, belongs to every
    /// agent.
    pub fn approval_of_main_session(&self, approval: &ApprovalDecision) -> bool {
        let unnamed = approval.transcript.is_none() && approval.agent_session_id.is_none();
        unnamed
            || self
                .main_agent()
                .is_some_and(|m| self.approval_in(m, approval))
    }

    /// The largest context of the main agent (its own, not a subagent's
    /// nor another agent's: a window is one agent's).
    pub fn peak_tokens(&self) -> u64 {
        let Some(main) = self.main_agent() else {
            return 0;
        };
        let followed = self.gauge.transcript.as_deref() == Some(main.transcript.as_str());
        let history = self.gauge.peak.filter(|_| followed).map_or(0, |p| p.tokens);
        main.peak_tokens.max(history)
    }

    /// Whether `other` is part of `agent`'s conversation: itself, or a
    /// transcript carrying the same agent session id (Claude Code's
    /// subagents carry their parent's).
    pub fn same_session(agent: &Agent, other: &Agent) -> bool {
        match (&agent.agent_session_id, &other.agent_session_id) {
            (Some(a), Some(b)) => a == b,
            _ => agent.transcript == other.transcript,
        }
    }

    /// The agents of the main agent's conversation (it and its subagents).
    pub fn main_session_agents(&self) -> impl Iterator<Item = &Agent> {
        let main = self.main_agent();
        self.agents
            .iter()
            .filter(move |a| main.is_some_and(|m| Self::same_session(m, a)))
    }

    /// Whether something recorded about `transcript` belongs to the main
    /// agent's conversation; `None` (the working tree, or an older record
    /// that did not say) belongs to every agent.
    pub fn of_main_session(&self, transcript: Option<&str>) -> bool {
        let Some(path) = transcript else {
            return true;
        };
        self.main_session_agents().any(|a| a.transcript == path)
    }

    /// Tool calls and failed calls of the main agent's conversation.
    pub fn main_session_calls(&self) -> (u64, u64) {
        self.main_session_agents()
            .fold((0, 0), |(calls, failed), a| {
                (calls + a.tool_calls, failed + a.failed_calls)
            })
    }

    /// The agent whose transcript is `path`.
    pub fn agent_at(&self, path: &str) -> Option<&Agent> {
        self.agents.iter().find(|a| a.transcript == path)
    }
}
