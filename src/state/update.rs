//! The state's one update: an event (or the clock) in, the effects out. Every
//! change an event makes to the state happens here, the detectors fed in the
//! same call; the loop only carries out what comes back (terminal, sources,
//! socket, store writer, git refresher).

use crossterm::event::{Event as TermEvent, KeyEventKind};

use crate::action::{self, Action};
use crate::clock::Millis;
use crate::config::Keys;
use crate::event::Event;

use super::hook_line::HookLine;
use super::{Cockpit, Effect, agent_events};

/// What one turn of the loop brings besides its event: the time, the key
/// map, what the last frame showed, and the socket's retry, if one was made.
pub struct Turn<'a> {
    pub now: Millis,
    pub keys: &'a Keys,
    /// The last frame showed the details pane (wide screen or opened).
    pub details_visible: bool,
    /// `Some(Ok)`: the approval socket is ours now; `Some(Err(why))`: still not.
    pub socket: Option<Result<(), String>>,
}

/// Applies `event` to the state; returns what the loop must carry out.
pub fn update(state: &mut Cockpit, event: Event, turn: Turn) -> Vec<Effect> {
    state.now = turn.now;
    // A key held back to see whether a burst followed is due first: it was
    // pressed before this event.
    state.release_held(turn.details_visible);
    if let Some(result) = turn.socket {
        state.approvals_off = result.err();
        state.view.dirty = true;
    }
    let mut effects: Vec<Effect> = Vec::new();
    match event {
        // A paste never answers a request; it may be reason text.
        Event::Terminal(TermEvent::Paste(text)) => state.paste(&text),
        Event::Terminal(term_event) => {
            let action = action::resolve(&term_event, state.mode(), turn.keys);
            if action == Some(Action::Redraw) {
                effects.push(Effect::RedrawWhole);
                state.view.dirty = true;
            }
            let effect = match &term_event {
                _ if action == Some(Action::Suspend) => Some(Effect::Suspend),
                TermEvent::Key(key) if key.kind != KeyEventKind::Release => {
                    state.press(action, turn.details_visible)
                }
                _ => action.and_then(|action| state.apply(action, turn.details_visible)),
            };
            effects.extend(effect);
        }
        Event::ApprovalRequested { id, request, reply } => {
            let summary = format!(
                "{} {}",
                request.tool,
                crate::agents::summary::summarize(
                    &request.tool,
                    &request.input,
                    request.cwd.as_deref()
                )
            );
            tracing::debug!(%id, "approval requested");
            let asked = (id.clone(), request.clone());
            let line = HookLine::new(reply);
            if state.approvals.arrive(id, *request, line, state.now) {
                effects.push(Effect::Announce(summary));
                state.detect_asked(&asked.0, &asked.1);
            }
            state.view.dirty = true;
        }
        Event::ApprovalWithdrawn(id) => {
            tracing::debug!(%id, "approval withdrawn");
            state.approvals.withdraw(&id);
            state.detect_withdrawn(&id);
            state.view.dirty = true;
        }
        Event::AgentEvent { agent, payload } => {
            let ended_before: Vec<bool> =
                state.project().sessions.iter().map(|s| s.ended).collect();
            agent_events::apply(state, agent, &payload, Some(&mut effects));
            state.detect_sessions_ended(&ended_before);
            state.view.dirty = true;
        }
        Event::SourceAdded(source) => state.add_source(source),
        Event::Transcript(id, mut batch) => {
            // Given back once applied: only then may its reader read on.
            let permit = batch.permit.take();
            let signals = agent_events::signals(&batch.records);
            state.apply_batch(id, batch);
            agent_events::settle_from_transcript(state, id, &signals);
            drop(permit);
            effects.push(Effect::RecordGauges);
        }
        Event::Worktree(batch) => {
            if let Some(warning) = &batch.warning {
                state.notice(warning.clone());
            }
            let root = state.project().worktree.root.clone().unwrap_or_default();
            state.detect_changes(&root, &batch.changes);
            // A batch with no file rows is HEAD or a ref moving; so is a new
            // checkpoint time.
            let head_moved = batch.changes.is_empty()
                || batch.checkpoint.head_at != state.project().worktree.checkpoint.head_at;
            state.project_mut().worktree.apply(&batch);
            if head_moved {
                effects.push(Effect::RefreshGitHistory);
            }
            state.view.dirty = true;
        }
        Event::GitHistory(history) => {
            state.project_mut().git_history = history;
            state.view.dirty = true;
        }
        Event::Notice(text) => state.notice(text),
        Event::DetectorsReady => {
            state.detect_poll(state.now);
        }
        Event::Waiting(text) => {
            state.notice_until(text, super::notice::NoticeGoes::WhenASessionAppears)
        }
        Event::SaveFailed(why) => {
            state.save_failure = why;
            state.view.dirty = true;
        }
        Event::Banner(text) => {
            state.banner = Some(text);
            state.view.dirty = true;
        }
        Event::Signal("SIGTSTP") => effects.push(Effect::Suspend),
        Event::Signal(name) => {
            tracing::info!(signal = name, "leaving on signal");
            effects.push(Effect::LeaveOnSignal(name));
        }
    }
    let effects = settle(state, effects);
    state.detect_waits();
    state.expire_notice();
    effects
}

