//! What some programs run in turn: a shell's `-c` script or input, `ssh`'s
//! and `watch`'s joined words, `env -S`, `find -exec`. Each reads words
//! already unquoted.

/// Shells whose `-c` takes a script (`pwsh -c` and `nu -c` too).
const SHELLS: &[&str] = &[
    "sh", "bash", "rbash", "zsh", "dash", "ksh", "oksh", "loksh", "mksh", "ash", "yash", "posh",
    "fish", "csh", "tcsh", "nu", "xonsh", "elvish", "pwsh",
];

pub(super) fn is_shell(program: &str) -> bool {
    SHELLS.contains(&program)
}

/// A file name that is the process's own standard input.
pub(super) fn is_stdin(path: &str) -> bool {
    matches!(path, "-" | "/dev/stdin" | "/dev/fd/0" | "/proc/self/fd/0")
}

pub(super) enum ShellInput {
    /// The index of the `-c` script among the words.
    Script(usize),
    Stdin,
    /// The index of the script file among the words.
    File(usize),
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
    let version = words
        .iter()
        .any(|w| matches!(w.as_str(), "--version" | "--help"));
    match words.get(i) {
        Some(_) if dash_c => ShellInput::Script(i),
        // `sh -c` with no script fails; `--version` runs nothing.
        None if dash_c || version => ShellInput::File(0),
        _ if stdin => ShellInput::Stdin,
        None => ShellInput::Stdin,
        // `bash /dev/stdin <<< …` reads its script from its input.
        Some(file) if is_stdin(file) => ShellInput::Stdin,
        Some(_) => ShellInput::File(i),
    }
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

/// `su -c 'cmd'`, `flock LOCK -c 'cmd'`, `script -c 'cmd'`, `nix-shell --run
/// 'cmd'`: the script a shell runs, as the index of its word and where in
/// that word it starts (after `--command=`).
pub(super) fn option_script(words: &[String]) -> Option<(usize, usize)> {
    let flags: &[&str] = match words[0].as_str() {
        "su" | "runuser" | "sg" | "flock" | "script" => &["-c", "--command"],
        "nix-shell" => &["--run", "--command"],
        _ => return None,
    };
    // `-c` may close a cluster of short options (`script -qc 'cmd'`).
    let short_c = |w: &str| {
        w.len() > 1
            && !w.starts_with("--")
            && w.starts_with('-')
            && w.ends_with('c')
            && w[1..].chars().all(|c| c.is_ascii_alphabetic())
    };
    words.iter().enumerate().skip(1).find_map(|(i, w)| {
        if flags.contains(&w.as_str()) || flags.contains(&"-c") && short_c(w) {
            return (i + 1 < words.len()).then_some((i + 1, 0));
        }
        let long = flags.iter().find(|f| f.starts_with("--"))?;
        w.strip_prefix(long)
            .and_then(|rest| rest.strip_prefix('='))
            .map(|_| (i, long.len() + 1))
    })
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
