//! Reading the hook's stdin: all of it, always (an agent blocked writing a
//! big input to a hook that stopped reading would hang), keeping at most
//! `limit` bytes; and, for input too big or too broken to parse, a bounded
//! scan of its beginning for the event name, so that the answer can still be
//! given in the format that event honours.

use std::io::Read;

/// What came in on stdin.
#[derive(Debug)]
pub struct Input {
    /// At most `limit` bytes.
    pub bytes: Vec<u8>,
    /// The whole input was longer than `limit` (it was read and dropped).
    pub oversized: bool,
    /// The total length read, kept bytes and dropped ones.
    pub total: u64,
    /// Reading failed part way (what was read is in `bytes`).
    pub error: Option<String>,
}

pub fn read_all(mut source: impl Read, limit: usize) -> Input {
    let mut bytes = Vec::new();
    let mut buf = vec![0u8; 64 << 10];
    let mut total = 0u64;
    let mut error = None;
    loop {
        match source.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                total += n as u64;
                let room = limit.saturating_sub(bytes.len());
                bytes.extend_from_slice(&buf[..n.min(room)]);
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => {
                error = Some(err.to_string());
                break;
            }
        }
    }
    Input {
        oversized: total > limit as u64,
        bytes,
        total,
        error,
    }
}

/// How far into the input the event name is looked for. Both agents write
/// `hook_event_name` before `tool_input`, within the first few hundred bytes.
pub const SCAN_LIMIT: usize = 64 << 10;

/// The value of the top-level `hook_event_name` key, if it is a plain name.
pub fn scan_event(bytes: &[u8]) -> Option<String> {
    scan_field(bytes, "hook_event_name")
        .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// The string value of a top-level `key`, found by walking the first
/// `SCAN_LIMIT` bytes as JSON tokens: a key inside a string or a nested
/// object (say in the content of a file being written) is never taken.
pub fn scan_field(bytes: &[u8], wanted: &str) -> Option<String> {
    let bytes = &bytes[..bytes.len().min(SCAN_LIMIT)];
    let mut depth = 0usize;
    let mut i = 0;
    // The last string closed at depth 1, and whether a `:` followed it.
    let mut key: Option<&[u8]> = None;
    let mut after_colon = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                let end = string_end(bytes, start)?;
                let text = &bytes[start..end];
                if depth == 1 {
                    if after_colon {
                        if key == Some(wanted.as_bytes()) {
                            // Decode escapes through the JSON parser.
                            return serde_json::from_slice(&bytes[i..=end]).ok();
                        }
                        after_colon = false;
                        key = None;
                    } else {
                        key = Some(text);
                    }
                }
                i = end + 1;
                continue;
            }
            b':' if depth == 1 => after_colon = key.is_some(),
            b',' if depth == 1 => {
                key = None;
                after_colon = false;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 1 {
                    // A nested value just ended: it was the value of `key`.
                    key = None;
                    after_colon = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the quote that closes the string starting at `start`.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_event_only_at_the_top_level() {
        let text = br#"{"session_id":"s","cwd":"/a\"hook_event_name\":\"Stop","hook_event_name":"PreToolUse","tool_input":{"content":"#;
        assert_eq!(scan_event(text).as_deref(), Some("PreToolUse"));
        let nested = br#"{"tool_input":{"hook_event_name":"Stop"},"x":1"#;
        assert_eq!(scan_event(nested), None);
        assert_eq!(scan_event(b"\x00garbage"), None);
        assert_eq!(scan_event(br#"{"hook_event_name":"#), None);
        let cwd = br#"{"cwd":"/a \"b\"","hook_event_name":"Stop"}"#;
        assert_eq!(scan_field(cwd, "cwd").as_deref(), Some(r#"/a "b""#));
    }

    #[test]
    fn reads_everything_and_keeps_the_limit() {
        let data = vec![b'x'; 300_000];
        let input = read_all(&data[..], 100_000);
        assert!(input.oversized);
        assert_eq!(input.total, 300_000);
        assert_eq!(input.bytes.len(), 100_000);
        let small = read_all(&b"{}"[..], 100_000);
        assert!(!small.oversized);
        assert_eq!(small.bytes, b"{}");
    }
}
