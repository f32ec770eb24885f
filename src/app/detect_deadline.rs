//! The detectors' one-shot deadline as a wake-up of the loop: deadlocks hold
//! while nothing happens (none when nothing is due). What the approval queue
//! and the agents' waits tell the detectors is fed by the state
//! (`state/detect.rs`); the tests here follow it through the loop.

use tokio::time::Instant;

use super::App;

impl App {
    /// The detectors' next deadline as a wake-up of the loop.
    pub(super) fn detect_deadline(&self, now: crate::agents::Millis) -> Option<Instant> {
        let due = self.state.detect.next_deadline()?;
        let wait = u64::try_from((due - now).max(1)).unwrap_or(u64::MAX);
        Some(Instant::now() + std::time::Duration::from_millis(wait.min(86_400_000)))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tokio::sync::oneshot;

    use super::*;
    use crate::agents::source::{Batch, Role, Source, SourceId};
    use crate::agents::{AgentKind, Meta, Record, ToolStart};
    use crate::config::Config;
    use crate::detect::Pattern;
    use crate::event::Event;
    use crate::policy::Verdict;
    use crate::policy::protocol::ApprovalRequest;
    use crate::state::Cockpit;

    fn request(command: &str) -> ApprovalRequest {
        ApprovalRequest {
            version: 1,
            agent: AgentKind::Claude,
            hook_event: "PermissionRequest".into(),
            session_id: Some("s1".into()),
            transcript_path: Some("/t/s1.jsonl".into()),
            cwd: Some("/p".into()),
            tool: "Bash".into(),
            input: json!({ "command": command }),
            rule: None,
            reason: None,
            why: String::new(),
        }
    }

    fn ask(
        app: &mut App,
        id: &str,
        command: &str,
    ) -> oneshot::Receiver<crate::policy::protocol::Reply> {
        let (reply, answer) = oneshot::channel();
        app.handle(Event::ApprovalRequested {
            id: id.into(),
            request: Box::new(request(command)),
            reply,
        });
        answer
    }

    #[test]
    fn requests_and_answers_reach_the_detectors_through_the_loop() {
        let mut app = App::new(Config::default(), Cockpit::new("p".into(), None, 0));
        for i in 0..3 {
            let mut answer = ask(&mut app, &format!("r{i}"), "cargo test");
            let now = app.state.now;
            app.state.approvals.answer(Verdict::Allow, None, false, now);
            app.handle(Event::Notice("next".into()));
            assert!(answer.try_recv().is_ok(), "the hook heard the answer");
        }
        let alerts: Vec<_> = app.state.alerts.iter().map(|a| a.pattern).collect();
        assert_eq!(alerts, [Pattern::ProcessGridlock]);
        assert!(app.state.alerts[0].proposal.is_some());
        // A withdrawn request is an end with no answer: no fourth allow.
        let _hook = ask(&mut app, "r3", "cargo test");
        app.handle(Event::ApprovalWithdrawn("r3".into()));
        assert_eq!(app.state.detect.count(Pattern::ProcessGridlock), 1);
    }

    #[test]
    fn a_subagent_waiting_for_approval_under_its_waiting_parent_sets_a_deadline() {
        let mut app = App::new(Config::default(), Cockpit::new("p".into(), None, 0));
        let source = |id, path: &str, role| Source {
            id: SourceId(id),
            path: path.into(),
            kind: AgentKind::Claude,
            role,
            modified_ms: 0,
        };
        app.handle(Event::SourceAdded(source(0, "/t/s1.jsonl", Role::Main)));
        let sub = Role::Subagent {
            agent_id: "a1".into(),
        };
        app.handle(Event::SourceAdded(source(
            1,
            "/t/s1/subagents/agent-a1.jsonl",
            sub,
        )));
        let now = crate::clock::now_millis();
        let records = |name: &str, command: &str| {
            let meta = Meta {
                session_id: Some("s1".into()),
                at: Some(now - 5_000),
                ..Meta::default()
            };
            let start = ToolStart {
                id: name.into(),
                name: name.into(),
                summary: command.into(),
                input: crate::agents::summary::detail(&json!({ "command": command })),
                command: Some(command.into()),
                paths: Vec::new(),
                at: Some(now - 4_000),
            };
            Batch {
                records: vec![Record::Meta(meta), Record::ToolStart(start)],
                ..Batch::default()
            }
        };
        app.handle(Event::Transcript(SourceId(0), records("Task", "explore")));
        assert_eq!(
            app.state.detect.next_deadline(),
            None,
            "nobody waits for a human yet"
        );
        app.handle(Event::Transcript(SourceId(1), records("Bash", "git push")));
        let _hook = ask(&mut app, "r1", "git push");
        let asked = app.state.approvals.pending[0].received_at;
        assert_eq!(app.state.detect.next_deadline(), Some(asked + 300_000));
        app.handle(Event::ApprovalWithdrawn("r1".into()));
        assert_eq!(app.state.detect.next_deadline(), None);
    }
}
