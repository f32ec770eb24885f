//! A rule's patterns compiled (its `command` regex, its path globs) and
//! its `command`/`piped` test on a call's shell command.

use glob::{MatchOptions, Pattern};
use regex_lite::Regex;

use super::call::ToolCall;
use super::shell::SimpleCommand;

pub(super) fn compile_command(pattern: &Option<String>) -> Result<Option<Regex>, String> {
    match pattern {
        // regex-lite: ASCII classes and no DFA construction, so compiling the
        // few rules a call reaches costs microseconds; the hook runs on every
        // tool call and compiles them anew each time.
        Some(pattern) => Regex::new(pattern).map(Some).map_err(|e| e.to_string()),
        None => Ok(None),
    }
}

/// `glob` patterns compile to tokens, not to a regex: cheap enough for a
/// process that starts on every tool call.
pub(super) fn compile_paths(globs: &[String]) -> Result<Vec<Pattern>, String> {
    globs
        .iter()
        .map(|g| Pattern::new(g).map_err(|e| e.to_string()))
        .collect()
}

/// `*` stays within one path component; `**` crosses them.
pub(super) const PATH_MATCH: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: false,
};

/// A rule's `command`/`piped` test on a call's shell command: `Some(why)`
/// when any simple command passes (every one, for an allow rule). A command
/// the cockpit could not fully read is also matched as raw text, so a rule
/// that caught it before the parser still does.
pub(super) fn shell_match(
    call: &ToolCall,
    regex: Option<&Regex>,
    piped: bool,
    allow: bool,
) -> Option<String> {
    let shell = call.shell.as_ref()?;
    let test = |c: &SimpleCommand| {
        let line = c.line();
        if piped && !c.piped {
            return None;
        }
        match regex {
            Some(r) => r
                .find(&line)
                .map(|m| (m.as_str().to_string(), line.clone())),
            None => Some((String::new(), line)),
        }
    };
    let say = |(found, line): (String, String)| match found.is_empty() {
        true => format!("`{line}` reads a pipe"),
        false if found == line => format!("command contains `{found}`"),
        false => format!("command contains `{found}` (in `{line}`)"),
    };
    if allow {
        let mut hits = shell.commands.iter().map(test);
        let first = hits.next()??;
        return hits.all(|h| h.is_some()).then(|| say(first));
    }
    if let Some(hit) = shell.commands.iter().find_map(test) {
        return Some(say(hit));
    }
    let raw = call
        .command
        .as_deref()
        .filter(|_| shell.opaque.is_some() && !piped)?;
    let found = regex?.find(raw)?;
    Some(format!("command text contains `{}`", found.as_str()))
}
