//! A settings file written back in its own order and formatting. The merge
//! works on `serde_json::Value` (whose objects sort their keys); the text is
//! then laid out after the file it replaces: its keys keep their order, a
//! member whose value did not change keeps its exact text, and only what the
//! cockpit changed is laid out anew, in the file's indent and line ending.
//! (serde_json's `preserve_order` would reorder the hook answers the agents
//! read, which are built with `json!` and compared byte for byte in tests.)

use std::fmt;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

/// `value` as the text of a file that held `guides[0]` (the text it
/// replaces); later guides are older texts of the same file, whose exact
/// wording is taken where a value is back to what it was there. No guide:
/// a new file, laid out as `serde_json::to_string_pretty` would.
pub fn render(value: &Value, guides: &[&str]) -> String {
    let Some(first) = guides.first() else {
        return format!("{}\n", Layout::default().emit(value, &[], 0));
    };
    let body = first.trim_matches(is_json_space);
    let start = first.len() - first.trim_start_matches(is_json_space).len();
    let (lead, trail) = (&first[..start], &first[start + body.len()..]);
    let layout = Layout::of(first);
    let bodies: Vec<&str> = guides
        .iter()
        .map(|g| g.trim_matches(is_json_space))
        .collect();
    format!("{lead}{}{trail}", layout.emit(value, &bodies, 0))
}

fn is_json_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

struct Layout {
    indent: String,
    newline: &'static str,
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            indent: "  ".into(),
            newline: "\n",
        }
    }
}

impl Layout {
    /// The indent of the file's first indented line, and its line ending.
    fn of(text: &str) -> Self {
        let indent = text
            .lines()
            .skip(1)
            .map(|line| &line[..line.len() - line.trim_start_matches([' ', '\t']).len()])
            .find(|lead| !lead.is_empty())
            .unwrap_or("  ");
        Self {
            indent: indent.to_string(),
            newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
        }
    }

    /// `value` at nesting `depth`; `guides` are texts of the same place in
    /// the old files (maybe none).
    fn emit(&self, value: &Value, guides: &[&str], depth: usize) -> String {
        if let Some(same) = guides.iter().find(|g| parses_to(g, value)) {
            return (*same).to_string();
        }
        match value {
            Value::Object(map) if !map.is_empty() => {
                let members: Vec<Vec<(String, Box<RawValue>)>> = guides
                    .iter()
                    .map(|g| {
                        serde_json::from_str::<Members>(g)
                            .map(|m| m.0)
                            .unwrap_or_default()
                    })
                    .collect();
                // The newest file's order, then keys it did not have.
                let mut keys: Vec<&str> = Vec::new();
                let known = members
                    .first()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k.as_str());
                for key in known.chain(map.keys().map(String::as_str)) {
                    if map.contains_key(key) && !keys.contains(&key) {
                        keys.push(key);
                    }
                }
                let items = keys.iter().map(|key| {
                    // The last of duplicate keys is the one a parser keeps.
                    let inner: Vec<&str> = members
                        .iter()
                        .filter_map(|m| m.iter().rev().find(|(k, _)| k == key))
                        .map(|(_, raw)| raw.get())
                        .collect();
                    let name = serde_json::to_string(key).expect("a string");
                    format!("{name}: {}", self.emit(&map[*key], &inner, depth + 1))
                });
                self.block('{', items.collect(), '}', depth)
            }
            Value::Array(list) if !list.is_empty() => {
                let olds: Vec<Vec<Box<RawValue>>> = guides
                    .iter()
                    .map(|g| serde_json::from_str(g).unwrap_or_default())
                    .collect();
                let items = list.iter().enumerate().map(|(at, item)| {
                    // An item equal to an old one keeps that one's text,
                    // wherever it was; another is laid out after the item
                    // at its place.
                    let inner: Vec<&str> = olds
                        .iter()
                        .filter_map(|old| {
                            old.iter()
                                .find(|raw| parses_to(raw.get(), item))
                                .or_else(|| old.get(at))
                                .map(|raw| raw.get())
                        })
                        .collect();
                    self.emit(item, &inner, depth + 1)
                });
                self.block('[', items.collect(), ']', depth)
            }
            _ => serde_json::to_string(value).expect("a JSON value"),
        }
    }

    fn block(&self, open: char, items: Vec<String>, close: char, depth: usize) -> String {
        let inner = self.indent.repeat(depth + 1);
        let joined = items.join(&format!(",{}{inner}", self.newline));
        let outer = self.indent.repeat(depth);
        format!(
            "{open}{nl}{inner}{joined}{nl}{outer}{close}",
            nl = self.newline
        )
    }
}

fn parses_to(text: &str, value: &Value) -> bool {
    serde_json::from_str::<Value>(text).is_ok_and(|v| &v == value)
}

/// An object's members in the file's order, each with its own text.
struct Members(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct InOrder;
        impl<'de> Visitor<'de> for InOrder {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(InOrder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_new_file_is_laid_out_as_serde_json_would() {
        let value = json!({"b": [1, {"c": []}], "a": {}});
        let expected = serde_json::to_string_pretty(&value).unwrap() + "\n";
        assert_eq!(render(&value, &[]), expected);
    }

    #[test]
    fn unchanged_members_keep_their_text_and_order() {
        let old = "{\"z\": [1,2],\n    \"a\": {\"x\":1}}\n";
        let mut value: Value = serde_json::from_str(old).unwrap();
        value["m"] = json!(true);
        assert_eq!(
            render(&value, &[old]),
            "{\n    \"z\": [1,2],\n    \"a\": {\"x\":1},\n    \"m\": true\n}\n"
        );
    }
}
