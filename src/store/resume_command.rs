//! The agent's own command that resumes a record's conversation.

use super::ids;
use super::schema::SessionRecord;

/// The command that resumes the record's main agent conversation in the
/// agent itself (`claude --resume <id>`, `codex resume <id>`).
pub fn resume_command(record: &SessionRecord) -> Option<String> {
    let agent = record.main_agent()?;
    let id = agent.agent_session_id.as_deref()?;
    // Meant to be pasted into a shell: an id that is not a plain token
    // (`x; curl … | sh`) gives no command at all.
    if !ids::is_plain_token(id) {
        return None;
    }
    let kind = record.transcript_of(agent).map(|t| t.kind)?;
    Some(match kind {
        crate::agents::AgentKind::Claude => format!("claude --resume {id}"),
        crate::agents::AgentKind::Codex => format!("codex resume {id}"),
    })
}
