//! Where the agents write their transcripts for a given project directory
//! (FORMATS.md 1.1 and 2.1).

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::agents::source::Role;

use super::AgentKind;
// Where each agent's files are found is the format's (formats/roots.rs);
// scanning them for a project is this file's.
pub use crate::formats::roots::{claude_roots, codex_home, is_codex_rollout, project_key};

/// A transcript found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub kind: AgentKind,
    pub role: Role,
    pub modified_ms: i64,
}

/// The role a transcript named on the command line has, from its path alone:
/// `agent-*.jsonl` files and files under a `subagents/` folder are subagents.
pub fn role_from_name(path: &Path) -> Role {
    let name = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let in_subagents = path
        .parent()
        .is_some_and(|p| p.components().any(|c| c.as_os_str() == "subagents"));
    match name.strip_prefix("agent-") {
        Some(agent) => Role::Subagent {
            agent_id: agent.to_string(),
        },
        None if in_subagents => Role::Subagent { agent_id: name },
        None => Role::Main,
    }
}

/// What a path under a Claude project directory is, if it is a transcript.
pub fn classify_claude(project_dir: &Path, path: &Path) -> Option<Role> {
    if path.extension()? != "jsonl" {
        return None;
    }
    let rel = path.strip_prefix(project_dir).ok()?;
    let name = path.file_stem()?.to_string_lossy();
    let depth = rel.components().count();
    let in_subagents = rel.components().any(|c| c.as_os_str() == "subagents");
    if depth == 1 {
        return Some(match name.strip_prefix("agent-") {
            // The flat layout of Claude Code 2.0.x.
            Some(agent) => Role::Subagent {
                agent_id: agent.to_string(),
            },
            None => Role::Main,
        });
    }
    if in_subagents {
        let agent_id = name.strip_prefix("agent-").unwrap_or(&name).to_string();
        return Some(Role::Subagent { agent_id });
    }
    None
}

/// Every transcript of one Claude project directory: `*.jsonl` beside each
/// other, plus `<session>/subagents/**.jsonl`.
pub fn scan_claude_project(project_dir: &Path) -> Vec<Found> {
    let mut found = Vec::new();
    let mut stack = vec![(project_dir.to_path_buf(), 0)];
    while let Some((dir, depth)) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() && depth < 4 {
                stack.push((path, depth + 1));
            } else if kind.is_file()
                && let Some(role) = classify_claude(project_dir, &path)
            {
                found.push(Found {
                    modified_ms: modified_ms(&path),
                    path,
                    kind: AgentKind::Claude,
                    role,
                });
            }
        }
    }
    found
}

pub fn modified_ms(path: &Path) -> i64 {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Codex rollouts of the newest `days` day directories whose `session_meta`
/// names `cwd`.
pub fn scan_codex(sessions_dir: &Path, cwd: &Path, days: usize) -> Vec<Found> {
    let mut day_dirs = Vec::new();
    for year in sorted_subdirs(sessions_dir).into_iter().rev() {
        for month in sorted_subdirs(&year).into_iter().rev() {
            for day in sorted_subdirs(&month).into_iter().rev() {
                if day_dirs.len() < days {
                    day_dirs.push(day);
                }
            }
        }
    }
    let mut found = Vec::new();
    for dir in day_dirs {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if is_codex_rollout(&path) && codex_cwd_matches(&path, cwd) == Some(true) {
                found.push(Found {
                    modified_ms: modified_ms(&path),
                    path,
                    kind: AgentKind::Codex,
                    role: Role::Main,
                });
            }
        }
    }
    found
}

fn sorted_subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .map(|e| e.path())
        .collect();
    dirs.sort();
    dirs
}

/// `Some(true)` when the rollout's first line (`session_meta`) names `cwd`,
/// `None` when that line is not complete yet.
pub fn codex_cwd_matches(path: &Path, cwd: &Path) -> Option<bool> {
    // session_meta can carry long instructions; 4 MiB is far more than seen.
    let file = fs::File::open(path).ok()?;
    let mut first = Vec::new();
    BufReader::new(file.take(4 << 20))
        .read_until(b'\n', &mut first)
        .ok()?;
    if first.last() != Some(&b'\n') {
        return None;
    }
    let line: serde_json::Value = serde_json::from_slice(&first).ok()?;
    let meta_cwd = line.pointer("/payload/cwd").and_then(|v| v.as_str())?;
    Some(same_dir(Path::new(meta_cwd), cwd))
}

pub fn same_dir(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    a == b || canon(a) == canon(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_transcripts_get_their_role_from_the_path() {
        assert_eq!(role_from_name(Path::new("/t/4d5611e5.jsonl")), Role::Main);
        assert_eq!(
            role_from_name(Path::new("/t/s/subagents/agent-a2898e3.jsonl")),
            Role::Subagent {
                agent_id: "a2898e3".into()
            }
        );
        assert_eq!(
            role_from_name(Path::new("/t/s/subagents/workflow.jsonl")),
            Role::Subagent {
                agent_id: "workflow".into()
            }
        );
    }

    #[test]
    fn classifies_all_three_subagent_layouts() {
        let dir = Path::new("/p");
        assert_eq!(
            classify_claude(dir, Path::new("/p/s1.jsonl")),
            Some(Role::Main)
        );
        assert_eq!(
            classify_claude(dir, Path::new("/p/agent-abc.jsonl")),
            Some(Role::Subagent {
                agent_id: "abc".into()
            })
        );
        assert_eq!(
            classify_claude(dir, Path::new("/p/s1/subagents/workflows/r1/agent-x.jsonl")),
            Some(Role::Subagent {
                agent_id: "x".into()
            })
        );
        assert_eq!(classify_claude(dir, Path::new("/p/s1/other.jsonl")), None);
        assert_eq!(
            classify_claude(dir, Path::new("/p/s1/subagents/a.meta.json")),
            None
        );
    }
}
