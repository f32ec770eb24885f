//! Streaming a file line by line through one reusable, bounded buffer.
//!
//! The tailer (`agents::tail`) holds back an unfinished last line because more
//! may come; a report wants that line now (to count it as truncated), and wants
//! no per-call metadata checks, so it has its own small reader.

use std::io::{self, Read};

/// The buffer every worker starts with: big enough that most lines are handed
/// out in place, without copying.
pub const CHUNK: usize = 1 << 20;

/// What one pass over a file saw besides its lines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScanStats {
    pub bytes: u64,
    /// Lines longer than the cap, skipped without being buffered whole.
    pub oversized: u64,
}

/// Calls `on_line(line, terminated)` for every line of `reader` (without its
/// `\n` or `\r\n`); `terminated` is false only for a last line with no newline.
/// `buf` is reused across files; it grows up to `cap` for a long line and is
/// shrunk back afterwards, so memory stays bounded whatever the input.
pub fn for_each_line(
    reader: &mut impl Read,
    buf: &mut Vec<u8>,
    cap: usize,
    mut on_line: impl FnMut(&[u8], bool),
) -> io::Result<ScanStats> {
    let cap = cap.max(CHUNK);
    if buf.len() < CHUNK {
        buf.resize(CHUNK, 0);
    }
    let mut stats = ScanStats::default();
    // buf[start..end] is unconsumed data; [start..scan] is known newline-free.
    let (mut start, mut end, mut scan) = (0usize, 0usize, 0usize);
    // Inside a line over the cap: drop bytes until its newline.
    let mut skipping = false;
    loop {
        if end == buf.len() {
            if start > 0 {
                buf.copy_within(start..end, 0);
                end -= start;
                scan -= start;
                start = 0;
            } else if buf.len() < cap {
                let grown = (buf.len() * 2).min(cap);
                buf.resize(grown, 0);
            } else {
                // One line fills the whole capped buffer: give up on it.
                stats.oversized += 1;
                skipping = true;
                start = 0;
                end = 0;
                scan = 0;
            }
        }
        let n = match reader.read(&mut buf[end..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        stats.bytes += n as u64;
        end += n;
        while let Some(i) = memchr::memchr(b'\n', &buf[scan..end]) {
            let newline = scan + i;
            if skipping {
                skipping = false;
            } else {
                on_line(strip_cr(&buf[start..newline]), true);
            }
            start = newline + 1;
            scan = start;
        }
        scan = end;
        if skipping {
            start = 0;
            end = 0;
            scan = 0;
        }
    }
    if !skipping && start < end {
        on_line(strip_cr(&buf[start..end]), false);
    }
    if buf.len() > CHUNK {
        buf.truncate(CHUNK);
        buf.shrink_to_fit();
    }
    Ok(stats)
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out at most `step` bytes per call, to cross every
    /// buffer boundary.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(out.len()).min(self.data.len());
            out[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn lines(data: &[u8], step: usize, cap: usize) -> (Vec<(Vec<u8>, bool)>, ScanStats) {
        let mut out = Vec::new();
        let mut buf = Vec::new();
        let stats = for_each_line(&mut Trickle { data, step }, &mut buf, cap, |l, t| {
            out.push((l.to_vec(), t))
        })
        .expect("reads");
        assert!(buf.len() <= CHUNK, "buffer shrunk back");
        (out, stats)
    }

    #[test]
    fn lines_cross_reads_and_the_tail_is_flagged() {
        let (out, stats) = lines(b"ab\r\ncd\n\nef", 1, CHUNK);
        assert_eq!(
            out,
            vec![
                (b"ab".to_vec(), true),
                (b"cd".to_vec(), true),
                (b"".to_vec(), true),
                (b"ef".to_vec(), false)
            ]
        );
        assert_eq!(stats.bytes, 10);
    }

    #[test]
    fn long_lines_grow_the_buffer_and_lines_over_the_cap_are_skipped() {
        let long = vec![b'x'; CHUNK * 3];
        let huge = vec![b'y'; CHUNK * 5];
        let mut data = b"a\n".to_vec();
        data.extend_from_slice(&long);
        data.push(b'\n');
        data.extend_from_slice(&huge);
        data.extend_from_slice(b"\nz\n");
        data.extend_from_slice(&huge);
        let (out, stats) = lines(&data, 64 << 10, CHUNK * 4);
        let lens: Vec<usize> = out.iter().map(|(l, _)| l.len()).collect();
        assert_eq!(lens, vec![1, CHUNK * 3, 1]);
        assert_eq!(stats.oversized, 2);
    }
}
