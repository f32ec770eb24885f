//! The scope a prompt names: the paths it confines the work to ("only touch
//! src/parser", "limit your changes to api/") and the paths it forbids
//! ("don't change Cargo.toml", "leave migrations/ alone"). Only paths that
//! a restrictive phrase governs count: a prompt that merely mentions a file
//! ("the bug is in src/a.rs") sets no scope, so ordinary work never drifts.

use std::path::{Component, Path};
use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    /// Writes belong under one of these.
    pub allowed: Vec<String>,
    /// No write may touch these.
    pub forbidden: Vec<String>,
    /// The prompt named paths (so a later prompt without any keeps the scope).
    pub names_paths: bool,
}

impl Scope {
    pub fn is_empty(&self) -> bool {
        self.allowed.is_empty() && self.forbidden.is_empty()
    }
}

fn ci(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .expect("scope pattern")
}

const VERBS: &str = r"(?:touch|touching|change|changing|modify|modifying|edit|editing|alter|altering|write\s+to|rewrite|delete|deleting|remove|removing)";

/// Phrases followed by the paths they confine the work to.
static ALLOW: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        ci(&format!(r"\b(?:only|just|solely|exclusively)\s+{VERBS}\b")),
        ci(
            r"\b(?:only|solely|exclusively)\s+(?:work|make\s+changes|changes)\s+(?:in|on|to|inside|within|under)\b",
        ),
        ci(r"\b(?:only|solely|exclusively)\s+(?:in|inside|within|under)\b"),
        ci(
            r"\b(?:limit|restrict|confine|keep)\s+(?:yourself|your\s+(?:changes|edits|work)|the\s+(?:changes|edits|work)|changes|edits|the\s+diff)\s+(?:to|within|inside|in)\b",
        ),
        ci(r"\bstay\s+(?:with)?in(?:side)?\b"),
        ci(r"\bscope\s*:"),
    ]
});

/// Phrases followed by the paths no write may touch.
static FORBID: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        ci(&format!(
            r"\b(?:don'?t|do\s+not|never|must\s+not|mustn'?t|should\s+not|shouldn'?t|avoid|without)\s+(?:ever\s+)?{VERBS}\b"
        )),
        ci(r"\bno\s+(?:changes|edits)\s+(?:to|in)\b"),
    ]
});

/// "leave X alone", "X is off-limits": the paths come before the phrase's end.
static FORBID_AROUND: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    vec![
        ci(r"\bleave\s+(.{1,160}?)\s+(?:alone|untouched|as[\s-]is|unchanged)\b"),
        ci(
            r"(\S+(?:\s*(?:,|and)\s*\S+)*)\s+(?:is|are)\s+(?:off[\s-]limits|read[\s-]only|frozen|not\s+to\s+be\s+(?:touched|changed|modified))",
        ),
    ]
});

/// Words allowed between a phrase and its paths, or between two paths.
const FILLER: [&str; 22] = [
    "the",
    "any",
    "anything",
    "in",
    "under",
    "inside",
    "within",
    "file",
    "files",
    "directory",
    "directories",
    "folder",
    "folders",
    "dir",
    "of",
    "code",
    "to",
    "and",
    "or",
    "nor",
    "&",
    "at",
];

/// A path-like token: has a separator, or a file extension after a name.
fn as_path(word: &str) -> Option<String> {
    let w = word.trim_matches(|c: char| "`'\"()[]{}<>,;:!?*".contains(c));
    let w = w.trim_end_matches('.');
    // A glob names its directory: `src/parser/**` is `src/parser`.
    let w = w.split('*').next().unwrap_or(w);
    let has_sep = w.contains('/') && w.chars().any(char::is_alphabetic);
    let w = w.trim_end_matches('/');
    if w.is_empty() || w.contains("://") || w.starts_with('-') {
        return None;
    }
    if !w
        .chars()
        .all(|c| c.is_alphanumeric() || "._-/~@+".contains(c))
    {
        return None;
    }
    let has_ext = w.rsplit_once('.').is_some_and(|(stem, ext)| {
        stem.chars().any(char::is_alphabetic)
            && (1..=6).contains(&ext.len())
            && ext.chars().all(|c| c.is_ascii_alphanumeric())
            && ext.chars().any(|c| c.is_ascii_alphabetic())
    });
    // "e.g", "i.e", "etc." read as extensions: too short a stem to be a file.
    let abbreviation = w.len() <= 4 && !has_sep;
    ((has_sep || has_ext) && !abbreviation).then(|| w.to_string())
}

