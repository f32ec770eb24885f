//! The one answer to "does this hook payload belong to this session": the
//! transcript it names is the session's, else the session id it names is a
//! main session's. Only the main session by id, because Claude Code's
//! subagents carry their parent's session id (their hooks name the parent's
//! transcript too), so an id alone would hand the parent's payloads to every
//! subagent. The transcript first, because Codex may leave it out of a hook
//! (`null`) and then the id is all there is. Two ids that differ are two
//! sessions whatever the paths say: an agent never reuses a session id,
//! while a path can be reused (a transcript moved, a test harness).

use std::path::Path;

use serde_json::Value;

use super::session::Session;

/// What a payload (a hook's stdin, an approval request, a signal) says
/// about the agent session it comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Named<'a> {
    pub session_id: Option<&'a str>,
    pub transcript: Option<&'a str>,
}

/// A followed transcript as the rule sees it.
#[derive(Debug, Clone, Copy)]
pub struct Followed<'a> {
    pub transcript: Option<&'a Path>,
    pub session_id: Option<&'a str>,
    pub main: bool,
}

/// How a payload names a session; the first is the stronger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    Transcript,
    MainSessionId,
}

impl<'a> Named<'a> {
    pub fn new(session_id: Option<&'a str>, transcript: Option<&'a str>) -> Self {
        Self {
            session_id,
            transcript,
        }
    }

    /// The common fields every hook sends (`session_id`, `transcript_path`).
    pub fn of_payload(payload: &'a Value) -> Self {
        let text = |key: &str| payload.get(key).and_then(Value::as_str);
        Self::new(text("session_id"), text("transcript_path"))
    }

    /// How this names `followed`, if it does.
    pub fn naming(&self, followed: &Followed<'_>) -> Option<Naming> {
        if let (Some(named), Some(id)) = (self.session_id, followed.session_id)
            && named != id
        {
            return None;
        }
        let same_file = match (self.transcript, followed.transcript) {
            (Some(named), Some(path)) => Path::new(named) == path,
            _ => false,
        };
        let same_id = match (self.session_id, followed.session_id) {
            (Some(named), Some(id)) => followed.main && named == id,
            _ => false,
        };
        if same_file {
            Some(Naming::Transcript)
        } else if same_id {
            Some(Naming::MainSessionId)
        } else {
            None
        }
    }

    /// Whether the payload belongs to `session`.
    pub fn names(&self, session: &Session) -> bool {
        self.naming(&Followed::of(session)).is_some()
    }

    /// Whether the payload belongs to `session`'s conversation: the session
    /// itself, or, for a subagent, the main session it is part of (whose
    /// hooks asked for the subagent's calls).
    pub fn names_conversation_of(&self, session: &Session) -> bool {
        self.naming(&Followed::conversation_of(session)).is_some()
    }

    /// The session the payload belongs to: the one whose transcript it
    /// names, else the main session whose id it names.
    pub fn owner(&self, sessions: &[Session]) -> Option<usize> {
        let named = |how: Naming| {
            sessions
                .iter()
                .position(|s| self.naming(&Followed::of(s)) == Some(how))
        };
        named(Naming::Transcript).or_else(|| named(Naming::MainSessionId))
    }
}

impl<'a> Followed<'a> {
    pub fn of(session: &'a Session) -> Self {
        Self {
            transcript: Some(&session.source.path),
            session_id: session.meta.session_id.as_deref(),
            main: session.is_main(),
        }
    }

