//! The demo's throwaway project: the files the recorded session edits as
//! they were before it, and its edits and commit made again as the replay
//! reaches them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::recording::{RECORDED_CWD, SESSION};

/// The files the session edits, as they were before: each holds the text
/// its edits replace, so the replayed edits apply and the diff against HEAD
/// counts real lines. One commit, so the checkpoint has an age.
pub(super) fn seed_project(project: &Path) -> Result<(), git2::Error> {
    // On the recorded session's branch, as the header and outer loop show it.
    let mut init = git2::RepositoryInitOptions::new();
    init.initial_head("spotter-dov");
    let repo = git2::Repository::init_opts(project, &init)?;
    let mut files: BTreeMap<PathBuf, String> = BTreeMap::new();
    for line in SESSION.split(|&b| b == b'\n') {
        let Ok(value) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        for (name, input) in tool_uses(&value) {
            if name != "Edit" {
                continue;
            }
            let (Some(path), Some(old)) = (
                input
                    .get("file_path")
                    .and_then(Value::as_str)
                    .and_then(local_path),
                input.get("old_string").and_then(Value::as_str),
            ) else {
                continue;
            };
            let text = files.entry(path).or_default();
            if !text.contains(old) {
                text.push_str(old);
                text.push_str("\n\n");
            }
        }
    }
    let mut index = repo.index()?;
    for (path, text) in &files {
        let full = project.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| git2::Error::from_str(&e.to_string()))?;
        }
        std::fs::write(&full, text).map_err(|e| git2::Error::from_str(&e.to_string()))?;
        index.add_path(path)?;
    }
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let who = git2::Signature::now("cockpit demo", "demo@cockpit.invalid")?;
    repo.commit(
        Some("HEAD"),
        &who,
        &who,
        "The files the recorded session edits, as they were",
        &tree,
        &[],
    )?;
    Ok(())
}

/// The `tool_use` blocks of an assistant line: (name, input).
pub(super) fn tool_uses(value: &Value) -> impl Iterator<Item = (&str, &Value)> {
    content_blocks(value)
        .filter(|b| b.get("type").and_then(Value::as_str) == Some("tool_use"))
        .filter_map(|b| Some((b.get("name")?.as_str()?, b.get("input")?)))
}

/// A recorded absolute path inside the agent's project, relative to it.
pub(super) fn local_path(recorded: &str) -> Option<PathBuf> {
    let rel = Path::new(recorded).strip_prefix(RECORDED_CWD).ok()?;
    // Never outside the demo's project, whatever the transcript says.
    rel.components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
        .then(|| rel.to_path_buf())
}

/// The recorded `git commit` calls, by tool-use id, with their subject line:
/// the one that succeeded is made again in the demo's project, so the outer
/// loop sees a commit and the working tree a checkpoint.
#[derive(Default)]
pub(super) struct Commits {
    pending: BTreeMap<String, String>,
}

impl Commits {
    pub(super) fn note_calls(&mut self, value: &Value) {
        for block in content_blocks(value) {
            let command = block.pointer("/input/command").and_then(Value::as_str);
            if block.get("name").and_then(Value::as_str) == Some("Bash")
                && let (Some(command), Some(id)) =
                    (command, block.get("id").and_then(Value::as_str))
                && command.contains("git commit")
            {
                self.pending.insert(id.to_string(), commit_subject(command));
            }
        }
    }

    /// The subject of a commit whose result in this line was not an error.
    pub(super) fn succeeded(&mut self, value: &Value) -> Option<String> {
        content_blocks(value).find_map(|block| {
            let id = block.get("tool_use_id").and_then(Value::as_str)?;
            let subject = self.pending.remove(id)?;
            let failed = block.get("is_error").and_then(Value::as_bool) == Some(true);
            (!failed).then_some(subject)
        })
    }
}

pub(super) fn content_blocks(value: &Value) -> impl Iterator<Item = &Value> {
    value
        .pointer("/message/content")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// The first line of the message of `git commit -m "$(cat <<'EOF' ...)"` or
/// `git commit -m "subject"`.
pub(super) fn commit_subject(command: &str) -> String {
    let after_m = command.split_once(" -m ").map_or("", |(_, rest)| rest);
    let text = match after_m.split_once("<<'EOF'") {
        Some((_, heredoc)) => heredoc.trim_start(),
        None => after_m.trim_start_matches(['"', '\'']),
    };
    let subject = text.lines().next().unwrap_or_default();
    let subject = subject.trim_end_matches(['"', '\'']).trim();
    if subject.is_empty() {
        "a commit the recorded session made".to_string()
    } else {
        subject.to_string()
    }
}

/// Everything in the demo's project, committed on its branch.
pub(super) fn commit_all(project: &Path, message: &str) -> Result<(), git2::Error> {
    let repo = git2::Repository::open(project)?;
    let mut index = repo.index()?;
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None)?;
    index.update_all(["*"], None)?;
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let parent = repo.head()?.peel_to_commit()?;
    let who = git2::Signature::now("cockpit demo", "demo@cockpit.invalid")?;
    repo.commit(Some("HEAD"), &who, &who, message, &tree, &[&parent])?;
    Ok(())
}

/// Does to the demo's project what the recorded `Write` or `Edit` did.
pub(super) fn apply_edit(project: &Path, name: &str, input: &Value) -> std::io::Result<()> {
    let Some(rel) = input
        .get("file_path")
        .and_then(Value::as_str)
        .and_then(local_path)
    else {
        return Ok(());
    };
    let path = project.join(rel);
    let text = |key: &str| input.get(key).and_then(Value::as_str).unwrap_or_default();
    match name {
        "Write" => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, text("content"))
        }
        "Edit" => {
            let before = std::fs::read_to_string(&path).unwrap_or_default();
            let (old, new) = (text("old_string"), text("new_string"));
            let after = if old.is_empty() || !before.contains(old) {
                format!("{before}{new}\n")
            } else if input.get("replace_all").and_then(Value::as_bool) == Some(true) {
                before.replace(old, new)
            } else {
                before.replacen(old, new, 1)
            };
            std::fs::write(&path, after)
        }
        _ => Ok(()),
    }
}
