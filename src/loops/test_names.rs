//! The tests a run names as passed or failed, read from its output line by
//! line (cargo, pytest, go test, jest/vitest, ExUnit), and the parts of the
//! tree a test belongs to. The output is capped at both ends, so a long run
//! names only some of its tests: a test not named is simply not known.

use std::path::{Component, Path};
use std::sync::LazyLock;

use regex::Regex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Passed,
    Failed,
}

/// What kind of name the runner printed, which says how to find its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `parser::tests::lexes` (cargo), possibly without any module.
    RustPath,
    /// A file, or `file::test` (pytest, jest, ExUnit).
    File,
    /// A Go package import path.
    GoPackage,
}

struct Row {
    re: Regex,
    verdict: Verdict,
    shape: Shape,
}

fn row(re: &str, verdict: Verdict, shape: Shape) -> Row {
    Row {
        re: Regex::new(re).expect("test name pattern"),
        verdict,
        shape,
    }
}

/// [`ROWS`] as one set, to tell at once whether a line is any row.
static ROW_SET: LazyLock<regex::RegexSet> = LazyLock::new(|| {
    regex::RegexSet::new(ROWS.iter().map(|r| r.re.as_str())).expect("test name patterns")
});

static ROWS: LazyLock<Vec<Row>> = LazyLock::new(|| {
    use Shape::*;
    use Verdict::*;
    let js = r"\S+\.(?:test|spec)\.[cm]?[jt]sx?";
    vec![
        row(r"^test (\S+) \.\.\. ok$", Passed, RustPath),
        row(r"^test (\S+) \.\.\. FAILED$", Failed, RustPath),
        row(r"^---- (\S+) stdout ----$", Failed, RustPath),
        row(r"^(?:FAILED|ERROR) (\S+::\S+)", Failed, File),
        row(r"^(\S+::\S+) PASSED", Passed, File),
        row(r"^(\S+::\S+) FAILED", Failed, File),
        row(r"^FAIL\s+(\S+)\s+[\d.]+s$", Failed, GoPackage),
        row(r"^ok\s+(\S+)\s+(?:[\d.]+s|\(cached\))", Passed, GoPackage),
        row(&format!(r"^\s*(?:FAIL|❯|×)\s+({js})"), Failed, File),
        row(&format!(r"^\s*(?:PASS|✓)\s+({js})"), Passed, File),
        row(r"^\s+(test/\S+_test\.exs):\d+$", Failed, File),
    ]
});

/// `error: test failed, to rerun pass `--test detect`` and `Running
/// tests/detect.rs`: the cargo test binary a module-less name comes from.
static CARGO_BINARY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:to rerun pass `--test (\S+)`|^\s*Running (?:tests/)?(\S+)\.rs )").unwrap()
});

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedTest {
    pub name: String,
    pub verdict: Verdict,
    /// Names of the parts of the tree the test is in (its module, file stem,
    /// package, directories), lower-case; empty when that cannot be told.
    pub parts: Vec<String>,
}

pub fn parse(output: &str) -> Vec<NamedTest> {
    let mut binaries: Vec<String> = output
        .lines()
        .filter_map(|l| CARGO_BINARY.captures(l))
        .filter_map(|c| c.get(1).or(c.get(2)).map(|m| m.as_str().to_string()))
        .collect();
    binaries.sort();
    binaries.dedup();
    let mut found: Vec<NamedTest> = Vec::new();
    for line in output.lines() {
        let line = line.trim_end();
        // One pass of every row's automaton at once: most lines of an output
        // match none, and a session's every validation run comes through here.
        let Some(first) = ROW_SET.matches(line).iter().next() else {
            continue;
        };
        let Some((row, name)) = ROWS[first..]
            .iter()
            .find_map(|r| r.re.captures(line).map(|c| (r, c[1].to_string())))
        else {
            continue;
        };
        if found
            .iter()
            .any(|t| t.name == name && t.verdict == row.verdict)
        {
            continue;
        }
        let parts = match row.shape {
            Shape::RustPath => rust_parts(&name, &binaries),
            Shape::File => path_parts(Path::new(name.split("::").next().unwrap_or(&name))),
            Shape::GoPackage => go_parts(&name),
        };
        found.push(NamedTest {
            name,
            verdict: row.verdict,
            parts,
        });
    }
    found
}

/// Directories that hold code rather than name a part of it.
const CONTAINERS: [&str; 15] = [
    "src",
    "lib",
    "test",
    "tests",
    "spec",
    "internal",
    "pkg",
    "packages",
    "crates",
    "cmd",
    "app",
    "apps",
    "__tests__",
    "source",
    "sources",
];
/// Files that are a module's root, not a part of its own.
const ROOTS: [&str; 8] = [
    "lib", "main", "mod", "index", "__init__", "conftest", "setup", "init",
];