    /// A subagent stands for its main session: it shares the session id,
    /// never the transcript a hook names.
    pub fn conversation_of(session: &'a Session) -> Self {
        if session.is_main() {
            return Self::of(session);
        }
        Self {
            transcript: None,
            session_id: session.meta.session_id.as_deref(),
            main: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLAUDE: &str = "/h/.claude/projects/-app/5b1c.jsonl";
    const CLAUDE_SUB: &str = "/h/.claude/projects/-app/5b1c/subagents/agent-a1.jsonl";
    const CODEX: &str = "/h/.codex/sessions/2026/12/01/rollout-x-019f.jsonl";

    fn followed(path: &'static str, id: Option<&'static str>, main: bool) -> Followed<'static> {
        Followed {
            transcript: Some(Path::new(path)),
            session_id: id,
            main,
        }
    }

    /// (what the payload names, the session, the answer), for both agents,
    /// a subagent and missing fields (FORMATS.md 1.6, 3.2, 6.1, 6.2).
    #[test]
    fn the_rule_case_by_case() {
        let claude = followed(CLAUDE, Some("5b1c"), true);
        let claude_sub = followed(CLAUDE_SUB, Some("5b1c"), false);
        let codex = followed(CODEX, Some("019f"), true);
        let unread = Followed {
            transcript: Some(Path::new(CLAUDE)),
            session_id: None,
            main: true,
        };
        let cases: [(&str, Named, Followed, Option<Naming>); 14] = [
            (
                "claude hook, its own session",
                Named::new(Some("5b1c"), Some(CLAUDE)),
                claude,
                Some(Naming::Transcript),
            ),
            (
                "claude hook inside a subagent names the parent: not the subagent",
                Named::new(Some("5b1c"), Some(CLAUDE)),
                claude_sub,
                None,
            ),
            (
                "the subagent's own transcript (SubagentStop's agent_transcript_path)",
                Named::new(None, Some(CLAUDE_SUB)),
                claude_sub,
                Some(Naming::Transcript),
            ),
            (
                "an id alone never names a subagent",
                Named::new(Some("5b1c"), None),
                claude_sub,
                None,
            ),
            (
                "claude hook without a transcript: the main session by id",
                Named::new(Some("5b1c"), None),
                claude,
                Some(Naming::MainSessionId),
            ),
            (
                "the same path spelled with a doubled slash",
                Named::new(None, Some("/h/.claude/projects/-app//5b1c.jsonl")),
                claude,
                Some(Naming::Transcript),
            ),
            (
                "another session's hook",
                Named::new(Some("9999"), Some("/h/.claude/projects/-app/9999.jsonl")),
                claude,
                None,
            ),
            (
                "codex hook with its rollout path",
                Named::new(Some("019f"), Some(CODEX)),
                codex,
                Some(Naming::Transcript),
            ),
            (
                "codex hook with transcript_path null: by id",
                Named::new(Some("019f"), None),
                codex,
                Some(Naming::MainSessionId),
            ),
            (
                "a codex hook is not a claude session's",
                Named::new(Some("019f"), None),
                claude,
                None,
            ),
            (
                "a session whose first line is not read yet: by transcript only",
                Named::new(Some("5b1c"), None),
                unread,
                None,
            ),
            (
                "the same transcript under another session id: another session",
                Named::new(Some("9f9f"), Some(CLAUDE)),
                claude,
                None,
            ),
            (
                "a payload naming nothing names nothing",
                Named::default(),
                claude,
                None,
            ),
            (
                "a path elsewhere, the main session's id: still the main session",
                Named::new(Some("5b1c"), Some("/elsewhere/5b1c.jsonl")),
                claude,
                Some(Naming::MainSessionId),
            ),
        ];
        for (case, named, session, expected) in cases {
            assert_eq!(named.naming(&session), expected, "{case}");
        }
    }

    #[test]
    fn a_subagent_speaks_for_its_main_session() {
        use crate::agents::AgentKind;
        use crate::agents::source::{Role, Source, SourceId};
        let mut sub = Session::new(
            Source {
                id: SourceId(1),
                path: CLAUDE_SUB.into(),
                kind: AgentKind::Claude,
                role: Role::Subagent {
                    agent_id: "a1".into(),
                },
                modified_ms: 0,
            },
            8,
        );
        sub.meta.session_id = Some("5b1c".into());
        let parent = Named::new(Some("5b1c"), Some(CLAUDE));
        assert!(!parent.names(&sub));
        assert!(parent.names_conversation_of(&sub));
        assert!(!Named::new(Some("9999"), Some(CLAUDE_SUB)).names_conversation_of(&sub));
        assert_eq!(parent.owner(std::slice::from_ref(&sub)), None);
    }

    #[test]
    fn the_owner_is_the_named_transcript_before_a_main_session_by_id() {
        use crate::agents::AgentKind;
        use crate::agents::source::{Role, Source, SourceId};
        let session = |id: u32, path: &str, session_id: &str| {
            let mut s = Session::new(
                Source {
                    id: SourceId(id),
                    path: path.into(),
                    kind: AgentKind::Claude,
                    role: Role::Main,
                    modified_ms: 0,
                },
                8,
            );
            s.meta.session_id = Some(session_id.into());
            s
        };
        // A resumed Claude session: the old file carries the same id.
        let sessions = [
            session(0, "/t/old.jsonl", "s"),
            session(1, "/t/new.jsonl", "s"),
        ];
        assert_eq!(
            Named::new(Some("s"), Some("/t/new.jsonl")).owner(&sessions),
            Some(1)
        );
        assert_eq!(Named::new(Some("s"), None).owner(&sessions), Some(0));
        assert_eq!(Named::new(Some("x"), None).owner(&sessions), None);
    }
}
