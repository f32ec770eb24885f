//! Writing and reading session commits with git2, the git-bug way: objects
//! first (blob, tree, commit with no ref update), then one compare-and-swap
//! of the session's ref. Nothing here touches HEAD, the index, the working
//! tree, branches or the stash, and libgit2 runs no hooks, so a save is
//! invisible to whatever the user is doing in the repository (a rebase, a
//! merge, a commit holding `index.lock`).
//!
//! A crash at any point leaves the ref at a complete commit: objects are
//! written to temporary files and renamed into place before the ref moves,
//! and the ref itself moves by renaming its lock file.

use std::time::Duration;

use git2::{Commit, ErrorCode, Oid, Repository, Signature};

use super::error::StoreError;

/// Mode of a regular file in a tree.
const BLOB_MODE: i32 = 0o100_644;

/// How many times a ref update is retried when another writer got there
/// first (each retry re-reads the tip, so nobody's commit is lost).
const MAX_ATTEMPTS: u32 = 200;

/// A ref lock file older than this was left by a writer that died between
/// taking the lock and renaming it (held for microseconds otherwise).
const STALE_LOCK: Duration = Duration::from_secs(10);

/// Who a commit is by: git's `user.name`/`user.email`, else a fixed
/// `cockpit <cockpit@localhost>` so a machine with no identity still saves.
pub fn signature(repo: &Repository) -> Signature<'static> {
    match repo.signature() {
        Ok(sig) if !sig.name_bytes().is_empty() => sig,
        _ => Signature::now("cockpit", "cockpit@localhost").expect("a valid fixed signature"),
    }
}

/// `user.name` and `user.email` when git has them.
pub fn identity(repo: &Repository) -> Option<(String, String)> {
    let config = repo.config().ok()?.snapshot().ok()?;
    let name = config.get_string("user.name").ok()?;
    let email = config.get_string("user.email").unwrap_or_default();
    (!name.is_empty()).then_some((name, email))
}

/// Writes `files` as one flat tree and commits it on `refname`, whose
/// current tip becomes the parent (`base` when the ref does not exist yet).
/// Retries the ref update against concurrent writers. Returns the new commit.
pub fn commit_files(
    repo: &Repository,
    refname: &str,
    files: &[(&str, &[u8])],
    message: &str,
    base: Option<Oid>,
) -> Result<Oid, StoreError> {
    let mut builder = repo.treebuilder(None)?;
    for (name, bytes) in files {
        let blob = repo.blob(bytes)?;
        builder.insert(name, blob, BLOB_MODE)?;
    }
    let tree = repo.find_tree(builder.write()?)?;
    let sig = signature(repo);
    // Refs outside refs/heads have no reflog unless asked for one; the log
    // lets a user find every save even after a rewrite of the ref.
    repo.reference_ensure_log(refname)?;

    let mut attempt = 0;
    loop {
        attempt += 1;
        let tip = tip_of(repo, refname)?;
        let parent: Option<Commit<'_>> = tip.or(base).map(|id| repo.find_commit(id)).transpose()?;
        let parents: Vec<&Commit<'_>> = parent.iter().collect();
        let commit = repo.commit(None, &sig, &sig, message, &tree, &parents)?;
        let moved = match tip {
            Some(tip) => repo.reference_matching(refname, commit, true, tip, "cockpit: save"),
            None => repo.reference(refname, commit, false, "cockpit: first save"),
        };
        match moved {
            Ok(_) => return Ok(commit),
            Err(err) if err.code() == ErrorCode::Locked && remove_stale_lock(repo, refname) => {}
            Err(err) if is_race(&err) && attempt < MAX_ATTEMPTS => {
                // Someone else moved the ref (or holds its lock): back off a
                // little, with jitter so two writers do not stay in step.
                let jitter = u64::from(commit.as_bytes()[0] % 4);
                std::thread::sleep(Duration::from_millis(1 + jitter + u64::from(attempt / 20)));
            }
            Err(err) if err.code() == ErrorCode::Locked => {
                return Err(StoreError::Locked(
                    lock_path(repo, refname).display().to_string(),
                ));
            }
            Err(err) => return Err(err.into()),
        }
    }
}

fn lock_path(repo: &Repository, refname: &str) -> std::path::PathBuf {
    repo.commondir().join(format!("{refname}.lock"))
}

/// Deletes the ref's lock file when it is old enough to be a dead writer's.
fn remove_stale_lock(repo: &Repository, refname: &str) -> bool {
    let path = lock_path(repo, refname);
    let stale = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .is_ok_and(|at| at.elapsed().is_ok_and(|age| age > STALE_LOCK));
    if stale {
        tracing::warn!(path = %path.display(), "removing a stale ref lock");
        return std::fs::remove_file(&path).is_ok();
    }
    false
}

fn is_race(err: &git2::Error) -> bool {
    matches!(
        err.code(),
        ErrorCode::Modified | ErrorCode::Exists | ErrorCode::Locked | ErrorCode::NotFound
    )
}

/// The commit `refname` points at, `None` when it does not exist.
pub fn tip_of(repo: &Repository, refname: &str) -> Result<Option<Oid>, StoreError> {
    match repo.refname_to_id(refname) {
        Ok(id) => Ok(Some(id)),
        Err(err) if err.code() == ErrorCode::NotFound => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// The bytes of `name` in the tree of `commit`.
pub fn read_file(repo: &Repository, commit: Oid, name: &str) -> Result<Vec<u8>, StoreError> {
    let tree = repo.find_commit(commit)?.tree()?;
    let entry = tree
        .get_name(name)
        .ok_or_else(|| StoreError::Corrupt(format!("commit {commit} has no {name}")))?;
    Ok(repo.find_blob(entry.id())?.content().to_vec())
}
