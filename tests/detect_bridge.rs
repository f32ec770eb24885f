//! Bridge Torching on real temporary git repositories: a public item removed,
//! renamed or changed while other tracked files still use it alerts once the
//! grace period has passed; the near misses (callers updated, a compatible
//! addition, a private item, a moved function, nobody using it) never do.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cockpit::config::Config;
use cockpit::detect::{Pattern, Severity};
use cockpit::loops::changes::{ChangeKind, FileChange};
use cockpit::state::replay::Detectors;
use common::git::git;

/// A repository whose first commit holds `files`.
fn repo(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    git(&root, &["init", "-q", "-b", "main"]);
    git(&root, &["config", "user.name", "T"]);
    git(&root, &["config", "user.email", "t@example.invalid"]);
    for (path, text) in files {
        write(&root, path, text);
    }
    git(&root, &["add", "."]);
    git(&root, &["commit", "-q", "-m", "first"]);
    (dir, root)
}

fn write(root: &Path, path: &str, text: &str) {
    let full = root.join(path);
    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
    std::fs::write(full, text).unwrap();
}

fn modified(path: &str, at: i64) -> FileChange {
    FileChange {
        path: PathBuf::from(path),
        kind: ChangeKind::Modified,
        lines_added: 1,
        lines_removed: 1,
        lines_now: Some(10),
        largest_added_block: 1,
        at,
    }
}

/// Feeds a watcher batch and waits for the worker's scan of it, without
/// letting the clock pass `at`.
fn batch(d: &mut Detectors, root: &Path, changes: Vec<FileChange>) {
    let at = changes.iter().map(|c| c.at).max().unwrap();
    d.on_changes(root, changes);
    let deadline = Instant::now() + Duration::from_secs(20);
    while d.busy() {
        assert!(Instant::now() < deadline, "scan never finished");
        std::thread::sleep(Duration::from_millis(5));
        d.poll(at);
    }
}

fn bridge_alerts(d: &Detectors) -> Vec<String> {
    d.alerts()
        .iter()
        .filter(|a| a.pattern == Pattern::BridgeTorching)
        .map(|a| a.message.clone())
        .collect()
}

const PARSER: &str =
    "pub fn parse(input: &str) -> u32 {\n    input.len() as u32\n}\n\nfn helper() {}\n";
const MAIN: &str = "mod parser;\nfn main() {\n    let n = parser::parse(\"a\");\n    println!(\"{}\", parser::parse(\"bb\") + n);\n}\n";
const CLI: &str = "use crate::parser::parse;\npub fn run() -> u32 {\n    parse(\"x\")\n}\n";

fn parser_repo() -> (tempfile::TempDir, PathBuf) {
    repo(&[
        ("src/parser.rs", PARSER),
        ("src/main.rs", MAIN),
        ("src/cli.rs", CLI),
        ("README.md", "Call parse to parse.\n"),
    ])
}

/// [`parser_repo`] with `parse` renamed to `parse_input`, the edit seen at 1 s.
fn parse_renamed_at_one_second() -> (tempfile::TempDir, PathBuf, Detectors) {
    let (dir, root) = parser_repo();
    write(
        &root,
        "src/parser.rs",
        &PARSER.replace("fn parse(", "fn parse_input("),
    );
    let mut d = Detectors::new(&Config::default());
    batch(&mut d, &root, vec![modified("src/parser.rs", 1_000)]);
    (dir, root, d)
}

#[test]
fn renamed_pub_fn_still_called_alerts_after_the_grace() {
    let (_dir, root, mut d) = parse_renamed_at_one_second();
    // Inside the grace (120 s): the agent may be on its way to the callers.
    assert_eq!(d.poll(1_000 + 119_000), 0);
    assert_eq!(d.poll(1_000 + 121_000), 1);
    let messages = bridge_alerts(&d);
    // main.rs twice, cli.rs twice (the `use` and the call); README is no source.
    assert_eq!(
        messages,
        ["`parse` (src/parser.rs) was removed or renamed, and 4 places in 2 files still use it"]
    );
    let alert = &d.alerts()[0];
    assert_eq!(alert.severity, Severity::Critical);
    assert_eq!(
        alert.factor,
        "IV. Continuous Validation, VIII. Human Validation"
    );
    assert!(alert.what_to_do.contains("caller"));
    // Said once, however often the file is seen again.
    batch(&mut d, &root, vec![modified("src/parser.rs", 200_000)]);
    assert_eq!(d.poll(500_000), 0);
    assert_eq!(d.count(Pattern::BridgeTorching), 1);
}

