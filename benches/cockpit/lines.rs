//! Transcript lines of a made-up session, written as an agent writes them.

use super::*;

/// xorshift64*: deterministic, good enough for gaps and filler.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

pub(crate) fn now_ms() -> i64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    now.as_millis() as i64
}

/// `2026-02-10T21:11:59.186Z`
pub(crate) fn iso(ms: i64) -> String {
    let when = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        when.year(),
        u8::from(when.month()),
        when.day(),
        when.hour(),
        when.minute(),
        when.second(),
        when.millisecond()
    )
}

pub(crate) fn head(kind: &str, uuid: u64, ms: i64) -> String {
    format!(
        r#""parentUuid":"00000000-0000-4000-8000-{:012x}","isSidechain":false,"userType":"external","cwd":"{CWD}","sessionId":"{SESSION}","version":"2.1.38","gitBranch":"main","type":"{kind}","uuid":"00000000-0000-4000-8000-{uuid:012x}","timestamp":"{}""#,
        uuid.saturating_sub(1),
        iso(ms)
    )
}

pub(crate) fn usage(total: u64, output: u64) -> String {
    let created = total / 12;
    let read = total - 3 - created;
    format!(
        r#""usage":{{"input_tokens":3,"cache_creation_input_tokens":{created},"cache_read_input_tokens":{read},"cache_creation":{{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":{created}}},"output_tokens":{output},"service_tier":"standard","inference_geo":"not_available"}}"#
    )
}

/// An assistant reply on the main chain reporting `total` context tokens;
/// `marker` is unique to the line (its request id).
pub(crate) fn assistant_text(uuid: u64, ms: i64, total: u64, text: &str, marker: &str) -> String {
    format!(
        r#"{{{},"message":{{"model":"{MODEL}","id":"msg_{marker}","type":"message","role":"assistant","content":[{{"type":"text","text":"{text}"}}],"stop_reason":null,"stop_sequence":null,{}}},"requestId":"req_{marker}"}}"#,
        head("assistant", uuid, ms),
        usage(total, 40 + total % 500)
    ) + "\n"
}

pub(crate) fn assistant_tool(
    uuid: u64,
    ms: i64,
    total: u64,
    tool_id: &str,
    name: &str,
    input: &str,
) -> String {
    format!(
        r#"{{{},"message":{{"model":"{MODEL}","id":"msg_{uuid:x}","type":"message","role":"assistant","content":[{{"type":"tool_use","id":"{tool_id}","name":"{name}","input":{input}}}],"stop_reason":"tool_use","stop_sequence":null,{}}},"requestId":"req_{uuid:x}"}}"#,
        head("assistant", uuid, ms),
        usage(total, 120 + total % 300)
    ) + "\n"
}

pub(crate) fn tool_result(uuid: u64, ms: i64, tool_id: &str, output: &str) -> String {
    format!(
        r#"{{{},"message":{{"role":"user","content":[{{"tool_use_id":"{tool_id}","type":"tool_result","content":"{output}","is_error":false}}]}},"toolUseResult":{{"stdout":"{output}","stderr":"","interrupted":false,"isImage":false}}}}"#,
        head("user", uuid, ms)
    ) + "\n"
}

pub(crate) fn user_prompt(uuid: u64, ms: i64, text: &str) -> String {
    format!(
        r#"{{{},"message":{{"role":"user","content":"{text}"}},"permissionMode":"default"}}"#,
        head("user", uuid, ms)
    ) + "\n"
}

pub(crate) fn progress(uuid: u64, ms: i64, output: &str) -> String {
    format!(
        r#"{{{},"data":{{"type":"bash_progress","output":"{output}","fullOutput":"{output}","elapsedTimeSeconds":3,"totalLines":12}},"toolUseID":"bash-progress-{uuid}","parentToolUseID":"toolu_{uuid:x}"}}"#,
        head("progress", uuid, ms)
    ) + "\n"
}

/// Deterministic JSON-safe filler text (escaped newlines, no quotes).
pub(crate) struct Corpus {
    pub(crate) text: String,
}

impl Corpus {
    pub(crate) fn new(rng: &mut Rng, bytes: usize) -> Self {
        const WORDS: &[&str] = &[
            "fn",
            "let",
            "mut",
            "self",
            "return",
            "match",
            "Some",
            "None",
            "Ok(())",
            "error:",
            "warning:",
            "src/app.rs",
            "src/state/mod.rs",
            "test",
            "passed",
            "failed",
            "the",
            "context",
            "window",
            "tokens",
            "render",
            "frame",
            "buffer",
            "cargo",
            "build",
            "Compiling",
            "Finished",
            "release",
            "=>",
            "{",
            "}",
            "//",
            "pub",
            "struct",
            "impl",
            "async",
            "await",
            "tokio::spawn",
            "Vec<u8>",
            "String",
            "usize",
            "0x1f",
            "42",
            "1024",
            "line",
            "column",
            "diff",
            "--git",
            "a/README.md",
            "b/README.md",
            "@@",
            "+",
            "-",
        ];
        let mut text = String::with_capacity(bytes + 64);
        let mut col = 0;
        while text.len() < bytes {
            let word = WORDS[rng.below(WORDS.len() as u64) as usize];
            text.push_str(word);
            col += word.len() + 1;
            if col > 60 + rng.below(40) as usize {
                text.push_str("\\n");
                col = 0;
            } else {
                text.push(' ');
            }
        }
        Self { text }
    }

    /// `min` to `min + spread - 1` bytes of filler, from somewhere chosen by `rng`.
    pub(crate) fn slice(&self, rng: &mut Rng, min: usize, spread: u64) -> &str {
        let len = (min + rng.below(spread) as usize).min(self.text.len() - 1);
        let start = rng.below((self.text.len() - len) as u64) as usize;
        let piece = &self.text[start..start + len];
        // Never end on a lone backslash: it would escape the closing quote.
        piece.trim_end_matches('\\')
    }
}
