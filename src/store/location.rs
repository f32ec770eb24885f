//! Finding the repository to keep sessions in, or making the fallback one.

use std::fmt;
use std::path::{Path, PathBuf};

use git2::{Repository, RepositoryInitOptions};

use super::error::StoreError;
use super::ids;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The project's own repository (its common git dir, shared by worktrees).
    Repository { git_dir: PathBuf },
    /// A bare repository under the state directory, because the project is
    /// not in a usable git repository (`reason` says why).
    Fallback { git_dir: PathBuf, reason: String },
}

impl Location {
    pub fn git_dir(&self) -> &Path {
        match self {
            Location::Repository { git_dir } | Location::Fallback { git_dir, .. } => git_dir,
        }
    }

    pub fn is_fallback(&self) -> bool {
        matches!(self, Location::Fallback { .. })
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Repository { git_dir } => {
                write!(f, "refs/cockpit/sessions/* in {}", git_dir.display())
            }
            Location::Fallback { git_dir, reason } => write!(
                f,
                "{reason}: sessions are kept in {} instead",
                git_dir.display()
            ),
        }
    }
}

pub fn open(cwd: &Path, fallback_root: &Path) -> Result<(Repository, Location), StoreError> {
    match Repository::discover(cwd) {
        Ok(repo) => {
            let git_dir = repo.commondir().to_path_buf();
            Ok((repo, Location::Repository { git_dir }))
        }
        Err(err) => {
            let reason = if err.code() == git2::ErrorCode::NotFound {
                format!("{} is not in a git repository", cwd.display())
            } else {
                format!(
                    "the git repository at {} cannot be used ({})",
                    cwd.display(),
                    err.message()
                )
            };
            let key = ids::project_key(&std::fs::canonicalize(cwd).unwrap_or(cwd.to_path_buf()));
            let git_dir = fallback_root.join(format!("{key}.git"));
            let repo = open_or_init_bare(&git_dir)?;
            Ok((repo, Location::Fallback { git_dir, reason }))
        }
    }
}

pub fn at(path: &Path) -> Result<(Repository, Location), StoreError> {
    let repo = match Repository::open(path) {
        Ok(repo) => repo,
        Err(_) => open_or_init_bare(path)?,
    };
    let git_dir = repo.commondir().to_path_buf();
    Ok((repo, Location::Repository { git_dir }))
}

fn open_or_init_bare(git_dir: &Path) -> Result<Repository, StoreError> {
    if let Ok(repo) = Repository::open_bare(git_dir) {
        return Ok(repo);
    }
    std::fs::create_dir_all(git_dir)?;
    let mut options = RepositoryInitOptions::new();
    options.bare(true).mkdir(true);
    Ok(Repository::init_opts(git_dir, &options)?)
}
