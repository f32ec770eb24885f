//! What a simple command does besides running its program: the settings
//! it makes (`export`, `env X=`), the directory it moves to, the files it
//! writes, a patch it applies, code it gives an interpreter, commands it
//! starts through a terminal multiplexer or `xargs`, and `git-push` run as
//! itself. The walker calls this for every simple command it records.

use brush_parser::ast;

use super::interpreters::{self, Code};
use super::programs::joined_script;
use super::types::{Feed, Rendered, SimpleCommand, Walker};
use super::wrappers::{is_assignment, wrapped_command};
use super::writes;
use super::xargs::xargs_adds_unknown_words;

/// A pipeline stage that downloads (`curl …`, `sudo wget …`).
pub(super) fn downloads(command: &ast::Command) -> bool {
    let ast::Command::Simple(simple) = command else {
        return false;
    };
    let suffix = simple
        .suffix
        .iter()
        .flat_map(|s| &s.0)
        .filter_map(|item| match item {
            ast::CommandPrefixOrSuffixItem::Word(w) => Some(w),
            _ => None,
        });
    simple
        .word_or_name
        .iter()
        .chain(suffix)
        .any(|w| writes::downloader(w.value.rsplit('/').next().unwrap_or_default()))
}

impl Walker {
    pub(super) fn effects(
        &mut self,
        words: &[Rendered],
        invoked: &str,
        stdin: &Feed,
        piped: bool,
        depth: usize,
    ) {
        let texts: Vec<String> = words.iter().map(|w| w.text.clone()).collect();
        let program = texts[0].as_str();
        match program {
            "export" | "declare" | "typeset" | "local" | "readonly" => {
                for word in words[1..].iter().filter(|w| is_assignment(&w.text)) {
                    self.assignment(word, depth);
                }
            }
            "env" | "sudo" => {
                let end = wrapped_command(&texts).unwrap_or(words.len());
                for word in words[1..end].iter().filter(|w| is_assignment(&w.text)) {
                    self.assignment(word, depth);
                }
            }
            "cd" | "pushd" => self.cd(words),
            "git" => self.git(words, piped, depth),
            "apply_patch" | "applypatch" => self.apply_patch(words, stdin),
            // `at` and `batch` run what their input holds, later.
            "at" | "batch" if !texts.iter().any(|t| t.starts_with("-f") || t == "-l") => {
                self.reads_stdin(program, stdin, piped, depth)
            }
            "parallel" => self.opaque("`parallel` runs commands built at run time".into()),
            // `ssh host` with no command: a remote shell, typed into later.
            "ssh" if joined_script(&texts).is_none() && !ssh_without_shell(&texts) => {
                self.opaque("`ssh` opens a shell whose commands are typed in later".into())
            }
            "tmux" | "screen" => {
                if let Some((script, literal)) = multiplexer(words) {
                    if !literal {
                        self.opaque(format!("`{program}` types a command built at run time"));
                    }
                    self.script(&script, false, depth + 1);
                }
            }
            _ => {}
        }
        // `/usr/lib/git-core/git-push` is `git push`.
        if let Some(sub) = program.strip_prefix("git-").filter(|s| !s.is_empty()) {
            let mut plain = vec!["git".to_string(), sub.to_string()];
            plain.extend_from_slice(&texts[1..]);
            self.out.commands.push(SimpleCommand {
                words: plain,
                piped,
            });
        }
        let outer = self.downloading;
        self.downloading |= writes::downloader(program);
        for file in writes::targets(words) {
            self.write(&file);
        }
        self.downloading = outer;
        if invoked.contains('/') {
            self.runs_file("sh", &words[0], piped);
        }
        if interpreters::awk_runs_commands(&texts) {
            self.opaque(format!(
                "the `{program}` program runs commands, which the cockpit does not read"
            ));
        }
        if let Some(code) = interpreters::code(&texts) {
            self.interpreter(program, words, code, stdin, piped);
        }
        if let Some(start) = wrapped_command(&texts)
            && xargs_adds_unknown_words(&texts, start)
        {
            self.opaque(format!(
                "`xargs` runs `{}` with words read at run time",
                texts[start]
            ));
        }
    }

