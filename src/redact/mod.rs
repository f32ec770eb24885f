//! Recognisable secrets replaced before anything is written: the session
//! record, the handoff and the log.
//!
//! The patterns are gitleaks' maintained rule set ([`gitleaks`], bundled
//! with its licence), read by the cockpit itself: no maintained crate ships
//! such a set as a library that redacts a string. A few generic shapes
//! gitleaks leaves to its entropy rules follow it here as a backstop
//! (`Authorization: Bearer …`, `NAME_TOKEN=…`, a password in a URL, a PEM
//! private key). It is a safety net for what passes through the cockpit,
//! not a scanner.

mod gitleaks;

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// What a secret is replaced with.
pub const MARK: &str = "[REDACTED]";

/// Token formats with a fixed prefix: the whole match is the secret.
const TOKENS: &[&str] = &[
    r"(?:gh[oprsu]|github_pat)_[0-9A-Za-z_]{20,255}", // GitHub
    r"glpat-[0-9A-Za-z_\-]{20,}",                     // GitLab
    r"sk-(?:ant-|proj-|svcacct-)?[0-9A-Za-z_\-]{16,}", // Anthropic, OpenAI
    r"(?:AKIA|ASIA)[0-9A-Z]{16}",                     // AWS access key id
    r"xox[abposr]-[0-9A-Za-z\-]{10,}",                // Slack
    r"AIza[0-9A-Za-z_\-]{35}",                        // Google API key
    r"[rs]k_live_[0-9A-Za-z]{16,}",                   // Stripe
    r"npm_[0-9A-Za-z]{36}",                           // npm
    r"eyJ[0-9A-Za-z_\-]{8,}\.eyJ[0-9A-Za-z_\-]{8,}\.[0-9A-Za-z_\-]{8,}", // JWT
];

/// A PEM private key block, to its end (or the end of the text).
const PRIVATE_KEY: &str =
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)";

/// Each token must start a word: `task-…` or `disk-…` is not an `sk-` key.
static TOKEN_RE: LazyLock<Regex> = LazyLock::new(|| {
    let any = TOKENS.join("|");
    Regex::new(&format!(r"\b(?:{any})|{PRIVATE_KEY}")).expect("built-in secret patterns compile")
});

/// `Bearer <secret>`, `Basic <secret>`, and `NAME_TOKEN=<secret>` style
/// assignments: the name stays (it says what was there), the value goes.
static KEYED_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i:(\b(?:bearer|basic|token)\s+))[0-9A-Za-z_\-\.=+/~]{12,}",
        r#"|(\b[A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)[A-Z0-9_]*\s*[=:]\s*["']?)[^\s"']{6,}"#,
        r"|(://[^/\s:@]+:)[^/\s@]{3,}(@)",
    ))
    .expect("built-in secret patterns compile")
});

/// `text` with every recognisable secret replaced by [`MARK`].
pub fn redact(text: &str) -> Cow<'_, str> {
    let text = by_rules(text);
    match backstop(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(done) => Cow::Owned(done),
    }
}

/// The gitleaks rules' secrets replaced (overlapping ranges merged).
fn by_rules(text: &str) -> Cow<'_, str> {
    let mut ranges = gitleaks::RULES.secrets(text);
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        if range.end <= at {
            continue;
        }
        let start = range.start.max(at);
        out.push_str(&text[at..start]);
        out.push_str(MARK);
        at = range.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

fn backstop(text: &str) -> Cow<'_, str> {
    let keyed = KEYED_RE.replace_all(text, |caps: &regex::Captures<'_>| {
        let keep = caps.get(1).or(caps.get(2)).or(caps.get(3));
        let tail = caps.get(4).map_or("", |m| m.as_str());
        format!("{}{MARK}{tail}", keep.map_or("", |m| m.as_str()))
    });
    let tokens = match TOKEN_RE.replace_all(&keyed, MARK) {
        Cow::Borrowed(_) => None,
        Cow::Owned(done) => Some(done),
    };
    tokens.map_or(keyed, Cow::Owned)
}

/// Every string in a JSON value redacted in place (keys are ours, not data).
pub fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => {
            if let Cow::Owned(clean) = redact(text) {
                *text = clean;
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        serde_json::Value::Object(map) => map.values_mut().for_each(redact_json),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Unchanged {
        fn is_empty_change(&self) -> bool;
    }

    impl Unchanged for Cow<'_, str> {
        fn is_empty_change(&self) -> bool {
            matches!(self, Cow::Borrowed(_))
        }
    }

    #[test]
    fn known_tokens_and_keyed_values_go() {
        let gh = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
        let cases = [
            (
                format!("GITHUB_TOKEN={gh} cargo test"),
                "GITHUB_TOKEN=[REDACTED] cargo test".to_string(),
            ),
            (
                "curl -H 'Authorization: Bearer sk-abcdefghijklmnopqrstu' x".to_string(),
                "curl -H 'Authorization: Bearer [REDACTED]' x".to_string(),
            ),
            (format!("echo {gh}"), "echo [REDACTED]".to_string()),
            (
                "key: -----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY----- ok"
                    .into(),
                "key: [REDACTED] ok".into(),
            ),
            (
                "git clone https://me:hunter22@example.invalid/r".into(),
                "git clone https://me:[REDACTED]@example.invalid/r".into(),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(redact(&input), want, "{input}");
        }
    }

    /// Formats only the bundled gitleaks rules know, each with its own
    /// prefix, keyword filter and entropy floor.
    #[test]
    fn the_gitleaks_rules_catch_what_the_backstop_does_not() {
        let cases = [
            "HF=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 run",
            "doctl auth init -t dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef ok",
            "export X=shpat_0123456789abcdefABCDEF0123456789 && deploy",
        ];
        for input in cases {
            assert!(
                backstop(input).is_empty_change(),
                "the backstop alone sees {input}"
            );
            let out = redact(input);
            assert!(out.contains(MARK), "{input} -> {out}");
            for secret in ["hf_ujzP", "dop_v1_0123", "shpat_0123"] {
                assert!(!out.contains(secret), "{out}");
            }
            // What is around the secret stays.
            assert!(out.ends_with(input.rsplit(' ').next().unwrap()), "{out}");
        }
        // A low-entropy look-alike is not a secret (the rule's floor).
        let flat = "hf_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
        assert_eq!(redact(flat), flat);
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in [
            "cargo test --locked",
            "git push origin main",
            "read src/token.rs and fix the tokenizer",
            "the session 4d5611e5-241a-462a-8d15-5122611a9569",
            "context: 12,345 tokens; total_tokens: 98765",
            "df -h && ./disk-usage-monitor-service --task-0123456789abcdef",
        ] {
            assert!(matches!(redact(text), Cow::Borrowed(_)), "{text}");
        }
    }
}
