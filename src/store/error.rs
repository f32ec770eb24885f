//! What can go wrong with the store, worded for the user.

use std::fmt;

#[derive(Debug)]
pub enum StoreError {
    Git(git2::Error),
    Io(std::io::Error),
    Json(serde_json::Error),
    /// No session has this id or prefix.
    NotFound(String),
    /// The prefix matches several sessions (listed).
    Ambiguous(String, Vec<String>),
    /// Not a session id (ids are hex digits and dashes).
    BadId(String),
    /// A session commit lacks a file or is not a cockpit commit.
    Corrupt(String),
    /// Written by a newer cockpit in a format this one cannot read.
    NewerFormat(u32),
    /// What went wrong reading one session ref, and which.
    AtRef(String, Box<StoreError>),
    /// A ref lock file stayed in place (a crashed writer): its path.
    Locked(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Git(err) => write!(f, "git: {}", err.message()),
            StoreError::Io(err) => write!(f, "{err}"),
            StoreError::Json(err) => write!(f, "session record: {err}"),
            StoreError::NotFound(id) => write!(f, "no stored session matches {id:?}"),
            StoreError::Ambiguous(id, ids) => {
                write!(
                    f,
                    "{id:?} matches {} sessions: {}",
                    ids.len(),
                    ids.join(", ")
                )
            }
            StoreError::BadId(id) => write!(f, "{id:?} is not a session id"),
            StoreError::Corrupt(what) => write!(f, "damaged session: {what}"),
            StoreError::NewerFormat(version) => write!(
                f,
                "written by a newer cockpit (format-version {version}; this one reads up to {}): upgrade cockpit to read it",
                super::schema::FORMAT_VERSION
            ),
            StoreError::AtRef(refname, err) => write!(f, "{refname}: {err}"),
            StoreError::Locked(path) => write!(
                f,
                "{path} is held by another writer; if no cockpit is running, delete it"
            ),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<git2::Error> for StoreError {
    fn from(err: git2::Error) -> Self {
        StoreError::Git(err)
    }
}

impl From<std::io::Error> for StoreError {
    fn from(err: std::io::Error) -> Self {
        StoreError::Io(err)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(err: serde_json::Error) -> Self {
        StoreError::Json(err)
    }
}