    fn interpreter(
        &mut self,
        program: &str,
        words: &[Rendered],
        code: Code,
        stdin: &Feed,
        piped: bool,
    ) {
        match code {
            Code::Inline(flag) => {
                self.opaque(format!("the code given to `{program} {flag}` is not read"));
            }
            Code::Stdin => match stdin {
                Feed::Doc(_) => self.opaque(format!("the code fed to `{program}` is not read")),
                Feed::File => {}
                // `curl … | python3`: the rules see the pipe.
                Feed::Unknown if piped => {}
                Feed::Unknown => self.opaque(format!(
                    "`{program}` runs code typed into it later, which the cockpit does not see"
                )),
            },
            Code::File(i) => self.runs_file(program, &words[i], piped),
            Code::Other => {}
        }
    }
}

/// `ssh -N` (forwarding only), `-V`, `-G`, `-Q`, `-O ctl`: no shell.
fn ssh_without_shell(words: &[String]) -> bool {
    words[1..].iter().any(|w| {
        w.strip_prefix('-').is_some_and(|flags| {
            !flags.starts_with('-') && flags.contains(['N', 'V', 'G', 'Q', 'O'])
        })
    })
}

/// Key names `tmux send-keys` types as characters.
fn key(name: &str) -> Option<&str> {
    match name {
        "Enter" | "C-m" | "C-j" | "KPEnter" => Some("\n"),
        "Space" => Some(" "),
        "Tab" => Some("\t"),
        _ if name.starts_with(['C', 'M', 'S']) && name.get(1..2) == Some("-") => Some(""),
        _ => None,
    }
}

/// What `tmux` or `screen` types into a shell or starts: `tmux send-keys
/// 'cmd' Enter`, `tmux new -d 'cmd'`, `screen -X stuff 'cmd^M'`, `screen -dm
/// cmd`. The script, and whether all of it is known before it runs.
fn multiplexer(words: &[Rendered]) -> Option<(String, bool)> {
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let literal = |from: usize| words[from..].iter().all(|w| w.literal);
    let skip_options = |mut i: usize, valued: &[&str]| {
        while let Some(t) = texts.get(i) {
            if *t == "--" {
                return i + 1;
            }
            if !t.starts_with('-') || t.len() == 1 {
                break;
            }
            // A cluster's last option may take the next word (`screen -dmS name`).
            let last = t
                .chars()
                .last()
                .map(|c| format!("-{c}"))
                .unwrap_or_default();
            let short = !t.starts_with("--");
            i += 1 + usize::from(valued.contains(t) || short && valued.contains(&last.as_str()));
        }
        i
    };
    if texts[0] == "screen" {
        if let Some(x) = texts.iter().position(|t| *t == "-X") {
            let rest = texts.get(x + 2..).unwrap_or_default().join(" ");
            return match texts.get(x + 1) {
                Some(&"stuff") => Some((rest.replace("^M", "\n"), literal(x))),
                Some(&"exec") => Some((rest, literal(x))),
                _ => None,
            };
        }
        let start = skip_options(1, &["-S", "-p", "-c", "-e", "-h", "-t", "-T", "-s"]);
        return (start < texts.len()).then(|| (texts[start..].join(" "), literal(start)));
    }
    // tmux: `-c` runs a shell command; then the subcommand.
    if let Some(c) = texts.iter().position(|t| *t == "-c").filter(|&c| c == 1) {
        return texts.get(c + 1).map(|s| (s.to_string(), literal(c + 1)));
    }
    let sub = skip_options(1, &["-L", "-S", "-f", "-T"]);
    match texts.get(sub).copied()? {
        "send-keys" | "send" => {
            let start = skip_options(sub + 1, &["-t", "-N", "-c", "-F"]);
            let raw = texts[sub + 1..start].contains(&"-l");
            let typed: String = texts[start..]
                .iter()
                .map(|t| if raw { t } else { key(t).unwrap_or(t) })
                .collect();
            Some((typed, literal(start)))
        }
        "new-session" | "new" | "new-window" | "neww" | "split-window" | "splitw"
        | "respawn-pane" | "respawnp" | "respawn-window" | "respawnw" | "run-shell" | "run"
        | "display-popup" | "popup" | "if-shell" | "if" => {
            let valued = ["-c", "-s", "-n", "-t", "-e", "-x", "-y", "-F", "-l", "-p"];
            let start = skip_options(sub + 1, &valued);
            (start < texts.len()).then(|| (texts[start..].join(" "), literal(start)))
        }
        _ => None,
    }
}
