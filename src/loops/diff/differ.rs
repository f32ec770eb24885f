//! The remembering diff: a file rewritten while it is read costs that
//! file's freshness, not the whole diff.

use super::*;

impl Differ {
    /// Diffs the whole working tree (untracked files included, ignored ones
    /// not) against HEAD. Returns the checkpoint and the rows for `paths`.
    ///
    /// Files rewritten during the read are the normal case in a burst, and
    /// each costs only itself: a file whose content changed between the
    /// tree's scan and its read is diffed again alone, and if that fails
    /// too, it keeps its counts of the last diff that read it (so the
    /// totals stay those of real reads, not a sum that silently drops a
    /// busy file). If the scan itself fails (a file truncated while it was
    /// hashed), only `paths` are diffed, in groups split in two on failure,
    /// and the rest of the tree, which sent no event since, keeps its
    /// counts; that needs a whole read against the same HEAD before, else
    /// this is an error and the caller tries again. Either way the result
    /// says so, and the caller diffs again once the files hold still.
    pub fn diff(
        &mut self,
        repo: &Repository,
        paths: &BTreeSet<PathBuf>,
        at: Millis,
    ) -> Result<Diff, git2::Error> {
        let head = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let head_id = head.as_ref().map(|c| c.id());
        let tree = head.as_ref().map(|c| c.tree()).transpose()?;
        let workdir = repo.workdir().unwrap_or(Path::new("."));
        #[allow(unused_mut)]
        let mut reads = Reads::new(repo, workdir);
        #[cfg(test)]
        {
            reads.unreadable = self.faults.unreadable.clone();
        }
        let mut counted = HashMap::new();
        let mut unread = Vec::new();
        let mut partial = false;
        match self.scan(repo, tree.as_ref(), None) {
            Ok(whole) => collect(&reads, &whole, &mut counted, &mut unread),
            Err(err) if self.base == Some(head_id) && !paths.is_empty() => {
                tracing::debug!("diff: the whole tree failed ({err}), the touched paths alone");
                partial = true;
                // Untouched files sent no event: as at the last read.
                let under = |p: &Path| p.ancestors().any(|a| paths.contains(a));
                counted.extend(
                    self.known
                        .iter()
                        .filter(|(p, _)| !under(p))
                        .map(|(p, c)| (p.clone(), *c)),
                );
                let all: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
                self.by_groups(&reads, tree.as_ref(), &all, &mut counted, &mut unread);
            }
            Err(err) => return Err(err),
        }
        let mut skipped = BTreeSet::new();
        for (path, kind) in unread {
            // Read alone, right away: usually fine, the burst moved on.
            let mut again = Vec::new();
            let alone = self.scan(repo, tree.as_ref(), Some(&[&path]));
            match alone {
                Ok(d) => collect(&reads, &d, &mut counted, &mut again),
                Err(_) => again.push((path.clone(), kind)),
            }
            if again.is_empty() {
                continue;
            }
            match kind {
                // Its last good counts under this diff's kind; never read
                // yet: no lines until the next read.
                Some(kind) => {
                    let last = self.known.get(&path).copied().unwrap_or(Counts {
                        kind,
                        added: 0,
                        removed: 0,
                        block: 0,
                    });
                    counted.insert(path.clone(), Counts { kind, ..last });
                }
                // Not even scanned: as at the last read, whatever is under it.
                None => counted.extend(
                    self.known
                        .iter()
                        .filter(|(p, _)| p.starts_with(&path))
                        .map(|(p, c)| (p.clone(), *c)),
                ),
            }
            skipped.insert(path);
        }
        if !partial {
            self.base = Some(head_id);
        }
        let mut checkpoint = Checkpoint {
            head_at: head.map(|c| c.time().seconds() * 1_000),
            ..Checkpoint::default()
        };
        let mut rows = Vec::new();
        for (path, c) in &counted {
            checkpoint.files_changed += 1;
            checkpoint.lines_added += c.added;
            checkpoint.lines_removed += c.removed;
            if paths.contains(path) {
                let lines_now = (c.kind != ChangeKind::Removed)
                    .then(|| count_lines(&workdir.join(path)))
                    .flatten();
                rows.push(FileChange {
                    path: path.clone(),
                    kind: c.kind,
                    lines_added: c.added,
                    lines_removed: c.removed,
                    lines_now,
                    largest_added_block: c.block,
                    at,
                });
            }
        }
        rows.sort_by(|a, b| a.path.cmp(&b.path));
        self.known = counted;
        Ok(Diff {
            checkpoint,
            rows,
            skipped,
            partial,
        })
    }
}

impl Differ {
    /// The tree against HEAD: all of it, or `paths` only, each taken
    /// literally (a directory covers what is under it).
    pub(super) fn scan<'r>(
        &mut self,
        repo: &'r Repository,
        tree: Option<&git2::Tree>,
        paths: Option<&[&Path]>,
    ) -> Result<git2::Diff<'r>, git2::Error> {
        let mut opts = options();
        if let Some(paths) = paths {
            opts.disable_pathspec_match(true);
            for path in paths {
                opts.pathspec(*path);
            }
        }
        #[cfg(test)]
        if let Some(over) = self.faults.scan_over
            && paths.is_none_or(|p| p.len() > over)
        {
            return Err(git2::Error::from_str("scan failed on purpose"));
        }
        let diff = repo.diff_tree_to_workdir_with_index(tree, Some(&mut opts));
        #[cfg(test)]
        if let Some(after) = self.faults.after_scan.as_mut() {
            after();
        }
        diff
    }

    /// Diffs `paths` as one group, halving a group whose scan fails; a
    /// single path that still fails is unread. A few busy files cost a few
    /// diffs of ever smaller groups, not one diff per path.
    pub(super) fn by_groups(
        &mut self,
        reads: &Reads,
        tree: Option<&git2::Tree>,
        paths: &[&Path],
        counted: &mut HashMap<PathBuf, Counts>,
        unread: &mut Vec<(PathBuf, Option<ChangeKind>)>,
    ) {
        match self.scan(reads.repo, tree, Some(paths)) {
            Ok(d) => collect(reads, &d, counted, unread),
            Err(err) if paths.len() == 1 => {
                tracing::debug!("diff: {}: {err}", paths[0].display());
                unread.push((paths[0].to_path_buf(), None));
            }
            Err(_) => {
                let (a, b) = paths.split_at(paths.len() / 2);
                self.by_groups(reads, tree, a, counted, unread);
                self.by_groups(reads, tree, b, counted, unread);
            }
        }
    }
}

/// What the last diff counted, file by file, to compare a later one with.
#[derive(Debug, Clone, Default)]
pub struct Counted(HashMap<PathBuf, Counts>);

impl Differ {
    /// The counts of the last diff.
    pub fn counted(&self) -> Counted {
        Counted(self.known.clone())
    }

    /// Files whose counts differ between `before` and the last diff: the
    /// ones that changed in between (or whose change was undone), whether
    /// or not an event said so.
    pub fn moved_since(&self, before: &Counted) -> Vec<PathBuf> {
        let now = &self.known;
        let changed = now.iter().filter(|(p, c)| before.0.get(*p) != Some(*c));
        let undone = before.0.keys().filter(|p| !now.contains_key(*p));
        changed
            .map(|(p, _)| p.clone())
            .chain(undone.cloned())
            .collect()
    }
}
