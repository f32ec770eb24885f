//! The outer loop's git side (weeks to months): the branch and where it
//! stands against its upstream, the commits made since the session began,
//! and commits per week over the last weeks. Plain data and one reader.

use std::path::Path;

use git2::{BranchType, DiffOptions, ErrorCode, Oid, Repository, Sort};

use crate::clock::Millis;

/// Calendar weeks counted in [`GitHistory::weeks`], this one included.
pub const WEEKS: usize = 8;

/// At most this many commits are looked at per read, however big the
/// history: a read must stay quick on a monorepo.
pub const MAX_WALK: usize = 20_000;

const WEEK_MS: Millis = 7 * 24 * 3_600_000;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GitHistory {
    /// The checked-out branch; `None` when HEAD is detached.
    pub branch: Option<String>,
    /// HEAD's commit, abbreviated; `None` in a repository with no commit yet.
    pub head: Option<String>,
    /// The branch's upstream (`origin/main`), when it has one.
    pub upstream: Option<String>,
    /// Commits on the branch and not on its upstream, and the reverse.
    pub ahead: usize,
    pub behind: usize,
    /// Commits reachable from HEAD committed since the session began,
    /// newest first, at most the `max` given to [`read`].
    pub commits: Vec<CommitInfo>,
    /// All commits since the session began (`commits` may hold fewer).
    pub commits_total: usize,
    /// Commits per calendar week (Monday 00:00 UTC), oldest first, the
    /// current week last; always [`WEEKS`] entries once HEAD has a commit.
    pub weeks: Vec<WeekCount>,
    /// The walk stopped at [`MAX_WALK`] commits: the counts are lower bounds.
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: String,
    pub short_id: String,
    pub summary: String,
    pub author: String,
    /// Commit (not author) time: a rebased or amended commit was made now.
    pub at: Millis,
    /// A merge: the figures below are against its first parent.
    pub merge: bool,
    pub files_changed: usize,
    pub lines_added: usize,
    pub lines_removed: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekCount {
    /// Monday 00:00 UTC, in milliseconds since the epoch.
    pub start: Millis,
    pub commits: usize,
}

/// Reads the history of the repository containing `dir` as of now.
pub fn read(dir: &Path, since: Millis, max: usize) -> Result<GitHistory, git2::Error> {
    read_at(dir, since, crate::clock::now_millis(), max)
}

/// [`read`] with the clock given (the week buckets end at `now`'s week).
pub fn read_at(
    dir: &Path,
    since: Millis,
    now: Millis,
    max: usize,
) -> Result<GitHistory, git2::Error> {
    let repo = Repository::discover(dir)?;
    let mut history = GitHistory {
        branch: branch_name(&repo),
        ..GitHistory::default()
    };
    let head = match repo.head() {
        Ok(head) => head,
        // An empty repository: a branch with no commit yet.
        Err(err) if matches!(err.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => {
            return Ok(history);
        }
        Err(err) => return Err(err),
    };
    let Some(head_id) = head.target() else {
        return Ok(history);
    };
    history.head = Some(short(head_id));
    if head.is_branch()
        && let Ok(upstream) = repo
            .find_branch(head.shorthand().unwrap_or_default(), BranchType::Local)
            .and_then(|b| b.upstream())
    {
        history.upstream = upstream.name().ok().flatten().map(str::to_string);
        if let Some(up_id) = upstream.get().target() {
            (history.ahead, history.behind) = repo.graph_ahead_behind(head_id, up_id)?;
        }
    }

    let this_week = week_start(now);
    let first_week = this_week - (WEEKS as Millis - 1) * WEEK_MS;
    history.weeks = (0..WEEKS as Millis)
        .map(|i| WeekCount {
            start: first_week + i * WEEK_MS,
            commits: 0,
        })
        .collect();
    // Older than both windows: nothing further down the walk is counted.
    let stop_before = since.min(first_week);

    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TIME)?;
    walk.push(head_id)?;
    for (seen, oid) in walk.enumerate() {
        if seen >= MAX_WALK {
            history.truncated = true;
            break;
        }
        let commit = repo.find_commit(oid?)?;
        let at = commit.time().seconds() * 1000;
        if at < stop_before {
            break;
        }
        if at >= first_week {
            let index = ((at - first_week) / WEEK_MS) as usize;
            if let Some(week) = history.weeks.get_mut(index) {
                week.commits += 1;
            }
        }
        if at >= since {
            history.commits_total += 1;
            if history.commits.len() < max {
                history.commits.push(commit_info(&repo, &commit, at)?);
            }
        }
    }
    Ok(history)
}

/// The branch HEAD names, even before its first commit; `None` if detached.
fn branch_name(repo: &Repository) -> Option<String> {
    let head = repo.find_reference("HEAD").ok()?;
    let target = head.symbolic_target().ok().flatten()?;
    Some(
        target
            .strip_prefix("refs/heads/")
            .unwrap_or(target)
            .to_string(),
    )
}

fn short(id: Oid) -> String {
    id.to_string().chars().take(7).collect()
}

fn commit_info(
    repo: &Repository,
    commit: &git2::Commit<'_>,
    at: Millis,
) -> Result<CommitInfo, git2::Error> {
    let tree = commit.tree()?;
    let parent_tree = match commit.parents().next() {
        Some(parent) => Some(parent.tree()?),
        None => None,
    };
    let mut options = DiffOptions::new();
    options.ignore_submodules(true);
    let diff = repo.diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut options))?;
    let stats = diff.stats()?;
    Ok(CommitInfo {
        id: commit.id().to_string(),
        short_id: short(commit.id()),
        summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default()).into_owned(),
        author: String::from_utf8_lossy(commit.author().name_bytes()).into_owned(),
        at,
        merge: commit.parent_count() > 1,
        files_changed: stats.files_changed(),
        lines_added: stats.insertions(),
        lines_removed: stats.deletions(),
    })
}

