//! Requests the agent settled without the cockpit. Claude Code shows its own
//! dialog while the PermissionRequest hook waits; answered there, the call
//! runs (or not) and the hook is left waiting. Such a request must leave the
//! queue, or a later key "answers" a call that already ran.
//!
//! Only PermissionRequest requests are retired: a PreToolUse hook holds its
//! call until it answers, so a matching call seen elsewhere is another call.

use serde_json::Value;

use crate::agents::AgentKind;
use crate::agents::summary::detail;
use crate::clock::Millis;
use crate::policy::Verdict;
use crate::policy::protocol::ApprovalRequest;

use super::approvals::{Approvals, PendingApproval};
use super::belongs::{Followed, Named};
use super::hook_line::Hangup;

/// How the agent showed a request was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The call ran (PostToolUse, or a successful tool result).
    Ran,
    /// A tool result with an error: refused in the agent, or failed.
    Failed,
    /// The human typed a new prompt: the dialog is gone.
    NewPrompt,
}

impl Settled {
    pub fn words(self, agent: AgentKind) -> String {
        let agent = agent.label();
        match self {
            Settled::Ran => format!("answered in {agent}: ran"),
            Settled::Failed => format!("answered in {agent}: refused or failed"),
            Settled::NewPrompt => format!("withdrawn: a new prompt in {agent}"),
        }
    }
}

/// Where a signal came from: the agent, its session id, its transcript.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub agent: AgentKind,
    pub session_id: Option<&'a str>,
    pub transcript: Option<&'a str>,
    /// When the agent wrote it; a signal older than a request is not about it
    /// (transcripts lag, so an earlier identical call's result can come late).
    pub at: Option<Millis>,
}

impl Origin<'_> {
    /// Same agent and session: by session id when both have one (a
    /// subagent's transcript carries its session's id), else by transcript.
    fn covers(&self, pending: &PendingApproval) -> bool {
        let request = &pending.request;
        // A signal speaks for its conversation: a subagent's results settle
        // what its hooks asked under the main session's names.
        let from = Followed {
            transcript: self.transcript.map(std::path::Path::new),
            session_id: self.session_id,
            main: true,
        };
        let named = Named::new(
            request.session_id.as_deref(),
            request.transcript_path.as_deref(),
        );
        let same_session = named.naming(&from).is_some();
        request.agent == self.agent
            && request.hook_event == "PermissionRequest"
            && same_session
            && self.at.is_none_or(|at| at >= pending.received_at)
    }
}

/// What a call is, as the hook sent it or as the transcript wrote it.
pub enum Call<'a> {
    /// The hook's `tool_name` and `tool_input`, compared exactly.
    Hook { tool: &'a str, input: &'a Value },
    /// A transcript's tool_use: its name and its input as rendered there.
    Transcript { tool: &'a str, input: &'a str },
}

impl Call<'_> {
    fn is(&self, request: &ApprovalRequest) -> bool {
        match self {
            Call::Hook { tool, input } => request.tool == *tool && request.input == **input,
            Call::Transcript { tool, input } => {
                request.tool == *tool && detail(&request.input) == *input
            }
        }
    }
}

impl Approvals {
    /// The call went ahead or was refused in the agent: retires the oldest
    /// matching request (one signal settles one call, even when two identical
    /// calls wait). Returns what to tell the human.
    pub fn settle_call(
        &mut self,
        origin: &Origin,
        call: &Call,
        settled: Settled,
        now: Millis,
    ) -> Option<String> {
        let index = self
            .pending
            .iter()
            .position(|p| origin.covers(p) && call.is(&p.request))?;
        Some(self.retire(index, settled, now))
    }

    /// A new prompt in the session: every request of it still waiting is
    /// gone from the agent's screen.
    pub fn settle_session(&mut self, origin: &Origin, now: Millis) -> Option<String> {
        let mut words = None;
        while let Some(index) = self.pending.iter().position(|p| origin.covers(p)) {
            words = Some(self.retire(index, Settled::NewPrompt, now));
        }
        words
    }

