//! The shell reading's shared types: what a line runs (`Analysis`, each
//! `SimpleCommand`), and the walker's state and words, used by every part
//! of the reading.

use std::path::PathBuf;

/// One simple command that would run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimpleCommand {
    /// The words, unquoted; the program as its base name (`/bin/rm` is `rm`).
    pub words: Vec<String>,
    /// Its standard input is a pipe from another command (`curl … | sh`).
    pub piped: bool,
}

impl SimpleCommand {
    /// The words joined by single spaces: what a rule's `command` regex sees.
    pub fn line(&self) -> String {
        self.words.join(" ")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    pub commands: Vec<SimpleCommand>,
    /// Why some of what would run could not be seen (parse error, a script
    /// built at run time, nesting too deep).
    pub opaque: Option<String>,
    /// Files the line writes (redirections, `tee`, `cp` …, patches) as
    /// written: absolute, under `~`, or relative to the directory the line
    /// starts in (one entry per directory a `cd` may have led to).
    pub writes: Vec<PathBuf>,
    /// An `apply_patch` among the commands was read: its files are in `writes`.
    pub patched: bool,
}

#[derive(Default)]
pub(super) struct Walker {
    pub(super) out: Analysis,
    /// Where the commands may run, relative to where the line starts: `""`,
    /// and each directory a `cd` may have led to (a `cd` that fails leaves
    /// the old one, so none is ever dropped).
    pub(super) dirs: Vec<PathBuf>,
    /// A `cd` to a directory known only at run time was seen.
    pub(super) dirs_unknown: bool,
    /// Names of files a download wrote (`curl -o x.sh`, `wget …`).
    pub(super) downloaded: Vec<String>,
    /// Inside a pipeline that downloads: what it writes is a download too.
    pub(super) downloading: bool,
}

/// What a command's standard input is, as far as the line says.
#[derive(Clone)]
pub(super) enum Feed {
    /// A here-document or here-string: its text.
    Doc(String),
    /// A file (`< script.sh`).
    File,
    /// Nothing the line gives: a pipe, or whatever the agent attached.
    Unknown,
}

/// A word with quotes removed, and whether its text is known before it runs.
#[derive(Clone)]
pub(super) struct Rendered {
    pub(super) text: String,
    pub(super) literal: bool,
}

impl Rendered {
    pub(super) fn literal(text: &str) -> Self {
        Self {
            text: text.to_string(),
            literal: true,
        }
    }
}
