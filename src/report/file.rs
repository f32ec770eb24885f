//! What one transcript file adds to its session, as the workers hand it over.

use super::rows::Tokens;

/// One Claude API response, reduced to what de-duplication needs. Ids are kept
/// as 64-bit hashes: the merge holds one of these per distinct response of the
/// whole history, so it must stay small.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Hash of `message.id` + `requestId`; meaningful only when `has_id`.
    pub exact: u64,
    /// Hash of `message.id` alone (sidechain replays change the request id).
    pub by_msg: u64,
    pub has_id: bool,
    pub sidechain: bool,
    pub tokens: Tokens,
    /// The session the kept copy belongs to (set by the merge).
    pub session: u32,
}

impl Entry {
    pub fn total(&self) -> u64 {
        self.tokens.total()
    }

    /// ccusage's rule for two copies of one response: a main-chain copy wins
    /// over a sidechain one, then the larger total (the last streaming split),
    /// and on a tie the copy seen first stays.
    pub fn beats(&self, kept: &Entry) -> bool {
        if self.sidechain != kept.sidechain {
            return kept.sidechain;
        }
        self.total() > kept.total()
    }
}

/// The agent's own report of the context at the end of a file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// `None` after a compaction with no usage since (Claude), or never reported.
    pub tokens: Option<u64>,
    /// The window the agent reported (Codex).
    pub window: Option<u64>,
    /// The largest context seen: over the model table's window it means 1M.
    pub peak: u64,
}

#[derive(Debug, Default)]
pub struct FileSummary {
    /// Claude responses, already de-duplicated within this file, in order.
    pub entries: Vec<Entry>,
    /// Codex usage, final as read (one event is one request).
    pub direct: Tokens,
    pub tool_calls: u64,
    /// Lines that were parsed and were not valid JSON, plus over-long lines.
    pub malformed: u64,
    pub oversized: u64,
    pub bytes: u64,
    pub first_ms: Option<i64>,
    pub last_ms: Option<i64>,
    /// The model of the last main-chain reply, else of any reply.
    pub model: Option<String>,
    pub cwd: Option<String>,
    /// The session id the lines name (flat Claude subagent files, Codex).
    pub session_id: Option<String>,
    /// Set only for files that own their session's gauge (not subagents).
    pub context: Option<Context>,
}

impl FileSummary {
    pub fn saw_time(&mut self, at: Option<i64>) {
        let Some(at) = at else { return };
        self.first_ms = Some(self.first_ms.map_or(at, |f| f.min(at)));
        self.last_ms = Some(self.last_ms.map_or(at, |l| l.max(at)));
    }
}

/// FNV-1a: a tiny, dependency-free 64-bit hash, good enough for ids that
/// are already random (collisions at 1M ids: about 3 in 100 million).
pub fn hash_parts(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A separator that cannot appear in JSON text keeps ("ab","c") != ("a","bc").
            h ^= 0xff;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}
