//! Every transcript of the whole history, with the session each belongs to
//! (FORMATS.md 1.1 and 2.1).

use std::fs;
use std::path::{Path, PathBuf};

use crate::agents::AgentKind;
use crate::formats::roots::{is_codex_rollout, project_key};

/// One file to read.
#[derive(Debug, Clone)]
pub struct Job {
    pub path: PathBuf,
    pub agent: AgentKind,
    /// Claude: the project directory's name under `projects/`; Codex: empty
    /// (the project comes from `session_meta`).
    pub project_key: String,
    /// The session as the path tells it (Claude main file's name, or the
    /// session directory a subagent file sits in; Codex: the file name).
    pub session: String,
    /// A subagent's file: counts toward its parent session, not its gauge.
    pub subagent: bool,
    /// Flat `agent-*.jsonl` (Claude 2.0.x): the parent session is only named
    /// inside the lines.
    pub session_from_lines: bool,
    pub size: u64,
    pub modified_ms: i64,
}

/// What discovery met besides files.
#[derive(Debug, Default)]
pub struct Found {
    pub jobs: Vec<Job>,
    pub warnings: Vec<String>,
}

/// Claude transcripts under `root/projects`, only `project`'s when given.
pub fn claude_jobs(root: &Path, project: Option<&Path>, found: &mut Found) {
    let projects = root.join("projects");
    let dirs: Vec<PathBuf> = match project {
        Some(dir) => vec![projects.join(project_key(&dir.to_string_lossy()))],
        None => match fs::read_dir(&projects) {
            Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
            Err(_) => return, // no Claude history here: nothing to say
        },
    };
    for dir in dirs {
        if !dir.is_dir() {
            continue;
        }
        let key = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut files = Vec::new();
        walk(&dir, 0, &mut files, &mut found.warnings);
        for path in files {
            if path.extension().is_none_or(|e| e != "jsonl") {
                continue;
            }
            let Ok(rel) = path.strip_prefix(&dir) else {
                continue;
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (session, subagent, from_lines) = match parts.as_slice() {
                [_] => {
                    let flat_agent = stem.starts_with("agent-");
                    (stem, flat_agent, flat_agent)
                }
                // <session>/subagents/**/agent-*.jsonl (and anything else
                // under a session directory) belongs to that session.
                [session, ..] => (session.clone(), true, false),
                [] => continue,
            };
            found.jobs.push(job(
                path,
                AgentKind::Claude,
                key.clone(),
                session,
                subagent,
                from_lines,
            ));
        }
    }
}

/// Codex rollouts under `home/sessions` and `home/archived_sessions`.
pub fn codex_jobs(home: &Path, found: &mut Found) {
    for sub in ["sessions", "archived_sessions"] {
        let dir = home.join(sub);
        if !dir.is_dir() {
            continue;
        }
        let mut files = Vec::new();
        walk(&dir, 0, &mut files, &mut found.warnings);
        for path in files {
            if !is_codex_rollout(&path) {
                continue;
            }
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            found.jobs.push(job(
                path,
                AgentKind::Codex,
                String::new(),
                stem,
                false,
                false,
            ));
        }
    }
}

fn job(
    path: PathBuf,
    agent: AgentKind,
    project_key: String,
    session: String,
    subagent: bool,
    session_from_lines: bool,
) -> Job {
    let meta = fs::metadata(&path).ok();
    let modified_ms = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis() as i64);
    Job {
        size: meta.map_or(0, |m| m.len()),
        modified_ms,
        path,
        agent,
        project_key,
        session,
        subagent,
        session_from_lines,
    }
}

/// Files under `dir`, a few levels deep (subagent workflows nest).
fn walk(dir: &Path, depth: usize, files: &mut Vec<PathBuf>, warnings: &mut Vec<String>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            warnings.push(format!("{}: {err}", dir.display()));
            return;
        }
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && depth < 6 {
            walk(&entry.path(), depth + 1, files, warnings);
        } else if kind.is_file() || kind.is_symlink() {
            // A link is read through (never walked, so no loops); a dangling
            // one is reported as unreadable rather than silently skipped.
            files.push(entry.path());
        }
    }
}
