//! What some programs run in turn: wrappers (`sudo`, `env`, `xargs` …), a
//! shell's `-c` script, `git`'s global options, `find -exec`. Each reads
//! words already unquoted.

const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "ash", "mksh", "fish"];

pub(super) fn is_shell(program: &str) -> bool {
    SHELLS.contains(&program)
}

pub(super) enum ShellInput {
    /// The index of the `-c` script among the words.
    Script(usize),
    Stdin,
    File,
}

/// What a shell invocation runs: its `-c` script, stdin, or a script file.
pub(super) fn shell_script(words: &[String]) -> ShellInput {
    let mut dash_c = false;
    let mut stdin = false;
    let mut i = 1;
    while let Some(w) = words.get(i) {
        if w == "--" || w == "-" {
            i += 1;
            stdin |= w == "-";
            break;
        }
        if w.starts_with("--") {
            i += 1 + usize::from(matches!(w.as_str(), "--rcfile" | "--init-file"));
            continue;
        }
        if (w.starts_with('-') || w.starts_with('+')) && w.len() > 1 {
            let flags = &w[1..];
            dash_c |= w.starts_with('-') && flags.contains('c');
            stdin |= flags.contains('s');
            // `-o pipefail`, `+O extglob`: the option's name is the next word.
            i += 1 + usize::from(flags.contains('o') || flags.contains('O'));
            continue;
        }
        break;
    }
    match words.get(i) {
        Some(_) if dash_c => ShellInput::Script(i),
        None if dash_c => ShellInput::File,
        _ if stdin => ShellInput::Stdin,
        None => ShellInput::Stdin,
        Some(_) => ShellInput::File,
    }
}

/// Where the command run by a wrapper starts (`sudo -u x rm …` is `rm …`).
pub(super) fn wrapped_command(words: &[String]) -> Option<usize> {
    // Options that take a separate value, and whether NAME=VALUE words and
    // an operand (timeout's duration) come before the command.
    let (valued, assignments, operands): (&[&str], bool, usize) = match words[0].as_str() {
        "env" => (
            &["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
            true,
            0,
        ),
        "nice" => (&["-n", "--adjustment"], false, 0),
        "nohup" | "command" | "builtin" | "setsid" | "unbuffer" | "chronic" | "caffeinate"
        | "busybox" => (&[], false, 0),
        "exec" => (&["-a"], false, 0),
        "time" => (&["-f", "--format", "-o", "--output"], false, 0),
        "timeout" => (&["-s", "--signal", "-k", "--kill-after"], false, 1),
        "stdbuf" => (&["-i", "-o", "-e"], false, 0),
        "ionice" => (&["-c", "-n", "-p", "--class", "--classdata"], false, 0),
        "xargs" => (
            &[
                "-I",
                "-L",
                "-n",
                "-P",
                "-d",
                "-E",
                "-s",
                "-a",
                "--arg-file",
                "--delimiter",
                "--max-args",
                "--max-lines",
                "--max-procs",
                "--max-chars",
                "--eof",
                "--replace",
            ],
            false,
            0,
        ),
        "sudo" => (
            &[
                "-u",
                "-g",
                "-C",
                "-D",
                "-h",
                "-p",
                "-r",
                "-t",
                "-T",
                "-U",
                "--user",
                "--group",
                "--chdir",
                "--host",
                "--prompt",
                "--role",
                "--type",
                "--other-user",
                "--close-from",
                "--command-timeout",
            ],
            true,
            0,
        ),
        "doas" => (&["-u", "-C"], false, 0),
        _ => return None,
    };
    let mut i = 1;
    while let Some(w) = words.get(i) {
        if w == "--" {
            i += 1;
            break;
        }
        if w.starts_with('-') && w.len() > 1 {
            i += 1 + usize::from(valued.contains(&w.as_str()));
            continue;
        }
        if assignments && is_assignment(w) {
            i += 1;
            continue;
        }
        break;
    }
    i += operands;
    (i < words.len()).then_some(i)
}

/// Where the words that `ssh host …` or `watch …` hand to a shell start.
pub(super) fn joined_script(words: &[String]) -> Option<usize> {
    let (valued, operands): (&[&str], usize) = match words[0].as_str() {
        "ssh" => (
            &[
                "-B", "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O",
                "-o", "-p", "-Q", "-R", "-S", "-W", "-w",
            ],
            1,
        ),
        "watch" => (&["-n", "--interval"], 0),
        _ => return None,
    };
    let mut i = 1;
    while let Some(w) = words.get(i) {
        if w == "--" {
            i += 1;
            break;
        }
        if !w.starts_with('-') {
            break;
        }
        i += 1 + usize::from(valued.contains(&w.as_str()));
    }
    i += operands;
    (i < words.len()).then_some(i)
}

/// `env -S 'rm -rf x'` (and `--split-string=`) splits its value into a command.
pub(super) fn env_split_string(words: &[String]) -> Option<String> {
    for (i, w) in words.iter().enumerate() {
        let (value, rest) = if w == "-S" || w == "--split-string" {
            (words.get(i + 1)?.clone(), i + 2)
        } else if let Some(v) = w
            .strip_prefix("--split-string=")
            .or_else(|| w.strip_prefix("-S"))
        {
            (v.to_string(), i + 1)
        } else {
            continue;
        };
        let rest = words.get(rest..).unwrap_or_default().join(" ");
        return Some(format!("{value} {rest}"));
    }
    None
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// `git -C dir -c k=v push …` as `git push …`, so that rules see the subcommand second.
pub(super) fn git_without_globals(words: &[String]) -> Option<Vec<String>> {
    let mut i = 1;
    while let Some(w) = words.get(i) {
        if matches!(
            w.as_str(),
            "-C" | "-c" | "--git-dir" | "--work-tree" | "--namespace"
        ) {
            i += 2;
        } else if w.starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    (i > 1 && i < words.len()).then(|| {
        let mut plain = vec![words[0].clone()];
        plain.extend_from_slice(&words[i..]);
        plain
    })
}

/// The commands of `find … -exec cmd {} ;` (and `-execdir`, `-ok`, `-okdir`),
/// as ranges of the words.
pub(super) fn find_exec(words: &[String]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if matches!(words[i].as_str(), "-exec" | "-execdir" | "-ok" | "-okdir") {
            let from = i + 1;
            let len = words[from..]
                .iter()
                .position(|w| w == ";" || w == "+")
                .unwrap_or(words.len() - from);
            found.push((from, from + len));
            i = from + len;
        }
        i += 1;
    }
    found
}
