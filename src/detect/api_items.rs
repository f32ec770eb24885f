//! The public items a source file defines (Rust `pub fn`/types, exported
//! JS/TS functions and classes, Python public defs and classes, Go exported
//! funcs and types), one table row per form, and what a change did to them:
//! removed (or renamed away) or its parameter list changed.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Rust,
    Script,
    Python,
    Go,
}

/// The language of a file, by extension; JS and TS reference each other.
pub fn lang_of(path: &Path) -> Option<Lang> {
    match path.extension()?.to_str()? {
        "rs" => Some(Lang::Rust),
        "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "mts" | "cts" => Some(Lang::Script),
        "py" => Some(Lang::Python),
        "go" => Some(Lang::Go),
        _ => None,
    }
}

/// `(?P<name>)` is the item, `(?P<params>)` its parameters when they close
/// on the same line (a multi-line list is not compared).
static ROWS: LazyLock<Vec<(Lang, Regex)>> = LazyLock::new(|| {
    let rows: [(Lang, &str); 11] = [
        (
            Lang::Rust,
            r#"^\s*pub(?:\([^)]*\))?\s+(?:(?:const|async|unsafe|extern(?:\s+"[^"]*")?)\s+)*fn\s+(?P<name>[A-Za-z_]\w*)\s*(?:<[^()]*>)?\s*(?:\((?P<params>[^()]*)\))?"#,
        ),
        (
            Lang::Rust,
            r"^\s*pub(?:\([^)]*\))?\s+(?:struct|enum|trait|union|type)\s+(?P<name>[A-Za-z_]\w*)",
        ),
        (
            Lang::Script,
            r"^\s*export\s+(?:default\s+)?(?:async\s+)?function\s*\*?\s*(?P<name>[A-Za-z_$][\w$]*)\s*(?:<[^()]*>)?\s*(?:\((?P<params>[^()]*)\))?",
        ),
        (
            Lang::Script,
            r"^\s*export\s+(?:default\s+)?(?:abstract\s+)?(?:class|interface|enum|type)\s+(?P<name>[A-Za-z_$][\w$]*)",
        ),
        (
            Lang::Script,
            r"^\s*export\s+(?:const|let|var)\s+(?P<name>[A-Za-z_$][\w$]*)\s*(?::[^=]*)?=\s*(?:async\s+)?(?:function\b|\((?P<params>[^()]*)\)\s*(?::[^=]*)?=>|[A-Za-z_$][\w$]*\s*=>)",
        ),
        // A TS method said public, in any class.
        (
            Lang::Script,
            r"^\s+public\s+(?:static\s+)?(?:async\s+)?(?P<name>[A-Za-z_$][\w$]*)\s*(?:<[^()]*>)?\s*(?:\((?P<params>[^()]*)\))?",
        ),
        (
            Lang::Python,
            r"^(?:async\s+)?def\s+(?P<name>[A-Za-z]\w*)\s*(?:\((?P<params>[^()]*)\))?",
        ),
        (Lang::Python, r"^class\s+(?P<name>[A-Za-z]\w*)"),
        // A public method: indented, no leading underscore.
        (
            Lang::Python,
            r"^\s+(?:async\s+)?def\s+(?P<name>[A-Za-z]\w*)\s*(?:\((?P<params>[^()]*)\))?",
        ),
        (
            Lang::Go,
            r"^func\s+(?:\([^)]*\)\s*)?(?P<name>[A-Z]\w*)\s*(?:\[[^\]]*\])?\s*(?:\((?P<params>[^()]*)\))?",
        ),
        (Lang::Go, r"^type\s+(?P<name>[A-Z]\w*)\s"),
    ];
    rows.into_iter()
        .map(|(lang, re)| (lang, Regex::new(re).expect("item pattern")))
        .collect()
});

