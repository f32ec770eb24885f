//! Validation runs (tests, builds, lints, type checks) recognised in the tool
//! stream, with pass or fail taken from what the run itself reported.

use std::collections::HashMap;

use regex::Regex;

use super::config::LoopsConfig;
use super::counts::{self, TestCounts};
use crate::agents::{ToolEnd, ToolStart};
use crate::clock::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ValidationKind {
    Test,
    TypeCheck,
    Lint,
    Build,
}

impl ValidationKind {
    pub fn label(self) -> &'static str {
        match self {
            ValidationKind::Test => "test",
            ValidationKind::TypeCheck => "type-check",
            ValidationKind::Lint => "lint",
            ValidationKind::Build => "build",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    /// Interrupted, or nothing in the result said either way.
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidationRun {
    pub tool_id: String,
    pub kind: ValidationKind,
    /// The whole shell line as the agent wrote it.
    pub command: String,
    pub outcome: Outcome,
    pub counts: Option<TestCounts>,
    pub exit_code: Option<i32>,
    pub started: Option<Millis>,
    pub ended: Option<Millis>,
}

/// The configured command patterns, compiled.
#[derive(Debug, Clone)]
pub struct Matcher {
    kinds: Vec<(ValidationKind, Vec<Regex>)>,
}

impl Matcher {
    /// Patterns that do not compile are skipped and returned as messages.
    pub fn new(config: &LoopsConfig) -> (Self, Vec<String>) {
        let mut errors = Vec::new();
        let mut compile = |patterns: &[String]| {
            patterns
                .iter()
                .filter_map(|p| match Regex::new(&format!("^(?:{p})")) {
                    Ok(re) => Some(re),
                    Err(err) => {
                        errors.push(format!("loops: pattern `{p}`: {err}"));
                        None
                    }
                })
                .collect::<Vec<_>>()
        };
        let kinds = vec![
            (ValidationKind::Test, compile(&config.test_commands)),
            (
                ValidationKind::TypeCheck,
                compile(&config.typecheck_commands),
            ),
            (ValidationKind::Lint, compile(&config.lint_commands)),
            (ValidationKind::Build, compile(&config.build_commands)),
        ];
        (Self { kinds }, errors)
    }

    /// The run a finished call was, when its command is a validation.
    pub fn run(&self, start: &ToolStart, end: &ToolEnd) -> Option<ValidationRun> {
        let command = start.command.as_ref()?;
        let kind = self.classify(command)?;
        Some(finished(kind, command.clone(), start.at, end))
    }

    /// The strongest kind any command of the line is (a line that builds and
    /// then tests is a test run).
    pub fn classify(&self, command: &str) -> Option<ValidationKind> {
        let segments: Vec<&str> = segments(command).collect();
        self.kinds.iter().find_map(|(kind, patterns)| {
            segments
                .iter()
                .any(|s| patterns.iter().any(|re| re.is_match(s)))
                .then_some(*kind)
        })
    }
}

/// The commands of a shell line, each with leading env assignments and
/// wrapper commands stripped.
fn segments(command: &str) -> impl Iterator<Item = &str> {
    command
        .split(['\n', ';', '|', '&', '(', ')'])
        .map(strip_wrappers)
        .filter(|s| !s.is_empty())
}

fn strip_wrappers(segment: &str) -> &str {
    let mut s = segment.trim();
    loop {
        let (word, rest) = s.split_once(char::is_whitespace).unwrap_or((s, ""));
        let rest = rest.trim_start();
        let next = match word {
            "time" | "npx" | "bunx" | "exec" | "env" | "command" | "nice" => rest,
            "uv" | "poetry" | "pipenv" | "pdm" if rest.starts_with("run ") => {
                rest[4..].trim_start()
            }
            "bundle" if rest.starts_with("exec ") => rest[5..].trim_start(),
            "timeout" => rest.split_once(' ').map_or("", |(_, r)| r.trim_start()),
            w if w.contains('=') && !w.starts_with('-') && !w.starts_with('=') => rest,
            _ => return s,
        };
        if next.is_empty() {
            return s;
        }
        s = next;
    }
}

/// Pass or fail from, in order: runner counts and summary lines (a pipe to
/// `tail` hides the exit code, the counts still tell), the exit code, the
/// tool's error flag.
pub fn judge(end: &ToolEnd) -> (Outcome, Option<TestCounts>) {
    let summary = counts::parse(&end.output);
    let outcome = if end.interrupted {
        Outcome::Unknown
    } else if summary.said_failed || end.exit_code.is_some_and(|c| c != 0) || !end.ok {
        Outcome::Failed
    } else if end.exit_code == Some(0) || summary.said_ok || summary.counts.is_some() {
        Outcome::Passed
    } else {
        Outcome::Unknown
    };
    (outcome, summary.counts)
}

/// Pairs tool calls with their results and keeps the validation runs.
#[derive(Debug, Default)]
pub struct Tracker {
    open: HashMap<String, (ValidationKind, String, Option<Millis>)>,
}

impl Tracker {
    /// Remembers a call when it is a validation run.
    pub fn start(&mut self, matcher: &Matcher, start: &ToolStart) {
        if let Some(command) = &start.command
            && let Some(kind) = matcher.classify(command)
        {
            self.open
                .insert(start.id.clone(), (kind, command.clone(), start.at));
        }
    }

    /// The finished run, when `end` closes one.
    pub fn end(&mut self, end: &ToolEnd) -> Option<ValidationRun> {
        let (kind, command, started) = self.open.remove(&end.id)?;
        Some(finished(kind, command, started, end))
    }
}

fn finished(
    kind: ValidationKind,
    command: String,
    started: Option<Millis>,
    end: &ToolEnd,
) -> ValidationRun {
    let (outcome, counts) = judge(end);
    ValidationRun {
        tool_id: end.id.clone(),
        kind,
        command,
        outcome,
        counts,
        exit_code: end.exit_code,
        started,
        ended: end.at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> Matcher {
        let (m, errors) = Matcher::new(&LoopsConfig::default());
        assert!(errors.is_empty(), "{errors:?}");
        m
    }

    #[test]
    fn recognises_runners_inside_shell_lines() {
        let m = matcher();
        let kind = |c| m.classify(c);
        use ValidationKind::*;
        for (command, expected) in [
            ("cargo test --locked", Some(Test)),
            (
                "cd app && RUST_LOG=debug cargo test 2>&1 | tail -20",
                Some(Test),
            ),
            ("cargo build && cargo test", Some(Test)),
            ("uv run pytest -x tests/", Some(Test)),
            ("npx jest src", Some(Test)),
            ("pnpm run test", Some(Test)),
            ("go vet ./...", Some(Lint)),
            ("timeout 60 mix test test/foo_test.exs", Some(Test)),
            ("./gradlew clean test", Some(Test)),
            ("npx tsc --noEmit", Some(TypeCheck)),
            ("cargo clippy --all-targets -- -D warnings", Some(Lint)),
            ("ruff check .", Some(Lint)),
            ("cargo build --release", Some(Build)),
            ("git commit -m 'make tests pass'", None),
            ("cat pytest.ini", None),
            ("ls target", None),
        ] {
            assert_eq!(kind(command), expected, "{command}");
        }
    }

    fn end(output: &str, ok: bool, exit_code: Option<i32>) -> ToolEnd {
        ToolEnd {
            id: "t".into(),
            ok,
            output: output.into(),
            exit_code,
            ..ToolEnd::default()
        }
    }

    #[test]
    fn counts_override_a_piped_exit_code() {
        let (outcome, counts) = judge(&end("5 tests, 2 failures", true, Some(0)));
        assert_eq!(outcome, Outcome::Failed);
        assert_eq!(counts.unwrap().failed, 2);
        assert_eq!(judge(&end("boom", false, Some(101))).0, Outcome::Failed);
        assert_eq!(judge(&end("", true, Some(0))).0, Outcome::Passed);
        assert_eq!(judge(&end("compiled", true, None)).0, Outcome::Unknown);
        let mut stopped = end("", false, None);
        stopped.interrupted = true;
        assert_eq!(judge(&stopped).0, Outcome::Unknown);
    }
}
