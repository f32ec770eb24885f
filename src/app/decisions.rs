//! Decisions on their way to the hooks: sent once the record holding them is
//! saved, retired requests closed without one; the timer's turn; and the
//! bell for a new request.

use crate::clock::now_millis;
use crate::config::Notify;
use crate::state::Effect;

use super::App;

impl App {
    /// Time passed: a held key may be due.
    pub(super) fn tick(&mut self) {
        let now = now_millis();
        let details_visible = self.frame.details_visible;
        // Another cockpit held the approval socket: take it over once it is gone.
        let socket = self.socket.as_mut().and_then(|s| s.retry(now));
        let effects = crate::state::update::tick(&mut self.state, now, details_visible, socket);
        self.carry_out_all(effects);
    }

    /// Each reply goes to the hook waiting for it once the session record
    /// holding it is saved (a cockpit killed a moment later has kept every
    /// decision the agent heard); a request settled in the agent has its
    /// connection closed with no decision (the hook hands back, never allows).
    pub(super) fn answer_hooks(&mut self, answers: Vec<Effect>) {
        let mut save = false;
        let mut sends: Vec<Box<dyn FnOnce() + Send>> = Vec::new();
        for answer in answers {
            match answer {
                Effect::SaveDecisions => save = true,
                Effect::Withdraw(hangup) => hangup.close(),
                Effect::Reply(answer) => sends.push(Box::new(move || answer.send())),
                other => debug_assert!(false, "not an answer: {other:?}"),
            }
        }
        if save
            && let Some(record) = self.snapshot(false)
            && let Some(persist) = self.persist.as_ref()
        {
            persist.save_then(record, sends);
        } else {
            sends.into_iter().for_each(|send| send());
        }
    }

    /// Bell and desktop notification for a request that needs the human.
    pub(super) fn announce(&mut self, summary: &str) {
        let approvals = &self.config.approvals;
        if approvals.bell {
            self.alerts.push("\x07".into());
        }
        // Only printable text inside the escape sequence.
        let text: String = crate::text::escape_control(summary)
            .chars()
            .filter(|c| *c != ';')
            .take(120)
            .collect();
        match approvals.notify {
            Notify::Osc9 => self
                .alerts
                .push(format!("\x1b]9;cockpit: approval needed: {text}\x1b\\")),
            Notify::Osc777 => self.alerts.push(format!(
                "\x1b]777;notify;cockpit: approval needed;{text}\x1b\\"
            )),
            Notify::None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    //! Every way a request ends, through the app: its hook hears exactly its
    //! own outcome, and no line is left open (a receiver still `Empty` would
    //! be a hook nobody can answer any more, or one a later key could).
    use serde_json::json;
    use tokio::sync::oneshot::{self, error::TryRecvError};

    use super::*;
    use crate::agents::AgentKind;
    use crate::config::Config;
    use crate::event::Event;
    use crate::policy::Verdict;
    use crate::policy::protocol::{ApprovalRequest, Reply};
    use crate::state::Cockpit;

    fn app() -> App {
        App::new(Config::default(), Cockpit::new("p".into(), None, 0))
    }

    fn ask(app: &mut App, id: &str, command: &str) -> oneshot::Receiver<Reply> {
        let (reply, hook) = oneshot::channel();
        let request = ApprovalRequest {
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
        };
        app.handle(Event::ApprovalRequested {
            id: id.into(),
            request: Box::new(request),
            reply,
        });
        hook
    }

    fn answer(app: &mut App, verdict: Verdict, reason: Option<&str>, remember: bool) {
        let now = app.state.now;
        let reason = reason.map(str::to_string);
        app.state.approvals.answer(verdict, reason, remember, now);
        app.handle(Event::Notice("next turn".into()));
    }

    fn heard(hook: &mut oneshot::Receiver<Reply>) -> (Verdict, String, Option<String>) {
        let reply = hook.try_recv().expect("the hook heard a decision");
        (reply.verdict, reply.by, reply.reason)
    }

    fn nothing_left(app: &App) {
        assert!(app.state.approvals.pending.is_empty());
        assert!(app.state.approvals.outbox.is_empty());
        assert!(app.state.approvals.retired.is_empty());
    }

    #[test]
    fn y_n_and_a_each_reach_their_own_hook_once() {
        let mut app = app();
        let mut pushed = ask(&mut app, "r1", "git push");
        let mut removed = ask(&mut app, "r2", "rm -rf x");
        let mut tagged = ask(&mut app, "r3", "git push --tags");
        let mut again = ask(&mut app, "r4", "git push --tags");
        answer(&mut app, Verdict::Allow, None, false);
        assert_eq!(heard(&mut pushed), (Verdict::Allow, "human".into(), None));
        assert_eq!(removed.try_recv(), Err(TryRecvError::Empty), "still waits");
        answer(&mut app, Verdict::Deny, Some("not here"), false);
        let denied = (Verdict::Deny, "human".into(), Some("not here".into()));
        assert_eq!(heard(&mut removed), denied);
        answer(&mut app, Verdict::Allow, None, true);
        assert_eq!(heard(&mut tagged), (Verdict::Allow, "human".into(), None));
        let by_rule = (Verdict::Allow, "remembered".into(), None);
        assert_eq!(heard(&mut again), by_rule);
        for hook in [&mut pushed, &mut removed, &mut tagged, &mut again] {
            assert_eq!(hook.try_recv(), Err(TryRecvError::Closed), "answered once");
        }
        nothing_left(&app);
    }

    #[test]
    fn a_withdrawn_request_takes_its_line_and_the_next_answer_goes_to_the_next_hook() {
        let mut app = app();
        let mut gone = ask(&mut app, "r1", "git push");
        let mut next = ask(&mut app, "r2", "git push -f");
        app.handle(Event::ApprovalWithdrawn("r1".into()));
        assert_eq!(gone.try_recv(), Err(TryRecvError::Closed));
        answer(&mut app, Verdict::Allow, None, false);
        assert_eq!(heard(&mut next), (Verdict::Allow, "human".into(), None));
        nothing_left(&app);
    }

    #[test]
    fn a_request_settled_in_the_agent_closes_its_hook_with_no_decision() {
        let mut app = app();
        let mut ran = ask(&mut app, "r1", "git push");
        let mut other = ask(&mut app, "r2", "git push -f");
        let payload = json!({
            "hook_event_name": "PostToolUse",
            "session_id": "s1",
            "transcript_path": "/t/s1.jsonl",
            "tool_name": "Bash",
            "tool_input": { "command": "git push" },
        });
        app.handle(Event::AgentEvent {
            agent: AgentKind::Claude,
            payload,
        });
        assert_eq!(ran.try_recv(), Err(TryRecvError::Closed), "never allowed");
        assert_eq!(other.try_recv(), Err(TryRecvError::Empty), "still waits");
        let ids: Vec<_> = app.state.approvals.pending.iter().map(|p| &p.id).collect();
        assert_eq!(ids, ["r2"]);
    }

    #[test]
    fn a_cockpit_that_quits_closes_every_waiting_hook_with_no_decision() {
        let mut app = app();
        let mut first = ask(&mut app, "r1", "git push");
        let mut second = ask(&mut app, "r2", "rm -rf x");
        app.handle(Event::Signal("SIGTERM"));
        assert!(app.quit_requested);
        assert_eq!(
            first.try_recv(),
            Err(TryRecvError::Empty),
            "no decision made"
        );
        drop(app);
        for hook in [&mut first, &mut second] {
            assert_eq!(hook.try_recv(), Err(TryRecvError::Closed), "never allowed");
        }
    }
}
