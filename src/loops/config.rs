//! The `[loops]` config section: what counts as a validation run, what counts
//! as a handoff, and how the working tree is watched.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct LoopsConfig {
    /// Regexes matched at the start of each command of a shell line (split on
    /// `&&`, `||`, `;`, `|`), after `VAR=value`, `time`, `timeout N`, `npx`,
    /// `uv run`, `poetry run` and `bundle exec` are stripped. Checked in the
    /// order test, type-check, lint, build; the first kind that matches wins.
    pub test_commands: Vec<String>,
    pub typecheck_commands: Vec<String>,
    pub lint_commands: Vec<String>,
    pub build_commands: Vec<String>,
    /// A write to a path matching one of these globs (relative to the project)
    /// counts as a handoff for Memory Tattoo Decay.
    pub handoff_globs: Vec<String>,
    /// File events are gathered this long before a batch is sent.
    pub batch_ms: u64,
}

impl Default for LoopsConfig {
    fn default() -> Self {
        let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        Self {
            test_commands: list(&[
                r"cargo\s+(\+\S+\s+)?(test|nextest)\b",
                r"(pytest|py\.test)\b",
                r"python[0-9.]*\s+-m\s+(pytest|unittest)\b",
                r"(npm|pnpm|yarn|bun)\s+(run\s+)?test\b",
                r"(jest|vitest|mocha|rspec|phpunit|ctest)\b",
                r"go\s+test\b",
                r"make\s+(test|check)\b",
                r"(mvn|\./mvnw|mvnw)\s+(\S+\s+)*(test|verify)\b",
                r"(gradle|\./gradlew|gradlew)\s+(\S+\s+)*(test|check)\b",
                r"mix\s+test\b",
                r"dotnet\s+test\b",
            ]),
            typecheck_commands: list(&[
                r"cargo\s+(\+\S+\s+)?check\b",
                r"tsc\b",
                r"mypy\b",
                r"pyright\b",
                r"(npm|pnpm|yarn|bun)\s+(run\s+)?(typecheck|type-check|tsc)\b",
                r"mix\s+dialyzer\b",
            ]),
            lint_commands: list(&[
                r"cargo\s+(\+\S+\s+)?(clippy|fmt\s+(\S+\s+)*--check)\b",
                r"ruff\b",
                r"eslint\b",
                r"(flake8|pylint|golangci-lint|shellcheck|rubocop)\b",
                r"go\s+vet\b",
                r"(npm|pnpm|yarn|bun)\s+(run\s+)?lint\b",
                r"mix\s+(credo|format\s+--check-formatted)\b",
            ]),
            build_commands: list(&[
                r"cargo\s+(\+\S+\s+)?build\b",
                r"go\s+build\b",
                r"(npm|pnpm|yarn|bun)\s+(run\s+)?build\b",
                r"make\b",
                r"mix\s+compile\b",
                r"(mvn|\./mvnw|mvnw)\s+(\S+\s+)*(compile|package)\b",
                r"(gradle|\./gradlew|gradlew)\s+(\S+\s+)*build\b",
                r"dotnet\s+build\b",
            ]),
            handoff_globs: list(&[
                "HANDOFF*.md",
                "**/HANDOFF*.md",
                "docs/handoff*",
                ".agents/handoff*",
            ]),
            batch_ms: 50,
        }
    }
}