#[test]
fn a_standing_break_asks_for_the_clock_at_the_end_of_its_grace() {
    let (_dir, _root, mut d) = parse_renamed_at_one_second();
    // The loop wakes then, with nothing else happening.
    assert_eq!(d.next_deadline(), Some(1_000 + 120_000));
    assert_eq!(d.clock(1_000 + 120_000), 1);
    assert_eq!(
        d.next_deadline(),
        None,
        "said once: nothing left to wake for"
    );
}

#[test]
fn changed_python_signature_counts_untouched_callers_only() {
    let (_dir, root) = repo(&[
        (
            "shop/store.py",
            "def save(path, data):\n    pass\n\ndef load(path):\n    pass\n",
        ),
        (
            "shop/app.py",
            "from shop.store import save\n\nsave('a', 1)\nload('c')\n",
        ),
        ("shop/cli.py", "from shop.store import save\nsave('b', 2)\n"),
    ]);
    write(
        &root,
        "shop/store.py",
        "def save(path):\n    pass\n\ndef load(path, mode='r'):\n    pass\n",
    );
    // The session updated cli.py; app.py still calls the old form.
    write(
        &root,
        "shop/cli.py",
        "from shop.store import save\nsave('b')\n",
    );
    let mut d = Detectors::new(&Config::default());
    batch(
        &mut d,
        &root,
        vec![
            modified("shop/store.py", 5_000),
            modified("shop/cli.py", 5_000),
        ],
    );
    d.poll(5_000 + 120_000);
    // `load` gained an optional parameter only: not a break.
    assert_eq!(
        bridge_alerts(&d),
        [
            "`save` (shop/store.py) changed its parameters (path, data) → (path), and 2 places in 1 file the session did not touch still use it"
        ]
    );
}

#[test]
fn exported_ts_and_go_items_removed() {
    let (_dir, root) = repo(&[
        (
            "web/cart.ts",
            "export function total(items: number[]): number {\n  return 0;\n}\nexport class Cart {}\n",
        ),
        (
            "web/page.tsx",
            "import { total } from './cart';\nconst t = total([1]);\n",
        ),
        (
            "store/db.go",
            "package store\n\nfunc Open(dsn string) error {\n\treturn nil\n}\n",
        ),
        (
            "main.go",
            "package main\n\nimport \"x/store\"\n\nfunc main() { store.Open(\"a\") }\n",
        ),
    ]);
    write(&root, "web/cart.ts", "export class Cart {}\n");
    write(
        &root,
        "store/db.go",
        "package store\n\nfunc Open(dsn string, retries int) error {\n\treturn nil\n}\n",
    );
    let mut d = Detectors::new(&Config::default());
    batch(
        &mut d,
        &root,
        vec![
            modified("web/cart.ts", 1_000),
            modified("store/db.go", 1_000),
        ],
    );
    d.poll(200_000);
    let messages = bridge_alerts(&d);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("`Open` (store/db.go) changed its parameters (dsn string) → (dsn string, retries int), and 1 place in 1 file"));
    assert!(
        messages[1]
            .starts_with("`total` (web/cart.ts) was removed or renamed, and 2 places in 1 file")
    );
}

#[test]
fn near_miss_callers_updated_within_the_grace() {
    let (_dir, root, mut d) = parse_renamed_at_one_second();
    write(
        &root,
        "src/main.rs",
        &MAIN.replace("parse(", "parse_input("),
    );
    write(&root, "src/cli.rs", &CLI.replace("parse", "parse_input"));
    batch(
        &mut d,
        &root,
        vec![
            modified("src/main.rs", 40_000),
            modified("src/cli.rs", 41_000),
        ],
    );
    assert_eq!(d.poll(1_000_000), 0);
    assert!(bridge_alerts(&d).is_empty());
}

#[test]
fn near_miss_private_moved_unused_or_body_only() {
    let (_dir, root) = repo(&[
        ("src/parser.rs", PARSER),
        ("src/main.rs", MAIN),
        ("src/unused.rs", "pub fn nobody_calls_me() {}\n"),
    ]);
    // The private helper goes, the body of `parse` changes, `parse` moves to
    // a new file, and a pub fn nobody calls is removed.
    write(&root, "src/parser.rs", "pub fn other() {}\n");
    write(
        &root,
        "src/parse2.rs",
        "pub fn parse(input: &str) -> u32 {\n    0\n}\n",
    );
    write(&root, "src/unused.rs", "\n");
    let mut d = Detectors::new(&Config::default());
    batch(
        &mut d,
        &root,
        vec![
            modified("src/parser.rs", 1_000),
            modified("src/unused.rs", 1_000),
        ],
    );
    assert_eq!(d.poll(1_000_000), 0);
    // Not a repository at all: nothing to say, nothing stuck.
    let plain = tempfile::tempdir().unwrap();
    batch(&mut d, plain.path(), vec![modified("a.rs", 2_000)]);
    assert_eq!(d.poll(2_000_000), 0);
    assert!(bridge_alerts(&d).is_empty());
}
