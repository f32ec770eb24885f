//! Tool results: the ToolEnd a `tool_result` block makes and the text it
//! adds to the context.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::block::Block;
use crate::agents::json_string::{self, Edges};
use crate::agents::record::{
    OUTPUT_EDGE_BYTES, Record, ToolEnd, cap_edges, cap_output, exit_code_in,
};
use crate::agents::tokens;

/// A result written in at least this many bytes is decoded for its two ends
/// only, when they say all the whole text would: its ToolEnd keeps the ends,
/// and its estimate reads the start. A result of megabytes is then not held
/// whole on top of its line.
const LONG_RESULT_BYTES: usize = 1024 * 1024;
/// What is kept of a long result's start (the estimate's part, with room for
/// a character boundary) and of its end (the ToolEnd's, likewise).
const HEAD_BYTES: usize = tokens::EXACT_PREFIX_BYTES + 8;
const TAIL_BYTES: usize = OUTPUT_EDGE_BYTES + 8;

/// The Bash shape of `toolUseResult`; other tools' fields are ignored.
#[derive(Deserialize, Default)]
struct BashResult {
    #[serde(default)]
    interrupted: bool,
    #[serde(default)]
    stderr: String,
}

/// A tool result with what detectors need: the text (Bash output, with the
/// stderr the content may omit), the exit code Claude Code writes as
/// `Exit code N` on failures, and whether the call was interrupted; then
/// the text as pending context.
pub(super) fn tool_result(
    block: &Block,
    structured: Option<&RawValue>,
    at: Option<i64>,
    out: &mut Vec<Record>,
) {
    let bash: BashResult = structured
        .filter(|raw| raw.get().starts_with('{'))
        .and_then(|raw| serde_json::from_str(raw.get()).ok())
        .unwrap_or_default();
    let ok = !block.is_error.unwrap_or(false);
    // Success writes no exit code; a Bash call that ran and was not flagged
    // exited 0, but other tools have no exit code at all.
    let ran = (ok && structured.is_some_and(is_bash_shape)).then_some(0);
    let end = |output: String, text_start: &str| {
        block.tool_use_id.as_deref().map(|id| {
            Record::ToolEnd(ToolEnd {
                id: id.to_string(),
                ok,
                output,
                exit_code: exit_code_in(text_start).or(ran),
                interrupted: bash.interrupted,
                at,
            })
        })
    };
    if let Some(edges) = block.content.and_then(|raw| long_edges(raw, &bash)) {
        out.extend(end(
            cap_edges(&edges.head, edges.len, &edges.tail),
            &edges.head,
        ));
        let mut part = edges.head;
        part.truncate(tokens::estimated_part(&part).len());
        out.push(Record::PendingPart {
            part,
            len: edges.len,
        });
        return;
    }
    let text = block.content.map(result_text);
    let whole = text.as_deref().unwrap_or("");
    // Capped before any copy: the text can be megabytes.
    let output = if !bash.stderr.is_empty() && !whole.contains(bash.stderr.trim()) {
        cap_output(&format!("{whole}\n{}", bash.stderr))
    } else {
        cap_output(whole)
    };
    out.extend(end(output, whole));
    if let Some(text) = text {
        out.push(Record::PendingText(text));
    }
}

/// The ends of a long string result, when they are all that is needed: no
/// stderr to look for in the text, and the first four lines (where an exit
/// code is written) whole in the head.
fn long_edges(raw: &RawValue, bash: &BashResult) -> Option<Edges> {
    let long = raw.get().len() >= LONG_RESULT_BYTES && raw.get().starts_with('"');
    if !long || !bash.stderr.is_empty() {
        return None;
    }
    let edges = json_string::decode_edges(raw, HEAD_BYTES, TAIL_BYTES)?;
    let lines = memchr::memchr_iter(b'\n', edges.head.as_bytes()).count();
    (lines >= 4 && edges.len > 2 * OUTPUT_EDGE_BYTES).then_some(edges)
}

fn is_bash_shape(raw: &RawValue) -> bool {
    let raw = raw.get();
    raw.starts_with('{') && raw.contains("\"stdout\"") && raw.contains("\"interrupted\"")
}

/// The text of a tool result, which is a string or a list of blocks.
fn result_text(raw: &RawValue) -> String {
    if raw.get().starts_with('"') {
        return json_string::decode(raw);
    }
    let parts: Vec<Block> = serde_json::from_str(raw.get()).unwrap_or_default();
    let mut text = String::new();
    for part in parts {
        if let Some(t) = part.text {
            text.push_str(&t);
            text.push('\n');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agents::AgentKind;
    use crate::agents::pending::Pending;

    /// The records of a tool_result line whose content is `text`.
    fn records(text: &str, stderr: &str) -> Vec<Record> {
        let content = serde_json::to_string(text).unwrap();
        let line = format!(
            r#"{{"type":"user","message":{{"content":[{{"type":"tool_result","tool_use_id":"t","content":{content},"is_error":true}}]}},"toolUseResult":{{"stdout":"","stderr":"{stderr}","interrupted":false}}}}"#
        );
        let mut out = Vec::new();
        crate::agents::LineParser::parse_line(
            &mut super::super::ClaudeParser::default(),
            line.as_bytes(),
            &mut out,
        )
        .unwrap();
        out
    }

    fn estimate(records: Vec<Record>) -> Vec<Record> {
        Pending::new(AgentKind::Claude).settle(records, true)
    }

    #[test]
    fn a_long_result_read_for_its_ends_makes_what_the_whole_text_would() {
        let text = format!(
            "Exit code 3\nfirst line\n{}\ntest result: FAILED. 1 passed; 2 failed\n",
            "é some \"quoted\" output\tline\n".repeat(60_000)
        );
        let records = records(&text, "");
        assert!(
            matches!(records[1], Record::PendingPart { .. }),
            "{:?}",
            records[1]
        );
        let Record::ToolEnd(end) = &records[0] else {
            panic!("{:?}", records[0])
        };
        assert_eq!(end.output, cap_output(&text));
        assert_eq!(end.exit_code, Some(3));
        let whole = vec![Record::PendingText(text.clone())];
        assert_eq!(estimate(records[1..].to_vec()), estimate(whole));
    }

    #[test]
    fn a_long_result_with_stderr_or_few_lines_is_read_whole() {
        let long = "x".repeat(2 << 20);
        let lines = format!("a\nb\nc\nd\n{long}");
        assert!(matches!(records(&long, "")[1], Record::PendingText(_)));
        assert!(matches!(records(&lines, "warn")[1], Record::PendingText(_)));
        assert!(matches!(records(&lines, "")[1], Record::PendingPart { .. }));
    }
}
