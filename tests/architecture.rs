//! The shape of `src/`: no circle of imports between files, no file over
//! 300 lines. A file's imports are read from its text: `use` trees and
//! paths in code that start with `crate::`, `super::`, `self::` or the name
//! of one of its child modules, each resolved to the file that holds the
//! longest module prefix of the path (`crate::store::schema::Agent` ->
//! `src/store/schema.rs`). Unit tests (`#[cfg(test)]`) are not counted:
//! they are not part of the build. A circle means neither file can be read,
//! changed or tested without the other: the shared items want a home.
//!
//! Top-level modules (`src/<m>/` and `src/<m>.rs` as one node) depend one
//! way too: no two import each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Circles left for now, each one strongly connected set of files and why.
/// A new circle fails the test, and so does one of these once it is gone
/// (take it off the list).
const KNOWN: &[(&[&str], &str)] = &[];

#[test]
fn no_file_imports_itself_through_a_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_tree(&root, &root, &mut files);
    assert!(files.len() > 50, "read only {} files", files.len());
    let graph = Graph::of(&files);
    let circles = graph.circles();
    let found: BTreeSet<Vec<String>> = circles.iter().cloned().collect();
    let known: BTreeSet<Vec<String>> = KNOWN
        .iter()
        .map(|(set, _why)| set.iter().map(|f| f.to_string()).collect())
        .collect();
    let report: String = circles
        .iter()
        .filter(|set| !known.contains(*set))
        .map(|set| graph.describe(set))
        .collect();
    assert!(report.is_empty(), "import circles between files:\n{report}");
    let gone: Vec<_> = known.difference(&found).collect();
    assert!(
        gone.is_empty(),
        "no longer circles, take off KNOWN: {gone:?}"
    );
}

/// Pairs of top-level modules left importing each other, and why: none. A
/// new pair fails the test, and so would one listed here once it is gone.
const KNOWN_MODULE_PAIRS: &[((&str, &str), &str)] = &[];

/// Issue 18: top-level modules depend one way.
#[test]
fn no_two_top_level_modules_import_each_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_tree(&root, &root, &mut files);
    let graph = Graph::of(&files).modules();
    let pairs = graph.mutual_pairs();
    let known: BTreeSet<(String, String)> = KNOWN_MODULE_PAIRS
        .iter()
        .map(|((a, b), _why)| (a.to_string(), b.to_string()))
        .collect();
    let report: String = pairs
        .iter()
        .filter(|pair| !known.contains(*pair))
        .map(|(a, b)| graph.describe(&[a.clone(), b.clone()]))
        .collect();
    assert!(
        report.is_empty(),
        "top-level modules importing each other:\n{report}"
    );
    let found: BTreeSet<(String, String)> = pairs.into_iter().collect();
    let gone: Vec<_> = known.difference(&found).collect();
    assert!(
        gone.is_empty(),
        "no longer import each other, take off KNOWN_MODULE_PAIRS: {gone:?}"
    );
}

#[test]
fn the_module_check_joins_a_modules_files_and_sees_pairs_only() {
    let files = [
        ("lib.rs", "pub mod a; pub mod b; pub mod c; pub mod d;"),
        // a/ and b.rs import each other, through files that do not.
        ("a/mod.rs", "mod x; mod y; pub use x::X;"),
        ("a/x.rs", "use crate::b::B; pub struct X;"),
        ("a/y.rs", "pub struct Y;"),
        ("b.rs", "pub struct B(crate::a::y::Y);"),
        // c uses d and d does not use c: one way.
        ("c.rs", "use crate::d::D;"),
        // A test's import of c is not part of the build.
        (
            "d.rs",
            "pub struct D;\n#[cfg(test)] mod tests { use crate::c; }",
        ),
    ];
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let graph = Graph::of(&files);
    assert!(graph.circles().is_empty(), "no circle between files");
    let modules = graph.modules();
    assert_eq!(
        modules.mutual_pairs(),
        vec![("a".to_string(), "b".to_string())]
    );
    assert_eq!(
        modules.describe(&["a".to_string(), "b".to_string()]),
        "- a, b\n    src/a/x.rs:1 -> src/b.rs (a -> b)\n    src/b.rs:1 -> src/a/y.rs (b -> a)\n"
    );
}

/// Issues 13 and 18: a file over 300 lines does more than one job.
#[test]
fn no_file_in_src_is_over_300_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_tree(&root, &root, &mut files);
    let long: Vec<String> = files
        .iter()
        .map(|(file, text)| (file, text.lines().count()))
        .filter(|(_, lines)| *lines > 300)
        .map(|(file, lines)| format!("src/{file}: {lines} lines"))
        .collect();
    assert!(long.is_empty(), "{long:#?}");
}

