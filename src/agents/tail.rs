//! Incremental reading of an append-only file: only the bytes added since the
//! last read, complete lines only, and a fresh start when the file is truncated
//! or replaced.

use std::fs::File;
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};

const CHUNK: usize = 256 * 1024;

/// What one call to [`Tailer::read_appended`] saw besides the lines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TailRead {
    /// The file was truncated or replaced: everything before this is void.
    pub reset: bool,
    /// The file does not exist (now). Reading resumes if it comes back.
    pub gone: bool,
    /// Lines longer than the cap, skipped whole.
    pub oversized: u64,
    /// The byte budget ran out before the end of the file: call again.
    pub more: bool,
    pub bytes: u64,
}

pub struct Tailer {
    path: PathBuf,
    file: Option<File>,
    /// (device, inode) of the open file: a different one means replacement.
    file_id: Option<(u64, u64)>,
    offset: u64,
    partial: Vec<u8>,
    /// Inside an over-long line: drop bytes until its newline.
    skipping: bool,
    line_cap: usize,
    chunk: Vec<u8>,
    /// The file's first bytes: a file deleted and written anew can get the
    /// same inode back, and only its content tells it apart.
    head: Vec<u8>,
    /// The file was seen missing since the last read.
    lost: bool,
}

const HEAD_BYTES: usize = 256;

impl Tailer {
    pub fn new(path: impl Into<PathBuf>, line_cap: usize) -> Self {
        Self {
            path: path.into(),
            file: None,
            file_id: None,
            offset: 0,
            partial: Vec::new(),
            skipping: false,
            line_cap: line_cap.max(1),
            chunk: Vec::new(),
            head: Vec::new(),
            lost: false,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Bytes consumed so far (complete lines plus the pending partial line).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Reads up to `budget` appended bytes and hands every complete line
    /// (without its `\n` or `\r\n`) to `on_line`.
    pub fn read_appended(
        &mut self,
        budget: u64,
        mut on_line: impl FnMut(&[u8]),
    ) -> io::Result<TailRead> {
        let mut read = TailRead::default();
        let meta = match std::fs::metadata(&self.path) {
            Ok(meta) => meta,
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                self.file = None;
                self.lost |= self.file_id.is_some();
                self.file_id = None;
                read.gone = true;
                return Ok(read);
            }
            Err(err) => return Err(err),
        };
        let id = (meta.dev(), meta.ino());
        // A reset is reported on its own, before any line of the new content,
        // so that the caller can forget the old content first.
        if self.file_id == Some(id) && !self.same_head()? {
            self.file_id = None;
            self.lost = true;
        }
        if self.file_id != Some(id) {
            let replaced = self.file_id.is_some() || std::mem::take(&mut self.lost);
            self.restart();
            self.file = Some(File::open(&self.path)?);
            self.file_id = Some(id);
            if replaced {
                read.reset = true;
                read.more = true;
                return Ok(read);
            }
        } else if meta.len() < self.offset {
            self.restart();
            read.reset = true;
            read.more = true;
            return Ok(read);
        } else if self.file.is_none() {
            self.file = Some(File::open(&self.path)?);
        }
        let Some(file) = self.file.as_ref() else {
            return Ok(read);
        };
        if self.chunk.len() != CHUNK {
            self.chunk = vec![0; CHUNK];
        }
        loop {
            if read.bytes >= budget {
                read.more = true;
                break;
            }
            let n = file.read_at(&mut self.chunk, self.offset)?;
            if n == 0 {
                break;
            }
            if self.head.len() < HEAD_BYTES && self.offset < HEAD_BYTES as u64 {
                let start = self.offset as usize;
                let want = (HEAD_BYTES - start).min(n);
                if start == self.head.len() {
                    self.head.extend_from_slice(&self.chunk[..want]);
                }
            }
            self.offset += n as u64;
            read.bytes += n as u64;
            read.oversized += split_lines(
                &self.chunk[..n],
                &mut self.partial,
                &mut self.skipping,
                self.line_cap,
                &mut on_line,
            );
        }
        Ok(read)
    }

    fn restart(&mut self) {
        self.offset = 0;
        self.partial.clear();
        self.skipping = false;
        self.head.clear();
    }

    /// Whether the open file still starts with the bytes read from it before.
    fn same_head(&self) -> io::Result<bool> {
        let (Some(file), false) = (self.file.as_ref(), self.head.is_empty()) else {
            return Ok(true);
        };
        let mut now = vec![0; self.head.len()];
        let n = file.read_at(&mut now, 0)?;
        Ok(n == self.head.len() && now == self.head)
    }
}

/// Splits `chunk` into lines, carrying an unfinished line in `partial`.
/// Returns how many lines were dropped for being longer than `cap`.
fn split_lines(
    mut chunk: &[u8],
    partial: &mut Vec<u8>,
    skipping: &mut bool,
    cap: usize,
    on_line: &mut impl FnMut(&[u8]),
) -> u64 {
    let mut oversized = 0;
    while !chunk.is_empty() {
        let newline = memchr::memchr(b'\n', chunk);
        let (piece, rest) = match newline {
            Some(i) => (&chunk[..i], &chunk[i + 1..]),
            None => (chunk, &[][..]),
        };
        chunk = rest;
        if *skipping {
            if newline.is_some() {
                *skipping = false;
            }
            continue;
        }
        if partial.len() + piece.len() > cap {
            release(partial);
            oversized += 1;
            *skipping = newline.is_none();
            continue;
        }
        if newline.is_none() {
            partial.extend_from_slice(piece);
            continue;
        }
        if partial.is_empty() {
            on_line(strip_cr(piece));
        } else {
            partial.extend_from_slice(piece);
            on_line(strip_cr(partial));
            release(partial);
        }
    }
    oversized
}

/// Empties the line buffer, giving back what one long line made it grow to
/// (a multi-megabyte tool result must not stay resident for the session).
fn release(partial: &mut Vec<u8>) {
    const KEEP: usize = 64 * 1024;
    partial.clear();
    if partial.capacity() > KEEP {
        partial.shrink_to(KEEP);
    }
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(chunks: &[&[u8]], cap: usize) -> (Vec<String>, u64) {
        let mut partial = Vec::new();
        let mut skipping = false;
        let mut lines = Vec::new();
        let mut oversized = 0;
        for chunk in chunks {
            oversized += split_lines(chunk, &mut partial, &mut skipping, cap, &mut |l| {
                lines.push(String::from_utf8_lossy(l).into_owned())
            });
        }
        (lines, oversized)
    }

    #[test]
    fn joins_lines_split_across_chunks() {
        let (lines, _) = lines_of(&[b"ab", b"c\nde", b"f\r\n", b"tail"], 100);
        assert_eq!(lines, ["abc", "def"]);
    }

    #[test]
    fn a_long_line_does_not_keep_its_buffer() {
        let mut partial = Vec::new();
        let mut skipping = false;
        let long = vec![b'x'; 1 << 20];
        let mut seen = 0;
        for chunk in [&long[..], b"\n"] {
            split_lines(chunk, &mut partial, &mut skipping, 4 << 20, &mut |l| {
                seen = l.len()
            });
        }
        assert_eq!(seen, 1 << 20);
        assert!(partial.capacity() <= 64 * 1024, "{}", partial.capacity());
    }

    #[test]
    fn drops_lines_over_the_cap_even_across_chunks() {
        let (lines, oversized) = lines_of(&[b"ok\n0123", b"456789", b"abc\nnext\n"], 8);
        assert_eq!(lines, ["ok", "next"]);
        assert_eq!(oversized, 1);
    }
}
