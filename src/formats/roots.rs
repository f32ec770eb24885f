//! Where each agent keeps its files (FORMATS.md 1.1 and 2.1): the Claude
//! Code config roots and the project directory's name under them, the Codex
//! home and the name of a rollout. One list, read by the live cockpit,
//! `report` and `install` alike.

use std::fs;
use std::path::{Path, PathBuf};

/// Claude Code config roots, the one list the live cockpit, `report` and
/// `install` read: `$CLAUDE_CONFIG_DIR` (a comma-separated list, as Claude
/// Code and ccusage accept), else `~/.claude` and `$XDG_CONFIG_HOME/claude`
/// (or `~/.config/claude`, where some versions wrote). The first is where
/// Claude Code reads its settings.
pub fn claude_roots() -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = match std::env::var("CLAUDE_CONFIG_DIR") {
        Ok(list) if !list.trim().is_empty() => list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(expand_home)
            .collect(),
        _ => {
            let home = dirs::home_dir();
            let xdg = std::env::var_os("XDG_CONFIG_HOME")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| home.as_ref().map(|h| h.join(".config")));
            home.map(|h| h.join(".claude"))
                .into_iter()
                .chain(xdg.map(|x| x.join("claude")))
                .collect()
        }
    };
    // A root given as its `projects/` directory is accepted, as ccusage does.
    for root in &mut roots {
        if root.file_name().is_some_and(|n| n == "projects") && root.is_dir() {
            root.pop();
        }
    }
    dedup_dirs(roots)
}

/// The same directory named twice (a symlink, a trailing slash) is read once.
fn dedup_dirs(dirs: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut seen = std::collections::HashSet::new();
    dirs.into_iter()
        .filter(|d| seen.insert(fs::canonicalize(d).unwrap_or_else(|_| d.clone())))
        .collect()
}

/// `$CODEX_HOME`, else `~/.codex`.
pub fn codex_home() -> Option<PathBuf> {
    match std::env::var("CODEX_HOME") {
        Ok(dir) if !dir.trim().is_empty() => Some(expand_home(dir.trim())),
        _ => dirs::home_dir().map(|h| h.join(".codex")),
    }
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ if path == "~" => dirs::home_dir().unwrap_or_default(),
        _ => PathBuf::from(path),
    }
}

/// Claude Code's directory name for a project: every character that is not an
/// ASCII letter or digit becomes `-`; past 200 characters, the first 200 plus
/// `-` and a base-36 hash of the original path.
pub fn project_key(cwd: &str) -> String {
    if let Ok(name) = std::env::var("CLAUDE_CODE_PROJECT_DIR_NAME")
        && !name.is_empty()
    {
        return name;
    }
    let key: String = cwd
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    if key.chars().count() <= 200 {
        return key;
    }
    let head: String = key.chars().take(200).collect();
    format!("{head}-{}", base36(java_string_hash(cwd).unsigned_abs()))
}

/// `h = 31*h + c` over UTF-16 code units, wrapping like a JS `| 0`.
fn java_string_hash(text: &str) -> i32 {
    text.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

fn base36(mut value: u32) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if value == 0 {
        return "0".into();
    }
    let mut out = Vec::new();
    while value > 0 {
        out.push(DIGITS[(value % 36) as usize]);
        value /= 36;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

pub fn is_codex_rollout(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with("rollout-") && name.ends_with(".jsonl")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_key_replaces_every_non_alphanumeric() {
        assert_eq!(project_key("/home/me/my_app.v2"), "-home-me-my-app-v2");
        assert_eq!(project_key("/tmp/a b/é"), "-tmp-a-b--");
    }

    #[test]
    fn long_keys_get_a_hash_suffix() {
        let long = format!("/{}", "x".repeat(250));
        let key = project_key(&long);
        assert!(key.starts_with(&format!("-{}", "x".repeat(199))));
        let suffix = &key[201..];
        assert_eq!(suffix, base36(java_string_hash(&long).unsigned_abs()));
        // JS: "abc".split('').reduce((h,c)=>(h<<5)-h+c.charCodeAt(0)|0,0) === 96354
        assert_eq!(java_string_hash("abc"), 96354);
        assert_eq!(base36(96354), "22ci");
    }
}
