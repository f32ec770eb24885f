//! A writer for the store's concurrency and crash tests (`cockpit
//! __store-stress`): saves a session of its own and a shared one, in turn,
//! as fast as it can. Two of these racing must lose no commit; one killed at
//! any instant must leave every ref at a valid commit.

use std::path::Path;

use super::schema::{Agent, SessionRecord, Transcript};
use super::{Store, StoreError};

/// `saves` rounds of one save to `own` and one to `shared`.
pub fn run(repo: &Path, own: &str, shared: &str, saves: u64) -> Result<(), StoreError> {
    let store = Store::at(repo)?;
    for round in 0..saves {
        for id in [own, shared] {
            store.save(&record(id, own, round))?;
        }
    }
    Ok(())
}

fn record(id: &str, writer: &str, round: u64) -> SessionRecord {
    let path = format!("/tmp/{writer}.jsonl");
    let mut record = SessionRecord {
        id: id.to_string(),
        project: "stress".into(),
        started_at: 1_700_000_000_000,
        last_saved_at: 1_700_000_000_000 + round as i64,
        handoff: format!("writer {writer}, round {round}"),
        transcripts: vec![Transcript {
            path: path.clone(),
            ..Transcript::default()
        }],
        agents: vec![Agent {
            transcript: path,
            tool_calls: round,
            ..Agent::default()
        }],
        ..SessionRecord::default()
    };
    for i in 0..200 {
        record.gauge.record(i, 1_000 * (round + i as u64), 200_000);
    }
    record
}
