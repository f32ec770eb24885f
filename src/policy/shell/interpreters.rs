//! Where an interpreter takes its program from: code in its words
//! (`python3 -c`, `perl -e`, `node -e` …), its standard input, or a script
//! file. Code is not read by the cockpit (it can run anything, `os.system`
//! included), so a call that gives an interpreter code is unreadable; a
//! script file is not read either, as for `bash script.sh` (the README says so).

pub(super) enum Code {
    /// Code in the words, after this option.
    Inline(String),
    /// The program comes from standard input.
    Stdin,
    /// The script file's index among the words.
    File(usize),
    /// A module, a subcommand, `--version`: no code given here.
    Other,
}

/// How one interpreter reads its options: the short options that take the
/// code, those that take a value (the rest of the word, or the next word),
/// and the long options that do.
struct Options {
    inline: &'static str,
    inline_long: &'static [&'static str],
    /// Short options whose value is the rest of the word, or the next word.
    valued: &'static str,
    /// Short options whose value can only be the rest of the word (`perl -pi`).
    attached: &'static str,
    valued_long: &'static [&'static str],
    /// Short options that mean "no code here" (`-m module`, `-V`).
    other: &'static str,
    /// The REPL option (`node -i`): code typed later.
    interactive: &'static str,
}

const fn options(inline: &'static str, valued: &'static str, other: &'static str) -> Options {
    Options {
        inline,
        inline_long: &[],
        valued,
        attached: "",
        valued_long: &[],
        other,
        interactive: "",
    }
}

fn table(program: &str) -> Option<Options> {
    let name = program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    Some(match name {
        "python" | "pypy" | "ipython" => Options {
            interactive: "i",
            ..options("c", "WX", "mVh")
        },
        "irb" => options("", "Ir", "vh"),
        "R" => options("e", "", ""),
        "perl" => Options {
            attached: "IMmxilCdD0",
            ..options("eE", "", "vV")
        },
        "ruby" => Options {
            attached: "FKTWx0",
            ..options("e", "IrCE", "vh")
        },
        "node" | "nodejs" => Options {
            inline: "ep",
            inline_long: &["--eval", "--print"],
            valued: "rC",
            attached: "",
            valued_long: &[
                "--require",
                "--import",
                "--loader",
                "--experimental-loader",
                "--conditions",
                "--input-type",
            ],
            other: "vh",
            interactive: "i",
        },
        "php" => Options {
            interactive: "a",
            ..options("rBRFE", "cdzt", "vmihS")
        },
        "lua" | "luajit" => Options {
            interactive: "i",
            ..options("e", "l", "v")
        },
        "Rscript" => options("e", "", ""),
        "julia" => Options {
            inline_long: &["--eval", "--print"],
            ..options("eE", "JptL", "vh")
        },
        "osascript" => options("e", "ls", ""),
        "tclsh" | "wish" => options("", "", ""),
        _ => return None,
    })
}

/// Where `words`' interpreter (the program first) takes its code from;
/// `None` when the program is not an interpreter listed here.
pub(super) fn code(words: &[String]) -> Option<Code> {
    let program = words[0].as_str();
    if matches!(program, "deno" | "bun") {
        // Subcommands: only `eval` and `-e` take code, `repl` reads it later.
        return Some(match words.get(1).map(String::as_str) {
            Some(flag @ ("eval" | "-e" | "--eval" | "-p" | "--print")) => Code::Inline(flag.into()),
            Some("repl") | None if program == "deno" => Code::Stdin,
            _ => Code::Other,
        });
    }
    let options = table(program)?;
    let mut i = 1;
    while let Some(word) = words.get(i) {
        if word == "-" {
            return Some(Code::Stdin);
        }
        if word == "--" {
            return Some(words.get(i + 1).map_or(Code::Stdin, |_| Code::File(i + 1)));
        }
        if let Some(long) = word.strip_prefix("--") {
            let name = long.split('=').next().unwrap_or_default();
            let name = format!("--{name}");
            if options.inline_long.contains(&name.as_str()) {
                return Some(Code::Inline(name));
            }
            if matches!(name.as_str(), "--version" | "--help") {
                return Some(Code::Other);
            }
            let separate = !long.contains('=') && options.valued_long.contains(&name.as_str());
            i += 1 + usize::from(separate);
            continue;
        }
        let Some(flags) = word.strip_prefix('-').filter(|f| !f.is_empty()) else {
            return Some(Code::File(i));
        };
        let mut takes_next = false;
        for (k, c) in flags.char_indices() {
            if options.inline.contains(c) {
                return Some(Code::Inline(format!("-{c}")));
            }
            if options.other.contains(c) {
                return Some(Code::Other);
            }
            if options.interactive.contains(c) {
                return Some(Code::Stdin);
            }
            if options.valued.contains(c) {
                // The value is the rest of this word, or the next word.
                takes_next = k + c.len_utf8() == flags.len();
                break;
            }
            if options.attached.contains(c) {
                break;
            }
        }
        i += 1 + usize::from(takes_next);
    }
    Some(Code::Stdin)
}

/// An awk program that runs commands: `system(…)`, a pipe to or from a
/// command (`print | "sh"`, `"cmd" | getline`), or a loaded extension.
pub(super) fn awk_runs_commands(words: &[String]) -> bool {
    if !matches!(words[0].as_str(), "awk" | "gawk" | "mawk" | "nawk") {
        return false;
    }
    let valued = [
        "-F",
        "-v",
        "-f",
        "-i",
        "-E",
        "--file",
        "--include",
        "--field-separator",
        "--assign",
    ];
    let mut program_given = false;
    let mut i = 1;
    while let Some(word) = words.get(i) {
        let text = word.as_str();
        if matches!(text, "-l" | "--load")
            || text.starts_with("--load=")
            || text.starts_with("-l") && text.len() > 2
        {
            return true;
        }
        if matches!(text, "-e" | "--source") {
            program_given = true;
            if words.get(i + 1).is_some_and(|p| runs_commands(p)) {
                return true;
            }
            i += 2;
            continue;
        }
        if matches!(text, "-f" | "--file" | "-E") {
            program_given = true;
        }
        if text.starts_with('-') && text.len() > 1 {
            i += 1 + usize::from(valued.contains(&text));
            continue;
        }
        return !program_given && runs_commands(text);
    }
    false
}

fn runs_commands(program: &str) -> bool {
    program.contains("system")
        || program.contains("@load")
        || program.replace("||", "").contains('|')
}
