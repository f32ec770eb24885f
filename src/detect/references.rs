//! Which occurrences of a name in another file refer to the item a given
//! module defines. A bare word is not enough: `height` or `install` name
//! many things. An occurrence counts when qualified by the module
//! (`alerts::height`, `store.Open`), or unqualified in a file that imports
//! it (a `use`/`import` line naming both the module and the item), or, for
//! Go, unqualified in the same package. Comment lines never count; a file
//! that defines the same name itself makes the name ambiguous.

use std::path::Path;

use regex::Regex;

use super::api_items::Lang;

/// The names that qualify a reference to an item of `defined_in`: its module
/// (the file stem, or the directory for `mod.rs`, `__init__.py`, `index.ts`),
/// or for Go its package (the directory).
pub fn qualifiers(lang: Lang, defined_in: &Path) -> Vec<String> {
    let stem = defined_in
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned());
    let dir = defined_in
        .parent()
        .and_then(Path::file_name)
        .map(|s| s.to_string_lossy().into_owned());
    let root_file = stem
        .as_deref()
        .is_some_and(|s| matches!(s, "mod" | "lib" | "main" | "__init__" | "index"));
    match lang {
        Lang::Go => dir.into_iter().collect(),
        _ if root_file => dir.into_iter().collect(),
        _ => stem.into_iter().collect(),
    }
}

/// A definition of `name` (public or not) in the language.
pub fn definition(lang: Lang, name: &str) -> Regex {
    let n = regex::escape(name);
    let pattern = match lang {
        Lang::Rust => format!(r"\b(?:fn|struct|enum|trait|type|union|const|static|mod)\s+{n}\b"),
        Lang::Python => format!(r"\b(?:def|class)\s+{n}\b"),
        Lang::Script => format!(
            r"\b(?:function\*?|class|interface|type|enum|const|let|var)\s+{n}\b|(?m)^\s*(?:async\s+)?{n}\s*\([^)]*\)\s*(?::[^{{]*)?\{{"
        ),
        Lang::Go => format!(r"\bfunc\s+(?:\([^)]*\)\s*)?{n}\b|\btype\s+{n}\b"),
    };
    Regex::new(&pattern).expect("definition pattern")
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

fn is_comment(line: &str) -> bool {
    let t = line.trim_start();
    ["//", "/*", "* ", "#"].iter().any(|p| t.starts_with(p)) || t == "*"
}

/// Whole-word positions of `name` in `line`.
fn positions<'a>(line: &'a str, name: &'a str) -> impl Iterator<Item = usize> + 'a {
    line.match_indices(name)
        .map(|(at, _)| at)
        .filter(move |&at| {
            let before = line[..at].chars().next_back();
            let after = line[at + name.len()..].chars().next();
            !before.is_some_and(is_word) && !after.is_some_and(is_word)
        })
}

/// How many places of `text` refer to `name` of the module `qualifiers`
/// name; `None` when `text` defines `name` itself (ambiguous).
pub fn count(
    text: &str,
    name: &str,
    qualifiers: &[String],
    definition: &Regex,
    same_package: bool,
) -> Option<usize> {
    if definition.is_match(text) {
        return None;
    }
    let code: Vec<&str> = text.lines().filter(|l| !is_comment(l)).collect();
    let mentions_module = |line: &str| {
        qualifiers
            .iter()
            .any(|q| positions(line, q).next().is_some())
    };
    let imported = code.iter().any(|line| {
        let t = line.trim_start();
        let import = ["use ", "pub use ", "import ", "from ", "export "]
            .iter()
            .any(|k| t.starts_with(k))
            || t.contains("require(");
        import && mentions_module(line) && positions(line, name).next().is_some()
    });
    let mut places = 0;
    for line in &code {
        for at in positions(line, name) {
            let before = &line[..at];
            let ours = qualifiers
                .iter()
                .any(|q| before.ends_with(&format!("{q}::")) || before.ends_with(&format!("{q}.")));
            let qualified = before.ends_with("::") || before.ends_with('.');
            if ours || (!qualified && (imported || same_package)) {
                places += 1;
            }
        }
    }
    Some(places)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(text: &str, name: &str, module: &str, lang: Lang) -> Option<usize> {
        let def = definition(lang, name);
        count(text, name, &[module.to_string()], &def, false)
    }

    #[test]
    fn qualified_or_imported_references_count_others_do_not() {
        let rust = "use crate::ui::alerts::{height, draw};\nlet h = height(c);\nlet w = alerts::height(c);\nlet x = layout::height(c);\n// height() is computed above\nlet height = 3;\n";
        // The `use`, the bare call, the qualified call, and the local binding
        // (a file importing it may shadow it: counted, the leaning is rare).
        assert_eq!(n(rust, "height", "alerts", Lang::Rust), Some(4));
        // Without the import, only the qualified one is ours.
        let plain = "let h = height(c);\nlet w = alerts::height(c);\nself.height = 2;\n";
        assert_eq!(n(plain, "height", "alerts", Lang::Rust), Some(1));
        // A file with its own `fn install` makes the name ambiguous.
        let own = "pub fn install() {}\nfn main() { cli::install() }\n";
        assert_eq!(n(own, "install", "cli", Lang::Rust), None);
        let py = "from shop.store import save\nsave('a')\nother.save('b')\n";
        assert_eq!(n(py, "save", "store", Lang::Python), Some(2));
        let ts = "import { total } from './cart';\nconst t = total([1]);\n";
        assert_eq!(n(ts, "total", "cart", Lang::Script), Some(2));
    }

    #[test]
    fn module_names_for_root_files_and_go_packages() {
        assert_eq!(
            qualifiers(Lang::Rust, Path::new("src/ui/alerts.rs")),
            ["alerts"]
        );
        assert_eq!(
            qualifiers(Lang::Rust, Path::new("src/detect/mod.rs")),
            ["detect"]
        );
        assert_eq!(
            qualifiers(Lang::Python, Path::new("shop/__init__.py")),
            ["shop"]
        );
        assert_eq!(qualifiers(Lang::Go, Path::new("store/db.go")), ["store"]);
    }
}
