//! A JSON string literal decoded into one allocation. serde_json decodes a
//! string with escapes into a scratch buffer and then copies it out, so a
//! tool result of a few megabytes briefly took twice its size on top of the
//! line it came in (the peak of following a long history).

/// The text of `raw`, a JSON string literal with its quotes, as serde_json
/// would decode it into a `String` (an empty one when it cannot).
pub fn decode(raw: &str) -> String {
    decode_plain(raw)
        .or_else(|| serde_json::from_str(raw).ok())
        .unwrap_or_default()
}

/// Decodes the escapes of a literal already validated by serde_json;
/// `None` for anything else (a lone surrogate, a bad escape), which is
/// left to serde_json to judge.
fn decode_plain(raw: &str) -> Option<String> {
    let body = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(plain(&rest[..at])?);
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
        out.push(decoded);
    }
    out.push_str(plain(rest)?);
    Some(out)
}

/// Text between escapes: an unescaped quote would have ended the literal,
/// and control characters must be escaped.
fn plain(text: &str) -> Option<&str> {
    (!text.bytes().any(|b| b == b'"' || b < 0x20)).then_some(text)
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

    #[test]
    fn decodes_as_serde_json_does() {
        for raw in [
            r#""""#,
            r#""plain text""#,
            r#""line\nnext\ttab \"quoted\" back\\slash \/ \b\f\r""#,
            r#""caf\u00e9 \u20ac \ud83d\ude00 snow\u2603""#,
            r#""ends with an escape\n""#,
            r#""\\""#,
            "\"é ✓ unescaped\"",
        ] {
            let expected: String = serde_json::from_str(raw).unwrap();
            assert_eq!(
                decode_plain(raw).as_deref(),
                Some(expected.as_str()),
                "{raw}"
            );
        }
    }

    #[test]
    fn every_character_serde_json_writes_comes_back() {
        let text: String = (0..0x800u32)
            .chain([0xFFFD, 0x1F600, 0x10FFFF])
            .filter_map(char::from_u32)
            .collect();
        let raw = serde_json::to_string(&text).unwrap();
        assert_eq!(decode_plain(&raw).as_deref(), Some(text.as_str()));
    }

    #[test]
    fn what_it_cannot_decode_is_left_to_serde_json() {
        // A lone surrogate: serde_json refuses it, and so the text is empty as before.
        assert_eq!(decode_plain(r#""\ud800 alone""#), None);
        assert_eq!(decode(r#""\ud800 alone""#), "");
        assert_eq!(decode_plain(r#""\udc00 low first""#), None);
        assert_eq!(decode_plain(r#""\ud800\u0041""#), None);
        assert_eq!(decode_plain(r#""\x""#), None);
        assert_eq!(decode_plain(r#""cut \u12""#), None);
        assert_eq!(decode_plain("not a string"), None);
        assert_eq!(decode_plain(r#""a " quote""#), None);
        assert_eq!(decode_plain("\"a\nraw newline\""), None);
        assert_eq!(decode_plain(r#""\é""#), None);
        assert_eq!(decode("not a string"), "");
    }
}
