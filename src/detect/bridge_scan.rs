//! The git side of Bridge Torching, run on the detector's worker thread:
//! HEAD's blob of each changed source file against the file now, and the
//! places the other tracked files still name each removed or changed item.
//! Bounded: at most `max_files` tracked files, none over [`MAX_FILE_BYTES`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use git2::{Repository, Status, StatusOptions};

use super::api_items::{self, Change, Lang};
use super::references;

/// Larger files are generated or vendored; not searched.
pub const MAX_FILE_BYTES: u64 = 512 * 1024;

/// One public item a working-tree change broke, and who still uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The file that defined it, relative to the repository.
    pub path: PathBuf,
    pub name: String,
    pub change: Change,
    /// Whole-word occurrences in other tracked files, and how many files.
    pub places: usize,
    pub files: usize,
    /// The tracked files were more than the cap: the counts are a floor.
    pub capped: bool,
}

/// The breaks in `paths` (relative, changed against HEAD) of the repository
/// at `root`: every item removed or changed that other tracked files of the
/// same language still name. An item still defined in another file (moved,
/// or a method name many types share) is not counted.
pub fn scan(root: &Path, paths: &[PathBuf], max_files: usize) -> Result<Vec<Broken>, git2::Error> {
    let repo = Repository::open(root)?;
    let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
        return Ok(Vec::new());
    };
    let head = match repo.head().and_then(|h| h.peel_to_tree()) {
        Ok(tree) => tree,
        // No commit yet: nothing was public before.
        Err(_) => return Ok(Vec::new()),
    };
    let mut found = Vec::new();
    let mut changed: Option<HashSet<PathBuf>> = None;
    let mut candidates: Option<Vec<PathBuf>> = None;
    for path in paths {
        let Some(lang) = api_items::lang_of(path) else {
            continue;
        };
        let Ok(entry) = head.get_path(path) else {
            continue; // New file: it removed nothing.
        };
        let Ok(blob) = repo.find_blob(entry.id()) else {
            continue;
        };
        let before = String::from_utf8_lossy(blob.content());
        let after = std::fs::read(workdir.join(path)).unwrap_or_default();
        let after = String::from_utf8_lossy(&after);
        for (name, change) in api_items::changes(lang, &before, &after) {
            // A signature change leaves the name in callers the session
            // updated too; only files it did not touch still call the old form.
            let skip = match change {
                Change::Removed => HashSet::new(),
                Change::Signature { .. } => {
                    changed.get_or_insert_with(|| changed_files(&repo)).clone()
                }
            };
            let files = candidates.get_or_insert_with(|| source_files(&repo));
            let uses = uses(files, &workdir, lang, path, &name, &skip, max_files);
            if let Some((places, files, capped)) = uses
                && places > 0
            {
                found.push(Broken {
                    path: path.clone(),
                    name,
                    change,
                    places,
                    files,
                    capped,
                });
            }
        }
    }
    Ok(found)
}

/// Tracked files, then new ones not ignored: a new file may now define
/// what an old one lost (a function moved).
fn source_files(repo: &Repository) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = repo.index().map_or_else(
        |_| Vec::new(),
        |index| {
            index
                .iter()
                .map(|e| PathBuf::from(String::from_utf8_lossy(&e.path).into_owned()))
                .collect()
        },
    );
    let mut opts = StatusOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true);
    if let Ok(statuses) = repo.statuses(Some(&mut opts)) {
        files.extend(
            statuses
                .iter()
                .filter(|s| s.status().contains(Status::WT_NEW))
                .filter_map(|s| s.path().ok().map(PathBuf::from)),
        );
    }
    files.retain(|p| api_items::lang_of(p).is_some());
    files
}

/// Files that differ from HEAD, new ones included.
fn changed_files(repo: &Repository) -> HashSet<PathBuf> {
    let mut opts = StatusOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true);
    let Ok(statuses) = repo.statuses(Some(&mut opts)) else {
        return HashSet::new();
    };
    statuses
        .iter()
        .filter(|s| s.status() != Status::CURRENT)
        .filter_map(|s| s.path().ok().map(PathBuf::from))
        .collect()
}

/// (places, files, capped) referring to `name` of `defined_in` in the files
/// of `lang` other than it and `skip`; `None` when another file defines it.
fn uses(
    candidates: &[PathBuf],
    workdir: &Path,
    lang: Lang,
    defined_in: &Path,
    name: &str,
    skip: &HashSet<PathBuf>,
    max_files: usize,
) -> Option<(usize, usize, bool)> {
    let qualifiers = references::qualifiers(lang, defined_in);
    let definition = references::definition(lang, name);
    let (mut places, mut files, mut searched) = (0, 0, 0);
    for path in candidates {
        if path == defined_in || skip.contains(path) || api_items::lang_of(path) != Some(lang) {
            continue;
        }
        if searched == max_files {
            return Some((places, files, true));
        }
        searched += 1;
        let full = workdir.join(path);
        if std::fs::metadata(&full).map_or(true, |m| m.len() > MAX_FILE_BYTES) {
            continue;
        }
        let Ok(text) = std::fs::read(&full) else {
            continue;
        };
        if memchr::memmem::find(&text, name.as_bytes()).is_none() {
            continue;
        }
        let same_package = lang == Lang::Go && path.parent() == defined_in.parent();
        let text = String::from_utf8_lossy(&text);
        let n = references::count(&text, name, &qualifiers, &definition, same_package)?;
        if n == 0 {
            continue;
        }
        places += n;
        files += 1;
    }
    Some((places, files, false))
}