    fn retire(&mut self, index: usize, settled: Settled, now: Millis) -> String {
        if index == 0 {
            self.typing_reason = None;
            self.show_details = false;
            self.detail_scroll = 0;
        }
        let pending = self.pending.remove(index).expect("index from position");
        let words = settled.words(pending.request.agent);
        let verdict = match settled {
            Settled::Ran => Verdict::Allow,
            Settled::Failed | Settled::NewPrompt => Verdict::Ask,
        };
        self.log
            .push(pending.record(verdict, "agent", Some(words.clone()), now));
        self.logged = true;
        // The app closes the hook's line: the hook then hands the call back
        // to the agent (or denies), never allows.
        self.retired.push(Hangup::new(pending.id, pending.line));
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(session: &str, event: &str, command: &str) -> ApprovalRequest {
        ApprovalRequest {
            version: 1,
            agent: AgentKind::Claude,
            hook_event: event.into(),
            session_id: Some(session.into()),
            transcript_path: Some(format!("/t/{session}.jsonl")),
            cwd: Some("/p".into()),
            tool: "Bash".into(),
            input: json!({ "command": command, "description": "d" }),
            rule: None,
            reason: None,
            why: String::new(),
        }
    }

    fn origin(session: &str) -> Origin<'_> {
        Origin {
            agent: AgentKind::Claude,
            session_id: Some(session),
            transcript: None,
            at: None,
        }
    }

    fn queue() -> Approvals {
        let mut approvals = Approvals::default();
        for (id, session, event, command) in [
            ("a", "s1", "PermissionRequest", "git push -f"),
            ("b", "s1", "PermissionRequest", "git push -f"),
            ("c", "s2", "PermissionRequest", "git push -f"),
            ("d", "s1", "PermissionRequest", "git push"),
            ("e", "s1", "PreToolUse", "rm -rf x"),
        ] {
            let line = crate::state::hook_line::HookLine::detached();
            approvals.arrive(id.into(), request(session, event, command), line, 10);
        }
        approvals
    }

    fn ids(approvals: &Approvals) -> Vec<&str> {
        approvals.pending.iter().map(|p| p.id.as_str()).collect()
    }

    fn retired(approvals: &Approvals) -> Vec<&str> {
        approvals.retired.iter().map(|h| h.id.as_str()).collect()
    }

    #[test]
    fn one_post_tool_use_retires_one_identical_call_of_its_own_session() {
        let mut approvals = queue();
        let input = json!({"command": "git push -f", "description": "d"});
        let call = Call::Hook {
            tool: "Bash",
            input: &input,
        };
        let words = approvals.settle_call(&origin("s1"), &call, Settled::Ran, 20);
        assert_eq!(words.as_deref(), Some("answered in Claude Code: ran"));
        assert_eq!(ids(&approvals), ["b", "c", "d", "e"]);
        assert_eq!(retired(&approvals), ["a"]);
        assert!(approvals.outbox.is_empty(), "no decision is sent");
        assert_eq!(approvals.log[0].by, "agent");
        // Another input, another session, another agent: nothing.
        let other = json!({"command": "git push -f origin", "description": "d"});
        let other = Call::Hook {
            tool: "Bash",
            input: &other,
        };
        assert!(
            approvals
                .settle_call(&origin("s1"), &other, Settled::Ran, 20)
                .is_none()
        );
        approvals.settle_call(&origin("s3"), &call, Settled::Ran, 20);
        let codex = Origin {
            agent: AgentKind::Codex,
            ..origin("s1")
        };
        approvals.settle_call(&codex, &call, Settled::Ran, 20);
        assert_eq!(ids(&approvals), ["b", "c", "d", "e"]);
    }

    #[test]
    fn a_transcript_result_older_than_the_request_retires_nothing() {
        let mut approvals = queue();
        let input = detail(&json!({"command": "git push", "description": "d"}));
        let call = Call::Transcript {
            tool: "Bash",
            input: &input,
        };
        let stale = Origin {
            at: Some(5),
            ..origin("s1")
        };
        assert!(
            approvals
                .settle_call(&stale, &call, Settled::Failed, 30)
                .is_none()
        );
        let fresh = Origin {
            at: Some(25),
            ..origin("s1")
        };
        let words = approvals.settle_call(&fresh, &call, Settled::Failed, 30);
        assert_eq!(
            words.as_deref(),
            Some("answered in Claude Code: refused or failed")
        );
        assert_eq!(ids(&approvals), ["a", "b", "c", "e"]);
    }

    #[test]
    fn a_new_prompt_retires_its_sessions_permission_requests_only() {
        let mut approvals = queue();
        approvals.typing_reason = Some("half".into());
        approvals.settle_session(&origin("s1"), 30);
        assert_eq!(ids(&approvals), ["c", "e"], "s2 and the PreToolUse stay");
        assert_eq!(retired(&approvals), ["a", "b", "d"]);
        assert!(approvals.typing_reason.is_none());
    }
}
