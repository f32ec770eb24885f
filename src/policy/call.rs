//! The parts of a tool call the policy looks at, read from a hook's
//! `tool_name` and `tool_input` in every shape the two agents send.

use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use super::patch;
use super::paths;
use super::shell::{self, Analysis};

/// The parts of a tool call the rules look at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ToolCall {
    pub tool: String,
    /// The command line as sent (an argv array joined by spaces).
    pub command: Option<String>,
    /// The simple commands it runs, when the input carries a shell command.
    pub shell: Option<Analysis>,
    /// Files touched, absolute, with `..` resolved; and where symlinks among
    /// them really lead, when that is elsewhere.
    pub paths: Vec<PathBuf>,
    /// Those of `paths` that are files with other hard links: their other
    /// names may be anywhere, so they count as outside the project.
    pub linked: Vec<PathBuf>,
    /// Why the cockpit could not read all that the call does (a command or a
    /// patch it cannot parse): such a call is never taken as harmless.
    pub unreadable: Option<String>,
}

/// Names that are not files a write lands in.
fn special(path: &Path) -> bool {
    let text = path.to_string_lossy();
    matches!(
        text.as_ref(),
        "/dev/null" | "/dev/stdout" | "/dev/stderr" | "/dev/stdin" | "/dev/tty"
    ) || text.starts_with("/dev/fd/")
        || text.starts_with("/proc/self/fd/")
}

impl ToolCall {
    /// From a hook's `tool_name` and `tool_input` (Claude Code or Codex);
    /// relative paths are taken from `cwd`, where the agent works.
    pub fn from_hook(tool: &str, input: &Value, cwd: &Path) -> Self {
        let mut call = Self {
            tool: tool.to_string(),
            ..Self::default()
        };
        let command = input.get("command");
        // Codex apply_patch: the patch is in `command` (PreToolUse), in
        // `input` (a custom tool call), or the whole input is the patch.
        let patch_text = input
            .as_str()
            .or_else(|| input.get("input").and_then(Value::as_str))
            .or_else(|| input.get("patch").and_then(Value::as_str));
        let patch_text = match (tool, command) {
            ("apply_patch", Some(Value::String(p))) => Some(p.as_str()),
            _ => patch_text,
        };
        if tool != "apply_patch" {
            // Both keys when both are there: which one runs is the agent's choice.
            call.read_command(command);
            call.read_command(input.get("cmd"));
        }
        let mut written: Vec<PathBuf> = Vec::new();
        if let Some(analysis) = &call.shell {
            written.extend(analysis.writes.iter().cloned());
        }
        // A shell command may carry a patch the walker did not find as
        // `apply_patch` (piped to it, say): read it from the text.
        let walked = call.shell.as_ref().is_some_and(|s| s.patched);
        let in_command = call
            .command
            .as_deref()
            .filter(|c| !walked && c.contains("*** Begin Patch"));
        match patch_text.or(in_command) {
            Some(text) if tool == "apply_patch" || text.contains("*** Begin Patch") => {
                match patch::paths(text) {
                    Ok(files) => written.extend(files.iter().map(PathBuf::from)),
                    Err(why) => {
                        call.unreadable
                            .get_or_insert(format!("the patch cannot be read: {why}"));
                    }
                }
            }
            None if tool == "apply_patch" => {
                call.unreadable = Some("apply_patch carries no patch text".into());
            }
            _ => {}
        }
        for key in ["file_path", "notebook_path", "path"] {
            if let Some(p) = input.get(key).and_then(Value::as_str) {
                written.push(PathBuf::from(p));
            }
        }
        for path in written {
            call.add_path(&path, cwd);
        }
        call
    }

    fn add_path(&mut self, path: &Path, cwd: &Path) {
        let Some(path) = paths::expand_home(path) else {
            self.unreadable.get_or_insert(format!(
                "a path under another user's home ({})",
                path.display()
            ));
            return;
        };
        let lexical = absolute(&path, cwd);
        if special(&lexical) {
            return;
        }
        // The kernel follows links before `..`: resolve the path as written.
        let real = paths::resolve(&cwd.join(&path));
        let Some(real) = real else {
            self.unreadable
                .get_or_insert(format!("{} has too many symlinks", lexical.display()));
            return;
        };
        if paths::hard_linked(&real) {
            self.linked.push(lexical.clone());
            self.linked.push(real.clone());
        }
        if real != lexical {
            self.paths.push(real);
        }
        self.paths.push(lexical);
    }

    fn read_command(&mut self, command: Option<&Value>) {
        let analysis = match command {
            Some(Value::String(line)) => {
                self.add_command(line.clone());
                shell::analyse(line)
            }
            Some(Value::Array(argv)) => {
                let words: Vec<String> = argv
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect();
                self.add_command(words.join(" "));
                let mut analysis = shell::analyse_argv(&words);
                if words.len() != argv.len() {
                    analysis.opaque = Some("the argv holds something other than strings".into());
                }
                analysis
            }
            Some(_) => Analysis {
                opaque: Some("the command is neither a string nor an argv".into()),
                ..Analysis::default()
            },
            None => return,
        };
        if let Some(why) = &analysis.opaque {
            self.unreadable.get_or_insert(why.clone());
        }
        match &mut self.shell {
            None => self.shell = Some(analysis),
            Some(shell) => {
                shell.commands.extend(analysis.commands);
                shell.writes.extend(analysis.writes);
                shell.patched |= analysis.patched;
                shell.opaque = shell.opaque.take().or(analysis.opaque);
            }
        }
    }

    fn add_command(&mut self, line: String) {
        self.command = Some(match self.command.take() {
            Some(first) => format!("{first}\n{line}"),
            None => line,
        });
    }
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved lexically
/// (the file may not exist yet; `..` must not hide an escape from the project).
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
