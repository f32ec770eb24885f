//! The approval policy: ordered rules on tool name and input; the first
//! that matches decides `allow`, `ask` (a human, in the cockpit), `deny`, or
//! `pass` (no decision: the agent's own permission rules apply).
//!
//! Beside it, what the policy reads and what its decisions travel in, so
//! the state, the config and the store depend on it and not on the hook
//! side (`approvals`): the tool call and its paths (`call`, `patch`,
//! `paths`), the shell reading (`shell`, `prefilter`), the built-in rules
//! (`defaults`), the rules remembered with `a` (`remember`), and the request
//! a hook sends and the reply it gets (`protocol`).

pub mod call;
pub mod defaults;
pub mod patch;
pub mod paths;
mod prefilter;
pub mod protocol;
pub mod remember;
mod rule_match;
pub mod shell;
mod verdict;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use glob::Pattern;
use regex_lite::Regex;
use serde::Deserialize;

pub use self::call::{ToolCall, absolute};
use self::prefilter::Needs;
use self::rule_match::{PATH_MATCH, compile_command, compile_paths, shell_match};
use self::shell::SimpleCommand;
pub use self::verdict::{Decision, Verdict};

/// One rule as written in the config.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    pub name: String,
    /// Tool names (`Bash`, `Edit`, `mcp__github__*`); `*` matches any run of characters.
    #[serde(default)]
    pub tools: Vec<String>,
    /// A regular expression searched in each simple command a shell command
    /// runs, as its unquoted words joined by single spaces, wrappers (`env`,
    /// `sudo`, `xargs` …) and `sh -c` scripts looked through: `^rm ` matches
    /// `sudo r''m -rf x` but not `echo "rm -rf"`.
    pub command: Option<String>,
    /// Only commands whose input is piped from another (`curl … | sh`).
    #[serde(default)]
    pub piped: bool,
    /// Matches a call the cockpit cannot fully read: a shell command that does
    /// not parse or whose script is built at run time, a patch it cannot read.
    #[serde(default)]
    pub unparsed: bool,
    /// Globs on the file path the tool touches (absolute, or relative to the project).
    #[serde(default)]
    pub paths: Vec<String>,
    /// Matches when the file path is outside the project root.
    #[serde(default)]
    pub outside_project: bool,
    pub action: Verdict,
    /// Sent to the agent with a deny; shown to the human with an ask.
    pub reason: Option<String>,
}

/// A rule; its pattern and globs are compiled the first time a call reaches
/// them, because the hook runs once per tool call and most rules never apply.
#[derive(Debug, Clone)]
pub struct Rule {
    pub config: RuleConfig,
    command: OnceLock<Result<Option<Regex>, String>>,
    paths: OnceLock<Result<Vec<Pattern>, String>>,
    /// What a line must hold for `command` to match at all (`prefilter`).
    needs: OnceLock<Option<Needs>>,
}

#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub rules: Vec<Rule>,
}

impl Policy {
    /// The rules, compiled lazily (the hook's path).
    pub fn new(rules: &[RuleConfig]) -> Self {
        let rules = rules
            .iter()
            .map(|config| Rule {
                config: config.clone(),
                command: OnceLock::new(),
                paths: OnceLock::new(),
                needs: OnceLock::new(),
            })
            .collect();
        Self { rules }
    }

    /// Compiles every rule now; the error names the rule's index and field.
    pub fn compile(rules: &[RuleConfig]) -> Result<Self, (usize, &'static str, String)> {
        let policy = Self::new(rules);
        for (i, rule) in policy.rules.iter().enumerate() {
            if let Err(e) = rule.command() {
                return Err((i, "command", e.replace('\n', " ")));
            }
            if let Err(e) = rule.paths() {
                return Err((i, "paths", e.clone()));
            }
        }
        Ok(policy)
    }

    pub fn decide(&self, call: &ToolCall, project_root: &Path) -> Decision {
        // Paths where symlinks lead are compared with where the root leads.
        let real_root = (!call.paths.is_empty())
            .then(|| self::paths::resolve(project_root))
            .flatten()
            .unwrap_or_else(|| project_root.to_path_buf());
        let roots = [project_root, real_root.as_path()];
        for rule in &self.rules {
            if let Some(why) = rule.matches(call, &roots) {
                return Decision {
                    verdict: rule.config.action,
                    rule: Some(rule.config.name.clone()),
                    reason: rule.config.reason.clone(),
                    why,
                };
            }
        }
        Decision {
            verdict: Verdict::Pass,
            rule: None,
            reason: None,
            why: "no rule matched".into(),
        }
    }
}

impl Rule {
    fn command(&self) -> Result<Option<&Regex>, &String> {
        self.command
            .get_or_init(|| compile_command(&self.config.command))
            .as_ref()
            .map(Option::as_ref)
    }

