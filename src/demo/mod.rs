//! `cockpit demo`: a real recorded session replayed into a temporary file, so
//! the cockpit shows its whole path (file event, tail, parse, gauge) with no
//! agent installed. Its subagent's transcript is replayed beside it (the
//! middle loop), and the files the session wrote and edited are written into
//! a throwaway git repository as the replay reaches them (the inner loop's
//! working tree, watched like a real one). The banner says what is replayed
//! and what a key changes: only the recorded `git push`, which the user
//! decides through the real hook (push_approval.rs). Nothing is kept: the
//! throwaway repository goes when the demo quits.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::agents::timestamp::parse_millis;
use crate::event::{Event, EventSender};

use recording::{SESSION, SESSION_ID, SUBAGENT, SUBAGENT_ID};

/// Lines longer than this are written in two parts, as a busy agent's writes
/// sometimes land, to show that half a line waits for its end.
const SPLIT_WRITES_OVER: usize = 16 * 1024;

pub struct Demo {
    // Removed with everything in it when the demo ends.
    _dir: tempfile::TempDir,
    pub transcript: PathBuf,
    pub subagent: PathBuf,
    /// The throwaway git repository the replay edits (and sessions are saved in).
    pub project: PathBuf,
}

impl Demo {
    pub fn root(&self) -> &Path {
        &self.project
    }
}

mod project;
mod push_approval;
mod recording;

use project::{Commits, apply_edit, commit_all, seed_project, tool_uses};

pub fn prepare() -> std::io::Result<Demo> {
    let dir = tempfile::Builder::new().prefix("cockpit-demo-").tempdir()?;
    let transcripts = dir.path().join("transcripts");
    let subagents = transcripts.join(SESSION_ID).join("subagents");
    std::fs::create_dir_all(&subagents)?;
    let transcript = transcripts.join(format!("{SESSION_ID}.jsonl"));
    File::create(&transcript)?;
    let subagent = subagents.join(format!("agent-{SUBAGENT_ID}.jsonl"));
    File::create(&subagent)?;
    let project = dir.path().join("spotter");
    std::fs::create_dir_all(&project)?;
    seed_project(&project).map_err(std::io::Error::other)?;
    Ok(Demo {
        _dir: dir,
        transcript,
        subagent,
        project,
    })
}

pub struct Pace {
    pub speed: f64,
    pub max_pause: Duration,
}

/// Where the replay writes.
#[derive(Debug, Clone)]
pub struct Targets {
    pub transcript: PathBuf,
    pub subagent: PathBuf,
    pub project: PathBuf,
}

impl Demo {
    pub fn targets(&self) -> Targets {
        Targets {
            transcript: self.transcript.clone(),
            subagent: self.subagent.clone(),
            project: self.project.clone(),
        }
    }
}

pub fn spawn_replay(targets: Targets, pace: Pace, events: EventSender) {
    let spawned = std::thread::Builder::new()
        .name("demo-replay".into())
        .spawn(move || {
            if let Err(err) = replay(&targets, &pace, &events) {
                let _ = events.send(Event::Banner(format!("demo replay stopped: {err}")));
            }
        });
    if let Err(err) = spawned {
        tracing::error!(%err, "could not start the demo replay");
    }
}

/// Both transcripts' lines in recorded order: (is the subagent's, line, its
/// recorded time). A line without a time keeps its place after the line
/// before it in its own file.
fn merged() -> Vec<(bool, Value, Option<i64>)> {
    let parse = |bytes: &'static [u8], sub: bool| {
        let mut last = i64::MIN;
        bytes
            .split(|&b| b == b'\n')
            .filter_map(|l| serde_json::from_slice::<Value>(l).ok())
            .map(|value| {
                let at = value
                    .get("timestamp")
                    .and_then(Value::as_str)
                    .and_then(parse_millis);
                last = at.unwrap_or(last);
                (last, sub, value, at)
            })
            .collect::<Vec<_>>()
    };
    let mut all = parse(SESSION, false);
    all.extend(parse(SUBAGENT, true));
    // Stable: each file keeps its own order.
    all.sort_by_key(|(order, ..)| *order);
    all.into_iter()
        .map(|(_, sub, value, at)| (sub, value, at))
        .collect()
}

/// What the banner says a key changes, until the push is decided.
const YOUR_KEYS: &str = "your keys only look; its git push is yours to decide";