/// Monday 00:00 UTC of the week holding `at`.
pub fn week_start(at: Millis) -> Millis {
    const DAY: Millis = 24 * 3_600_000;
    let day = at.div_euclid(DAY);
    // 1970-01-01 was a Thursday: Monday-based weekday 3.
    let weekday = (day + 3).rem_euclid(7);
    (day - weekday) * DAY
}

/// Reads the history again on a thread of its own whenever asked, at most one
/// read at a time (asks during a read fold into one more read after it).
pub struct Refresher {
    dir: std::path::PathBuf,
    since: Millis,
    max: usize,
    send: std::sync::Arc<dyn Fn(Option<GitHistory>) + Send + Sync>,
    busy: std::sync::Arc<std::sync::atomic::AtomicBool>,
    again: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Refresher {
    pub fn new(
        dir: &Path,
        since: Millis,
        max: usize,
        send: impl Fn(Option<GitHistory>) + Send + Sync + 'static,
    ) -> Self {
        Self {
            dir: dir.to_path_buf(),
            since,
            max,
            send: std::sync::Arc::new(send),
            busy: Default::default(),
            again: Default::default(),
        }
    }

    /// A resumed session's commits count from its own start.
    pub fn set_since(&mut self, since: Millis) {
        self.since = since;
    }

    pub fn refresh(&self) {
        use std::sync::atomic::Ordering;
        if self.busy.swap(true, Ordering::AcqRel) {
            self.again.store(true, Ordering::Release);
            return;
        }
        let (dir, since, max) = (self.dir.clone(), self.since, self.max);
        let (send, busy, again) = (self.send.clone(), self.busy.clone(), self.again.clone());
        let spawned = std::thread::Builder::new()
            .name("git-history".into())
            .spawn(move || {
                loop {
                    let history = read(&dir, since, max)
                        .map_err(|err| tracing::debug!("git history: {err}"))
                        .ok();
                    send(history);
                    if !again.swap(false, Ordering::AcqRel) {
                        break;
                    }
                }
                busy.store(false, Ordering::Release);
            });
        if spawned.is_err() {
            self.busy.store(false, Ordering::Release);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_utc() {
        // 2026-12-01 08:00 UTC is a Tuesday; its week began Monday 2026-11-30.
        let tuesday = 1_796_112_000_000;
        assert_eq!(week_start(tuesday), 1_795_996_800_000);
        let monday = 1_795_996_800_000;
        assert_eq!(week_start(monday), monday);
        assert_eq!(week_start(monday - 1), monday - WEEK_MS);
    }
}