    /// Whether the call's shell command could match the rule's `command` and
    /// `piped`, told without compiling the pattern: compiling the default
    /// patterns was most of the hook's work, and most calls run none of the
    /// programs they name.
    fn could_match(&self, call: &ToolCall) -> bool {
        let Some(shell) = &call.shell else {
            return true;
        };
        if self.config.piped && !shell.commands.iter().any(|c| c.piped) {
            return false;
        }
        let needs = self.needs.get_or_init(|| {
            self.config
                .command
                .as_deref()
                .and_then(self::prefilter::needs)
        });
        let Some(needs) = needs else {
            return true;
        };
        // A command that does not parse is also matched as raw text.
        let raw = call.command.as_deref().filter(|_| shell.opaque.is_some());
        let lines: Vec<String> = shell.commands.iter().map(SimpleCommand::line).collect();
        lines
            .iter()
            .map(String::as_str)
            .chain(raw)
            .any(|l| needs.admits(l))
    }

    /// The same for the rule's globs and the call's paths (an allow rule
    /// needs every path covered, any other rule one).
    fn paths_could_match(&self, call: &ToolCall, allow: bool) -> bool {
        let globs = &self.config.paths;
        if globs.is_empty() {
            return true;
        }
        let admitted = |p: &PathBuf| {
            let text = p.to_string_lossy();
            globs.iter().any(|g| self::prefilter::glob_admits(g, &text))
        };
        match allow {
            true => call.paths.iter().all(admitted),
            false => call.paths.iter().any(admitted),
        }
    }

    fn paths(&self) -> Result<&Vec<Pattern>, &String> {
        self.paths
            .get_or_init(|| compile_paths(&self.config.paths))
            .as_ref()
    }

    /// `Some(explanation)` when every condition the rule sets holds. A rule
    /// whose pattern does not compile matches everything it could apply to,
    /// so a broken rule asks rather than lets a call through unchecked.
    fn matches(&self, call: &ToolCall, roots: &[&Path; 2]) -> Option<String> {
        let rule = &self.config;
        let root = roots[0];
        // Conditions on what the call does not carry fail before anything is
        // compiled (the hook compiles what it reaches, on every call).
        let on_command = rule.command.is_some() || rule.piped;
        let on_paths = !rule.paths.is_empty() || rule.outside_project;
        if on_command && call.shell.is_none() || on_paths && call.paths.is_empty() {
            return None;
        }
        let mut why = Vec::new();
        if !rule.tools.is_empty() {
            let hit = rule
                .tools
                .iter()
                .find(|t| crate::text::glob_match(t, &call.tool))?;
            why.push(format!("tool `{}` matches `{hit}`", call.tool));
        }
        if !self.could_match(call) {
            return None;
        }
        let broken = |e: &String| Some(format!("the rule `{}` is invalid ({e})", rule.name));
        let regex = match self.command() {
            Ok(regex) => regex,
            Err(e) => return broken(e),
        };
        // An allow rule must cover everything the call does; any other rule
        // matches on any part of it.
        let allow = rule.action == Verdict::Allow;
        if allow && call.unreadable.is_some() {
            return None;
        }
        if regex.is_some() || rule.piped {
            why.push(shell_match(call, regex, rule.piped, allow)?);
        }
        if rule.unparsed {
            let unreadable = call.unreadable.as_deref()?;
            why.push(format!("the cockpit cannot read it: {unreadable}"));
        }
        if !self.paths_could_match(call, allow) {
            return None;
        }
        let globs = match self.paths() {
            Ok(globs) => globs,
            Err(e) => return broken(e),
        };
        let some_or_every = |test: &dyn Fn(&PathBuf) -> bool| -> Option<&PathBuf> {
            if allow {
                let all = !call.paths.is_empty() && call.paths.iter().all(test);
                all.then(|| &call.paths[0])
            } else {
                call.paths.iter().find(|p| test(p))
            }
        };
        if !globs.is_empty() {
            let glob_of = |p: &PathBuf| {
                let rel = roots
                    .iter()
                    .find_map(|r| p.strip_prefix(r).ok())
                    .unwrap_or(p);
                globs
                    .iter()
                    .zip(&rule.paths)
                    .find(|(m, _)| {
                        m.matches_path_with(p, PATH_MATCH) || m.matches_path_with(rel, PATH_MATCH)
                    })
                    .map(|(_, g)| g)
            };
            let path = some_or_every(&|p| glob_of(p).is_some())?;
            let glob = glob_of(path).map_or("", String::as_str);
            why.push(format!("path {} matches `{glob}`", path.display()));
        }
        if rule.outside_project {
            // A file with other hard links is as good as outside.
            let out =
                |p: &PathBuf| !roots.iter().any(|r| p.starts_with(r)) || call.linked.contains(p);
            let outside = some_or_every(&out)?;
            why.push(format!(
                "path {} is outside the project {}",
                outside.display(),
                root.display()
            ));
        }
        if why.is_empty() {
            why.push("the rule has no condition".into());
        }
        Some(why.join(", "))
    }
}
