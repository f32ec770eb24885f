//! The settings tree and its defaults: every field optional in the file,
//! each section with its own `Default`. Reading and checking a file is in
//! `mod.rs`; this file imports neither, so `bounds.rs` can read the tree.

use serde::Deserialize;

use super::colors::Colors;
use super::keys::Keys;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub gauge: GaugeConfig,
    pub colors: Colors,
    pub keys: Keys,
    pub follow: FollowConfig,
    pub approvals: ApprovalsConfig,
    pub policy: PolicyConfig,
    pub store: StoreConfig,
    pub loops: crate::loops::LoopsConfig,
    pub detect: super::detect::DetectConfig,
}

/// Session state saved to git (`refs/cockpit/sessions/<id>`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    /// Save the session while running every this many seconds (0: only on exit),
    /// so a kill -9 or a reboot loses at most that much.
    pub autosave_secs: u64,
    /// On quit, ask for one learning (Esc skips; never asked on SIGTERM/SIGHUP).
    pub ask_learning_on_quit: bool,
    /// On start, offer to resume the latest unfinished session of the repository.
    pub offer_resume: bool,
    /// Keep the human's last prompt to each agent in the record and handoff.
    pub record_prompts: bool,
    /// When a new agent session starts while the repository's last cockpit
    /// session is resumable, hand it that session's handoff as context.
    pub handoff_on_session_start: bool,
    /// The handoff given at session start is cut to this many tokens.
    pub handoff_max_tokens: u64,
}

impl Default for StoreConfig {
    fn default() -> Self {
        Self {
            autosave_secs: 120,
            ask_learning_on_quit: true,
            offer_resume: true,
            record_prompts: true,
            handoff_on_session_start: true,
            handoff_max_tokens: 4_000,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApprovalsConfig {
    /// How long a hook waits for a human before falling back. Keep it under
    /// the hook's own `timeout` in the agent's settings (600 s by default).
    pub timeout_secs: u64,
    /// When no cockpit answers: `ask` (the agent's own prompt) or `deny`.
    pub on_unreachable: OnUnreachable,
    /// Ring the terminal bell when a request arrives.
    pub bell: bool,
    /// Desktop notification escape on arrival: `osc9`, `osc777` or `none`.
    pub notify: Notify,
}

impl Default for ApprovalsConfig {
    fn default() -> Self {
        Self {
            timeout_secs: 300,
            on_unreachable: OnUnreachable::Ask,
            bell: true,
            notify: Notify::Osc9,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnUnreachable {
    Ask,
    Deny,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Notify {
    Osc9,
    Osc777,
    None,
}

/// Ordered rules; the first that matches decides. Writing `[[policy.rules]]`
/// replaces the built-in list as a whole.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PolicyConfig {
    pub rules: Vec<crate::policy::RuleConfig>,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        Self {
            rules: crate::policy::defaults::default_rules(),
        }
    }
}

impl Config {
    /// The policy, its rules compiled when first needed.
    pub fn compiled_policy(&self) -> crate::policy::Policy {
        crate::policy::Policy::new(&self.policy.rules)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GaugeConfig {
    /// Percent of the window where each zone starts (the seed's 40% rule).
    pub yellow_at: f64,
    pub orange_at: f64,
    pub red_at: f64,
    /// Where the mark is drawn on the bar.
    pub mark_at: f64,
    /// The window when no model pattern matches.
    pub default_window: u64,
    /// The window assumed once a context larger than the table's window is seen.
    pub large_window: u64,
    /// First match wins; `*` matches any run of characters.
    pub models: Vec<ModelWindow>,
    /// tiktoken encoding for the estimated (pending) segment.
    pub tokenizer: crate::agents::tokens::Encoding,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelWindow {
    pub pattern: String,
    pub window: u64,
}

impl Default for GaugeConfig {
    fn default() -> Self {
        let model = |pattern: &str, window| ModelWindow {
            pattern: pattern.into(),
            window,
        };
        Self {
            yellow_at: 40.0,
            orange_at: 60.0,
            red_at: 80.0,
            mark_at: 40.0,
            default_window: 200_000,
            large_window: 1_000_000,
            models: vec![
                model("*[1m]", 1_000_000),
                model("claude-sonnet-5*", 1_000_000),
                model("claude-opus-4-7*", 1_000_000),
                model("claude-opus-4-8*", 1_000_000),
                model("claude-fable-5*", 1_000_000),
                model("claude-mythos-5*", 1_000_000),
                // Claude Code 2.1.328's default model (its status line says 1M).
                model("claude-opus-5*", 1_000_000),
                model("claude-opus-4*", 200_000),
                model("claude-sonnet-4*", 200_000),
                model("claude-haiku-4*", 200_000),
                model("claude-3*", 200_000),
                model("gpt-5*", 272_000),
            ],
            tokenizer: crate::agents::tokens::Encoding::default(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FollowConfig {
    /// Lines longer than this are skipped and counted, never buffered.
    pub line_cap_mib: u64,
    /// Besides the newest, follow every main transcript written this recently.
    pub recent_hours: u64,
    /// How many of the newest Codex day directories to look through.
    pub codex_days: usize,
    /// Tool calls kept per session for the feed (counts cover all of them).
    pub feed_capacity: usize,
}

impl Default for FollowConfig {
    fn default() -> Self {
        Self {
            line_cap_mib: 16,
            recent_hours: 6,
            codex_days: 3,
            feed_capacity: 2_000,
        }
    }
}

impl FollowConfig {
    pub fn line_cap_bytes(&self) -> usize {
        usize::try_from(self.line_cap_mib.saturating_mul(1 << 20)).unwrap_or(usize::MAX)
    }
}
