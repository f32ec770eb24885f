//! A JSON string literal decoded into one allocation. serde_json decodes a
//! string with escapes into a scratch buffer and then copies it out, so a
//! tool result of a few megabytes briefly took twice its size on top of the
//! line it came in (the peak of following a long history).

use serde_json::value::RawValue;

/// The text of `raw` as serde_json would decode it into a `String` (an
/// empty one when it cannot, or when `raw` is not a string).
pub fn decode(raw: &RawValue) -> String {
    let raw = raw.get();
    decode_literal(raw)
        .or_else(|| serde_json::from_str(raw).ok())
        .unwrap_or_default()
}

/// Decodes the escapes of a string literal serde_json has validated (no raw
/// quote or control character inside); `None` for anything unusual (a lone
/// surrogate), which is left to serde_json to judge.
fn decode_literal(raw: &str) -> Option<String> {
    let body = raw.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = memchr::memchr(b'\\', rest.as_bytes()) {
        out.push_str(&rest[..at]);
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
    out.push_str(rest);
    Some(out)
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
            assert_eq!(decode_literal(literal).as_deref(), Some(expected.as_str()));
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
            assert_eq!(decode_literal(literal), None, "{literal}");
            assert_eq!(decode(raw(literal)), "");
        }
        assert_eq!(decode_literal(r#""\x""#), None);
        assert_eq!(decode_literal(r#""cut \u12""#), None);
        assert_eq!(decode(raw("[1, 2]")), "");
    }
}
