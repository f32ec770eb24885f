//! Resume that reaches the agent (Factor VI): when a new agent session starts
//! in a repository whose last cockpit session is resumable, the `SessionStart`
//! hook gives the agent that session's handoff as `additionalContext`, so the
//! fresh session knows what was done, what is left and what was learned.

use std::path::Path;

use serde_json::{Value, json};

use crate::agents::AgentKind;
use crate::config::Config;
use crate::store::Store;
use crate::store::handoff;

/// What the hook gives the agent, and what it tells the cockpit.
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    pub stdout: String,
    /// For the running cockpit, inside the forwarded `SessionStart`
    /// (`cockpit_handoff`): which record, how big.
    pub notice: Value,
}

/// The handoff for a `SessionStart` hook, or `None` (not a fresh start, turned
/// off, no resumable session, or the store cannot be read: never an error for
/// the agent, which must start either way).
pub fn for_session_start(
    agent: AgentKind,
    config: &Config,
    hook: &Value,
    cwd: &Path,
) -> Option<Given> {
    if !config.store.handoff_on_session_start {
        return None;
    }
    // A resumed or compacted session already has its own history.
    let source = hook
        .get("source")
        .and_then(Value::as_str)
        .unwrap_or("startup");
    if source != "startup" {
        return None;
    }
    let store = Store::open(cwd).ok()?;
    // The newest resumable session that saw an agent: a cockpit started a
    // moment ago has a record of its own with nothing to hand over yet.
    let sessions = store.list().ok()?;
    let record = sessions
        .iter()
        .filter(|s| s.remote.is_none() && !s.finished)
        .take(8)
        .filter_map(|s| store.load(&s.id).ok())
        .find(|r| !r.agents.is_empty())?;
    let earlier = crate::store::learnings::newest_first(&sessions);
    let (text, tokens, cut) = bounded(
        agent,
        &handoff::prompt_with_earlier(&record, &earlier),
        config.store.handoff_max_tokens,
    );
    let stdout = json!({"hookSpecificOutput": {
        "hookEventName": "SessionStart",
        "additionalContext": text,
    }})
    .to_string();
    let notice = json!({
        "record_id": record.id,
        "tokens": tokens,
        "cut": cut,
    });
    Some(Given { stdout, notice })
}

/// `text` cut to at most `max_tokens` (estimated), on a line boundary, with a
/// last line saying it was cut. Returns the text, its tokens and whether cut.
fn bounded(agent: AgentKind, text: &str, max_tokens: u64) -> (String, u64, bool) {
    let tokens = crate::agents::tokens::estimate(agent, text);
    if tokens <= max_tokens {
        return (text.to_string(), tokens, false);
    }
    const CUT: &str =
        "\n(the handoff was cut here to stay small; `cockpit handoff` prints it whole)\n";
    // Lines counted one by one: a line's tokens never merge with the next's
    // across the newline, so the sum is an upper bound of the whole.
    let budget = max_tokens.saturating_sub(crate::agents::tokens::estimate(agent, CUT));
    let mut kept = String::new();
    let mut used = 0;
    for line in text.lines() {
        let line = format!("{line}\n");
        used += crate::agents::tokens::estimate(agent, &line);
        if used > budget {
            break;
        }
        kept.push_str(&line);
    }
    kept.push_str(CUT);
    let tokens = crate::agents::tokens::estimate(agent, &kept);
    (kept, tokens, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_handoff_is_cut_under_its_bound_and_says_so() {
        let text: String = (0..2_000)
            .map(|i| format!("- changed file number {i}\n"))
            .collect();
        let (kept, tokens, cut) = bounded(AgentKind::Claude, &text, 500);
        assert!(cut);
        assert!(tokens <= 500, "{tokens}");
        assert!(kept.ends_with("prints it whole)\n"));
        let (same, _, cut) = bounded(AgentKind::Claude, "short\n", 500);
        assert!(!cut);
        assert_eq!(same, "short\n");
    }
}
