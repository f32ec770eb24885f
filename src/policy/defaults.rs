//! The rules shipped by default (also written out in `config.example.toml`:
//! `cargo test --test config_files print_default_policy -- --ignored --nocapture`).
//! Shell patterns are matched against each simple command a command line
//! runs, unquoted and with wrappers looked through, so they anchor at `^`:
//! `echo "rm -rf /"` runs `echo`, not `rm`.

use super::{RuleConfig, Verdict};
use crate::agents::tools::{EDIT_TOOLS as WRITE_TOOLS, SHELL_TOOLS};

const SECRETS: &[&str] = &[
    "**/.env",
    "**/.env.*",
    "**/*.pem",
    "**/*.key",
    "**/id_rsa*",
    "**/id_ed25519*",
    "**/.ssh/**",
    "**/.aws/credentials",
    "**/.netrc",
];
/// Files whose content runs later without anyone asked: git's hooks and
/// config (aliases, pagers), the agents' and the cockpit's own settings
/// (hooks, permissions, MCP servers), shell startup files, direnv's `.envrc`.
const PERSISTENCE: &[&str] = &[
    "**/.git/hooks/**",
    "**/.git/config",
    "**/.gitconfig",
    "**/.config/git/**",
    "**/.claude/settings*.json",
    "**/.claude/hooks/**",
    "**/.claude.json",
    "**/.mcp.json",
    "**/.codex/**",
    "**/.config/cockpit/**",
    "**/.bashrc",
    "**/.bash_profile",
    "**/.bash_login",
    "**/.profile",
    "**/.zshrc",
    "**/.zshenv",
    "**/.zprofile",
    "**/.zlogin",
    "**/.config/fish/**",
    "**/.envrc",
];
/// Programs that run a script read from their input (`at` and `batch` later).
const SHELLS: &str =
    "(?:ba|rba|z|da|k|ok|lok|mk|a|ya|po|c|tc)?sh|fish|nu|xonsh|elvish|pwsh|at|batch";
const INTERPRETERS: &str =
    r"python[0-9.]*|pypy[0-9.]*|perl|ruby|node|nodejs|php|deno|bun|lua(?:jit)?|tclsh|Rscript|julia";

fn rule(name: &str, tools: &[&str], action: Verdict, reason: &str) -> RuleConfig {
    RuleConfig {
        name: name.into(),
        tools: tools.iter().map(|t| t.to_string()).collect(),
        command: None,
        piped: false,
        unparsed: false,
        paths: Vec::new(),
        outside_project: false,
        action,
        reason: Some(reason.into()),
    }
}

fn shell(name: &str, command: &str, reason: &str) -> RuleConfig {
    RuleConfig {
        command: Some(command.into()),
        ..rule(name, SHELL_TOOLS, Verdict::Ask, reason)
    }
}

fn with_tools(a: &[&str], b: &[&str]) -> Vec<String> {
    a.iter().chain(b).map(|t| t.to_string()).collect()
}

pub fn default_rules() -> Vec<RuleConfig> {
    let secrets = || SECRETS.iter().map(|p| p.to_string()).collect();
    vec![
        RuleConfig {
            // Shell tools too: a shell command may carry an `apply_patch` heredoc.
            tools: with_tools(WRITE_TOOLS, SHELL_TOOLS),
            paths: secrets(),
            ..rule(
                "secrets-write",
                &[],
                Verdict::Deny,
                "writing secrets files is blocked by the cockpit policy",
            )
        },
        RuleConfig {
            paths: secrets(),
            ..rule(
                "secrets-read",
                &["Read", "Grep", "Glob"],
                Verdict::Ask,
                "reads a secrets file",
            )
        },
        RuleConfig {
            tools: with_tools(WRITE_TOOLS, SHELL_TOOLS),
            paths: PERSISTENCE.iter().map(|p| p.to_string()).collect(),
            ..rule(
                "persistence-write",
                &[],
                Verdict::Ask,
                "changes what runs later unasked (git hooks or config, agent or cockpit settings, shell startup files)",
            )
        },
        shell(
            "force-push",
            r"^git push(?: .*)?(?: --force\b| --force-with-lease\b| --force-if-includes\b| --mirror\b| -[a-zA-Z]*f[a-zA-Z]*\b| \+\S)",
            "force push rewrites shared history",
        ),
        shell("git-push", r"^git push(?: |$)", "pushes to a remote"),
        shell(
            "destructive-git",
            r"^git (?:reset\b.* --hard\b|clean\b.*(?: -[a-zA-Z]*f| --force\b)|checkout\b.*(?: -- | -f\b| --force\b| \.$)|switch\b.*(?: -f\b| --force\b| --discard-changes\b)|restore --worktree\b|branch\b.*(?: -[a-zA-Z]*D\b| --delete --force\b| --force --delete\b)|stash (?:drop|clear)\b)",
            "discards work that may not be recoverable",
        ),
        shell(
            "recursive-delete",
            r"^rm\b.* (?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)\b|^find\b.* -delete\b|^rsync\b.* --(?:delete|remove-source-files)",
            "recursive delete",
        ),
        shell(
            "privileged",
            r"^(?:sudo|doas|pkexec|su|run0)\b|^mkfs(?:\.\w+)?\b|^dd\b|^chmod\b.*(?: -[a-zA-Z]*R\b| --recursive\b).* 0?777\b|^chmod\b.* 0?777\b.*(?: -[a-zA-Z]*R\b| --recursive\b)",
            "privileged or disk-level command",
        ),
        shell(
            "persistence-command",
            r"^git config\b.* (?:alias\.|core\.(?:pager|editor|sshcommand|hookspath|fsmonitor|askpass|gitproxy)\b|sequence\.editor|pager\.|include\.path|includeif\.|credential\.|diff\.external|\S+\.(?:textconv|driver|clean|smudge|process|program|uploadpack|receivepack)\b)|^crontab(?: -u \S+)?(?: (?:-[a-km-zA-Z]\S*|[^-\s]\S*|-))*$",
            "sets a command that runs later unasked (a git alias or command setting, a cron job)",
        ),
        RuleConfig {
            // A shell or interpreter reading its program from a pipe (`curl … | sh`);
            // `-c`, `-e` and `-m` (the program is in the words) and script files do not.
            piped: true,
            ..shell(
                "pipe-to-shell",
                &format!(
                    r"^(?:{SHELLS})(?: -[abd-zA-Z]*| --\S*| [^-\s]\S*)*$|^(?:{INTERPRETERS})(?: -[abdf-ln-zA-Z]*)*$|^(?:source|\.) (?:-|/dev/stdin|/dev/fd/0|/proc/self/fd/0)$"
                ),
                "runs a script piped from another command",
            )
        },
        shell(
            "substituted-script",
            &format!(r"^(?:{SHELLS}|{INTERPRETERS}|source|\.)(?: -\S+)* <\(\.\.\.\)"),
            "runs a script that another command produces (`bash <(curl …)`)",
        ),
        RuleConfig {
            unparsed: true,
            ..rule(
                "unreadable",
                &with_tools(SHELL_TOOLS, &["apply_patch"])
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
                Verdict::Ask,
                "the cockpit cannot read all that this call runs or writes",
            )
        },
        RuleConfig {
            tools: with_tools(WRITE_TOOLS, SHELL_TOOLS),
            outside_project: true,
            ..rule(
                "write-outside-project",
                &[],
                Verdict::Ask,
                "writes outside the project",
            )
        },
    ]
}
