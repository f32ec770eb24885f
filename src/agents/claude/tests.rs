use super::*;

fn parse(line: &str) -> Vec<Record> {
    let mut out = Vec::new();
    ClaudeParser::default()
        .parse_line(line.as_bytes(), &mut out)
        .expect("parses");
    out
}

#[test]
fn injected_user_lines_are_not_prompts() {
    for text in [
        "<task-notification> <task-id>b7636e2</task-id>",
        "<system-reminder>files changed</system-reminder>",
    ] {
        let line =
            serde_json::json!({"type": "user", "message": {"role": "user", "content": text}});
        let records = parse(&line.to_string());
        assert!(
            !records.iter().any(|r| matches!(r, Record::Prompt { .. })),
            "{text}"
        );
    }
    let typed =
        serde_json::json!({"type": "user", "message": {"role": "user", "content": "fix the test"}});
    assert!(
        parse(&typed.to_string())
            .iter()
            .any(|r| matches!(r, Record::Prompt { .. }))
    );
}

#[test]
fn usage_is_the_input_side_of_the_reply() {
    let records = parse(
        r#"{"type":"assistant","sessionId":"s","message":{"model":"claude-opus-4-6","content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":3,"cache_creation_input_tokens":15005,"cache_read_input_tokens":11442,"output_tokens":9}}}"#,
    );
    assert!(records.contains(&Record::Usage {
        context_tokens: 26_450,
        window: None,
        model: Some("claude-opus-4-6".into()),
        at: None
    }));
}

#[test]
fn synthetic_sidechain_and_api_errors_are_not_usage() {
    for line in [
        r#"{"type":"assistant","message":{"model":"<synthetic>","usage":{"input_tokens":0}}}"#,
        r#"{"type":"assistant","isSidechain":true,"message":{"model":"m","usage":{"input_tokens":5}}}"#,
        r#"{"type":"assistant","isApiErrorMessage":true,"message":{"model":"m","usage":{"input_tokens":5}}}"#,
    ] {
        assert!(
            !parse(line)
                .iter()
                .any(|r| matches!(r, Record::Usage { .. })),
            "{line}"
        );
    }
}

#[test]
fn tool_result_ends_a_call_and_counts_as_pending() {
    let records = parse(
        r#"{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"FAILED","is_error":true}]}}"#,
    );
    assert_eq!(
        records,
        vec![
            Record::ToolEnd(ToolEnd {
                id: "toolu_1".into(),
                ok: false,
                output: "FAILED".into(),
                ..ToolEnd::default()
            }),
            Record::PendingText("FAILED".into())
        ]
    );
}

#[test]
fn bash_results_carry_output_exit_code_and_prose_is_assistant_text() {
    let failed = parse(
        r#"{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t","content":"Exit code 2\n3 tests, 1 failure","is_error":true}]},"toolUseResult":"Error: Exit code 2\n3 tests, 1 failure"}"#,
    );
    let Record::ToolEnd(end) = &failed[0] else {
        panic!("{failed:?}")
    };
    assert_eq!((end.ok, end.exit_code), (false, Some(2)));
    assert!(end.output.ends_with("3 tests, 1 failure"));
    let ok = parse(
        r#"{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"t","content":"fine"}]},"toolUseResult":{"stdout":"fine","stderr":"warn","interrupted":false}}"#,
    );
    let Record::ToolEnd(end) = &ok[0] else {
        panic!("{ok:?}")
    };
    assert_eq!(
        (end.ok, end.exit_code, end.output.as_str()),
        (true, Some(0), "fine\nwarn")
    );
    let text = parse(
        r#"{"type":"assistant","message":{"model":"m","content":[{"type":"text","text":"All tests pass."}]}}"#,
    );
    assert!(text.contains(&Record::AssistantText {
        text: "All tests pass.".into(),
        at: None
    }));
}

#[test]
fn huge_results_keep_both_ends() {
    let text = format!("{}{}", "a".repeat(10_000), "test result: ok.");
    let capped = crate::agents::cap_output(&text);
    assert!(capped.len() < 8_300 && capped.ends_with("test result: ok."));
}

#[test]
fn unknown_types_are_fine_and_garbage_is_an_error() {
    assert!(parse(r#"{"type":"marble-origami-commit","x":1}"#).is_empty());
    let mut out = Vec::new();
    assert!(
        ClaudeParser::default()
            .parse_line(b"{\"type\":\"assis", &mut out)
            .is_err()
    );
}
