//! The three loops on one screen, built from the real long session and its
//! subagent (marot/spotter, MIT) run through the real detectors: snapshots at
//! 80x24 (each loop collapsed to its essentials) and 200x60 (every panel).

mod common;

use std::path::PathBuf;

use cockpit::agents::source::Role;
use cockpit::agents::{AgentKind, parse_all};
use cockpit::config::Config;
use cockpit::loops::changes::{ChangeKind, FileChange};
use cockpit::loops::diff::Checkpoint;
use cockpit::loops::git_history::{CommitInfo, GitHistory, WeekCount, week_start};
use cockpit::loops::worktree::WorktreeBatch;
use cockpit::state::Cockpit;
use cockpit::state::replay::Detectors;
use cockpit::state::worktree::Worktree;
use common::screen::text;
use common::{fixture, follow};

const MAIN: &str = "claude/4d5611e5-241a-462a-8d15-5122611a9569.jsonl";
const SUBAGENT: &str = "claude/4d5611e5-241a-462a-8d15-5122611a9569/subagents/agent-a2898e3.jsonl";

/// The state the app would hold after reading both transcripts: sessions,
/// the detectors' validation runs and alerts, and a working tree.
fn loops_cockpit() -> (Cockpit, i64) {
    let config = Config::default();
    let mut detectors = Detectors::new(&config);
    let mut cockpit = Cockpit::new("spotter".into(), Some("spotter-dov".into()), 0);
    for (file, role) in [
        (MAIN, Role::Main),
        (
            SUBAGENT,
            Role::Subagent {
                agent_id: "a2898e3".into(),
            },
        ),
    ] {
        let path = fixture(file);
        let subagent = matches!(role, Role::Subagent { .. });
        let (records, _) = parse_all(AgentKind::Claude, subagent, &std::fs::read(&path).unwrap());
        let key = path.to_string_lossy().into_owned();
        for record in &records {
            detectors.on_record(&key, record);
        }
        cockpit
            .project_mut()
            .sessions
            .push(follow(&path, AgentKind::Claude, role));
    }
    cockpit.project_mut().selected = Some(0);
    cockpit.project_mut().validation_runs = detectors.validation_runs().iter().cloned().collect();
    let now = cockpit.project().sessions[0].last_seen.unwrap() + 60_000;
    cockpit.now = now;
    let file = |path: &str, kind, added, removed, lines| FileChange {
        path: PathBuf::from(path),
        kind,
        lines_added: added,
        lines_removed: removed,
        lines_now: lines,
        largest_added_block: added,
        at: now - 120_000,
    };
    let files = vec![
        file(
            "lib/spotter_web/live/session_live.ex",
            ChangeKind::Modified,
            38,
            84,
            Some(142),
        ),
        file(
            "test/spotter_web/live/subagent_live_test.exs",
            ChangeKind::Added,
            233,
            0,
            Some(233),
        ),
        file(
            "lib/spotter/old_renderer.ex",
            ChangeKind::Removed,
            0,
            57,
            None,
        ),
    ];
    let mut tree = Worktree::watching(PathBuf::from("/work/spotter"));
    tree.apply(&WorktreeBatch {
        changes: files.clone(),
        since_start: files,
        checkpoint: Checkpoint {
            head_at: Some(now - 14 * 60_000),
            files_changed: 4,
            lines_added: 301,
            lines_removed: 141,
        },
        warning: None,
    });
    cockpit.project_mut().worktree = tree;
    let commit = |id: &str, summary: &str, minutes_ago: i64, added, removed| CommitInfo {
        id: format!("{id}{}", "0".repeat(40 - id.len())),
        short_id: id.to_string(),
        summary: summary.to_string(),
        author: "Marco".into(),
        at: now - minutes_ago * 60_000,
        merge: false,
        files_changed: 3,
        lines_added: added,
        lines_removed: removed,
    };
    let week = 7 * 24 * 3_600_000;
    cockpit.project_mut().git_history = Some(GitHistory {
        branch: Some("spotter-dov".into()),
        head: Some("9c41d2e".into()),
        upstream: Some("origin/spotter-dov".into()),
        ahead: 1,
        behind: 0,
        commits: vec![
            commit("9c41d2e", "Waiting summary: slice by turn", 14, 40, 12),
            commit("51be0a7", "Subagent view with transcript", 120, 520, 31),
        ],
        commits_total: 2,
        weeks: (0..8)
            .map(|i| WeekCount {
                start: week_start(now) - (7 - i) * week,
                commits: [3, 0, 5, 8, 2, 9, 4, 2][i as usize],
            })
            .collect(),
        truncated: false,
    });
    detectors.on_changes(std::path::Path::new("/work/spotter"), Vec::new());
    cockpit.alerts = detectors.unacknowledged().cloned().collect();
    (cockpit, now)
}

fn render(cockpit: &Cockpit, now: i64, width: u16, height: u16) -> String {
    text(&common::screen::render(cockpit, now, width, height))
}

#[test]
fn all_three_loops_at_200x60() {
    let (cockpit, now) = loops_cockpit();
    let screen = render(&cockpit, now, 200, 60);
    // The long session's `mix test` runs are in the validation panel.
    assert!(screen.contains("Validation"), "{screen}");
    assert!(screen.contains("mix test"), "{screen}");
    assert!(
        screen.contains("Working tree 3 files +271 −141"),
        "{screen}"
    );
    assert!(screen.contains("last commit 14m ago"), "{screen}");
    assert!(screen.contains("claude 4d5611e5"), "{screen}");
    assert!(screen.contains("└ a2898e3"), "{screen}");
    assert!(
        screen.contains("Waiting summary: slice by turn"),
        "{screen}"
    );
    insta::assert_snapshot!("loops_200x60", screen);
}

#[test]
fn loops_collapse_to_a_line_each_at_80x24() {
    let (cockpit, now) = loops_cockpit();
    let screen = render(&cockpit, now, 80, 24);
    let line = |prefix: &str| {
        screen
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` line:\n{screen}"))
            .to_string()
    };
    assert!(line(" Inner").contains("3 files +271 −141"), "{screen}");
    assert!(screen.contains("Agents 2 agents"), "{screen}");
    assert!(
        line(" Outer").contains("⎇ spotter-dov ↑1 ↓0 origin/spotter-dov"),
        "{screen}"
    );
    insta::assert_snapshot!("loops_80x24", screen);
}
