//! `cockpit report`: token usage of the whole history, per session, read at
//! the speed of the disk.
//!
//! Discovery lists every transcript; one worker per core streams files
//! (largest first) through a bounded buffer, parsing only the lines a byte
//! scan marks as useful; the merge de-duplicates Claude responses across
//! files in path order and sums them per session.

mod claude;
mod codex;
pub mod command;
mod discover;
mod file;
mod merge;
mod rows;
pub mod scan;
mod table;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::agents::AgentKind;
use crate::config::GaugeConfig;
use discover::{Found, Job};
use file::FileSummary;

pub use rows::{Report, SessionRow, Tokens, Totals};
pub use table::{print_json, print_table};

/// Lines longer than this are skipped and counted: a report's memory must
/// not depend on what a tool once printed. Responses (assistant lines) are
/// far smaller; the huge lines are tool results and pasted images.
pub const LINE_CAP: usize = 8 << 20;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Claude config roots (each with a `projects/` directory).
    pub claude_roots: Vec<PathBuf>,
    /// Codex home (with `sessions/` and `archived_sessions/`).
    pub codex_home: Option<PathBuf>,
    /// Only sessions of this project directory.
    pub project: Option<PathBuf>,
    /// Only sessions active on or after this instant (epoch ms, UTC).
    pub since_ms: Option<i64>,
    pub agent: Option<AgentKind>,
    /// Worker threads; 0 means one per core.
    pub workers: usize,
    pub gauge: GaugeConfig,
}

impl Options {
    /// Where the agents keep their history on this machine, from the
    /// environment (`CLAUDE_CONFIG_DIR`, `XDG_CONFIG_HOME`, `CODEX_HOME`, `HOME`).
    pub fn from_env() -> Self {
        Self {
            claude_roots: crate::formats::roots::claude_roots(),
            codex_home: crate::formats::roots::codex_home(),
            ..Self::default()
        }
    }
}

/// Reads the whole history as `options` selects it.
pub fn collect(options: &Options) -> Report {
    let mut found = Found::default();
    let project = options
        .project
        .as_ref()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()));
    if options.agent != Some(AgentKind::Codex) {
        for root in &options.claude_roots {
            discover::claude_jobs(root, project.as_deref(), &mut found);
        }
    }
    if options.agent != Some(AgentKind::Claude)
        && let Some(home) = &options.codex_home
    {
        discover::codex_jobs(home, &mut found);
    }
    // A file last written before the cut-off has no line after it.
    if let Some(since) = options.since_ms {
        found.jobs.retain(|job| job.modified_ms >= since);
    }
    let Found { jobs, mut warnings } = found;
    let (files, errors) = read_all(&jobs, options.workers);
    let mut totals = Totals {
        files: jobs.len() as u64,
        ..Totals::default()
    };
    for (i, err) in errors {
        warnings.push(format!("{}: {err}", jobs[i].path.display()));
        totals.unreadable_files += 1;
    }
    for file in files.iter().flatten() {
        totals.bytes += file.bytes;
        totals.oversized_lines += file.oversized;
    }
    let mut sessions: Vec<SessionRow> = merge::merge(&jobs, files)
        .into_iter()
        .map(|acc| table::row(acc, &options.gauge))
        .filter(|row| keep(row, options, project.as_deref()))
        .collect();
    sessions.sort_by(|a, b| {
        a.last_ms
            .cmp(&b.last_ms)
            .then(a.session_id.cmp(&b.session_id))
    });
    for row in &sessions {
        totals.sessions += 1;
        totals.tokens.add(&row.tokens);
        totals.tool_calls += row.tool_calls;
        totals.malformed_lines += row.malformed_lines;
    }
    Report {
        sessions,
        totals,
        warnings,
    }
}

fn keep(row: &SessionRow, options: &Options, project: Option<&Path>) -> bool {
    if let Some(since) = options.since_ms
        && row.last_ms.is_none_or(|last| last < since)
    {
        return false;
    }
    // Claude files were chosen by project directory already; Codex rollouts
    // name their directory only inside.
    match (project, row.agent) {
        (Some(dir), AgentKind::Codex) => {
            crate::agents::discover::same_dir(Path::new(&row.project), dir)
        }
        _ => true,
    }
}

type Errors = Vec<(usize, std::io::Error)>;

/// Reads every job on `workers` threads, largest files first so that one big
/// file does not start last.
fn read_all(jobs: &[Job], workers: usize) -> (Vec<Option<FileSummary>>, Errors) {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].size));
    let workers = match workers {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    }
    .clamp(1, jobs.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<FileSummary>>> =
        Mutex::new((0..jobs.len()).map(|_| None).collect());
    let errors = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                let mut buf = Vec::new();
                let claude_markers = claude::Markers::default();
                let codex_markers = codex::Markers::default();
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&i) = order.get(k) else { break };
                    let job = &jobs[i];
                    let read = read_one(job, &mut buf, &claude_markers, &codex_markers);
                    match read {
                        Ok(summary) => lock(&results)[i] = Some(summary),
                        Err(err) => lock(&errors).push((i, err)),
                    }
                }
            });
        }
    });
    let mut errors = errors.into_inner().unwrap_or_else(|e| e.into_inner());
    errors.sort_by_key(|(i, _)| jobs[*i].path.clone());
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    (results, errors)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn read_one(
    job: &Job,
    buf: &mut Vec<u8>,
    claude_markers: &claude::Markers,
    codex_markers: &codex::Markers,
) -> std::io::Result<FileSummary> {
    let mut file = File::open(&job.path)?;
    let (mut summary, stats) = match job.agent {
        AgentKind::Claude => {
            let mut state = claude::ClaudeFile::new(job.subagent);
            let stats = scan::for_each_line(&mut file, buf, LINE_CAP, |line, done| {
                state.line(claude_markers, line, done)
            })?;
            (state.finish(), stats)
        }
        AgentKind::Codex => {
            let mut state = codex::CodexFile::default();
            let stats = scan::for_each_line(&mut file, buf, LINE_CAP, |line, done| {
                state.line(codex_markers, line, done)
            })?;
            (state.finish(), stats)
        }
    };
    summary.bytes = stats.bytes;
    summary.oversized = stats.oversized;
    summary.malformed += stats.oversized;
    Ok(summary)
}
