//! What libgit2 diffs for a working-tree file where filters may apply: its
//! "to odb" conversion (line endings, `ident`), done here on bytes read with
//! read(2). libgit2 would read the file itself, mapping it into memory when
//! no filter matches it, and a file truncated while mapped (an agent
//! rewriting it mid-diff) kills the process with SIGBUS.
//!
//! The conversions are libgit2's built-in ones; custom filter drivers
//! (`filter=lfs`) are not run by libgit2 either.

use std::path::Path;

use git2::{AttrCheckFlags, AttrValue, Repository};

/// git's own test for binary content: a NUL in its first 8,000 bytes.
fn binary(content: &[u8]) -> bool {
    content[..content.len().min(8_000)].contains(&0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Eol {
    /// Never converted.
    Off,
    /// Converted always (`text`, `eol=…`).
    Text,
    /// Converted when the content looks like text and has no lone CR
    /// (`text=auto`, `core.autocrlf`).
    Auto,
}

pub fn convert(repo: &Repository, path: &Path, content: Vec<u8>) -> Vec<u8> {
    let attr = |name: &str| {
        AttrValue::from_string(
            repo.get_attr(path, name, AttrCheckFlags::FILE_THEN_INDEX)
                .ok()
                .flatten(),
        )
    };
    let text = match attr("text") {
        AttrValue::Unspecified => attr("crlf"),
        set => set,
    };
    let mode = match text {
        AttrValue::False => Eol::Off,
        AttrValue::True => Eol::Text,
        AttrValue::String("auto") => Eol::Auto,
        // `text` unspecified: an `eol` makes the file text; else the config.
        _ if matches!(attr("eol"), AttrValue::String(_)) => Eol::Text,
        _ => {
            let config = repo.config().ok();
            let autocrlf = config
                .as_ref()
                .and_then(|c| c.get_string("core.autocrlf").ok())
                .map(|v| v.to_ascii_lowercase());
            match autocrlf.as_deref() {
                Some("true" | "yes" | "on" | "1" | "input") => Eol::Auto,
                _ => Eol::Off,
            }
        }
    };
    let mut content = content;
    if mode != Eol::Off && !(mode == Eol::Auto && (binary(&content) || lone_cr(&content))) {
        content = crlf_to_lf(&content);
    }
    if attr("ident") == AttrValue::True {
        content = collapse_ident(&content);
    }
    content
}

fn lone_cr(content: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', content).any(|i| content.get(i + 1) != Some(&b'\n'))
}

fn crlf_to_lf(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len());
    let mut rest = content;
    while let Some(at) = memchr::memmem::find(rest, b"\r\n") {
        out.extend_from_slice(&rest[..at]);
        out.push(b'\n');
        rest = &rest[at + 2..];
    }
    out.extend_from_slice(rest);
    out
}

/// `$Id: <anything without $ or newline>$` back to `$Id$`.
fn collapse_ident(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len());
    let mut rest = content;
    while let Some(at) = memchr::memmem::find(rest, b"$Id:") {
        out.extend_from_slice(&rest[..at]);
        let after = &rest[at + 4..];
        match after.iter().position(|&b| b == b'$' || b == b'\n') {
            Some(end) if after[end] == b'$' => {
                out.extend_from_slice(b"$Id$");
                rest = &after[end + 1..];
            }
            _ => {
                out.extend_from_slice(b"$Id:");
                rest = after;
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_and_idents_as_git_stores_them() {
        assert_eq!(crlf_to_lf(b"a\r\nb\r\nc"), b"a\nb\nc");
        assert!(lone_cr(b"a\rb\r\n"));
        assert!(!lone_cr(b"a\r\nb\r\n"));
        assert_eq!(
            collapse_ident(b"x $Id: 1234abcd $ y $Id$ $Id: no end\n"),
            b"x $Id$ y $Id$ $Id: no end\n"
        );
    }
}
