//! A JSON string literal decoded into one allocation, or into its two ends
//! only. serde_json decodes a string with escapes into a scratch buffer and
//! then copies it out, so a tool result of a few megabytes briefly took
//! twice its size on top of the line it came in (the peak of following a
//! long history).

use serde_json::value::RawValue;

/// The text of `raw` as serde_json would decode it into a `String` (an
/// empty one when it cannot, or when `raw` is not a string).
pub fn decode(raw: &RawValue) -> String {
    let raw = raw.get();
    let mut out = String::with_capacity(raw.len());
    match decode_literal(raw, &mut out) {
        Some(()) => out,
        None => serde_json::from_str(raw).unwrap_or_default(),
    }
}

/// The start and the end of a decoded string, and its whole length.
#[derive(Debug, PartialEq)]
pub struct Edges {
    /// The first `head` bytes at most, cut on a character boundary.
    pub head: String,
    /// The last `tail` bytes at most, cut on a character boundary.
    pub tail: String,
    pub len: usize,
}

/// The ends of `raw`'s text, decoded in one pass without keeping the
/// middle; `None` when `raw` is not a string [`decode`] would read itself.
pub fn decode_edges(raw: &RawValue, head: usize, tail: usize) -> Option<Edges> {
    let mut sink = EdgeSink {
        head: String::with_capacity(head),
        head_full: false,
        keep_head: head,
        tail: Vec::with_capacity(2 * tail),
        keep_tail: tail,
        len: 0,
    };
    decode_literal(raw.get(), &mut sink)?;
    let mut tail = sink.tail;
    if tail.len() > sink.keep_tail {
        tail.drain(..tail.len() - sink.keep_tail);
    }
    // Continuation bytes of a character that began before the tail.
    let start = tail
        .iter()
        .take_while(|b| (0x80..0xC0).contains(*b))
        .count();
    tail.drain(..start);
    Some(Edges {
        head: sink.head,
        tail: String::from_utf8(tail).ok()?,
        len: sink.len,
    })
}

/// Where decoded text goes.
trait Sink {
    fn put(&mut self, text: &str);
}

impl Sink for String {
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }
}

struct EdgeSink {
    head: String,
    /// The head stopped (on a character boundary) short of `keep_head`.
    head_full: bool,
    keep_head: usize,
    /// The newest bytes, trimmed to `keep_tail` now and then.
    tail: Vec<u8>,
    keep_tail: usize,
    len: usize,
}

impl Sink for EdgeSink {
    fn put(&mut self, text: &str) {
        self.len += text.len();
        if !self.head_full {
            let mut room = self.keep_head - self.head.len();
            if room >= text.len() {
                self.head.push_str(text);
            } else {
                while !text.is_char_boundary(room) {
                    room -= 1;
                }
                self.head.push_str(&text[..room]);
                self.head_full = true;
            }
        }
        let bytes = text.as_bytes();
        if bytes.len() >= self.keep_tail {
            self.tail.clear();
            self.tail
                .extend_from_slice(&bytes[bytes.len() - self.keep_tail..]);
        } else {
            self.tail.extend_from_slice(bytes);
            if self.tail.len() > 2 * self.keep_tail {
                self.tail.drain(..self.tail.len() - self.keep_tail);
            }
        }
    }
}

/// Decodes the escapes of a string literal serde_json has validated (no raw
/// quote or control character inside) into `out`; `None` for anything
/// unusual (a lone surrogate), which is left to serde_json to judge.
fn decode_literal(raw: &str, out: &mut impl Sink) -> Option<()> {
    let body = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut rest = body;
    let mut utf8 = [0; 4];
    while let Some(at) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.put(&rest[..at]);
        let escape = *rest.as_bytes().get(at + 1)?;
        rest = rest.get(at + 2..)?;
        let decoded = match escape {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = hex4(rest)?;
                rest = &rest[4..];
                if (0xD800..0xDC00).contains(&first) {
                    let low = hex4(rest.strip_prefix("\\u")?)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    rest = &rest[6..];
                    char::from_u32(0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00))?
                } else {
                    char::from_u32(first)?
                }
            }
            _ => return None,
        };
        out.put(decoded.encode_utf8(&mut utf8));
    }
    out.put(rest);
    Some(())
}

fn hex4(text: &str) -> Option<u32> {
    let digits = text.get(..4)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(literal: &str) -> &RawValue {
        serde_json::from_str(literal).unwrap()
    }

    #[test]
    fn decodes_as_serde_json_does() {
        for literal in [
            r#""""#,
            r#""plain text""#,
            r#""line\nnext\ttab \"quoted\" back\\slash \/ \b\f\r""#,
            r#""caf\u00e9 \u20ac \ud83d\ude00 snow\u2603""#,
            r#""ends with an escape\n""#,
            r#""\\""#,
            "\"é ✓ unescaped\"",
        ] {
            let expected: String = serde_json::from_str(literal).unwrap();
            assert_eq!(decode(raw(literal)), expected);
        }
    }

    #[test]
    fn every_character_serde_json_writes_comes_back() {
        let text: String = (0..0x800u32)
            .chain([0xFFFD, 0x1F600, 0x10FFFF])
            .filter_map(char::from_u32)
            .collect();
        let literal = serde_json::to_string(&text).unwrap();
        assert_eq!(decode(raw(&literal)), text);
    }

    #[test]
    fn what_it_cannot_decode_is_left_to_serde_json() {
        // A lone surrogate: serde_json refuses it, and so the text is empty as before.
        for literal in [
            r#""\ud800 alone""#,
            r#""\udc00 low first""#,
            r#""\ud800\u0041""#,
        ] {
            assert_eq!(decode_literal(literal, &mut String::new()), None);
            assert_eq!(decode(raw(literal)), "");
        }
        assert_eq!(decode_literal(r#""\x""#, &mut String::new()), None);
        assert_eq!(decode_literal(r#""cut \u12""#, &mut String::new()), None);
        assert_eq!(decode(raw("[1, 2]")), "");
    }

    #[test]
    fn the_edges_are_the_ends_of_the_whole_text() {
        let text: String = (0..20_000u32)
            .map(|i| match i % 7 {
                0 => '\n',
                1 => 'é',
                2 => '😀',
                3 => '"',
                _ => char::from_u32(0x61 + i % 26).unwrap(),
            })
            .collect();
        let literal = serde_json::to_string(&text).unwrap();
        for (head, tail) in [(1_000, 1_000), (4_101, 4_103), (1, 2), (50_000, 50_000)] {
            let edges = decode_edges(raw(&literal), head, tail).unwrap();
            assert_eq!(edges.len, text.len());
            assert!(text.starts_with(&edges.head) && edges.head.len() + 3 >= head.min(text.len()));
            assert!(text.ends_with(&edges.tail) && edges.tail.len() + 3 >= tail.min(text.len()));
            assert!(edges.head.len() <= head && edges.tail.len() <= tail);
        }
        assert_eq!(decode_edges(raw(r#""\ud800""#), 10, 10), None);
    }
}
