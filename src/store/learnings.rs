//! The learnings (Law 1) of a repository's past sessions, newest first: for
//! the outer loop's search and for the handoff a new agent session is given.

// The type lives with the handoff that lists them, which the summaries
// (read here) use: one home, no circle.
pub use super::handoff::PastLearning;
use super::summary::SessionSummary;

/// Every learning of `sessions`, the newest session first and, within one,
/// the last written first.
pub fn newest_first(sessions: &[SessionSummary]) -> Vec<PastLearning> {
    let mut ordered: Vec<&SessionSummary> = sessions.iter().collect();
    ordered.sort_by_key(|s| std::cmp::Reverse(s.last_saved_at));
    ordered
        .into_iter()
        .flat_map(|s| {
            s.learnings.iter().flatten().rev().map(|text| PastLearning {
                when: s.last_saved_at,
                session: s.id.clone(),
                text: text.clone(),
            })
        })
        .collect()
}

/// The learnings whose text holds every word of `query`, ignoring case; an
/// empty query matches all.
pub fn matching<'a>(
    all: &'a [PastLearning],
    query: &str,
) -> impl Iterator<Item = &'a PastLearning> + 'a {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    all.iter().filter(move |l| {
        let text = l.text.to_lowercase();
        words.iter().all(|w| text.contains(w.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Millis;

    fn session(id: &str, saved: Millis, learnings: &[&str]) -> SessionSummary {
        SessionSummary {
            id: id.into(),
            last_saved_at: saved,
            learnings: Some(learnings.iter().map(|l| l.to_string()).collect()),
            ..SessionSummary::default()
        }
    }

    #[test]
    fn newest_session_first_and_its_last_learning_first() {
        let sessions = [
            session("old", 1, &["run migrations before tests"]),
            session(
                "new",
                3,
                &["the CI cache lives in target/", "flaky: worktree watch"],
            ),
            session("none", 2, &[]),
        ];
        let all = newest_first(&sessions);
        let texts: Vec<&str> = all.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "flaky: worktree watch",
                "the CI cache lives in target/",
                "run migrations before tests"
            ]
        );
        assert_eq!(all[2].session, "old");
        let found: Vec<&str> = matching(&all, "CI  Target")
            .map(|l| l.text.as_str())
            .collect();
        assert_eq!(found, ["the CI cache lives in target/"]);
        assert_eq!(matching(&all, "").count(), 3);
        assert_eq!(matching(&all, "nothing like this").count(), 0);
    }
}
