//! Making transcript text safe and short for one terminal line, and the
//! `*` patterns of the model table and the policy's tool names.

use unicode_width::UnicodeWidthChar;

/// Replaces every control character (and bidi overrides, which can reorder
/// what the user reads) so that transcript text can never drive the terminal.
pub fn escape_control(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {
                // U+2400..U+241F are the visible "control picture" symbols.
                let code = c as u32;
                match code {
                    0..=0x1f => out.push(char::from_u32(0x2400 + code).unwrap_or('?')),
                    0x7f => out.push('\u{2421}'),
                    _ => out.push('\u{fffd}'),
                }
            }
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' => {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

/// [`escape_control`] for text printed whole (`cockpit show`, `handoff`):
/// line breaks and tabs stay, every other control character is made visible,
/// so a stored record can never drive the user's terminal.
pub fn escape_control_keep_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            line.split('\t')
                .map(escape_control)
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first non-empty line of `text`, escaped, collapsed and cut to `max_chars`.
pub fn one_line(text: &str, max_chars: usize) -> String {
    let first = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("");
    let extra_lines = text.lines().filter(|l| !l.trim().is_empty()).count() > 1;
    let mut line = escape_control(first);
    if extra_lines {
        line.push_str(" …");
    }
    truncate_chars(&line, max_chars)
}

/// Cuts to at most `max` characters, ending with `…` when cut.
pub fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Cuts to at most `width` terminal columns, ending with `…` when cut.
pub fn truncate_width(text: &str, width: usize) -> String {
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(ch);
    }
    out.push('…');
    out
}

/// `106060` as `106,060`.
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `1234` as `1.2k`, `1_000_000` as `1.0M`, small values as they are.
pub fn compact_count(value: u64) -> String {
    match value {
        0..=999 => value.to_string(),
        1_000..=999_999 => format!("{:.1}k", value as f64 / 1_000.0),
        _ => format!("{:.1}M", value as f64 / 1_000_000.0),
    }
}

/// A duration in milliseconds as `850ms`, `3.1s`, `4m05s`, `2h13m`.
pub fn duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1_000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{:.1}s", ms as f64 / 1000.0)
    } else if ms < 3_600_000 {
        format!("{}m{:02}s", ms / 60_000, (ms / 1000) % 60)
    } else {
        format!("{}h{:02}m", ms / 3_600_000, (ms / 60_000) % 60)
    }
}

/// Time in a gauge zone as the stats view and `cockpit show` write it:
/// [`duration`], or `-` for none.
pub fn zone_duration(ms: i64) -> String {
    if ms <= 0 { "-".into() } else { duration(ms) }
}

/// Keeps a path's end (the file name) when it is too long: `…/live/page.ex`.
pub fn truncate_left(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    if unicode_width::UnicodeWidthStr::width(text) <= width {
        return text.to_string();
    }
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1; // the ellipsis
    for c in text.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            break;
        }
        used += w;
        kept.push(c);
    }
    kept.push('…');
    kept.into_iter().rev().collect()
}

/// `*` matches any run of characters (including none); everything else is literal.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &text[first.len()..];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(i) => rest = &rest[i + middle.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_model_names() {
        assert!(glob_match("*[1m]", "claude-sonnet-4-6[1m]"));
        assert!(glob_match("claude-opus-4-8*", "claude-opus-4-8"));
        assert!(glob_match("gpt-5*", "gpt-5-codex"));
        assert!(!glob_match("gpt-5*", "gpt-4o"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b*c", "axxc"));
    }

    #[test]
    fn escapes_terminal_control_sequences() {
        let nasty = "ok\x1b]0;pwned\x07\x1b[2Jdone\u{202e}";
        let safe = escape_control(nasty);
        assert!(!safe.chars().any(|c| c.is_control()));
        assert_eq!(safe, "ok\u{241b}]0;pwned\u{2407}\u{241b}[2Jdone\u{fffd}");
    }

    #[test]
    fn one_line_marks_more_lines_and_truncates() {
        assert_eq!(one_line("\n  cargo test\ncargo build", 40), "cargo test …");
        assert_eq!(one_line("abcdefgh", 5), "abcd…");
    }

    #[test]
    fn formats_numbers_and_durations() {
        assert_eq!(thousands(106_060), "106,060");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(compact_count(1_234), "1.2k");
        assert_eq!(duration(850), "850ms");
        assert_eq!(duration(3_100), "3.1s");
        assert_eq!(duration(245_000), "4m05s");
        assert_eq!(duration(7_980_000), "2h13m");
    }

    #[test]
    fn long_paths_keep_their_file_name() {
        assert_eq!(truncate_left("lib/app/live/page.ex", 10), "…e/page.ex");
        assert_eq!(truncate_left("a.rs", 10), "a.rs");
    }

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate_width("日本語テキスト", 7), "日本語…");
        assert_eq!(truncate_width("short", 10), "short");
    }
}
