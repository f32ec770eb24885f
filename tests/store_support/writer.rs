//! The writer the store's concurrency and crash tests race and SIGKILL: the
//! test binary itself run again, as a process of its own, with only its
//! `writer_process` test selected. It saves a session of its own and a
//! shared one, in turn, as fast as it can. Two of these racing must lose no
//! commit; one killed at any instant must leave every ref at a valid commit.
//! Test tooling, so it lives with the tests and not in the shipped binary.

use std::path::Path;
use std::process::{Command, Stdio};

use cockpit::store::Store;
use cockpit::store::schema::{Agent, SessionRecord, Transcript};

/// What the child is asked to do: "<own> <shared> <saves>".
const WRITER_ENV: &str = "COCKPIT_TEST_STORE_WRITER";

/// A writer saving `saves` rounds to `own` and `shared` in the repository at
/// `dir`, with the user's git config and state shut out as for [`super::cockpit`]
/// (no `user.name` unless the repository sets one). Every test binary that
/// calls this must define `writer_process` (see [`writer_process_main`]).
pub fn writer(dir: &Path, state: &Path, own: &str, shared: &str, saves: u64) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["writer_process", "--exact", "--ignored", "--test-threads=1"])
        .current_dir(dir)
        .env(WRITER_ENV, format!("{own} {shared} {saves}"))
        .env("HOME", state)
        .env("XDG_CONFIG_HOME", state.join("config"))
        .env("XDG_STATE_HOME", state.join("state"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        // The harness's own "running 1 test" lines are not the test's output.
        .stdout(Stdio::null());
    cmd
}

/// The body of the child's `writer_process` test. Run by hand (`--ignored`)
/// without the variable it has nothing to do.
pub fn writer_process_main() {
    let Ok(task) = std::env::var(WRITER_ENV) else {
        eprintln!("{WRITER_ENV} not set: nothing to write (the store tests start this)");
        return;
    };
    let [own, shared, saves] = task.split(' ').collect::<Vec<_>>()[..] else {
        panic!("{WRITER_ENV}={task:?}: want <own> <shared> <saves>");
    };
    let saves: u64 = saves.parse().unwrap();
    let store = Store::at(Path::new(".")).unwrap();
    for round in 0..saves {
        for id in [own, shared] {
            store.save(&record(id, own, round)).unwrap();
        }
    }
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
