//! "Allow and remember": what one `a` in the cockpit allows from then on.
//! A rule covers only what the human could see it cover: the same file for
//! the file tools, the same URL for WebFetch, and for everything else
//! (shell commands included) the same input exactly, in the same directory.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::paths;
use super::protocol::ApprovalRequest;
use crate::agents::tools::{FILE_TOOLS, SHELL_TOOLS};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RememberedRule {
    pub tool: String,
    /// `None` only in rules restored from older saves, which were wider than
    /// what was shown; those are dropped on restore.
    #[serde(default)]
    pub scope: Option<Scope>,
    /// The policy's rule and why it sent the call to a human when `a` was
    /// pressed: the rule covers a later call only if the policy says the
    /// same of it. The same command can write elsewhere once a symlink is
    /// put in the way; its reading then differs, and it is asked again.
    #[serde(default)]
    pub because: Option<String>,
    // The older format, read so that old saves load (and their rules are dropped).
    #[serde(default, skip_serializing)]
    pub command: Option<String>,
    #[serde(default, skip_serializing)]
    pub path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// Any call of the tool on this absolute path.
    File { path: String },
    /// WebFetch of exactly this URL (whatever it asks of the page).
    Url { url: String },
    /// This tool input and no other, in this directory.
    Exact { input: Value, cwd: Option<String> },
}

impl RememberedRule {
    /// The rule `a` would remember for this request; `None`: `a` is not offered.
    pub fn of(request: &ApprovalRequest) -> Option<Self> {
        let input = &request.input;
        let text = |key: &str| input.get(key).and_then(Value::as_str);
        let scope = if let Some((_, key)) = FILE_TOOLS.iter().find(|(t, _)| *t == request.tool) {
            let path = Path::new(text(key).filter(|p| !p.is_empty())?);
            let cwd = Path::new(request.cwd.as_deref().unwrap_or("/"));
            if !path.is_absolute() && request.cwd.is_none() {
                return None;
            }
            // Where the file really is: a rule made for a plain file never
            // follows a symlink put in its place later, and a file with other
            // hard links (names anywhere) gets no rule at all.
            let real = paths::resolve(&cwd.join(path))?;
            if paths::hard_linked(&real) {
                return None;
            }
            Scope::File {
                path: real.display().to_string(),
            }
        } else if request.tool == "WebFetch" {
            Scope::Url {
                url: text("url").filter(|u| !u.is_empty())?.to_string(),
            }
        } else {
            if input.is_null() {
                return None;
            }
            Scope::Exact {
                input: essential(&request.tool, input),
                cwd: request.cwd.clone(),
            }
        };
        Some(Self {
            tool: request.tool.clone(),
            scope: Some(scope),
            because: Some(format!(
                "{}: {}",
                request.rule.as_deref().unwrap_or("-"),
                request.why
            )),
            command: None,
            path: None,
        })
    }

    pub fn covers(&self, request: &ApprovalRequest) -> bool {
        self.scope.is_some() && Self::of(request).as_ref() == Some(self)
    }

    /// Whether a rule read from a saved session may be used again: it must
    /// be one `of` could have made (older saves hold wider rules).
    pub fn restorable(&self) -> bool {
        if self.because.is_none() {
            return false;
        }
        let file_tool = FILE_TOOLS.iter().any(|(t, _)| *t == self.tool);
        match &self.scope {
            Some(Scope::File { path }) => file_tool && Path::new(path).is_absolute(),
            Some(Scope::Url { url }) => self.tool == "WebFetch" && !url.is_empty(),
            Some(Scope::Exact { input, .. }) => {
                !file_tool && self.tool != "WebFetch" && !input.is_null()
            }
            None => false,
        }
    }

    /// One line saying exactly what the rule allows, for the prompt.
    pub fn describe(&self) -> String {
        let tool = &self.tool;
        match &self.scope {
            Some(Scope::File { path }) => format!("every {tool} of {path}"),
            Some(Scope::Url { url }) => format!("WebFetch of exactly {url}"),
            Some(Scope::Exact { input, cwd }) => {
                let at = cwd
                    .as_deref()
                    .map(|c| format!(" in {c}"))
                    .unwrap_or_default();
                let command = input.get("command").or_else(|| input.get("cmd"));
                match command {
                    Some(Value::String(c)) if SHELL_TOOLS.contains(&tool.as_str()) => {
                        format!("{tool} `{c}` exactly as shown{at}, nothing else")
                    }
                    Some(argv @ Value::Array(_)) if SHELL_TOOLS.contains(&tool.as_str()) => {
                        format!("{tool} {argv} exactly as shown{at}, nothing else")
                    }
                    _ => format!("{tool} with exactly this input{at}"),
                }
            }
            None => format!("{tool}: a rule from an older save (not used)"),
        }
    }
}

/// The input as far as it decides what the call does: for a shell tool,
/// Claude's free-text `description` of the command is not part of what runs.
fn essential(tool: &str, input: &Value) -> Value {
    let mut input = input.clone();
    if SHELL_TOOLS.contains(&tool)
        && let Some(map) = input.as_object_mut()
    {
        map.remove("description");
    }
    input
}
