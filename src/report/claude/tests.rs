use super::*;

fn read(lines: &[&str]) -> FileSummary {
    let markers = Markers::default();
    let mut file = ClaudeFile::new(false);
    for line in lines {
        file.line(&markers, line.as_bytes(), true);
    }
    file.finish()
}

#[test]
fn a_split_response_counts_once_with_its_largest_total() {
    let a = r#"{"type":"assistant","requestId":"r1","message":{"id":"m1","model":"claude-opus-4-6","content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":3,"cache_creation_input_tokens":10,"cache_read_input_tokens":20,"output_tokens":5}}}"#;
    let b = r#"{"type":"assistant","requestId":"r1","message":{"id":"m1","model":"claude-opus-4-6","content":[{"type":"tool_use","id":"t","name":"Bash","input":{}}],"usage":{"input_tokens":3,"cache_creation_input_tokens":10,"cache_read_input_tokens":20,"output_tokens":90}}}"#;
    let summary = read(&[a, b, a]);
    assert_eq!(summary.entries.len(), 1);
    assert_eq!(summary.entries[0].tokens.output, 90);
    assert_eq!(summary.tool_calls, 1);
    assert_eq!(summary.context.map(|c| c.tokens), Some(Some(33)));
    assert_eq!(summary.model.as_deref(), Some("claude-opus-4-6"));
}

#[test]
fn nested_usage_in_a_user_line_is_not_a_response() {
    let user = r#"{"type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"done"}]},"toolUseResult":{"status":"completed","usage":{"input_tokens":5,"output_tokens":7}}}"#;
    let summary = read(&[user]);
    assert!(summary.entries.is_empty());
    assert_eq!(summary.malformed, 0);
}

#[test]
fn a_compaction_with_no_usage_after_leaves_post_tokens_or_nothing() {
    let reply = r#"{"type":"assistant","message":{"id":"m","usage":{"input_tokens":1,"output_tokens":1,"cache_read_input_tokens":99}}}"#;
    let with_post = r#"{"type":"system","subtype":"compact_boundary","compactMetadata":{"preTokens":100,"postTokens":40}}"#;
    let without =
        r#"{"type":"system","subtype":"compact_boundary","compactMetadata":{"preTokens":100}}"#;
    let ctx = |lines: &[&str]| read(lines).context.and_then(|c| c.tokens);
    assert_eq!(ctx(&[reply]), Some(100));
    assert_eq!(ctx(&[reply, with_post]), Some(40));
    assert_eq!(ctx(&[reply, without]), None);
    assert_eq!(ctx(&[without, reply]), Some(100));
}
