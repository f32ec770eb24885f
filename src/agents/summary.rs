//! One-line summaries of tool inputs, the way a human would name the call.

use serde_json::Value;

use super::tools::SHELL_TOOLS;
use crate::text::{one_line, truncate_chars};

const SUMMARY_CHARS: usize = 160;
/// The detail view shows the whole input up to this many characters.
const DETAIL_CHARS: usize = 4_000;

/// `cwd` shortens absolute paths inside the project to relative ones.
pub fn summarize(tool: &str, input: &Value, cwd: Option<&str>) -> String {
    let field = |name: &str| input.get(name).and_then(Value::as_str);
    let path = |name: &str| field(name).map(|p| relative(p, cwd));
    let text = match tool {
        _ if SHELL_TOOLS.contains(&tool) => command_text(input),
        "Read" | "Write" | "Edit" | "MultiEdit" | "NotebookEdit" => path("file_path")
            .or_else(|| path("notebook_path"))
            .or_else(|| path("path")),
        "Glob" => field("pattern").map(|p| match path("path") {
            Some(dir) => format!("{p} in {dir}"),
            None => p.to_string(),
        }),
        "Grep" => field("pattern").map(|p| match path("path") {
            Some(dir) => format!("/{p}/ in {dir}"),
            None => format!("/{p}/"),
        }),
        "WebFetch" => field("url").map(str::to_string),
        "WebSearch" | "web_search" => field("query").map(str::to_string),
        "Task" | "Agent" => {
            let kind = field("subagent_type").unwrap_or("agent");
            Some(format!("{kind}: {}", field("description").unwrap_or("")))
        }
        "TodoWrite" => input
            .get("todos")
            .and_then(Value::as_array)
            .map(|todos| format!("{} todos", todos.len())),
        "apply_patch" => input.as_str().map(patch_files),
        "TaskOutput" | "BashOutput" | "KillShell" | "TaskStop" => field("task_id")
            .or_else(|| field("bash_id"))
            .or_else(|| field("shell_id"))
            .map(|id| format!("task {id}")),
        _ => None,
    };
    let text = text.unwrap_or_else(|| compact_json(input));
    one_line(&text, SUMMARY_CHARS)
}

/// The full input for the detail view, capped: one `key: value` per field,
/// with multi-line strings (scripts, patches, file contents) shown as text.
pub fn detail(input: &Value) -> String {
    // Enough bytes for more characters than are shown: a file of megabytes
    // written by the agent is not copied whole.
    let enough = 4 * (DETAIL_CHARS + 1);
    truncate_chars(&detail_upto(input, enough).0, DETAIL_CHARS)
}

/// [`detail`] cut after `max_bytes` (at a character boundary), and how many
/// bytes of it were left out: the approval prompt must know whether it shows
/// all of what it asks about.
pub fn detail_upto(input: &Value, max_bytes: usize) -> (String, usize) {
    detail_upto_except(input, max_bytes, None)
}

/// `text` cut to at most `max_bytes`, and how many bytes were left out.
pub fn text_upto(text: &str, max_bytes: usize) -> (String, usize) {
    let mut out = Capped {
        text: String::new(),
        max: max_bytes,
        left_out: 0,
    };
    out.push(text);
    (out.text, out.left_out)
}

/// [`detail_upto`] without the field `except` (shown elsewhere by the caller).
pub fn detail_upto_except(
    input: &Value,
    max_bytes: usize,
    except: Option<&str>,
) -> (String, usize) {
    let mut out = Capped {
        text: String::new(),
        max: max_bytes,
        left_out: 0,
    };
    match input {
        Value::String(s) => out.push(s),
        Value::Object(fields) => {
            for (key, value) in fields {
                if Some(key.as_str()) == except {
                    continue;
                }
                match value {
                    Value::String(s) if s.contains('\n') => {
                        out.push(key);
                        out.push(":\n");
                        for line in s.lines() {
                            out.push("  ");
                            out.push(line);
                            out.push("\n");
                        }
                    }
                    Value::String(s) => {
                        out.push(key);
                        out.push(": ");
                        out.push(s);
                        out.push("\n");
                    }
                    other => {
                        out.push(key);
                        out.push(": ");
                        out.push(&serde_json::to_string_pretty(other).unwrap_or_default());
                        out.push("\n");
                    }
                }
            }
        }
        other => out.push(&serde_json::to_string_pretty(other).unwrap_or_default()),
    }
    (out.text, out.left_out)
}

