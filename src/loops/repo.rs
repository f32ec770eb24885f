//! The repository the cockpit runs in, as the header and discovery see it:
//! its name and branch, and its other working trees.

use std::path::{Path, PathBuf};

/// The project's name (the repository's directory) and its checked-out branch.
pub fn project_and_branch(cwd: &Path) -> (String, Option<String>) {
    let name_of = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string())
    };
    match git2::Repository::discover(cwd) {
        Ok(repo) => {
            let root = repo
                .workdir()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| cwd.to_path_buf());
            let branch = match repo.head() {
                Ok(head) if head.is_branch() => head.shorthand().ok().map(str::to_string),
                Ok(head) => head
                    .target()
                    .map(|oid| format!("detached {:.7}", oid.to_string())),
                // A repository with no commits yet: HEAD names an unborn branch.
                Err(_) => repo
                    .find_reference("HEAD")
                    .ok()
                    .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_string))
                    .map(|t| t.trim_start_matches("refs/heads/").to_string()),
            };
            (name_of(&root), branch)
        }
        Err(_) => (name_of(cwd), None),
    }
}

/// The repository's working trees other than the one `cwd` is in: the main
/// one and every linked `git worktree`.
pub fn other_worktrees(cwd: &Path) -> Vec<PathBuf> {
    let Ok(repo) = git2::Repository::discover(cwd) else {
        return Vec::new();
    };
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let here = repo.workdir().map(canonical);
    let mut trees = Vec::new();
    // A linked worktree's common dir is the main repository's `.git`.
    if !repo.is_bare()
        && let Some(main) = repo.commondir().parent()
    {
        trees.push(canonical(main));
    }
    if let Ok(names) = repo.worktrees() {
        for name in names.iter().flatten().flatten() {
            if let Ok(worktree) = repo.find_worktree(name) {
                trees.push(canonical(worktree.path()));
            }
        }
    }
    trees.sort();
    trees.dedup();
    trees.retain(|t| Some(t) != here.as_ref() && t.is_dir());
    trees
}
