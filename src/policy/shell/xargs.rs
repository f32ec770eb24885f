//! `xargs`: which programs it may add words read at run time to.

/// Read-only programs: `xargs` adding words to them changes nothing else.
const SAFE_FOR_XARGS: &[&str] = &[
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "ag",
    "cat",
    "head",
    "tail",
    "wc",
    "ls",
    "stat",
    "file",
    "du",
    "df",
    "echo",
    "printf",
    "basename",
    "dirname",
    "realpath",
    "readlink",
    "sort",
    "uniq",
    "md5sum",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "b2sum",
    "cksum",
    "test",
    "true",
    "false",
];

/// What `xargs` runs gets words read at run time: harmless only for
/// programs that change nothing whatever their arguments.
pub(super) fn xargs_adds_unknown_words(words: &[String], start: usize) -> bool {
    words[0] == "xargs" && !SAFE_FOR_XARGS.contains(&words[start].as_str())
}
