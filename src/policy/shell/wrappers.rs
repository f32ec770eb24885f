//! Wrappers: programs that run the command given in their words (`sudo -u x
//! rm …` runs `rm …`), alone (`nice`, `strace`, `flock LOCK`) or as a
//! subcommand (`uv run`, `bundle exec`). Each reads words already unquoted.
//! Programs not listed here are not looked through: the README says which.

mod subcommands;

use subcommands::SUBCOMMANDS;

/// One wrapper: its options that take a separate value, whether `NAME=VALUE`
/// words may come before the command, and how many operands do (`timeout`'s
/// duration, `flock`'s lock file).
struct Wrapper {
    name: &'static str,
    valued: &'static [&'static str],
    assignments: bool,
    operands: usize,
}

const fn w(name: &'static str, valued: &'static [&'static str], operands: usize) -> Wrapper {
    Wrapper {
        name,
        valued,
        assignments: false,
        operands,
    }
}

const SUDO: &[&str] = &[
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
];

const WRAPPERS: &[Wrapper] = &[
    Wrapper {
        name: "env",
        valued: &["-u", "--unset", "-C", "--chdir", "-S", "--split-string"],
        assignments: true,
        operands: 0,
    },
    Wrapper {
        name: "sudo",
        valued: SUDO,
        assignments: true,
        operands: 0,
    },
    w("doas", &["-u", "-C"], 0),
    w(
        "run0",
        &[
            "-u",
            "--user",
            "-g",
            "--group",
            "-D",
            "--chdir",
            "--setenv",
            "--unit",
            "--description",
            "--property",
            "--slice",
            "--nice",
        ],
        0,
    ),
    w("pkexec", &["--user"], 0),
    w(
        "runuser",
        &[
            "-u",
            "--user",
            "-g",
            "--group",
            "-G",
            "--supp-group",
            "-w",
            "--whitelist-environment",
            "-s",
            "--shell",
        ],
        0,
    ),
    w("nice", &["-n", "--adjustment"], 0),
    w("nohup", &[], 0),
    w("command", &[], 0),
    w("builtin", &[], 0),
    w("setsid", &[], 0),
    w("unbuffer", &[], 0),
    w("chronic", &[], 0),
    w("caffeinate", &[], 0),
    w("busybox", &[], 0),
    w("catchsegv", &[], 0),
    w("nocache", &[], 0),
    w("eatmydata", &[], 0),
    w("dbus-run-session", &[], 0),
    w("nq", &[], 0),
    w("tsp", &[], 0),
    w("exec", &["-a"], 0),
    w("time", &["-f", "--format", "-o", "--output"], 0),
    w("timeout", &["-s", "--signal", "-k", "--kill-after"], 1),
    w("stdbuf", &["-i", "-o", "-e"], 0),
    w("ionice", &["-c", "-n", "-p", "--class", "--classdata"], 0),
    w(
        "strace",
        &[
            "-e", "-o", "-p", "-s", "-u", "-E", "-P", "-I", "-a", "-b", "-X", "-O", "-S",
        ],
        0,
    ),
    w(
        "ltrace",
        &[
            "-e", "-o", "-p", "-s", "-u", "-n", "-a", "-A", "-D", "-F", "-l", "-x",
        ],
        0,
    ),
    w("valgrind", &[], 0),
    w(
        "flock",
        &["-w", "--wait", "--timeout", "-E", "--conflict-exit-code"],
        1,
    ),
    w("taskset", &[], 1),
    w("chrt", &["-T", "-P", "-D"], 1),
    w(
        "numactl",
        &[
            "-N",
            "-C",
            "-m",
            "-p",
            "-i",
            "-P",
            "--cpunodebind",
            "--physcpubind",
            "--membind",
            "--preferred",
            "--interleave",
        ],
        0,
    ),
    w(
        "unshare",
        &[
            "-S", "-G", "-R", "-w", "--setuid", "--setgid", "--root", "--wd",
        ],
        0,
    ),
    w(
        "nsenter",
        &[
            "-t", "--target", "-S", "-G", "-r", "-w", "--setuid", "--setgid", "--root", "--wd",
        ],
        0,
    ),
    w("chroot", &["--userspec", "--groups"], 1),
    w(
        "setpriv",
        &[
            "--reuid",
            "--regid",
            "--ruid",
            "--rgid",
            "--euid",
            "--egid",
            "--groups",
            "--inh-caps",
            "--ambient-caps",
            "--bounding-set",
            "--securebits",
            "--pdeathsig",
        ],
        0,
    ),
    w("prlimit", &["-p", "--pid"], 0),
    w("setarch", &[], 1),
    w("faketime", &["-f"], 1),
    w("fakeroot", &["-l", "--lib", "--faked", "-s", "-i"], 0),
    w("torsocks", &["-u", "-p", "-a", "-P"], 0),
    w("proxychains", &["-f"], 0),
    w("proxychains4", &["-f"], 0),
    w("trickle", &["-d", "-u", "-w", "-t", "-l", "-n"], 0),
    w("xvfb-run", &["-n", "-s", "-e", "-f", "-p"], 0),
    w(
        "systemd-run",
        &[
            "-u",
            "--unit",
            "-p",
            "--property",
            "--description",
            "--slice",
            "-E",
            "--setenv",
            "-M",
            "--machine",
            "--uid",
            "--gid",
            "--nice",
            "--working-directory",
            "-H",
            "--host",
            "--on-active",
            "--on-boot",
            "--on-calendar",
        ],
        0,
    ),
    w(
        "xargs",
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
        0,
    ),
];

/// Where the command run by a wrapper starts (`sudo -u x rm …` is `rm …`).
pub(super) fn wrapped_command(words: &[String]) -> Option<usize> {
    let program = words[0].as_str();
    let (start, valued, assignments, operands) = match WRAPPERS.iter().find(|wr| wr.name == program)
    {
        Some(wr) => (1, wr.valued, wr.assignments, wr.operands),
        None => {
            let (_, _, valued) = SUBCOMMANDS
                .iter()
                .find(|(p, sub, _)| *p == program && words.get(1).is_some_and(|w| w == sub))?;
            (2, *valued, false, 0)
        }
    };
    // `direnv exec DIR cmd`: the directory comes first.
    let operands = operands + usize::from(program == "direnv");
    let mut i = start;
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

pub(super) fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}
