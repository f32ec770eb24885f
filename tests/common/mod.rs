//! Reading a transcript the way the cockpit does (real tailer, real parser,
//! real state), without a terminal.

#![allow(dead_code)]

pub mod git;
pub mod screen;

use std::path::{Path, PathBuf};

use cockpit::agents::AgentKind;
use cockpit::agents::reader::Reader;
use cockpit::agents::source::{Role, Source, SourceId};
use cockpit::state::Session;

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Reads `path` to its end through a `Reader` and applies every batch.
pub fn follow(path: &Path, kind: AgentKind, role: Role) -> Session {
    let subagent = matches!(role, Role::Subagent { .. });
    let mut reader = Reader::new(path.to_path_buf(), kind, subagent, 16 << 20);
    let mut session = Session::new(
        Source {
            id: SourceId(0),
            path: path.to_path_buf(),
            kind,
            role,
            modified_ms: 0,
        },
        10_000,
    );
    catch_up(&mut reader, &mut session);
    session
}

/// Applies batches until the reader reaches the end of what is written.
pub fn catch_up(reader: &mut Reader, session: &mut Session) {
    for _ in 0..10_000 {
        let batch = reader.read_batch();
        let done = batch.caught_up || (batch.records.is_empty() && !batch.reset);
        session.apply(batch);
        if done {
            return;
        }
    }
    panic!("reader never caught up");
}
