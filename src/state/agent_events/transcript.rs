//! What a transcript batch says that settles a request the agent answered
//! itself: a tool call's result, or a new prompt.

use crate::agents::Record;
use crate::agents::source::SourceId;
use crate::clock::Millis;
use crate::state::Cockpit;
use crate::state::retire::{Call, Origin, Settled};

/// What a transcript batch says that may settle a request: tool results
/// (by call id) and typed prompts. Read before the batch is applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Signal {
    Result {
        id: String,
        ok: bool,
        at: Option<Millis>,
    },
    Prompt {
        at: Option<Millis>,
    },
}

pub fn signals(records: &[Record]) -> Vec<Signal> {
    records
        .iter()
        .filter_map(|record| match record {
            Record::ToolEnd(end) => Some(Signal::Result {
                id: end.id.clone(),
                ok: end.ok,
                at: end.at,
            }),
            Record::Prompt { at, .. } => Some(Signal::Prompt { at: *at }),
            _ => None,
        })
        .collect()
}

/// Retires the requests a transcript shows were settled in the agent: the
/// tool_use of the same name and input got its result, or a new prompt
/// came (after the request arrived: transcripts lag).
pub fn settle_from_transcript(state: &mut Cockpit, id: SourceId, signals: &[Signal]) {
    if signals.is_empty() || state.approvals.pending.is_empty() {
        return;
    }
    let Some(session) = state.project().sessions.iter().find(|s| s.source.id == id) else {
        return;
    };
    let agent = session.source.kind;
    // A subagent's first message is its task, not the human typing.
    let main = session.is_main();
    let session_id = session.meta.session_id.clone();
    let path = session.source.path.to_string_lossy().into_owned();
    // The calls the results belong to, looked up while the session is borrowed.
    let calls: Vec<Option<(String, String)>> = signals
        .iter()
        .map(|signal| match signal {
            Signal::Result { id, .. } => session
                .tools
                .calls()
                .iter()
                .rev()
                .find(|c| &c.id == id)
                .map(|c| (c.name.clone(), c.input.clone())),
            Signal::Prompt { .. } => None,
        })
        .collect();
    let now = state.now;
    for (signal, call) in signals.iter().zip(calls) {
        let at = match signal {
            Signal::Result { at, .. } | Signal::Prompt { at } => *at,
        };
        let origin = Origin {
            agent,
            session_id: session_id.as_deref(),
            transcript: Some(&path),
            at,
        };
        let words = match (signal, call) {
            (Signal::Result { ok, .. }, Some((tool, input))) => {
                let call = Call::Transcript {
                    tool: &tool,
                    input: &input,
                };
                let settled = if *ok { Settled::Ran } else { Settled::Failed };
                state.approvals.settle_call(&origin, &call, settled, now)
            }
            (Signal::Prompt { .. }, _) if main => state.approvals.settle_session(&origin, now),
            _ => None,
        };
        if let Some(words) = words {
            state.notice(words);
        }
    }
}
