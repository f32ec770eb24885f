//! Files into sessions: the global de-duplication of Claude responses (one
//! response can be written in several files: a resumed session, a sidechain
//! replay) and the per-session sums.
//!
//! Files are merged in path order, as ccusage reads them, so that when two
//! copies tie the same one is kept and lands in the same session.

use std::collections::HashMap;

use super::discover::Job;
use super::file::{Context, Entry, FileSummary};
use super::rows::Tokens;
use crate::agents::AgentKind;

/// A session before it is turned into a row.
#[derive(Debug, Default)]
pub struct SessionAcc {
    pub agent: Option<AgentKind>,
    pub session_id: String,
    pub project_key: String,
    pub cwd: Option<String>,
    pub model: Option<String>,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    pub tokens: Tokens,
    pub tool_calls: u64,
    pub malformed: u64,
    pub context: Option<Context>,
    /// When the file that set `context` ends: the newest main file wins.
    context_at: Option<i64>,
    model_from_main: bool,
}

/// Global de-duplication, mirroring ccusage's: the same (message.id,
/// requestId) is one response; the same message.id with another request id
/// is the same response when either copy is a sidechain replay.
#[derive(Default)]
struct Dedup {
    kept: Vec<Entry>,
    by_exact: HashMap<u64, u32>,
    /// The first kept index per message id, and the rare further ones apart:
    /// a `Vec` per id cost a heap block for every response.
    by_msg: HashMap<u64, u32>,
    more_by_msg: HashMap<u64, Vec<u32>>,
}

impl Dedup {
    fn push(&mut self, entry: Entry) {
        if !entry.has_id {
            self.kept.push(entry);
            return;
        }
        let exact = self
            .by_exact
            .get(&entry.exact)
            .copied()
            .filter(|&i| self.kept[i as usize].exact == entry.exact);
        let found = exact.or_else(|| {
            let first = self.by_msg.get(&entry.by_msg).copied();
            let more = self.more_by_msg.get(&entry.by_msg).into_iter().flatten();
            first.into_iter().chain(more.copied()).find(|&i| {
                let kept = &self.kept[i as usize];
                entry.sidechain || kept.sidechain
            })
        });
        match found {
            Some(i) => {
                let slot = &mut self.kept[i as usize];
                if entry.beats(slot) {
                    *slot = entry;
                    self.by_exact.insert(entry.exact, i);
                }
            }
            None => {
                let i = self.kept.len() as u32;
                self.kept.push(entry);
                self.by_exact.insert(entry.exact, i);
                match self.by_msg.entry(entry.by_msg) {
                    std::collections::hash_map::Entry::Vacant(slot) => {
                        slot.insert(i);
                    }
                    std::collections::hash_map::Entry::Occupied(_) => {
                        self.more_by_msg.entry(entry.by_msg).or_default().push(i);
                    }
                }
            }
        }
    }
}

/// Merges `files` (one per job, `None` for a file that could not be read).
pub fn merge(jobs: &[Job], files: Vec<Option<FileSummary>>) -> Vec<SessionAcc> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by(|&a, &b| jobs[a].path.cmp(&jobs[b].path));
    let mut files: Vec<Option<FileSummary>> = files;
    let mut sessions: Vec<SessionAcc> = Vec::new();
    let mut index: HashMap<(AgentKind, String, String), u32> = HashMap::new();
    let mut dedup = Dedup::default();
    for i in order {
        let Some(mut file) = files[i].take() else {
            continue;
        };
        let job = &jobs[i];
        let session_id = match job.agent {
            AgentKind::Claude if job.session_from_lines => file
                .session_id
                .clone()
                .unwrap_or_else(|| job.session.clone()),
            AgentKind::Claude => job.session.clone(),
            AgentKind::Codex => file
                .session_id
                .clone()
                .unwrap_or_else(|| job.session.clone()),
        };
        let key = (job.agent, job.project_key.clone(), session_id);
        let s = *index.entry(key.clone()).or_insert_with(|| {
            sessions.push(SessionAcc {
                agent: Some(job.agent),
                session_id: key.2.clone(),
                project_key: key.1.clone(),
                ..SessionAcc::default()
            });
            (sessions.len() - 1) as u32
        });
        let acc = &mut sessions[s as usize];
        add_file(acc, job, &mut file);
        for mut entry in file.entries.drain(..) {
            entry.session = s;
            dedup.push(entry);
        }
    }
    for entry in &dedup.kept {
        sessions[entry.session as usize].tokens.add(&entry.tokens);
    }
    sessions
}

fn add_file(acc: &mut SessionAcc, job: &Job, file: &mut FileSummary) {
    acc.tokens.add(&file.direct);
    acc.tool_calls += file.tool_calls;
    acc.malformed += file.malformed;
    if let Some(first) = file.first_ms {
        acc.first_ms = Some(acc.first_ms.map_or(first, |f| f.min(first)));
    }
    if let Some(last) = file.last_ms {
        acc.last_ms = Some(acc.last_ms.map_or(last, |l| l.max(last)));
    }
    if acc.cwd.is_none() || !job.subagent {
        acc.cwd = file.cwd.take().or(acc.cwd.take());
    }
    let main = !job.subagent;
    if file.model.is_some() && (main || !acc.model_from_main) {
        acc.model = file.model.take();
        acc.model_from_main = main;
    }
    if let Some(context) = file.context.take()
        && (acc.context.is_none() || file.last_ms >= acc.context_at)
    {
        acc.context = Some(context);
        acc.context_at = file.last_ms;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(exact: u64, by_msg: u64, sidechain: bool, output: u64) -> Entry {
        Entry {
            exact,
            by_msg,
            has_id: true,
            sidechain,
            tokens: Tokens {
                output,
                ..Tokens::default()
            },
            session: 0,
        }
    }

    #[test]
    fn sidechain_replays_with_a_new_request_id_count_once() {
        let mut dedup = Dedup::default();
        dedup.push(entry(1, 10, false, 5));
        // Same message, other request id, sidechain: the parent copy stays.
        dedup.push(entry(2, 10, true, 50));
        // Same message, other request id, both main chain: two responses.
        dedup.push(entry(3, 10, false, 7));
        let outputs: Vec<u64> = dedup.kept.iter().map(|e| e.tokens.output).collect();
        assert_eq!(outputs, vec![5, 7]);
    }
}
