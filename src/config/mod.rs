//! Settings: defaults built in, every field optional in the file.
//!
//! Precedence: `--config PATH`, else `$XDG_CONFIG_HOME/cockpit/config.toml`
//! (`~/.config/cockpit/config.toml`), else the defaults. Unknown keys are
//! errors, so a typo is reported instead of silently ignored. The settings
//! tree is in `settings.rs`; here it is read from a file and checked.

use std::path::{Path, PathBuf};

mod bounds;
mod colors;
pub mod detect;
pub mod keys;
mod settings;

pub use crate::keyname::KeyName;
pub use colors::Colors;
pub use keys::Keys;
pub use settings::{
    ApprovalsConfig, Config, FollowConfig, GaugeConfig, ModelWindow, Notify, OnUnreachable,
    PolicyConfig, StoreConfig,
};

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
        if let Some((name, defaults)) = self.keys.unbound() {
            let line = text
                .lines()
                .position(|l| {
                    l.trim_start()
                        .strip_prefix(name)
                        .is_some_and(|rest| rest.trim_start().starts_with('='))
                })
                .map_or(1, |i| i + 1);
            return Err(format!(
                "{line}: key `keys.{name}`: no key given; list at least one (the default: {defaults})"
            ));
        }
        if let Some(conflict) = self.keys.conflict() {
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
        if let Err((index, field, message)) = crate::policy::Policy::compile(&self.policy.rules) {
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
