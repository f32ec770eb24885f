//! Tests Passing Lie: the agent says the tests pass or the work is done while
//! the latest validation run failed, or while nothing validated the last edit.

use std::collections::HashMap;

use regex::{Regex, RegexBuilder};

use super::alert::{Alert, Detector, Pattern};
use super::event::Event;
use crate::loops::validation::Outcome;

#[derive(Default)]
struct Track {
    last: Option<(Outcome, String)>,
    edited_since_run: bool,
}

pub struct TestsPassingLie {
    claims: Vec<Regex>,
    sessions: HashMap<String, Track>,
}

impl TestsPassingLie {
    pub fn new(claims: &[String]) -> Self {
        let claims = claims
            .iter()
            .filter_map(|c| RegexBuilder::new(c).case_insensitive(true).build().ok())
            .collect();
        Self {
            claims,
            sessions: HashMap::new(),
        }
    }
}

impl Detector for TestsPassingLie {
    fn pattern(&self) -> Pattern {
        Pattern::TestsPassingLie
    }

    fn observe(&mut self, event: &Event, out: &mut Vec<Alert>) {
        match event {
            Event::Tool { session, edits, .. } if !edits.is_empty() => {
                self.sessions
                    .entry(session.clone())
                    .or_default()
                    .edited_since_run = true;
            }
            Event::Validation { session, run } if run.outcome != Outcome::Unknown => {
                let track = self.sessions.entry(session.clone()).or_default();
                track.last = Some((run.outcome, run.command.clone()));
                track.edited_since_run = false;
            }
            Event::AssistantText { session, text, at } => {
                let Some(claim) = self.claims.iter().find_map(|re| re.find(text)) else {
                    return;
                };
                let track = self.sessions.entry(session.clone()).or_default();
                let why = match &track.last {
                    Some((Outcome::Failed, command)) => {
                        format!("the last validation run failed (`{command}`)")
                    }
                    _ if track.edited_since_run => match &track.last {
                        Some(_) => "no validation ran since the last edit".to_string(),
                        None => "no validation ran in this session".to_string(),
                    },
                    _ => return,
                };
                out.push(Alert::new(
                    Pattern::TestsPassingLie,
                    Some(session),
                    *at,
                    format!("agent claims \"{}\" but {why}", claim.as_str()),
                    "Run the tests yourself (or ask the agent to run them and show the summary line) before accepting the claim.",
                ));
                // One alert per claim-and-state: the next claim needs a new run or edit.
                track.last = None;
                track.edited_since_run = false;
            }
            _ => {}
        }
    }
}
