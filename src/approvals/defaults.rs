//! The rules shipped by default (also written out in `config.example.toml`:
//! `cargo test --test config_files print_default_policy -- --ignored --nocapture`).
//! Shell patterns are matched against each simple command a command line
//! runs, unquoted and with wrappers looked through, so they anchor at `^`:
//! `echo "rm -rf /"` runs `echo`, not `rm`.

use super::policy::{RuleConfig, Verdict};

const WRITE_TOOLS: &[&str] = &["Edit", "Write", "MultiEdit", "NotebookEdit", "apply_patch"];
const SHELL_TOOLS: &[&str] = &["Bash", "shell", "exec_command", "local_shell"];
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
const SHELLS: &str = "(?:ba|z|da|k|a|mk)?sh|fish";
const INTERPRETERS: &str = r"python[0-9.]*|perl|ruby|node|php|deno|bun";

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
        shell(
            "force-push",
            r"^git push(?: .*)?(?: --force\b| --force-with-lease\b| --force-if-includes\b| --mirror\b| -[a-zA-Z]*f[a-zA-Z]*\b| \+\S)",
            "force push rewrites shared history",
        ),
        shell("git-push", r"^git push(?: |$)", "pushes to a remote"),
        shell(
            "destructive-git",
            r"^git (?:reset\b.* --hard\b|clean\b.*(?: -[a-zA-Z]*f| --force\b)|checkout\b.*(?: -- | -f\b| --force\b| \.$)|branch\b.*(?: -[a-zA-Z]*D\b| --delete --force\b| --force --delete\b)|stash (?:drop|clear)\b)",
            "discards work that may not be recoverable",
        ),
        shell(
            "recursive-delete",
            r"^rm\b.* (?:-[a-zA-Z]*[rR][a-zA-Z]*|--recursive)\b",
            "recursive delete",
        ),
        shell(
            "privileged",
            r"^(?:sudo|doas|pkexec|su)\b|^mkfs(?:\.\w+)?\b|^dd\b|^chmod\b.*(?: -[a-zA-Z]*R\b| --recursive\b).* 0?777\b|^chmod\b.* 0?777\b.*(?: -[a-zA-Z]*R\b| --recursive\b)",
            "privileged or disk-level command",
        ),
        RuleConfig {
            // A shell or interpreter reading its program from a pipe (`curl … | sh`);
            // `-c`, `-e` and `-m` (the program is in the words) and script files do not.
            piped: true,
            ..shell(
                "pipe-to-shell",
                &format!(
                    r"^(?:{SHELLS})(?: -[abd-zA-Z]*| --\S*| [^-\s]\S*)*$|^(?:{INTERPRETERS})(?: -[abdf-ln-zA-Z]*)*$"
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