/// A file stem without its test affixes: `test_api`, `api_test`,
/// `api.test` are `api`.
fn stem(name: &str) -> String {
    let name = name.split('.').next().unwrap_or(name).to_lowercase();
    let name = name.strip_prefix("test_").unwrap_or(&name);
    let name = name
        .strip_suffix("_test")
        .or_else(|| name.strip_suffix("_tests"))
        .or_else(|| name.strip_suffix("_spec"))
        .unwrap_or(name);
    name.to_string()
}

/// The parts a file of the tree (relative to the project) belongs to: its
/// directories below the code containers and its stem. Empty for a root file
/// (`src/lib.rs`, `Cargo.toml`): a change there may reach any part.
pub fn path_parts(path: &Path) -> Vec<String> {
    let names: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let Some((file, dirs)) = names.split_last() else {
        return Vec::new();
    };
    let mut parts: Vec<String> = dirs
        .iter()
        .map(|d| d.to_lowercase())
        .filter(|d| !CONTAINERS.contains(&d.as_str()))
        .collect();
    let stem = stem(file);
    let at_root = dirs.is_empty();
    if !ROOTS.contains(&stem.as_str()) && !at_root {
        parts.push(stem);
    }
    parts.dedup();
    parts
}

fn rust_parts(name: &str, binaries: &[String]) -> Vec<String> {
    let segments: Vec<&str> = name.split("::").collect();
    if segments.len() > 1 && !matches!(segments[0], "tests" | "test") {
        return segments[..segments.len() - 1]
            .iter()
            .filter(|s| !matches!(**s, "tests" | "test"))
            .map(|s| s.to_lowercase())
            .collect();
    }
    // A name without a module: its binary's, when the run had one only.
    match binaries {
        [one] => vec![stem(one)],
        _ => Vec::new(),
    }
}

fn go_parts(package: &str) -> Vec<String> {
    let segments: Vec<&str> = package.split('/').collect();
    let after = segments
        .iter()
        .rposition(|s| CONTAINERS.contains(s))
        .map_or(segments.len().saturating_sub(1), |i| i + 1);
    segments[after.min(segments.len())..]
        .iter()
        .map(|s| s.to_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(output: &str, verdict: Verdict) -> Vec<(String, Vec<String>)> {
        parse(output)
            .into_iter()
            .filter(|t| t.verdict == verdict)
            .map(|t| (t.name, t.parts))
            .collect()
    }

    #[test]
    fn each_runner_names_its_tests_and_their_parts() {
        let cargo = "test parser::tests::lexes ... FAILED\ntest api::ok ... ok\n\nfailures:\n\n---- parser::tests::lexes stdout ----\n";
        assert_eq!(
            names(cargo, Verdict::Failed),
            [("parser::tests::lexes".into(), vec!["parser".to_string()])]
        );
        assert_eq!(names(cargo, Verdict::Passed)[0].1, ["api"]);
        let binary = "     Running tests/detect.rs (target/debug/deps/detect-1)\ntest spiral ... FAILED\nerror: test failed, to rerun pass `--test detect`";
        assert_eq!(names(binary, Verdict::Failed)[0].1, ["detect"]);
        let pytest = "FAILED tests/billing/test_invoice.py::test_total - assert 1 == 2\n";
        assert_eq!(names(pytest, Verdict::Failed)[0].1, ["billing", "invoice"]);
        let go = "--- FAIL: TestGet (0.00s)\nFAIL\tgithub.com/acme/shop/internal/store\t0.01s\nok  \tgithub.com/acme/shop/internal/cart\t0.02s\n";
        assert_eq!(names(go, Verdict::Failed)[0].1, ["store"]);
        assert_eq!(names(go, Verdict::Passed)[0].1, ["cart"]);
        let jest = " FAIL  src/ui/button.test.tsx\n PASS  src/api/client.test.ts\n";
        assert_eq!(names(jest, Verdict::Failed)[0].1, ["ui", "button"]);
        let exunit = "  1) test adds (MathTest)\n     test/math_test.exs:5\n";
        assert_eq!(names(exunit, Verdict::Failed)[0].1, ["math"]);
    }

    #[test]
    fn root_files_and_unnamed_tests_have_no_part() {
        assert!(path_parts(Path::new("Cargo.toml")).is_empty());
        assert!(path_parts(Path::new("src/lib.rs")).is_empty());
        assert_eq!(path_parts(Path::new("src/parser/mod.rs")), ["parser"]);
        // Two binaries in one run: a bare name's binary is not known.
        let two = "Running tests/a.rs (x)\nRunning tests/b.rs (y)\ntest t ... FAILED\n";
        assert!(names(two, Verdict::Failed)[0].1.is_empty());
        assert!(parse("cargo build\nwarning: unused").is_empty());
    }
}