/// The paths right after `from` in `clause`: path tokens separated only by
/// filler words and commas; the first other word after a path ends them.
fn paths_after(clause: &str, from: usize) -> Vec<String> {
    let mut found = Vec::new();
    for word in clause[from..].split_whitespace() {
        if let Some(path) = as_path(word) {
            found.push(path);
        } else if FILLER.contains(&word.trim_matches(',').to_lowercase().as_str()) || word == "," {
            continue;
        } else {
            break;
        }
    }
    found
}

fn paths_in(text: &str) -> Vec<String> {
    text.split_whitespace().filter_map(as_path).collect()
}

/// Clauses end at a sentence's end or a newline, not at a path's dot.
fn clauses(text: &str) -> Vec<&str> {
    static END: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[.!?;]\s+|\n|\bbut\b").unwrap());
    END.split(text).collect()
}

pub fn parse(prompt: &str) -> Scope {
    let mut scope = Scope {
        names_paths: !paths_in(prompt).is_empty(),
        ..Scope::default()
    };
    for clause in clauses(prompt) {
        for re in FORBID.iter() {
            for m in re.find_iter(clause) {
                scope.forbidden.extend(paths_after(clause, m.end()));
            }
        }
        for re in FORBID_AROUND.iter() {
            for c in re.captures_iter(clause) {
                scope.forbidden.extend(paths_in(&c[1]));
            }
        }
        // "don't only touch" is not a scope; a forbidding clause names none.
        if FORBID.iter().any(|re| re.is_match(clause)) {
            continue;
        }
        for re in ALLOW.iter() {
            for m in re.find_iter(clause) {
                scope.allowed.extend(paths_after(clause, m.end()));
            }
        }
    }
    scope.allowed.sort();
    scope.allowed.dedup();
    scope.forbidden.sort();
    scope.forbidden.dedup();
    scope
}

fn parts(path: &Path) -> Vec<String> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect()
}

/// Whether `written` lies at or under the prompt's `named` path. A relative
/// name is resolved against `cwd`, and also accepted where it appears inside
/// the written path (`parser/lexer.rs` for `src/parser/lexer.rs`; a bare
/// `Cargo.toml` anywhere): leaning to "inside" keeps drift alerts rare.
pub fn covers(named: &str, written: &Path, cwd: Option<&Path>) -> bool {
    let named_path = Path::new(named.strip_prefix("./").unwrap_or(named));
    if named_path.is_absolute() {
        return written.starts_with(named_path);
    }
    if let Some(cwd) = cwd
        && written.starts_with(cwd.join(named_path))
    {
        return true;
    }
    let want = parts(named_path);
    let have = parts(written);
    !want.is_empty() && have.windows(want.len()).any(|w| w == want.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restrictive_phrases_name_the_scope() {
        let s = parse("Fix the lexer. Only touch src/parser/ and `src/lexer.rs`, nothing else.");
        assert_eq!(s.allowed, ["src/lexer.rs", "src/parser"]);
        let s = parse(
            "Please limit your changes to api/handlers. Don't change Cargo.toml or migrations/.",
        );
        assert_eq!(s.allowed, ["api/handlers"]);
        assert_eq!(s.forbidden, ["Cargo.toml", "migrations"]);
        let s = parse("Refactor it but leave src/legacy/old.py alone");
        assert_eq!(s.forbidden, ["src/legacy/old.py"]);
        assert!(s.allowed.is_empty());
    }

    #[test]
    fn mentions_and_unrelated_objects_are_no_scope() {
        // A file named as the place of the bug, not as a limit.
        let s = parse("The bug is in src/a.rs, see e.g. the parse fn. Run cargo test.");
        assert!(s.is_empty() && s.names_paths);
        // The object of "don't change" is the signature, not the file.
        let s = parse("don't change the public signature in src/api.rs");
        assert!(s.is_empty(), "{s:?}");
        assert!(parse("see https://example.com/a/b.html").is_empty());
    }

    #[test]
    fn covers_resolves_and_matches_inside() {
        let cwd = Path::new("/repo");
        let w = Path::new("/repo/src/parser/lexer.rs");
        assert!(covers("src/parser", w, Some(cwd)));
        assert!(covers("parser/lexer.rs", w, Some(cwd)));
        assert!(covers("lexer.rs", w, None));
        assert!(!covers("src/pars", w, Some(cwd)));
        assert!(!covers("src/api", w, Some(cwd)));
    }
}
