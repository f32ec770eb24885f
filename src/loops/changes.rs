//! A changed file in the working tree, as plain data the detectors read.

use std::path::PathBuf;

use crate::clock::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Not in HEAD (new, or the new name of a rename).
    Added,
    Modified,
    /// In HEAD and gone from the working tree (deleted, or the old name of a rename).
    Removed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileChange {
    /// Relative to the repository root.
    pub path: PathBuf,
    pub kind: ChangeKind,
    /// Against HEAD, so the numbers say how far the file is from the last checkpoint.
    pub lines_added: u64,
    pub lines_removed: u64,
    /// Lines in the file now (`None` when removed or binary).
    pub lines_now: Option<u64>,
    /// The longest run of consecutive added lines: one edit pasting a huge block.
    pub largest_added_block: u64,
    pub at: Millis,
}
