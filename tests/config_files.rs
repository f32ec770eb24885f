//! Config files: the shipped example is valid and says exactly the defaults;
//! invalid files fail with one line naming file, line and key.

use std::path::Path;

use cockpit::config::{self, Config};

fn example() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml"))
        .unwrap()
}

#[test]
fn the_example_documents_the_defaults() {
    let parsed = config::parse(&example()).expect("example parses");
    let defaults = Config::default();
    assert_eq!(format!("{parsed:?}"), format!("{defaults:?}"));
}

#[test]
fn invalid_files_fail_with_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("[gauge]\nred_at = \"high\"\n", "2: key `gauge.red_at`"),
        (
            "[follow]\nline_cap_mib = -1\n",
            "2: key `follow.line_cap_mib`",
        ),
        ("\n\n[keys]\nquit = [\"hyper-q\"]\n", "4: key `keys.quit"),
        ("[colours]\n", "1: key `colours`"),
        (
            "[gauge]\nyellow_at = 70.0\norange_at = 60.0\n",
            "2: key `gauge`",
        ),
        (
            "[[gauge.models]]\npattern = \"x\"\n",
            "1: key `gauge.models",
        ),
    ];
    for (text, expected) in cases {
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        let err = config::load(Some(&path)).unwrap_err();
        let prefix = format!("config error: {}:{expected}", path.display());
        assert!(err.starts_with(&prefix), "{err}\nwanted {prefix}");
        assert!(!err.contains('\n'), "one line: {err}");
    }
}

#[test]
fn a_missing_explicit_file_is_an_error_and_a_missing_default_is_not() {
    let err = config::load(Some(Path::new("/nonexistent/cockpit.toml"))).unwrap_err();
    assert!(
        err.starts_with("config error: /nonexistent/cockpit.toml: "),
        "{err}"
    );
}

/// Prints the default policy as TOML, to keep `config.example.toml` in step:
/// `cargo test --test config_files print_default_policy -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_default_policy() {
    for rule in cockpit::policy::defaults::default_rules() {
        println!("[[policy.rules]]");
        println!("name = {:?}", rule.name);
        if !rule.tools.is_empty() {
            println!("tools = {:?}", rule.tools);
        }
        if let Some(command) = &rule.command {
            println!("command = '{command}'");
        }
        if rule.piped {
            println!("piped = true");
        }
        if rule.unparsed {
            println!("unparsed = true");
        }
        if !rule.paths.is_empty() {
            println!("paths = {:?}", rule.paths);
        }
        if rule.outside_project {
            println!("outside_project = true");
        }
        println!("action = {:?}", format!("{:?}", rule.action).to_lowercase());
        if let Some(reason) = &rule.reason {
            println!("reason = {reason:?}");
        }
        println!();
    }
}
