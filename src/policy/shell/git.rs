//! Settings that make a program run more than its words say: `git`'s global
//! options and `-c` settings (`git -c alias.p=push p` is `git push`,
//! `-c core.pager='sh -c …'` runs that script), and environment variables
//! (`GIT_SSH_COMMAND`, `PAGER`, `GIT_CONFIG_COUNT`, `LD_PRELOAD` …). A command
//! given in a setting is read as a script; a setting that names a file to
//! load or run is opaque. Aliases and settings in git's config files are not
//! read (the README says so).

use super::types::{Feed, Rendered, SimpleCommand, Walker};

/// What a setting's value is to the program that reads it.
#[derive(PartialEq)]
enum Value {
    /// A command line it runs (`!` first is git's mark for one).
    Script,
    /// A file or directory it loads or runs from: not readable here.
    Opaque,
    /// Data.
    Plain,
}

/// Environment variables whose value is a command the program runs.
const SCRIPT_VARS: &[&str] = &[
    "GIT_SSH_COMMAND",
    "GIT_SSH",
    "GIT_EDITOR",
    "GIT_SEQUENCE_EDITOR",
    "GIT_PAGER",
    "GIT_EXTERNAL_DIFF",
    "GIT_ASKPASS",
    "SSH_ASKPASS",
    "SUDO_ASKPASS",
    "PAGER",
    "MANPAGER",
    "EDITOR",
    "VISUAL",
    "BROWSER",
    "LESSOPEN",
    "PS4",
    "PROMPT_COMMAND",
];

/// Environment variables that load code or configuration from elsewhere.
const OPAQUE_VARS: &[&str] = &[
    "LD_PRELOAD",
    "LD_AUDIT",
    "BASH_ENV",
    "ENV",
    "NODE_OPTIONS",
    "PERL5OPT",
    "RUBYOPT",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_EXEC_PATH",
    "GIT_TEMPLATE_DIR",
];

fn variable(name: &str, value: &str) -> Value {
    if SCRIPT_VARS.contains(&name) {
        Value::Script
    } else if name.starts_with("GIT_CONFIG_KEY_") || name.starts_with("GIT_CONFIG_VALUE_") {
        Value::Opaque
    } else if OPAQUE_VARS.contains(&name) {
        // Pointing git at no config file at all is common and harmless.
        let nothing = value.is_empty() || value == "/dev/null";
        let no_config = matches!(name, "GIT_CONFIG_GLOBAL" | "GIT_CONFIG_SYSTEM") && nothing;
        if no_config {
            Value::Plain
        } else {
            Value::Opaque
        }
    } else {
        Value::Plain
    }
}

/// git settings (lower-cased key) whose value is a command, or a file.
fn setting(key: &str) -> Value {
    const SCRIPTS: &[&str] = &[
        "core.pager",
        "core.editor",
        "sequence.editor",
        "core.sshcommand",
        "core.askpass",
        "core.gitproxy",
        "core.fsmonitor",
        "diff.external",
        "credential.helper",
        "gpg.program",
        "uploadpack.packobjectshook",
        "interactive.difffilter",
        "sendemail.tocmd",
        "sendemail.cccmd",
        "sendemail.sendmailcmd",
        "sendemail.headercmd",
    ];
    // `section.<name>.key`: any name.
    const NAMED: &[(&str, &[&str])] = &[
        ("diff.", &["textconv", "command"]),
        ("merge.", &["driver"]),
        ("filter.", &["clean", "smudge", "process"]),
        ("credential.", &["helper"]),
        ("gpg.", &["program"]),
        ("remote.", &["uploadpack", "receivepack"]),
        ("browser.", &["cmd"]),
        ("mergetool.", &["cmd"]),
        ("difftool.", &["cmd"]),
        ("man.", &["cmd"]),
    ];
    if SCRIPTS.contains(&key) || key.starts_with("pager.") {
        return Value::Script;
    }
    let named = NAMED.iter().any(|(section, keys)| {
        key.strip_prefix(section)
            .and_then(|rest| rest.rsplit_once('.'))
            .is_some_and(|(_, last)| keys.contains(&last))
    });
    if named {
        return Value::Script;
    }
    // Hooks, included config, and the `ext::` transport (a URL that is a command).
    let loads = key == "core.hookspath"
        || key == "include.path"
        || key.starts_with("includeif.")
        || key == "protocol.ext.allow"
        || key == "protocol.allow";
    if loads { Value::Opaque } else { Value::Plain }
}

impl Walker {
    /// `NAME=value` (before a command, or to `env`, `export`, `declare` …).
    pub(super) fn assignment(&mut self, word: &Rendered, depth: usize) {
        let Some((name, value)) = word.text.split_once('=') else {
            return;
        };
        let value = Rendered {
            text: value.to_string(),
            literal: word.literal,
        };
        self.setting_value(name, variable(name, &value.text), &value, depth);
    }

    fn setting_value(&mut self, name: &str, kind: Value, value: &Rendered, depth: usize) {
        match kind {
            Value::Plain => {}
            Value::Opaque => self.opaque(format!(
                "`{name}` makes a program load or run something the cockpit does not read"
            )),
            Value::Script if !value.literal => {
                self.opaque(format!("`{name}` is a command built at run time"));
            }
            Value::Script => {
                let command = value.text.trim_start_matches(['!', '|']);
                self.script(command, false, depth + 1);
            }
        }
    }