/// Time passed, with no event: a held key may be due, and the detectors'
/// deadlines and their work off this thread.
pub fn tick(
    state: &mut Cockpit,
    now: Millis,
    details_visible: bool,
    socket: Option<Result<(), String>>,
) -> Vec<Effect> {
    state.now = now;
    state.release_held(details_visible);
    if let Some(result) = socket {
        state.approvals_off = result.err();
        state.view.dirty = true;
    }
    let effects = settle(state, Vec::new());
    state.detect_waits();
    // Detectors that work off this thread (Bridge Torching) raise here what
    // they found, and what came due while nothing else happened.
    state.detect_poll(state.now);
    state.expire_notice();
    effects
}

/// The requests that ended this turn reach the detectors before their
/// decisions leave the state; the alerts are acknowledged here, after what
/// this turn raised, as the effect asked.
fn settle(state: &mut Cockpit, mut effects: Vec<Effect>) -> Vec<Effect> {
    state.detect_ended();
    effects.extend(state.approvals.take_effects());
    effects.retain(|effect| {
        let acknowledge = *effect == Effect::AcknowledgeAlerts;
        if acknowledge {
            state.acknowledge_alerts();
        }
        !acknowledge
    });
    effects
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tokio::sync::oneshot;

    use super::*;
    use crate::agents::AgentKind;
    use crate::policy::Verdict;
    use crate::policy::protocol::ApprovalRequest;

    fn turn(keys: &Keys, now: Millis) -> Turn<'_> {
        Turn {
            now,
            keys,
            details_visible: false,
            socket: None,
        }
    }

    fn asked(id: &str) -> (Event, oneshot::Receiver<crate::policy::protocol::Reply>) {
        let (reply, hook) = oneshot::channel();
        let request = ApprovalRequest {
            version: 1,
            agent: AgentKind::Claude,
            hook_event: "PreToolUse".into(),
            session_id: Some("s1".into()),
            transcript_path: None,
            cwd: Some("/p".into()),
            tool: "Bash".into(),
            input: json!({ "command": "git push" }),
            rule: None,
            reason: None,
            why: String::new(),
        };
        let event = Event::ApprovalRequested {
            id: id.into(),
            request: Box::new(request),
            reply,
        };
        (event, hook)
    }

    #[test]
    fn the_update_changes_the_state_and_hands_back_only_io() {
        let keys = Keys::default();
        let mut state = Cockpit::new("p".into(), None, 0);
        let (event, mut hook) = asked("r1");
        let effects = update(&mut state, event, turn(&keys, 1_000));
        assert_eq!(effects, [Effect::Announce("Bash git push".into())]);
        assert_eq!(state.now, 1_000);
        assert_eq!(state.approvals.pending.len(), 1);
        // A decision: the save comes before the reply, and the hook hears
        // nothing until the loop sends it.
        state.approvals.answer(Verdict::Deny, None, false, 1_500);
        let effects = update(&mut state, Event::Notice("n".into()), turn(&keys, 2_000));
        assert!(
            matches!(effects.as_slice(), [Effect::SaveDecisions, Effect::Reply(a)]
                if a.reply.id == "r1" && a.reply.verdict == Verdict::Deny),
            "{effects:?}"
        );
        assert!(hook.try_recv().is_err(), "sent by the loop, not the update");
        for effect in effects {
            if let Effect::Reply(answer) = effect {
                answer.send();
            }
        }
        assert_eq!(hook.try_recv().map(|r| r.verdict), Ok(Verdict::Deny));
        let signal = update(&mut state, Event::Signal("SIGTERM"), turn(&keys, 3_000));
        assert_eq!(signal, [Effect::LeaveOnSignal("SIGTERM")]);
        let stop = update(&mut state, Event::Signal("SIGTSTP"), turn(&keys, 3_000));
        assert_eq!(stop, [Effect::Suspend]);
        let off = Turn {
            socket: Some(Err("taken".into())),
            ..turn(&keys, 4_000)
        };
        update(&mut state, Event::Notice("n".into()), off);
        assert_eq!(state.approvals_off.as_deref(), Some("taken"));
    }

    #[test]
    fn the_acknowledge_key_is_carried_out_by_the_update_itself() {
        let keys = Keys::default();
        let mut state = Cockpit::new("p".into(), None, 0);
        let open = crate::detect::Alert::new(
            crate::detect::Pattern::ProcessGridlock,
            Some("s1"),
            Some(1),
            "asked again",
            "add a rule",
        );
        state.alerts.push(open);
        let x = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('x'));
        let effects = update(
            &mut state,
            Event::Terminal(TermEvent::Key(x)),
            turn(&keys, 1),
        );
        assert!(effects.is_empty(), "nothing left for the loop: {effects:?}");
        assert!(state.alerts.is_empty());
        assert!(state.alert_log.iter().all(|a| a.acknowledged));
        assert_eq!(state.alert_log.len(), 1);
    }
}
