use super::*;
use serde_json::json;

#[test]
fn details_show_scripts_as_text() {
    let shown = detail(&json!({"command": "cat <<EOF\nhi\nEOF", "timeout": 5}));
    assert_eq!(shown, "command:\n  cat <<EOF\n  hi\n  EOF\ntimeout: 5\n");
}

#[test]
fn a_huge_input_shows_the_same_start_as_a_whole_copy_would() {
    let content = "é line of a big file\n".repeat(50_000);
    let whole: String = std::iter::once("content:\n".to_string())
        .chain(content.lines().map(|l| format!("  {l}\n")))
        .chain(std::iter::once("file_path: a.rs\n".to_string()))
        .collect();
    let input = json!({"content": content, "file_path": "a.rs"});
    assert_eq!(detail(&input), truncate_chars(&whole, DETAIL_CHARS));
    assert_eq!(
        detail(&json!(content)),
        truncate_chars(&content, DETAIL_CHARS)
    );
}

#[test]
fn names_calls_like_a_human() {
    let cwd = Some("/home/me/app");
    assert_eq!(
        summarize("Bash", &json!({"command": "cargo test\n"}), cwd),
        "cargo test"
    );
    assert_eq!(
        summarize(
            "Read",
            &json!({"file_path": "/home/me/app/src/lib.rs"}),
            cwd
        ),
        "src/lib.rs"
    );
    assert_eq!(
        summarize(
            "Grep",
            &json!({"pattern": "fn main", "path": "/home/me/app/src"}),
            cwd
        ),
        "/fn main/ in src"
    );
    assert_eq!(
        summarize(
            "Task",
            &json!({"subagent_type": "Explore", "description": "find tests"}),
            cwd
        ),
        "Explore: find tests"
    );
    assert_eq!(
        summarize(
            "shell",
            &json!({"command": ["bash", "-lc", "cargo test"]}),
            cwd
        ),
        "cargo test"
    );
    assert_eq!(
        summarize(
            "apply_patch",
            &json!("*** Begin Patch\n*** Update File: src/a.rs\n"),
            cwd
        ),
        "src/a.rs"
    );
    assert_eq!(
        summarize("mcp__github__get_issue", &json!({"n": 3}), cwd),
        "{\"n\":3}"
    );
}

#[test]
fn the_prompts_text_says_how_much_was_left_out() {
    let input = json!({"command": "é".repeat(10)});
    assert_eq!(
        detail_upto(&input, 1_000),
        (format!("command: {}\n", "é".repeat(10)), 0)
    );
    // Cut at a character boundary: 9 bytes of "command: ", then 2 of 20.
    let (text, left_out) = detail_upto(&input, 12);
    assert_eq!(text, "command: é");
    assert_eq!(left_out, 18 + 1);
}
