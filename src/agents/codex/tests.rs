use super::*;
use serde_json::json;

#[test]
fn exit_codes_in_every_output_shape() {
    let ok = |v: Value| {
        let code = output_exit_code(Some(&v), &output_text(Some(&v)));
        output_ok(Some(&v), code)
    };
    assert!(!ok(Value::String(
        r#"{"output":"FAILED","metadata":{"exit_code":101}}"#.into()
    )));
    assert!(ok(Value::String(
        r#"{"output":"ok","metadata":{"exit_code":0}}"#.into()
    )));
    assert!(!ok(Value::String(
        "Exit code: 1\nWall time: 0.2 seconds\nOutput:\nboom".into()
    )));
    assert!(ok(Value::String("plain text".into())));
    let code = |v: Value| output_exit_code(Some(&v), &output_text(Some(&v)));
    assert_eq!(
        code(Value::String(
            r#"{"output":"x","metadata":{"exit_code":101}}"#.into()
        )),
        Some(101)
    );
    assert_eq!(
        code(Value::String("Exit code: 1\nOutput:\nboom".into())),
        Some(1)
    );
    assert_eq!(code(Value::String("plain".into())), None);
}

fn parse(lines: &[&str]) -> Vec<Record> {
    let mut parser = CodexParser::default();
    let mut out = Vec::new();
    for line in lines {
        parser.parse_line(line.as_bytes(), &mut out).unwrap();
    }
    out
}

/// Lines as Codex 0.169.0 wrote them in a live run (trimmed).
#[test]
fn codex_0_169_prompt_command_end_and_turn_end() {
    let out = parse(&[
        r#"{"timestamp":"2026-12-01T22:27:17.300Z","type":"event_msg","payload":{"type":"item_completed","item":{"type":"UserMessage","id":"u1","content":[{"type":"text","text":"please echo","text_elements":[]}]}}}"#,
        r#"{"timestamp":"2026-12-01T22:27:17.400Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\":\"false\"}","call_id":"c1"}}"#,
        r#"{"timestamp":"2026-12-01T22:27:17.500Z","type":"event_msg","payload":{"type":"item_completed","item":{"type":"CommandExecution","id":"c1","command":["/bin/bash","-lc","false"],"status":"failed","aggregated_output":"","exit_code":1}}}"#,
        r#"{"timestamp":"2026-12-01T22:27:17.600Z","type":"response_item","payload":{"type":"function_call_output","call_id":"c1","output":"Process exited with code 1\nOutput:\n"}}"#,
        r#"{"timestamp":"2026-12-01T22:27:18.000Z","type":"event_msg","payload":{"type":"task_complete","turn_id":"t1","last_agent_message":"done"}}"#,
    ]);
    assert!(matches!(&out[0], Record::Prompt { text, .. } if text == "please echo"));
    let ends: Vec<&ToolEnd> = out
        .iter()
        .filter_map(|r| match r {
            Record::ToolEnd(end) => Some(end),
            _ => None,
        })
        .collect();
    assert_eq!(ends.len(), 1, "one end per call: {out:?}");
    assert!(!ends[0].ok);
    assert_eq!(ends[0].exit_code, Some(1));
    assert!(matches!(
        out.last(),
        Some(Record::TurnEnded { at: Some(_) })
    ));
}

/// Calls Codex never ran still get an output record: they failed.
#[test]
fn refused_and_blocked_calls_are_failures() {
    for output in [
        "approval policy is Never; reject command — you should not ask for escalated permissions",
        r#"exec_command failed: CreateProcess { message: "Rejected(\"rejected by user\")" }"#,
        "Command blocked by PreToolUse hook: shredding is not allowed here",
    ] {
        let line = json!({"type": "response_item", "payload": {
            "type": "function_call_output", "call_id": "c9", "output": output}})
        .to_string();
        let out = parse(&[&line]);
        let ok = out.iter().find_map(|r| match r {
            Record::ToolEnd(end) => Some(end.ok),
            _ => None,
        });
        assert_eq!(ok, Some(false), "{output}");
    }
}

#[test]
fn assistant_messages_are_assistant_text() {
    let mut out = Vec::new();
    CodexParser::default()
        .parse_line(
            br#"{"type":"response_item","payload":{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Fixed; all tests pass."}]}}"#,
            &mut out,
        )
        .unwrap();
    assert_eq!(
        out,
        [Record::AssistantText {
            text: "Fixed; all tests pass.".into(),
            at: None
        }]
    );
}
