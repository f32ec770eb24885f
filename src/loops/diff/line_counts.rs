//! Counting lines: a patch's added, removed and longest added block, and
//! a whole file's lines (an untracked file).

use std::path::Path;

use git2::Patch;

/// Files bigger than this are not counted line by line.
const COUNT_LIMIT: u64 = 8 << 20;

/// (added, removed, longest run of consecutive added lines).
pub(super) fn line_counts(patch: &Patch) -> Result<(u64, u64, u64), git2::Error> {
    let (mut added, mut removed, mut block) = (0, 0, 0);
    for hunk in 0..patch.num_hunks() {
        let mut run = 0;
        for line in 0..patch.num_lines_in_hunk(hunk)? {
            match patch.line_in_hunk(hunk, line)?.origin() {
                '+' => {
                    added += 1;
                    run += 1;
                    block = block.max(run);
                }
                '-' => {
                    removed += 1;
                    run = 0;
                }
                _ => run = 0,
            }
        }
    }
    Ok((added, removed, block))
}

pub(super) fn count_lines(path: &Path) -> Option<u64> {
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.len() > COUNT_LIMIT {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    if bytes.contains(&0) {
        return None; // binary
    }
    let newlines = memchr::memchr_iter(b'\n', &bytes).count() as u64;
    Some(newlines + u64::from(!bytes.is_empty() && !bytes.ends_with(b"\n")))
}