/// Each public item's name, and the parameter lists of its definitions
/// (`None` for a type, or a list that does not close on its line).
pub fn items(lang: Lang, text: &str) -> BTreeMap<String, Vec<Option<String>>> {
    let mut found: BTreeMap<String, Vec<Option<String>>> = BTreeMap::new();
    let rows: Vec<&Regex> = ROWS
        .iter()
        .filter(|(l, _)| *l == lang)
        .map(|(_, r)| r)
        .collect();
    for line in text.lines() {
        if let Some(c) = rows.iter().find_map(|re| re.captures(line)) {
            let params = c.name("params").map(|p| normalize(p.as_str()));
            found.entry(c["name"].to_string()).or_default().push(params);
        }
    }
    found
}

fn normalize(params: &str) -> String {
    params
        .split(',')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Gone from the file (deleted, or renamed to another name).
    Removed,
    /// Still there with other parameters.
    Signature { before: String, after: String },
}

/// What the change from `before` (HEAD) to `after` (now) did to the file's
/// public items. A name defined more than once (overloads, methods of
/// several classes) is only said removed when all are gone.
pub fn changes(lang: Lang, before: &str, after: &str) -> Vec<(String, Change)> {
    let now = items(lang, after);
    let mut out = Vec::new();
    for (name, defs) in items(lang, before) {
        match now.get(&name) {
            None => out.push((name, Change::Removed)),
            Some(now_defs) => {
                if let ([Some(b)], [Some(a)]) = (defs.as_slice(), now_defs.as_slice())
                    && b != a
                    && !only_optional_added(b, a)
                {
                    out.push((
                        name,
                        Change::Signature {
                            before: b.clone(),
                            after: a.clone(),
                        },
                    ));
                }
            }
        }
    }
    out
}

/// `a, b` to `a, b, c=1` (or `c?: T`): callers need not change.
fn only_optional_added(before: &str, after: &str) -> bool {
    let Some(rest) = after.strip_prefix(before) else {
        return false;
    };
    let rest = rest.trim_start_matches(',').trim();
    !rest.is_empty()
        && rest.split(',').all(|p| {
            p.contains('=') || p.split(':').next().is_some_and(|n| n.trim().ends_with('?'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_public_items_in_each_language() {
        let rust = "pub fn parse(input: &str) -> Ast {\nfn private() {}\n    pub(crate) async fn load(\n        path: &Path,\n    ) {}\npub struct Ast;\n";
        let found = items(Lang::Rust, rust);
        assert_eq!(found.keys().collect::<Vec<_>>(), ["Ast", "load", "parse"]);
        assert_eq!(found["parse"], [Some("input: &str".to_string())]);
        assert_eq!(found["load"], [None]);
        let ts = "export function total(items: Item[]) {}\nexport const price = (a, b) => a\nfunction inner() {}\nexport default class Cart {}\n";
        let names: Vec<String> = items(Lang::Script, ts).into_keys().collect();
        assert_eq!(names, ["Cart", "price", "total"]);
        let py = "def load(path):\n    pass\ndef _hidden():\n    pass\nclass Shop:\n    def add(self, item):\n        pass\n";
        let names: Vec<String> = items(Lang::Python, py).into_keys().collect();
        assert_eq!(names, ["Shop", "add", "load"]);
        let go = "func Open(dsn string) (*DB, error) {\nfunc (d *DB) Close() error {\nfunc helper() {}\ntype DB struct {\n";
        let names: Vec<String> = items(Lang::Go, go).into_keys().collect();
        assert_eq!(names, ["Close", "DB", "Open"]);
    }

    #[test]
    fn removals_and_signature_changes_not_compatible_additions() {
        let before = "def load(path):\ndef save(path, data):\ndef keep(a):\n";
        let after = "def load_file(path):\ndef save(path):\ndef keep(a, b=None):\n";
        assert_eq!(
            changes(Lang::Python, before, after),
            [
                ("load".to_string(), Change::Removed),
                (
                    "save".to_string(),
                    Change::Signature {
                        before: "path, data".into(),
                        after: "path".into()
                    }
                ),
            ]
        );
        // Body edits and a reformatted list change nothing.
        let b = "pub fn f(a: u8,  b: u8) -> u8 {\n    a\n}\n";
        let a = "pub fn f(a: u8, b: u8) -> u8 {\n    b\n}\n";
        assert!(changes(Lang::Rust, b, a).is_empty());
    }
}
