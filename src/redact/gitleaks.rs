//! The gitleaks rule set (`gitleaks.toml` beside this file, MIT, its
//! LICENSE beside it): about two hundred maintained patterns of real token
//! formats, read as gitleaks reads them. A rule is tried only when one of
//! its keywords is in the text (as gitleaks does), and its regex is compiled
//! the first time that happens, so most rules never cost anything.
//!
//! What is kept of gitleaks' semantics: the secret is the rule's
//! `secretGroup`, else the first non-empty group, else the whole match; a
//! rule's `entropy` is a floor the secret must pass; the global allowlist's
//! regexes and stopwords spare a secret. Not kept: per-rule allowlists and
//! path-only rules (they are for scanning files; here more redaction is the
//! safe side).

use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use regex::bytes::Regex;
use serde::Deserialize;

const CONFIG: &str = include_str!("gitleaks.toml");

/// Compiled automata are bounded: a pathological rule is skipped, not fatal.
const REGEX_SIZE_LIMIT: usize = 16 << 20;

#[derive(Deserialize)]
struct File {
    allowlist: Option<Allowlist>,
    #[serde(default)]
    rules: Vec<RuleSpec>,
}

#[derive(Deserialize, Default)]
struct Allowlist {
    #[serde(default)]
    regexes: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
}

#[derive(Deserialize)]
struct RuleSpec {
    regex: Option<String>,
    entropy: Option<f64>,
    #[serde(rename = "secretGroup")]
    secret_group: Option<usize>,
    #[serde(default)]
    keywords: Vec<String>,
}

struct Rule {
    source: String,
    /// Lowercase, as gitleaks compares them.
    keywords: Vec<String>,
    entropy: f64,
    secret_group: usize,
    regex: OnceLock<Option<Regex>>,
}

pub struct RuleSet {
    rules: Vec<Rule>,
    allow: Vec<Regex>,
    stopwords: Vec<String>,
}

pub static RULES: LazyLock<RuleSet> = LazyLock::new(RuleSet::bundled);

impl RuleSet {
    fn bundled() -> Self {
        let file: File = toml::from_str(CONFIG).expect("the bundled gitleaks.toml parses");
        let allowlist = file.allowlist.unwrap_or_default();
        let rules = file
            .rules
            .into_iter()
            .filter_map(|spec| {
                Some(Rule {
                    source: spec.regex?,
                    keywords: spec.keywords.iter().map(|k| k.to_lowercase()).collect(),
                    entropy: spec.entropy.unwrap_or(0.0),
                    secret_group: spec.secret_group.unwrap_or(0),
                    regex: OnceLock::new(),
                })
            })
            .collect();
        Self {
            rules,
            allow: allowlist
                .regexes
                .iter()
                .filter_map(|r| compile(r))
                .collect(),
            stopwords: allowlist
                .stopwords
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
        }
    }

    /// The byte ranges of `text` that are secrets by some rule.
    pub fn secrets(&self, text: &str) -> Vec<Range<usize>> {
        let lower = text.to_lowercase();
        // Lowercasing can change byte offsets outside ASCII; keywords are
        // only a filter, the regexes run on `text` itself.
        let mut found = Vec::new();
        for rule in &self.rules {
            if !rule.keywords.is_empty() && !rule.keywords.iter().any(|k| lower.contains(k)) {
                continue;
            }
            let Some(regex) = rule.regex.get_or_init(|| compile(&rule.source)) else {
                continue;
            };
            for caps in regex.captures_iter(text.as_bytes()) {
                let whole = caps.get(0).expect("group 0 is the match");
                let secret = match rule.secret_group {
                    0 => (1..caps.len())
                        .filter_map(|i| caps.get(i))
                        .find(|m| !m.is_empty())
                        .unwrap_or(whole),
                    n => match caps.get(n) {
                        Some(m) => m,
                        None => continue,
                    },
                };
                let range = snap(text, secret.range());
                let value = text[range.clone()].trim_matches('\n');
                if value.is_empty()
                    || (rule.entropy > 0.0 && shannon_entropy(value) <= rule.entropy)
                    || self.allowed(value)
                {
                    continue;
                }
                found.push(range);
            }
        }
        found
    }

    fn allowed(&self, secret: &str) -> bool {
        let lower = secret.to_lowercase();
        self.allow.iter().any(|r| r.is_match(secret.as_bytes()))
            || self.stopwords.iter().any(|w| lower.contains(w.as_str()))
    }
}

/// Go's classes (`\w`, `\d`, `\s`) are ASCII: so are these, which also
/// keeps each automaton small. Run over bytes, hence [`snap`].
fn compile(source: &str) -> Option<Regex> {
    match regex::bytes::RegexBuilder::new(source)
        .unicode(false)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
    {
        Ok(regex) => Some(regex),
        Err(err) => {
            tracing::debug!("gitleaks rule skipped: {err}");
            None
        }
    }
}

/// `range` widened to character boundaries: a byte pattern may start or
/// end inside a multi-byte character, and more redaction is the safe side.
fn snap(text: &str, range: Range<usize>) -> Range<usize> {
    let mut start = range.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = range.end.min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Bits per character, as gitleaks computes it.
fn shannon_entropy(text: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for ch in text.chars() {
        *counts.entry(ch).or_insert(0u32) += 1;
    }
    let len = text.chars().count() as f64;
    counts
        .values()
        .map(|&n| {
            let p = f64::from(n) / len;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_of_the_bundled_set_compiles() {
        let set = RuleSet::bundled();
        assert!(set.rules.len() > 200, "{}", set.rules.len());
        let failed: Vec<&str> = set
            .rules
            .iter()
            .filter(|r| compile(&r.source).is_none())
            .map(|r| r.source.as_str())
            .collect();
        assert!(failed.is_empty(), "{failed:#?}");
    }

    #[test]
    fn a_range_inside_a_character_grows_to_its_edges() {
        let text = "aé b";
        assert_eq!(snap(text, 2..4), 1..4);
    }

    #[test]
    fn entropy_is_bits_per_character() {
        assert_eq!(shannon_entropy("aaaa"), 0.0);
        assert!((shannon_entropy("abcd") - 2.0).abs() < 1e-9);
    }
}
