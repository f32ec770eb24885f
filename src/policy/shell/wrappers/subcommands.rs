//! Wrappers by subcommand: a program whose subcommand runs the rest of
//! the words, and that subcommand's options taking a separate value.

/// `uv run cmd …`, `bundle exec cmd …`: a program and its subcommand that
/// runs the rest.
pub(super) const SUBCOMMANDS: &[(&str, &str, &[&str])] = &[
    (
        "uv",
        "run",
        &[
            "--with",
            "-p",
            "--python",
            "--project",
            "--directory",
            "--package",
            "--extra",
            "--group",
            "--env-file",
            "--index",
            "--index-url",
        ],
    ),
    ("poetry", "run", &[]),
    ("pipenv", "run", &[]),
    ("pdm", "run", &[]),
    ("hatch", "run", &[]),
    ("rye", "run", &[]),
    ("pixi", "run", &["-e", "--environment", "--manifest-path"]),
    ("bundle", "exec", &[]),
    ("pnpm", "exec", &[]),
    ("npm", "exec", &[]),
    ("yarn", "exec", &[]),
    ("conda", "run", &["-n", "--name", "-p", "--prefix", "--cwd"]),
    ("mamba", "run", &["-n", "--name", "-p", "--prefix", "--cwd"]),
    (
        "micromamba",
        "run",
        &["-n", "--name", "-p", "--prefix", "--cwd"],
    ),
    ("mise", "exec", &[]),
    ("asdf", "exec", &[]),
    ("devbox", "run", &[]),
    ("direnv", "exec", &[]),
];
