//! Settings: defaults built in, every field optional in the file.
//!
//! Precedence: `--config PATH`, else `$XDG_CONFIG_HOME/cockpit/config.toml`
//! (`~/.config/cockpit/config.toml`), else the defaults. Unknown keys are
//! errors, so a typo is reported instead of silently ignored.

use std::path::{Path, PathBuf};

use serde::Deserialize;

mod bounds;
mod colors;
pub mod keys;

pub use crate::keyname::KeyName;
pub use colors::Colors;
pub use keys::Keys;

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
    pub detect: crate::detect::DetectConfig,
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
    pub rules: Vec<crate::approvals::policy::RuleConfig>,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        Self {
            rules: crate::approvals::policy::default_rules(),
        }
    }
}

impl Config {
    /// The policy, its rules compiled when first needed.
    pub fn compiled_policy(&self) -> crate::approvals::policy::Policy {
        crate::approvals::policy::Policy::new(&self.policy.rules)
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
    pub tokenizer: crate::tokens::Encoding,
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
            tokenizer: crate::tokens::Encoding::default(),
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

/// The default location, `$XDG_CONFIG_HOME/cockpit/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| dirs::home_dir().map(|h| h.join(".config")))
        .map(|dir| dir.join("cockpit").join("config.toml"))
}

/// Loads `explicit` (which must exist) or the default file (which may not).
pub fn load(explicit: Option<&Path>) -> Result<Config, String> {
    let path = match explicit {
        Some(path) => path.to_path_buf(),
        None => match default_path() {
            Some(path) if path.exists() => path,
            _ => return Ok(Config::default()),
        },
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|err| format!("config error: {}: {err}", path.display()))?;
    parse(&text).map_err(|err| format!("config error: {}:{err}", path.display()))
}

/// Parses a config file's text; the error reads `LINE: key `a.b`: reason`.
pub fn parse(text: &str) -> Result<Config, String> {
    let line_of = |span: Option<std::ops::Range<usize>>| {
        span.map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
            .unwrap_or(1)
    };
    let de = toml::Deserializer::parse(text)
        .map_err(|err| format!("{}: {}", line_of(err.span()), one_line(err.message())))?;
    let config: Config = serde_path_to_error::deserialize(de).map_err(|err| {
        let key = err.path().to_string();
        let inner = err.inner();
        format!(
            "{}: key `{key}`: {}",
            line_of(inner.span()),
            one_line(inner.message())
        )
    })?;
    config.validate(text)?;
    Ok(config)
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Config {
    fn validate(&self, text: &str) -> Result<(), String> {
        bounds::check(self, text)?;
        if let Some(conflict) = crate::action::conflict(&self.keys) {
            let line = text
                .lines()
                .position(|l| l.trim() == "[keys]")
                .map_or(1, |i| i + 1);
            return Err(format!("{line}: key `keys`: {conflict}"));
        }
        let g = &self.gauge;
        let ordered = 0.0 < g.yellow_at && g.yellow_at < g.orange_at && g.orange_at < g.red_at;
        if !ordered || g.red_at > 100.0 {
            let line = text
                .lines()
                .position(|l| l.trim_start().starts_with("yellow_at"))
                .map_or(1, |i| i + 1);
            return Err(format!(
                "{line}: key `gauge`: zones must rise: 0 < yellow_at < orange_at < red_at <= 100"
            ));
        }
        if let Err((index, field, message)) =
            crate::approvals::policy::Policy::compile(&self.policy.rules)
        {
            let name = &self.policy.rules[index].name;
            let line = text
                .lines()
                .position(|l| l.contains(&format!("\"{name}\"")))
                .map_or(1, |i| i + 1);
            return Err(format!(
                "{line}: key `policy.rules[{index}].{field}`: {}",
                one_line(&message)
            ));
        }
        if let Some(err) = crate::loops::validation::Matcher::new(&self.loops)
            .1
            .first()
        {
            let line = text
                .lines()
                .position(|l| l.trim() == "[loops]")
                .map_or(1, |i| i + 1);
            return Err(format!("{line}: key `loops`: {}", one_line(err)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_line_and_key() {
        let err = parse("[gauge]\nyellow_at = 40\nred_at = \"lots\"\n").unwrap_err();
        assert!(err.starts_with("3: key `gauge.red_at`:"), "{err}");
        let err = parse("[colors]\ngreen = \"greenish\"\n").unwrap_err();
        assert!(err.starts_with("2: key `colors.green`:"), "{err}");
        let err = parse("[gauge]\nyelow_at = 30\n").unwrap_err();
        assert!(err.starts_with("2: key `gauge"), "{err}");
        let err = parse("[keys]\nquit = [\"ctrl-\"]\n").unwrap_err();
        assert!(err.starts_with("2: key `keys.quit"), "{err}");
        let err = parse("[gauge\n").unwrap_err();
        assert!(err.starts_with("1: "), "{err}");
    }

    #[test]
    fn every_field_is_optional() {
        let config = parse("[follow]\nline_cap_mib = 4\n").unwrap();
        assert_eq!(config.follow.line_cap_bytes(), 4 << 20);
        assert_eq!(config.gauge.red_at, 80.0);
    }
}
