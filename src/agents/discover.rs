//! Where the agents write their transcripts for a given project directory
//! (FORMATS.md 1.1 and 2.1).

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::agents::source::Role;

use super::AgentKind;

/// Claude Code config roots, the one list the live cockpit, `report` and
/// `install` read: `$CLAUDE_CONFIG_DIR` (a comma-separated list, as Claude
/// Code and ccusage accept), else `~/.claude` and `$XDG_CONFIG_HOME/claude`
/// (or `~/.config/claude`, where some versions wrote). The first is where
/// Claude Code reads its settings.
pub fn claude_roots() -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = match std::env::var("CLAUDE_CONFIG_DIR") {
        Ok(list) if !list.trim().is_empty() => list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(expand_home)
            .collect(),
        _ => {
            let home = dirs::home_dir();
            let xdg = std::env::var_os("XDG_CONFIG_HOME")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|h| h.join(".config")));
            home.map(|h| h.join(".claude"))
                .into_iter()
                .chain(xdg.map(|x| x.join("claude")))
                .collect()
        }
    };
    // A root given as its `projects/` directory is accepted, as ccusage does.
    for root in &mut roots {
        if root.file_name().is_some_and(|n| n == "projects") && root.is_dir() {
            root.pop();
        }
    }
    dedup_dirs(roots)
}

/// The same directory named twice (a symlink, a trailing slash) is read once.
fn dedup_dirs(dirs: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    dirs.into_iter()
        .filter(|d| seen.insert(fs::canonicalize(d).unwrap_or_else(|_| d.clone())))
        .collect()
}

/// `$CODEX_HOME`, else `~/.codex`.
pub fn codex_home() -> Option<PathBuf> {
    match std::env::var("CODEX_HOME") {
        Ok(dir) if !dir.trim().is_empty() => Some(expand_home(dir.trim())),
        _ => dirs::home_dir().map(|h| h.join(".codex")),
    }
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ if path == "~" => dirs::home_dir().unwrap_or_default(),
        _ => PathBuf::from(path),
    }
}

/// Claude Code's directory name for a project: every character that is not an
/// ASCII letter or digit becomes `-`; past 200 characters, the first 200 plus
/// `-` and a base-36 hash of the original path.
pub fn project_key(cwd: &str) -> String {
    if let Ok(name) = std::env::var("CLAUDE_CODE_PROJECT_DIR_NAME")
        && !name.is_empty()
    {
        return name;
    }
    let key: String = cwd
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    if key.chars().count() <= 200 {
        return key;
    }
    let head: String = key.chars().take(200).collect();
    format!("{head}-{}", base36(java_string_hash(cwd).unsigned_abs()))
}

/// `h = 31*h + c` over UTF-16 code units, wrapping like a JS `| 0`.
fn java_string_hash(text: &str) -> i32 {
    text.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

fn base36(mut value: u32) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if value == 0 {
        return "0".into();
    }
    let mut out = Vec::new();
    while value > 0 {
        out.push(DIGITS[(value % 36) as usize]);
        value /= 36;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

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

pub fn is_codex_rollout(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with("rollout-") && name.ends_with(".jsonl")
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
    fn project_key_replaces_every_non_alphanumeric() {
        assert_eq!(project_key("/home/me/my_app.v2"), "-home-me-my-app-v2");
        assert_eq!(project_key("/tmp/a b/é"), "-tmp-a-b--");
    }

    #[test]
    fn long_keys_get_a_hash_suffix() {
        let long = format!("/{}", "x".repeat(250));
        let key = project_key(&long);
        assert!(key.starts_with(&format!("-{}", "x".repeat(199))));
        let suffix = &key[201..];
        assert_eq!(suffix, base36(java_string_hash(&long).unsigned_abs()));
        // JS: "abc".split('').reduce((h,c)=>(h<<5)-h+c.charCodeAt(0)|0,0) === 96354
        assert_eq!(java_string_hash("abc"), 96354);
        assert_eq!(base36(96354), "22ci");
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
