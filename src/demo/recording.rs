//! The bundled recording the demo replays, read by the replay and by the
//! throwaway project alike.

pub(super) const SESSION: &[u8] = include_bytes!("../../assets/demo/claude-session.jsonl");
pub(super) const SUBAGENT: &[u8] = include_bytes!("../../assets/demo/subagent-a2898e3.jsonl");
pub(super) const SESSION_ID: &str = "4d5611e5-241a-462a-8d15-5122611a9569";
pub(super) const SUBAGENT_ID: &str = "a2898e3";
/// Where the recorded agent worked; its file paths are mapped into the demo's project.
pub(super) const RECORDED_CWD: &str = "/home/USER/projects/spotter-worktrees/spotter-dov";