/// Text that keeps at most `max` bytes and counts the rest.
struct Capped {
    text: String,
    max: usize,
    left_out: usize,
}

impl Capped {
    fn push(&mut self, piece: &str) {
        let room = self.max.saturating_sub(self.text.len());
        if self.left_out > 0 {
            // Past the cut: nothing after it may show as if it followed.
            self.left_out += piece.len();
            return;
        }
        if piece.len() <= room {
            self.text.push_str(piece);
            return;
        }
        let mut cut = room;
        while !piece.is_char_boundary(cut) {
            cut -= 1;
        }
        self.text.push_str(&piece[..cut]);
        self.left_out += piece.len() - cut;
    }
}

/// The whole command of a shell tool call.
pub fn shell_command(tool: &str, input: &Value) -> Option<String> {
    SHELL_TOOLS
        .contains(&tool)
        .then(|| command_text(input))
        .flatten()
}

/// The files a call reads or writes, as written (absolute for Claude Code,
/// often relative for Codex patches).
pub fn tool_paths(tool: &str, input: &Value) -> Vec<String> {
    let field = |name: &str| input.get(name).and_then(Value::as_str);
    match tool {
        "Read" | "Write" | "Edit" | "MultiEdit" | "NotebookEdit" => field("file_path")
            .or_else(|| field("notebook_path"))
            .or_else(|| field("path"))
            .map(|p| vec![p.to_string()])
            .unwrap_or_default(),
        "apply_patch" => input
            .as_str()
            .or_else(|| field("input"))
            .map(|patch| patch_paths(patch).map(|(_, p)| p.to_string()).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// `(kind, path)` for each file header of an `apply_patch` body; kind is
/// `Add`, `Update` or `Delete`.
pub fn patch_paths(patch: &str) -> impl Iterator<Item = (&str, &str)> {
    patch.lines().filter_map(|l| {
        let rest = l.strip_prefix("*** ")?;
        let (kind, path) = rest.split_once(" File: ")?;
        matches!(kind, "Add" | "Update" | "Delete").then_some((kind, path.trim()))
    })
}

fn command_text(input: &Value) -> Option<String> {
    match input.get("command").or_else(|| input.get("cmd"))? {
        Value::String(cmd) => Some(cmd.clone()),
        // Codex writes argv; `bash -lc "<script>"` is shown as the script.
        Value::Array(argv) => {
            let words: Vec<&str> = argv.iter().filter_map(Value::as_str).collect();
            match words.as_slice() {
                [shell, flag, script] if is_shell(shell) && flag.starts_with('-') => {
                    Some(script.to_string())
                }
                _ => Some(words.join(" ")),
            }
        }
        _ => None,
    }
}

fn is_shell(word: &str) -> bool {
    matches!(
        word.rsplit('/').next().unwrap_or(word),
        "bash" | "sh" | "zsh"
    )
}

fn patch_files(patch: &str) -> String {
    let files: Vec<&str> = patch
        .lines()
        .filter_map(|l| {
            l.strip_prefix("*** Update File: ")
                .or_else(|| l.strip_prefix("*** Add File: "))
                .or_else(|| l.strip_prefix("*** Delete File: "))
        })
        .collect();
    if files.is_empty() {
        "patch".to_string()
    } else {
        files.join(", ")
    }
}

fn relative(path: &str, cwd: Option<&str>) -> String {
    if let Some(cwd) = cwd {
        let cwd = cwd.trim_end_matches('/');
        if let Some(rest) = path.strip_prefix(cwd).and_then(|r| r.strip_prefix('/')) {
            return rest.to_string();
        }
    }
    path.to_string()
}

fn compact_json(input: &Value) -> String {
    match input {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;
