//! Session state kept in git, under the cockpit's own refs.
//!
//! Each cockpit run is one session with a random id; every save is one
//! commit on `refs/cockpit/sessions/<id>` whose tree holds `session.json`
//! (the [`SessionRecord`]), `handoff.md` and `format-version`. Sessions
//! fetched from others live under `refs/cockpit/remotes/<remote>/sessions/`.
//! Outside a git repository the same code writes to a bare repository under
//! the state directory. See `docs/session-record.md`.
//!
//! Every call here is blocking file I/O: the app runs saves off its UI task.

pub mod commands;
mod error;
mod git;
pub mod handoff;
mod handoff_work;
pub mod history;
pub mod ids;
pub mod learnings;
mod location;
pub mod persist;
mod query;
pub mod record;
mod resume_command;
pub mod schema;
pub mod session_text;
mod summary;
mod tracker;
mod unanswered;

use git2::{Oid, Repository};

pub use error::StoreError;
pub use location::Location;
pub use resume_command::resume_command;
pub use schema::{FORMAT_VERSION, SessionRecord};
pub use summary::{SessionSummary, describe_for_offer};
pub use tracker::Tracker;

/// Where the cockpit's refs live.
const PREFIX: &str = "refs/cockpit/";
const SESSIONS: &str = "refs/cockpit/sessions/";
const ALL: &str = "refs/cockpit/*";

/// The files of a session commit's tree.
pub const RECORD_FILE: &str = "session.json";
pub const HANDOFF_FILE: &str = "handoff.md";
pub const VERSION_FILE: &str = "format-version";

pub struct Store {
    repo: Repository,
    location: Location,
}

impl Store {
    /// The store of the repository containing `cwd`, else the fallback bare
    /// repository for that directory under the state directory.
    pub fn open(cwd: &std::path::Path) -> Result<Store, StoreError> {
        Store::open_with_fallback(cwd, &crate::logging::state_dir().join("store"))
    }

    /// [`Store::open`] with the fallback stores kept under `fallback_root`
    /// (one bare repository per project directory).
    pub fn open_with_fallback(
        cwd: &std::path::Path,
        fallback_root: &std::path::Path,
    ) -> Result<Store, StoreError> {
        let (repo, location) = location::open(cwd, fallback_root)?;
        Ok(Store { repo, location })
    }

    /// A store in the repository at `path` (a work tree or a git dir), or
    /// a new bare one when nothing is there: for tests and benchmarks.
    pub fn at(path: &std::path::Path) -> Result<Store, StoreError> {
        let (repo, location) = location::at(path)?;
        Ok(Store { repo, location })
    }

    /// Where the sessions are kept, for the user (`Display`) and for code.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// git's `user.name`/`user.email` for this repository, when set.
    pub fn author(&self) -> Option<schema::Person> {
        git::identity(&self.repo).map(|(name, email)| schema::Person { name, email })
    }

    /// Commits `record` on its session's ref and returns the commit.
    pub fn save(&self, record: &SessionRecord) -> Result<Oid, StoreError> {
        if !ids::is_valid_id(&record.id) {
            return Err(StoreError::BadId(record.id.clone()));
        }
        // Secrets in commands, prompts and requests never reach the record,
        // its handoff or its commit message.
        let mut value = serde_json::to_value(record)?;
        crate::redact::redact_json(&mut value);
        let record: SessionRecord = serde_json::from_value(value)?;
        let record = &record;
        let json = serde_json::to_vec_pretty(record)?;
        let handoff = handoff::markdown(record);
        let version = FORMAT_VERSION.to_string();
        let message = summary::commit_message(record);
        let refname = format!("{SESSIONS}{}", record.id);
        // A session first fetched from someone else continues their history.
        let base = match git::tip_of(&self.repo, &refname)? {
            Some(_) => None,
            None => self.remote_tip(&record.id)?,
        };
        let files: [(&str, &[u8]); 3] = [
            (HANDOFF_FILE, handoff.as_bytes()),
            (VERSION_FILE, version.as_bytes()),
            (RECORD_FILE, &json),
        ];
        git::commit_files(&self.repo, &refname, &files, &message, base)
    }

    /// Every stored session, newest save first, local ones before copies
    /// fetched from remotes. Reads one commit per session (its message
    /// carries a summary), never the records.
    pub fn list(&self) -> Result<Vec<SessionSummary>, StoreError> {
        let (good, damaged) = self.list_all()?;
        for err in damaged {
            tracing::warn!("session not listed: {err}");
        }
        Ok(good)
    }

    /// [`Store::list`], and apart from it one error (naming its ref) per
    /// session that cannot be read: one damaged ref never hides the rest.
    pub fn list_all(&self) -> Result<(Vec<SessionSummary>, Vec<StoreError>), StoreError> {
        let mut out: Vec<SessionSummary> = Vec::new();
        let mut damaged = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for SessionRef {
            name,
            remote,
            id,
            tip,
        } in self.session_refs(ALL)?
        {
            if !seen.insert(id) {
                continue; // a remote copy of a session we also have locally
            }
            match self.summary_at(tip) {
                Ok((summary, commit)) => out.push(summary.located(name, remote, tip, &commit)),
                Err(err) => damaged.push(StoreError::AtRef(name, Box::new(err))),
            }
        }
        out.sort_by_key(|s| std::cmp::Reverse(s.last_saved_at));
        Ok((out, damaged))
    }

