//! A shell command as the policy sees it: the simple commands it runs, each
//! as its words with quotes removed, assignments and wrappers (`env`, `sudo`,
//! `xargs` ...) looked through, and the scripts of `sh -c`, `eval`, `$(…)`,
//! `<(…)` and here-documents fed to a shell parsed too. Parsing is done by
//! `brush-parser`; a command it cannot read, or whose script is only known
//! at run time, is marked `opaque` so that the policy treats it with care.

pub use types::{Analysis, SimpleCommand};

mod braces;
mod effects;
mod files;
mod git;
mod interpreters;
mod programs;
pub mod quote;
mod stack;
mod types;
mod walk;
mod words;
mod wrappers;
mod writes;
mod xargs;
pub use stack::INLINE_LEN;
use stack::{Input, on_big_stack};

/// A command line as a shell would read it (Claude `Bash`, Codex `exec_command`).
pub fn analyse(script: &str) -> Analysis {
    on_big_stack(Input::Script(script.to_string()))
}

/// Words already split (Codex `shell` argv): no shell reads them, but a
/// `bash -lc "…"` among them has its script parsed.
pub fn analyse_argv(argv: &[String]) -> Analysis {
    on_big_stack(Input::Argv(argv.to_vec()))
}
