//! The app's saves: the session record as it stands, and resuming a stored one.

use crate::clock::now_millis;

use super::App;

impl App {
    /// Continues a stored session: its id, lists and gauge history, and the
    /// transcripts it followed.
    pub fn resume(&mut self, id: &str) {
        let Some(persist) = self.persist.as_mut() else {
            return;
        };
        let loaded = crate::store::Store::open(&persist.repo_dir).and_then(|store| store.load(id));
        match loaded {
            Ok(record) => {
                let command = crate::store::resume_command(&record);
                if let Some(sources) = &self.sources {
                    for transcript in &record.transcripts {
                        sources.follow(transcript.path.clone().into());
                    }
                }
                let short: String = record.id.chars().take(8).collect();
                for rule in &record.remembered_approvals {
                    if !rule.restorable() {
                        // Older saves hold rules wider than what the human saw.
                        tracing::warn!(rule = %rule.describe(), "remembered approval too wide to restore; dropped");
                        continue;
                    }
                    if !self.state.approvals.remembered.contains(rule) {
                        self.state.approvals.remembered.push(rule.clone());
                    }
                }
                if let Some(refresher) = self.git_refresher.as_mut() {
                    refresher.set_since(record.started_at);
                    refresher.refresh();
                }
                persist.tracker = crate::store::Tracker::resume(record);
                self.state.banner = Some(match command {
                    Some(command) => {
                        format!("resumed session {short} · resume the agent with: {command}")
                    }
                    None => format!("resumed session {short}"),
                });
            }
            Err(err) => self.state.notice(format!("could not resume {id}: {err}")),
        }
        self.state.dirty = true;
    }

    /// The record as it stands, for a save.
    pub(super) fn snapshot(&self, finished: bool) -> Option<crate::store::SessionRecord> {
        let persist = self.persist.as_ref()?;
        let mut record = persist.record(&self.state, &self.config.gauge, now_millis(), finished);
        if !self.config.store.record_prompts {
            for agent in &mut record.agents {
                agent.last_prompt = None;
            }
        }
        record.alerts.extend(
            self.detectors
                .alerts()
                .iter()
                .map(|a| crate::store::schema::Alert {
                    name: a.pattern.name().to_string(),
                    factor: Some(a.factor.to_string()),
                    at: a.at.unwrap_or(0),
                    message: a.message.clone(),
                    acknowledged: a.acknowledged,
                }),
        );
        record
            .validations
            .extend(self.state.validation_runs.iter().map(|(_, run)| {
                crate::store::schema::Validation {
                    command: run.command.clone(),
                    ok: run.outcome == crate::loops::validation::Outcome::Passed,
                    at: run.ended.or(run.started).unwrap_or(0),
                    summary: run.counts.map(|c| {
                        format!(
                            "{} passed, {} failed, {} skipped",
                            c.passed, c.failed, c.skipped
                        )
                    }),
                }
            }));
        // A resumed session's runs are already in the record: keep each once.
        let mut seen = std::collections::HashSet::new();
        record
            .validations
            .retain(|v| seen.insert((v.command.clone(), v.at)));
        if let Some(history) = &self.state.git_history {
            for commit in history.commits.iter().rev() {
                if !record.commits.iter().any(|c| c.id == commit.id) {
                    record
                        .commits
                        .push(crate::store::schema::CommitMade::from(commit));
                }
            }
        }
        for file in &self.state.worktree.files {
            let path = file.path.to_string_lossy().into_owned();
            if !record.files_changed.contains(&path) {
                record.files_changed.push(path);
            }
        }
        Some(record)
    }
}
