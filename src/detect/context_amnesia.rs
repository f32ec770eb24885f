//! Context Amnesia: the gauge rises past the 40/60/80% marks, and after a
//! compaction the agent re-reads files it had already read.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::alert::{Alert, Detector, Pattern};
use super::event::Event;

#[derive(Default)]
struct Track {
    /// Highest threshold index already reported; reset when the gauge falls back.
    crossed: usize,
    read_before: HashSet<PathBuf>,
    read_since: HashSet<PathBuf>,
    compacted: bool,
    rereads: u32,
    reported_rereads: bool,
}

pub struct ContextAmnesia {
    thresholds: Vec<f64>,
    rereads: u32,
    sessions: HashMap<String, Track>,
}

impl ContextAmnesia {
    pub fn new(thresholds: &[f64], rereads: u32) -> Self {
        let mut thresholds = thresholds.to_vec();
        thresholds.sort_by(f64::total_cmp);
        Self {
            thresholds,
            rereads: rereads.max(1),
            sessions: HashMap::new(),
        }
    }
}

impl Detector for ContextAmnesia {
    fn pattern(&self) -> Pattern {
        Pattern::ContextAmnesia
    }

    fn observe(&mut self, event: &Event, out: &mut Vec<Alert>) {
        match event {
            Event::Context {
                session,
                percent,
                at,
            } => {
                let track = self.sessions.entry(session.clone()).or_default();
                let level = self.thresholds.iter().filter(|t| percent >= t).count();
                if level > track.crossed {
                    let mark = self.thresholds[level - 1];
                    out.push(Alert::new(
                        Pattern::ContextAmnesia,
                        Some(session),
                        *at,
                        format!("context at {percent:.0}%, past the {mark:.0}% mark"),
                        "Stay under 40%: finish the current step, write a handoff, and start a fresh session or /compact with a focused summary.",
                    ));
                }
                track.crossed = level;
            }
            Event::Compacted { session, .. } => {
                let track = self.sessions.entry(session.clone()).or_default();
                let since = std::mem::take(&mut track.read_since);
                track.read_before.extend(since);
                track.compacted = true;
                track.rereads = 0;
                track.reported_rereads = false;
                track.crossed = 0;
            }
            Event::Tool {
                session,
                reads,
                end,
                ..
            } => {
                let track = self.sessions.entry(session.clone()).or_default();
                for path in reads {
                    let again = track.compacted
                        && track.read_before.contains(path)
                        && !track.read_since.contains(path);
                    track.read_since.insert(path.clone());
                    if again {
                        track.rereads += 1;
                    }
                }
                if track.compacted && !track.reported_rereads && track.rereads >= self.rereads {
                    track.reported_rereads = true;
                    out.push(Alert::new(
                        Pattern::ContextAmnesia,
                        Some(session),
                        end.at,
                        format!(
                            "after compaction the agent re-read {} files it had already read",
                            track.rereads
                        ),
                        "Load only what the step needs: give the agent a handoff or notes file instead of letting it rediscover the code.",
                    ));
                }
            }
            _ => {}
        }
    }
}
