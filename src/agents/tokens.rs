//! Token estimates for content the agent has not reported usage for yet.
//!
//! tiktoken's encodings are not Claude's tokenizer, so every figure from here is
//! labelled an estimate. Loading an encoding takes a noticeable fraction of a
//! second, so it is warmed on a thread of its own at start-up and only reader
//! threads (never the UI task) wait for it.
//!
//! The encoding is a setting because they differ in memory: resident after
//! loading, p50k_base takes about 13 MB, cl100k_base 26 MB, o200k_base 50 MB.

use std::sync::OnceLock;

use serde::Deserialize;
use tiktoken_rs::CoreBPE;

use crate::agents::kind::AgentKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// The smallest that handles code well; the default.
    #[default]
    P50k,
    Cl100k,
    /// GPT-4o/GPT-5's own encoding: closest for Codex, largest in memory.
    O200k,
}

static ENCODING: OnceLock<Encoding> = OnceLock::new();

/// Chooses the encoding for the process; the first call wins.
pub fn set_encoding(encoding: Encoding) {
    let _ = ENCODING.set(encoding);
}

/// Texts longer than this are estimated from a prefix, scaled by length.
pub const EXACT_PREFIX_BYTES: usize = 256 * 1024;

/// Starts loading the encodings in the background and returns at once.
pub fn warm_up() {
    let spawned = std::thread::Builder::new()
        .name("tokenizer-warmup".into())
        .spawn(|| {
            let started = std::time::Instant::now();
            let _ = encoding(AgentKind::Claude);
            tracing::debug!(elapsed = ?started.elapsed(), "tokenizer ready");
        });
    if let Err(err) = spawned {
        tracing::warn!(%err, "could not start the tokenizer thread");
    }
}

/// One encoding for every agent: Claude's tokenizer is not public, and a
/// second encoding would double the memory.
fn encoding(_kind: AgentKind) -> &'static CoreBPE {
    match ENCODING.get().copied().unwrap_or_default() {
        Encoding::P50k => tiktoken_rs::p50k_base_singleton(),
        Encoding::Cl100k => tiktoken_rs::cl100k_base_singleton(),
        Encoding::O200k => tiktoken_rs::o200k_base_singleton(),
    }
}

/// Estimated tokens of `text` for the agent's model family. Blocks while the
/// encoding loads the first time: call it off the UI task.
pub fn estimate(kind: AgentKind, text: &str) -> u64 {
    estimate_from(kind, estimated_part(text), text.len())
}

/// What an estimate of `text` reads: all of it, or for a long text its first
/// [`EXACT_PREFIX_BYTES`] (cut on a character boundary), so that a caller can
/// keep only this part until it estimates.
pub fn estimated_part(text: &str) -> &str {
    if text.len() <= EXACT_PREFIX_BYTES {
        return text;
    }
    let mut cut = EXACT_PREFIX_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// The estimate of a text of `len` bytes whose [`estimated_part`] is `part`:
/// exact for a short text, else the part's tokens scaled by length.
pub fn estimate_from(kind: AgentKind, part: &str, len: usize) -> u64 {
    if part.is_empty() {
        return 0;
    }
    let part_tokens = encoding(kind).encode_ordinary(part).len();
    if part.len() == len {
        return part_tokens as u64;
    }
    (part_tokens as f64 * len as f64 / part.len() as f64).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_are_plausible() {
        let sentence = "The quick brown fox jumps over the lazy dog. ";
        let one = estimate(AgentKind::Claude, sentence);
        assert!((8..=14).contains(&one), "{one}");
        assert_eq!(estimate(AgentKind::Codex, ""), 0);
        let big = sentence.repeat(20_000);
        let scaled = estimate(AgentKind::Claude, &big) as f64;
        let ratio = scaled / (one as f64 * 20_000.0);
        assert!((0.9..1.1).contains(&ratio), "{ratio}");
    }
}