    fn summary_at(&self, tip: Oid) -> Result<(SessionSummary, git2::Commit<'_>), StoreError> {
        self.check_version(tip)?;
        let commit = self.repo.find_commit(tip)?;
        let summary = match summary::parse(&commit) {
            // Written before summaries carried the learnings: the record has them.
            Some(summary) if summary.learnings.is_none() => SessionSummary {
                learnings: self
                    .read_record(tip)
                    .ok()
                    .and_then(|record| SessionSummary::of(&record).learnings),
                ..summary
            },
            Some(summary) => summary,
            // Not written by a cockpit we understand: read the record.
            None => SessionSummary::of(&self.read_record(tip)?),
        };
        Ok((summary, commit))
    }

    /// Refuses a commit whose `format-version` is newer than this cockpit's.
    fn check_version(&self, tip: Oid) -> Result<(), StoreError> {
        let bytes = git::read_file(&self.repo, tip, VERSION_FILE)?;
        let text = String::from_utf8_lossy(&bytes);
        let version: u32 = text
            .trim()
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("format-version {:?}", text.trim())))?;
        if version > FORMAT_VERSION {
            return Err(StoreError::NewerFormat(version));
        }
        Ok(())
    }

    /// The newest record of session `id` (a unique prefix is enough).
    pub fn load(&self, id: &str) -> Result<SessionRecord, StoreError> {
        let refname = self.resolve(id)?;
        let tip = git::tip_of(&self.repo, &refname)?
            .ok_or_else(|| StoreError::NotFound(id.to_string()))?;
        self.check_version(tip)
            .and_then(|()| self.read_record(tip))
            .map_err(|err| StoreError::AtRef(refname, Box::new(err)))
    }

    /// The newest of this repository's own sessions that did not end with a
    /// clean quit: the one to offer to resume.
    pub fn latest_unfinished(&self) -> Result<Option<SessionSummary>, StoreError> {
        Ok(self
            .list()?
            .into_iter()
            .find(|s| s.remote.is_none() && !s.finished))
    }

    /// The ref a session id (or unique prefix) names, local first.
    pub fn resolve(&self, id: &str) -> Result<String, StoreError> {
        let id = id.trim();
        if id.is_empty() || !ids::is_valid_id(id) {
            return Err(StoreError::BadId(id.to_string()));
        }
        let direct = format!("{SESSIONS}{id}");
        if git::tip_of(&self.repo, &direct)?.is_some() {
            return Ok(direct); // a full local id: no need to list
        }
        let refs = self.session_refs(ALL)?;
        if let Some(found) = refs.iter().find(|r| r.id == id) {
            return Ok(found.name.clone());
        }
        // Local refs come first, so the first match of an id is the local one.
        let matches: Vec<&SessionRef> = refs.iter().filter(|r| r.id.starts_with(id)).collect();
        let mut ids: Vec<String> = matches.iter().map(|r| r.id.clone()).collect();
        ids.sort();
        ids.dedup();
        match ids.len() {
            0 => Err(StoreError::NotFound(id.to_string())),
            1 => Ok(matches[0].name.clone()),
            _ => Err(StoreError::Ambiguous(id.to_string(), ids)),
        }
    }

    fn read_record(&self, commit: Oid) -> Result<SessionRecord, StoreError> {
        let bytes = git::read_file(&self.repo, commit, RECORD_FILE)?;
        let record: SessionRecord = serde_json::from_slice(&bytes)?;
        if record.format_version > FORMAT_VERSION {
            return Err(StoreError::NewerFormat(record.format_version));
        }
        Ok(record)
    }

    /// The tip of a fetched copy of session `id`, if there is one. Only the
    /// remotes' refs are walked (libgit2 walks the glob's literal prefix).
    fn remote_tip(&self, id: &str) -> Result<Option<Oid>, StoreError> {
        let refs = self.session_refs(&format!("{PREFIX}remotes/*/sessions/{id}"))?;
        Ok(refs.into_iter().find(|r| r.id == id).map(|r| r.tip))
    }

    /// Every session ref matching `glob`, local ones first, with the commit
    /// each points at (read once, here).
    fn session_refs(&self, glob: &str) -> Result<Vec<SessionRef>, StoreError> {
        let mut out = Vec::new();
        for reference in self.repo.references_glob(glob)? {
            let reference = reference?;
            let Ok(name) = reference.name() else { continue };
            let Some((remote, id)) = parse_refname(name) else {
                continue;
            };
            let tip = reference
                .target()
                .or_else(|| reference.resolve().ok()?.target());
            let Some(tip) = tip else {
                continue;
            };
            out.push(SessionRef {
                name: name.to_string(),
                remote,
                id,
                tip,
            });
        }
        out.sort_by_key(|r| r.remote.is_some());
        Ok(out)
    }
}

/// A session ref found by listing.
struct SessionRef {
    name: String,
    remote: Option<String>,
    id: String,
    tip: Oid,
}

/// `refs/cockpit/sessions/<id>` or `refs/cockpit/remotes/<remote>/sessions/<id>`.
fn parse_refname(name: &str) -> Option<(Option<String>, String)> {
    let rest = name.strip_prefix(PREFIX)?;
    let (remote, id) = match rest.strip_prefix("sessions/") {
        Some(id) => (None, id),
        None => {
            let (remote, id) = rest.strip_prefix("remotes/")?.split_once("/sessions/")?;
            (Some(remote.to_string()), id)
        }
    };
    ids::is_valid_id(id).then(|| (remote, id.to_string()))
}

#[cfg(test)]
mod tests;
