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

    /// The largest context of any agent.
    pub fn peak_tokens(&self) -> u64 {
        let agents = self.agents.iter().map(|a| a.peak_tokens).max().unwrap_or(0);
        agents.max(self.gauge.peak.map_or(0, |p| p.tokens))
    }
}