#[test]
fn the_check_sees_circles_through_every_kind_of_path() {
    let files = [
        ("lib.rs", "pub mod a; pub mod b; pub mod c; pub mod d;"),
        ("a.rs", "use crate::b::{self, Thing as T,};"),
        // A string, a comment and a char that look like paths are not.
        (
            "b.rs",
            "// crate::d::X\nfn f() { let _ = \"crate::d\"; let _ = '{'; crate::a::g(); }",
        ),
        // Paths into a child and back to the parent.
        ("c/mod.rs", "mod inner; pub fn f() { inner::g() }"),
        (
            "c/inner.rs",
            "pub fn g() { super::f() }\n#[cfg(test)] mod tests { use crate::d::x; }",
        ),
        // A raw string and a lifetime do not hide the path after them.
        ("d.rs", "fn f<'a>(x: &'a str) { r#\"\"x\"#; super::a::h() }"),
    ];
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let circles = Graph::of(&files).circles();
    assert_eq!(
        circles,
        vec![
            vec!["a.rs".to_string(), "b.rs".to_string()],
            vec!["c/inner.rs".to_string(), "c/mod.rs".to_string()],
        ]
    );
}

/// Every `.rs` file under `dir` as (path under `src/`, text), but `main.rs`:
/// a crate of its own (it imports through `cockpit::`) and a few lines.
fn read_tree(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            read_tree(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).unwrap().to_string_lossy();
            if rel != "main.rs" {
                out.push((
                    rel.replace('\\', "/"),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
}

/// A file's module path: `store/mod.rs` and `store.rs` are `store`.
fn module_of(file: &str) -> Vec<String> {
    let stem = file.strip_suffix(".rs").unwrap();
    let mut parts: Vec<String> = stem.split('/').map(String::from).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

struct Graph {
    /// file -> file it imports -> the first line that does.
    edges: BTreeMap<String, BTreeMap<String, usize>>,
}

/// The top-level module a file belongs to (`store/schema.rs` -> `store`);
/// `lib.rs`, the crate root that declares them all, belongs to none.
fn top_module(file: &str) -> Option<String> {
    module_of(file).into_iter().next()
}

/// One file's import of another: (from, line, to).
type FileImport = (String, usize, String);

/// Files' imports gathered by top-level module.
struct ModuleGraph {
    /// module -> module it imports -> the file imports that do.
    edges: BTreeMap<String, BTreeMap<String, Vec<FileImport>>>,
}

impl ModuleGraph {
    /// Every pair of modules that import each other, each sorted.
    fn mutual_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        for (a, to) in &self.edges {
            for b in to.keys() {
                let back = self.edges.get(b).is_some_and(|t| t.contains_key(a));
                if a < b && back {
                    pairs.push((a.clone(), b.clone()));
                }
            }
        }
        pairs
    }

    /// The file imports one way and the other, one line each.
    fn describe(&self, pair: &[String]) -> String {
        let mut text = format!("- {}\n", pair.join(", "));
        for (from, to) in [(&pair[0], &pair[1]), (&pair[1], &pair[0])] {
            let lines = self.edges.get(from).and_then(|t| t.get(to));
            for (file, line, target) in lines.into_iter().flatten() {
                text += &format!("    src/{file}:{line} -> src/{target} ({from} -> {to})\n");
            }
        }
        text
    }
}

impl Graph {
    fn of(files: &[(String, String)]) -> Graph {
        let by_module: BTreeMap<Vec<String>, String> = files
            .iter()
            .map(|(file, _)| (module_of(file), file.clone()))
            .collect();
        let mut edges = BTreeMap::new();
        for (file, text) in files {
            let mut to = BTreeMap::new();
            for (line, path) in paths(&module_of(file), &lex(text)) {
                // The longest prefix of the path that is a file's module.
                let target = (0..=path.len())
                    .rev()
                    .find_map(|n| by_module.get(&path[..n]));
                if let Some(target) = target.filter(|t| *t != file) {
                    to.entry(target.clone()).or_insert(line);
                }
            }
            edges.insert(file.clone(), to);
        }
        Graph { edges }
    }

    /// The same imports between top-level modules.
    fn modules(&self) -> ModuleGraph {
        let mut edges: BTreeMap<String, BTreeMap<String, Vec<_>>> = BTreeMap::new();
        for (from, to) in &self.edges {
            let Some(a) = top_module(from) else { continue };
            for (target, line) in to {
                let Some(b) = top_module(target).filter(|b| *b != a) else {
                    continue;
                };
                let imports = edges.entry(a.clone()).or_default().entry(b).or_default();
                imports.push((from.clone(), *line, target.clone()));
            }
        }
        ModuleGraph { edges }
    }

    /// The strongly connected sets of more than one file, each sorted
    /// (Tarjan's algorithm).
    fn circles(&self) -> Vec<Vec<String>> {
        struct Walk<'g> {
            graph: &'g Graph,
            index: BTreeMap<&'g str, usize>,
            low: BTreeMap<&'g str, usize>,
            stack: Vec<&'g str>,
            on_stack: BTreeSet<&'g str>,
            out: Vec<Vec<String>>,
        }
        impl<'g> Walk<'g> {
            fn visit(&mut self, v: &'g str) {
                let i = self.index.len();
                self.index.insert(v, i);
                self.low.insert(v, i);
                self.stack.push(v);
                self.on_stack.insert(v);
                for w in self.graph.edges[v].keys() {
                    let w = w.as_str();
                    if !self.index.contains_key(w) {
                        self.visit(w);
                        let low = self.low[v].min(self.low[w]);
                        self.low.insert(v, low);
                    } else if self.on_stack.contains(w) {
                        let low = self.low[v].min(self.index[w]);
                        self.low.insert(v, low);
                    }
                }
                if self.low[v] == self.index[v] {
                    let mut set = Vec::new();
                    loop {
                        let w = self.stack.pop().unwrap();
                        self.on_stack.remove(w);
                        set.push(w.to_string());
                        if w == v {
                            break;
                        }
                    }
                    if set.len() > 1 {
                        set.sort();
                        self.out.push(set);
                    }
                }
            }
        }
        let mut walk = Walk {
            graph: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on_stack: BTreeSet::new(),
            out: Vec::new(),
        };
        for v in self.edges.keys() {
            if !walk.index.contains_key(v.as_str()) {
                walk.visit(v);
            }
        }
        walk.out.sort();
        walk.out
    }

    /// The imports inside one circle, one line each.
    fn describe(&self, set: &[String]) -> String {
        let mut text = format!("- {}\n", set.join(", "));
        for from in set {
            for (to, line) in &self.edges[from] {
                if set.contains(to) {
                    text += &format!("    src/{from}:{line} -> src/{to}\n");
                }
            }
        }
        text
    }
}

#[derive(Debug, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Star,
    Semi,
    Lt,
    Other,
}

/// Rust source as tokens with their line, comments, strings and chars
/// dropped: only what can spell a path is kept apart.
fn lex(text: &str) -> Vec<(usize, Tok)> {
    let s: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |i: usize| s.get(i).copied().unwrap_or('\0');
    while i < s.len() {
        let c = s[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            loop {
                if at(i) == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if at(i) == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(at(i) == '\n');
                    i += 1;
                }
            }
        } else if c == '"' {
            i += 1;
            while i < s.len() && s[i] != '"' {
                line += usize::from(s[i] == '\n');
                i += if s[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == '\'' {
            if at(i + 1) == '\\' {
                i += 3; // past the escaped char, which may be a quote
                while at(i) != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3; // 'x'
            } else {
                i += 1; // a lifetime or a label: its name is harmless
            }
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while at(i).is_alphanumeric() || at(i) == '_' {
                i += 1;
            }
            let word: String = s[start..i].iter().collect();
            let hashes = (i..).take_while(|&j| at(j) == '#').count();
            if matches!(word.as_str(), "r" | "br" | "cr") && at(i + hashes) == '"' {
                // A raw string: up to `"` and as many `#`.
                let close: Vec<char> = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                i += hashes + 1;
                while i < s.len() && !s[i..].starts_with(&close) {
                    line += usize::from(s[i] == '\n');
                    i += 1;
                }
                i += close.len();
            } else if word == "r" && hashes == 1 {
                i += 1; // r#ident: the ident follows
            } else if matches!(word.as_str(), "b" | "c") && matches!(at(i), '"' | '\'') {
                // b"..", b'.', c"..": the literal follows
            } else {
                out.push((line, Tok::Ident(word)));
            }
        } else {
            let (tok, len) = match (c, at(i + 1)) {
                (':', ':') => (Tok::PathSep, 2),
                ('{', _) => (Tok::Open, 1),
                ('}', _) => (Tok::Close, 1),
                (',', _) => (Tok::Comma, 1),
                ('*', _) => (Tok::Star, 1),
                (';', _) => (Tok::Semi, 1),
                ('<', _) => (Tok::Lt, 1),
                _ => (Tok::Other, 1),
            };
            out.push((line, tok));
            i += len;
        }
    }
    out
}

/// Every path in the tokens of the file of module `module` that may name a
/// module of this crate, made absolute (without `crate`), with its line.
fn paths(module: &[String], toks: &[(usize, Tok)]) -> Vec<(usize, Vec<String>)> {
    let ident = |i: usize| match toks.get(i) {
        Some((_, Tok::Ident(w))) => Some(w.as_str()),
        _ => None,
    };
    let is = |i: usize, t: Tok| toks.get(i).is_some_and(|(_, x)| *x == t);
    // Child modules declared with `mod name;` (not inline ones).
    let children: BTreeSet<&str> = (0..toks.len())
        .filter(|&i| ident(i) == Some("mod") && is(i + 2, Tok::Semi))
        .filter_map(|i| ident(i + 1))
        .collect();
    // Inline modules (`mod tests { .. }`) open at a brace depth; the
    // `#[cfg(test)]` ones (and test-only `use`s) are not part of the build.
    let mut inline: Vec<(String, usize, bool)> = Vec::new();
    let mut depth = 0;
    let mut cfg_test = false;
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let here = || -> Vec<String> {
            let inline = inline.iter().map(|(name, _, _)| name.clone());
            module.iter().cloned().chain(inline).collect()
        };
        let in_test = cfg_test || inline.iter().any(|(_, _, test)| *test);
        let line = toks[i].0;
        match &toks[i].1 {
            Tok::Open => {
                depth += 1;
                cfg_test = false;
            }
            Tok::Close => {
                depth -= 1;
                if inline.last().is_some_and(|(_, d, _)| *d == depth) {
                    inline.pop();
                }
            }
            Tok::Semi => cfg_test = false,
            Tok::Ident(w) if w == "cfg" && ident(i + 2) == Some("test") => cfg_test = true,
            Tok::Ident(w) if w == "mod" && is(i + 2, Tok::Open) => {
                if let Some(name) = ident(i + 1) {
                    inline.push((name.to_string(), depth, cfg_test));
                }
            }
            Tok::Ident(w) if w == "use" && !is(i + 1, Tok::Lt) => {
                let mut tree = Vec::new();
                i += 1;
                use_tree(toks, &mut i, Vec::new(), &mut tree);
                for path in tree.iter().filter(|_| !in_test) {
                    if let Some(abs) = absolute(module, &here(), &children, path) {
                        out.push((line, abs));
                    }
                }
                cfg_test = false;
                continue;
            }
            Tok::Ident(_) if is(i + 1, Tok::PathSep) && !(i > 0 && is(i - 1, Tok::PathSep)) => {
                let mut path = Vec::new();
                while let Some(w) = ident(i) {
                    path.push(w.to_string());
                    if !is(i + 1, Tok::PathSep) {
                        break;
                    }
                    i += 2;
                }
                if let Some(abs) = absolute(module, &here(), &children, &path).filter(|_| !in_test)
                {
                    out.push((line, abs));
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The paths a `use` tree names, from `*i` to its `;`.
fn use_tree(toks: &[(usize, Tok)], i: &mut usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let start = prefix.len();
    let mut path = prefix;
    // `{a, b,}`: after the last comma there is nothing, not the prefix again.
    let mut named = false;
    loop {
        match toks.get(*i).map(|(_, t)| t) {
            Some(Tok::Ident(w)) if w == "as" => *i += 2,
            Some(Tok::Ident(w)) if w == "self" && !path.is_empty() => {
                named = true;
                *i += 1;
            }
            Some(Tok::Ident(w)) => {
                path.push(w.clone());
                *i += 1;
            }
            Some(Tok::PathSep) => *i += 1,
            Some(Tok::Open) => {
                *i += 1;
                loop {
                    use_tree(toks, i, path.clone(), out);
                    match toks.get(*i).map(|(_, t)| t) {
                        Some(Tok::Comma) => *i += 1,
                        Some(Tok::Close) => {
                            *i += 1;
                            break;
                        }
                        _ => break,
                    }
                }
                return;
            }
            Some(Tok::Star) => *i += 1,
            Some(Tok::Semi) => {
                *i += 1;
                out.extend(Some(path).filter(|p| named || p.len() > start));
                return;
            }
            Some(Tok::Comma | Tok::Close) | None => {
                out.extend(Some(path).filter(|p| named || p.len() > start));
                return;
            }
            Some(_) => *i += 1,
        }
    }
}

/// `path` as seen from `here` (the file's `module` and the inline modules
/// around the path) made absolute, when it names this crate: `crate::`,
/// `super::`, `self::` or one of the file's child modules first.
fn absolute(
    module: &[String],
    here: &[String],
    children: &BTreeSet<&str>,
    path: &[String],
) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    let mut base: Vec<String> = match first.as_str() {
        "crate" => return Some(rest.to_vec()),
        "self" => here.to_vec(),
        "super" => here[..here.len().checked_sub(1)?].to_vec(),
        name if children.contains(name) && !rest.is_empty() => {
            return Some(module.iter().chain(path).cloned().collect());
        }
        _ => return None,
    };
    let mut rest = rest;
    while rest.first().is_some_and(|s| s == "super") {
        base.pop()?;
        rest = &rest[1..];
    }
    base.extend(rest.iter().cloned());
    Some(base)
}