fn replay(targets: &Targets, pace: &Pace, events: &EventSender) -> std::io::Result<()> {
    let mut main_file = OpenOptions::new().append(true).open(&targets.transcript)?;
    let mut sub_file = OpenOptions::new().append(true).open(&targets.subagent)?;
    let lines = merged();
    let total = lines.len();
    let push = push_approval::recorded_push();
    let mut note = YOUR_KEYS.to_string();
    let mut commits = Commits::default();
    let mut previous: Option<i64> = None;
    let banner = |i: usize, note: &str| {
        let _ = events.send(Event::Banner(format!(
            "demo · {note} · replaying a recorded Claude Code session, line {}/{total} at {}× · q quit",
            i + 1,
            pace.speed,
        )));
    };
    for (i, (is_subagent, value, recorded)) in lines.iter().enumerate() {
        if let (Some(now), Some(before)) = (recorded, previous) {
            let gap = ((now - before).max(0) as f64 / pace.speed) as u64;
            std::thread::sleep(Duration::from_millis(gap).min(pace.max_pause));
        }
        previous = recorded.or(previous);
        let file = if *is_subagent {
            &mut sub_file
        } else {
            &mut main_file
        };
        write_line(file, value.clone())?;
        if !is_subagent {
            replay_effects(targets, &mut commits, value);
        }
        if let Some((id, command)) = &push
            && !is_subagent
            && push_approval::holds_call(value, id)
        {
            let _ = events.send(Event::Banner(
                "demo · the recorded agent asks to push: what you answer is what the replay shows"
                    .into(),
            ));
            let verdict = push_approval::ask(
                targets.project.clone(),
                targets.transcript.clone(),
                id,
                command,
            );
            note = match verdict {
                push_approval::Verdict::Allow => "you allowed its push: it runs as recorded".into(),
                push_approval::Verdict::Ask => {
                    "you left its push to Claude Code's own prompt: in the recording it ran".into()
                }
                push_approval::Verdict::None => {
                    "its push got no decision from the hook: replayed as recorded".into()
                }
                push_approval::Verdict::Deny(reason) => {
                    let rest = lines[i + 1..].iter().map(|(_, v, _)| v);
                    if let Some(result) = push_approval::result_of(rest, id) {
                        write_line(
                            &mut main_file,
                            push_approval::denied_result(result, id, &reason),
                        )?;
                    }
                    let _ = events.send(Event::Banner(
                        "demo · you denied its push: shown denied, and the replay stops here (the recording went on from a push that ran) · q quit"
                            .into(),
                    ));
                    return Ok(());
                }
            };
            banner(i, &note);
        }
        if i % 20 == 0 || i + 1 == total {
            banner(i, &note);
        }
    }
    let _ = events.send(Event::Banner(format!(
        "demo · replay finished: this is where the recorded session ended ({note}) · nothing is kept: the demo's repository goes when you quit · q quit"
    )));
    Ok(())
}

/// Appends one recorded line, stamped now (the gauge and feed show live
/// times); a long one in two writes, as a busy agent's sometimes land.
fn write_line(file: &mut File, mut value: Value) -> std::io::Result<()> {
    if value.get("timestamp").is_some() {
        let now = OffsetDateTime::now_utc()
            .format(&Rfc3339)
            .unwrap_or_default();
        value["timestamp"] = Value::String(now);
    }
    let mut bytes = serde_json::to_vec(&value).unwrap_or_default();
    bytes.push(b'\n');
    if bytes.len() > SPLIT_WRITES_OVER {
        let half = bytes.len() / 2;
        file.write_all(&bytes[..half])?;
        std::thread::sleep(Duration::from_millis(30));
        file.write_all(&bytes[half..])
    } else {
        file.write_all(&bytes)
    }
}

/// The main session's edits and successful commit, made again in the demo's project.
fn replay_effects(targets: &Targets, commits: &mut Commits, value: &Value) {
    for (name, input) in tool_uses(value) {
        if let Err(err) = apply_edit(&targets.project, name, input) {
            tracing::warn!(%err, "demo: could not replay an edit");
        }
    }
    commits.note_calls(value);
    if let Some(message) = commits.succeeded(value)
        && let Err(err) = commit_all(&targets.project, &message)
    {
        tracing::warn!(%err, "demo: could not replay a commit");
    }
}

#[cfg(test)]
mod tests {
    use super::project::{commit_subject, local_path};
    use super::recording::RECORDED_CWD;
    use super::*;

    #[test]
    fn commit_subjects_from_heredocs_and_plain_messages() {
        let heredoc =
            "git add a && git commit -m \"$(cat <<'EOF'\nfeat: unified view\n\nBody\nEOF\n)\"";
        assert_eq!(commit_subject(heredoc), "feat: unified view");
        assert_eq!(commit_subject("git commit -m \"fix: one\""), "fix: one");
        assert_eq!(
            commit_subject("git commit"),
            "a commit the recorded session made"
        );
    }

    #[test]
    fn recorded_paths_stay_inside_the_demo_project() {
        assert_eq!(
            local_path(&format!("{RECORDED_CWD}/lib/a.ex")),
            Some(PathBuf::from("lib/a.ex"))
        );
        assert_eq!(local_path(&format!("{RECORDED_CWD}/../etc/passwd")), None);
        assert_eq!(local_path("/etc/passwd"), None);
    }

    #[test]
    fn the_demo_project_is_seeded_with_what_the_edits_replace() {
        let demo = prepare().unwrap();
        let repo = git2::Repository::open(&demo.project).unwrap();
        let head = repo.head().unwrap();
        assert_eq!(head.shorthand().ok(), Some("spotter-dov"));
        let tree = head.peel_to_tree().unwrap();
        assert!(
            tree.get_path(Path::new("lib/spotter_web/live/session_live.ex"))
                .is_ok()
        );
        // Both transcripts exist, empty, where the cockpit will follow them.
        assert_eq!(std::fs::metadata(&demo.transcript).unwrap().len(), 0);
        assert!(demo.subagent.ends_with("subagents/agent-a2898e3.jsonl"));
    }
}