    /// `git` with global options: the plain `git <subcommand> …` for the
    /// rules, each `-c` setting that runs something, and an alias given there.
    pub(super) fn git(&mut self, words: &[Rendered], piped: bool, depth: usize) {
        let mut settings: Vec<(String, Rendered)> = Vec::new();
        let mut i = 1;
        while let Some(w) = words.get(i) {
            let t = w.text.as_str();
            let split = |w: &Rendered| {
                let (key, value) = w.text.split_once('=').unwrap_or((&w.text, "true"));
                let value = Rendered {
                    text: value.to_string(),
                    literal: w.literal,
                };
                (key.to_ascii_lowercase(), value)
            };
            if t == "-c" || t == "--config-env" {
                let env = t == "--config-env";
                if let Some((key, value)) = words.get(i + 1).map(split) {
                    settings.push((key, if env { dynamic(value) } else { value }));
                }
                i += 2;
            } else if let Some(pair) = t.strip_prefix("--config-env=") {
                let (key, value) = split(&Rendered::literal(pair));
                settings.push((key, dynamic(value)));
                i += 1;
            } else if t.starts_with("--exec-path=") {
                self.opaque("`git --exec-path=` runs git's commands from another directory".into());
                i += 1;
            } else if matches!(t, "-C" | "--git-dir" | "--work-tree" | "--namespace") {
                i += 2;
            } else if t.starts_with('-') {
                i += 1;
            } else {
                break;
            }
        }
        let texts = |from: usize| words[from..].iter().map(|w| w.text.clone());
        if i > 1 && i < words.len() {
            let plain = std::iter::once("git".to_string()).chain(texts(i)).collect();
            self.out.commands.push(SimpleCommand {
                words: plain,
                piped,
            });
        }
        if let Some(read) = as_git_reads(words, i) {
            self.out.commands.push(SimpleCommand { words: read, piped });
        }
        let sub = words.get(i).map(|w| w.text.to_ascii_lowercase());
        for (key, value) in settings {
            if let Some(alias) = key.strip_prefix("alias.") {
                if sub.as_deref() == Some(alias) {
                    self.git_alias(&value, &words[i + 1..], piped, depth);
                }
                continue;
            }
            self.setting_value(&key, setting(&key), &value, depth);
        }
    }

    /// `git -c alias.x=VALUE x ARGS`: git runs `git VALUE ARGS`, or with a
    /// `!` first, `VALUE ARGS` in a shell.
    fn git_alias(&mut self, value: &Rendered, args: &[Rendered], piped: bool, depth: usize) {
        if !value.literal {
            return self.opaque("a git alias built at run time".into());
        }
        if let Some(script) = value.text.strip_prefix('!') {
            let args: Vec<&str> = args.iter().map(|w| w.text.as_str()).collect();
            return self.script(&format!("{script} {}", args.join(" ")), piped, depth + 1);
        }
        let mut expanded = vec![Rendered::literal("git")];
        expanded.extend(value.text.split_whitespace().map(Rendered::literal));
        expanded.extend_from_slice(args);
        self.emit(expanded, piped, Feed::Unknown, depth + 1);
    }
}

/// `git <sub> …` as git reads it, where the words alone mislead a rule:
/// `git config` keys in any case (`core.SshCommand` is `core.sshcommand`),
/// and `git restore`, which restores the worktree unless told `--staged`.
fn as_git_reads(words: &[Rendered], sub: usize) -> Option<Vec<String>> {
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let args = texts.get(sub + 1..)?;
    let short = |t: &str, c: char| t.starts_with('-') && !t.starts_with("--") && t.contains(c);
    match *texts.get(sub)? {
        "config" => {
            let valued = ["-f", "--file", "--blob", "--type", "--default", "--comment"];
            let verbs = [
                "set",
                "unset",
                "get",
                "list",
                "edit",
                "rename-section",
                "remove-section",
            ];
            let mut i = 0;
            while let Some(t) = args.get(i) {
                if t.starts_with('-') {
                    i += 1 + usize::from(valued.contains(t));
                } else if verbs.contains(t) {
                    i += 1;
                } else {
                    break;
                }
            }
            let key = args.get(i)?;
            let mut read = vec![
                "git".to_string(),
                "config".to_string(),
                key.to_ascii_lowercase(),
            ];
            read.extend(args[i + 1..].iter().map(|t| t.to_string()));
            (key.to_ascii_lowercase() != *key).then_some(read)
        }
        "restore" => {
            let staged = args.iter().any(|t| *t == "--staged" || short(t, 'S'));
            let worktree = args.iter().any(|t| *t == "--worktree" || short(t, 'W'));
            let mut read = vec![
                "git".to_string(),
                "restore".to_string(),
                "--worktree".to_string(),
            ];
            read.extend(args.iter().map(|t| t.to_string()));
            (!staged || worktree).then_some(read)
        }
        _ => None,
    }
}

/// A `--config-env` value names an environment variable: its content is
/// only known at run time.
fn dynamic(mut value: Rendered) -> Rendered {
    value.literal = false;
    value
}
