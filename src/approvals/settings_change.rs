//! One settings file's change for `install-hooks` / `uninstall-hooks`:
//! planned before anything is written, shown as a diff, applied with a
//! backup. Uninstall puts back what install found, exactly, while the file
//! still holds what install wrote (see receipt.rs); a file the user edited
//! since loses only the cockpit's entries, in the user's own layout.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::install::{Target, merged, removed};
use super::receipt::{self, Receipt};
use super::settings_text::render;

pub struct Change {
    pub target: Target,
    pub before: Option<String>,
    /// The new text; `None`: there is no file after.
    pub after: Option<String>,
    install: bool,
    /// Uninstall puts back install's receipt: no backup is needed.
    pub exact: bool,
    /// Install: the receipt to save. Uninstall: the one to settle.
    receipt: Option<Receipt>,
}

/// What applying did beyond writing the file.
#[derive(Default)]
pub struct Applied {
    pub backup: Option<PathBuf>,
    /// Files and directories removed (install's own).
    pub removed: Vec<PathBuf>,
}

/// Plans the change for a target; a settings file that is not a JSON object
/// is an error naming the file, and is never overwritten.
pub fn plan(target: Target, binary: &str, install: bool) -> Result<Change, String> {
    let path = target.path.clone();
    let before = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(format!("{}: {err}", path.display())),
    };
    let settings = parse(&path, before.as_deref())?;
    let old = receipt::load(&path)?;
    let (restored, exact) = restored(&target, before.as_deref(), &settings, old.as_ref());
    if !install {
        return Ok(Change {
            target,
            before,
            after: restored,
            install,
            exact,
            receipt: old,
        });
    }
    let value = merged(&settings, binary, &target);
    let after = match &before {
        Some(text) if value == settings => text.clone(),
        Some(text) => render(&value, &[text]),
        None => render(&value, &[]),
    };
    let receipt = Receipt {
        path,
        original: restored,
        installed: after.clone(),
        created_dirs: old
            .as_ref()
            .map(|r| r.created_dirs.clone())
            .unwrap_or_default(),
        backups: old.map(|r| r.backups).unwrap_or_default(),
    };
    Ok(Change {
        target,
        before,
        after: Some(after),
        install,
        exact: false,
        receipt: Some(receipt),
    })
}

fn parse(path: &Path, text: Option<&str>) -> Result<Value, String> {
    let settings: Value = match text {
        Some(text) if !text.trim().is_empty() => serde_json::from_str(text)
            .map_err(|err| format!("{}:{}: not valid JSON: {err}", path.display(), err.line()))?,
        _ => json!({}),
    };
    if !settings.is_object() {
        return Err(format!(
            "{}: settings are not a JSON object",
            path.display()
        ));
    }
    if let Some(key) = wrong_shape(&settings) {
        return Err(format!(
            "{}: key `{key}` has the wrong type (hooks must be an object, each event an array); nothing changed",
            path.display()
        ));
    }
    Ok(settings)
}

/// The text uninstall leaves in place of `before` (`None`: no file), and
/// whether it is install's receipt put back as it was.
fn restored(
    target: &Target,
    before: Option<&str>,
    settings: &Value,
    receipt: Option<&Receipt>,
) -> (Option<String>, bool) {
    let Some(text) = before else {
        return (None, false);
    };
    if let Some(receipt) = receipt.filter(|r| r.installed == text) {
        return (receipt.original.clone(), true);
    }
    let value = removed(settings, target);
    if &value == settings {
        return (Some(text.to_string()), false);
    }
    // Nothing but the cockpit's entries in a file install created (or one
    // an install without a receipt left): the file goes.
    let created = receipt.is_none_or(|r| r.original.is_none());
    if created && value.as_object().is_some_and(|m| m.is_empty()) {
        return (None, false);
    }
    // The edited file's layout first; where a value is back to what it was
    // before install, the words it had then.
    let mut guides = vec![text];
    guides.extend(receipt.and_then(|r| r.original.as_deref()));
    (Some(render(&value, &guides)), false)
}

/// The first key the merge would have to overwrite or skip: a `hooks` that is
/// not an object, or one of our events that is not an array. Either would
/// leave the agent unhooked while saying "written".
fn wrong_shape(settings: &Value) -> Option<String> {
    let hooks = settings.get("hooks")?;
    let Some(hooks) = hooks.as_object() else {
        return Some("hooks".into());
    };
    super::wiring::all_events()
        .find(|event| hooks.get(*event).is_some_and(|v| !v.is_array()))
        .map(|event| format!("hooks.{event}"))
}

impl Change {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }

    /// Install's backups and directories that an uninstall removes with it.
    pub fn leftovers(&self) -> Vec<PathBuf> {
        let Some(receipt) = self.receipt.as_ref().filter(|_| !self.install) else {
            return Vec::new();
        };
        let mut left: Vec<PathBuf> = receipt.backups.clone();
        left.extend(receipt.created_dirs.iter().cloned());
        left.retain(|p| p.exists());
        left
    }

    pub fn diff(&self) -> String {
        let path = self.target.path.display();
        let before = self.before.clone().unwrap_or_default();
        let after = self.after.clone().unwrap_or_default();
        let new = match self.after {
            Some(_) => format!("{path} (after)"),
            None => format!("{path} (removed)"),
        };
        similar::TextDiff::from_lines(&before, &after)
            .unified_diff()
            .header(&format!("{path} (before)"), &new)
            .to_string()
    }

    /// Writes the change (the old text kept in a backup unless it is put
    /// back exactly) and settles the receipt.
    pub fn apply(&self) -> std::io::Result<Applied> {
        let path = &self.target.path;
        let mut applied = Applied::default();
        if self.install && !self.changed() {
            return Ok(applied);
        }
        let created = missing_dirs(path);
        if self.changed() {
            if let (Some(before), false) = (&self.before, self.exact) {
                applied.backup = Some(backup(path, before)?);
            }
            match &self.after {
                Some(after) => write(path, after)?,
                None => std::fs::remove_file(path)?,
            }
        }
        let Some(receipt) = &self.receipt else {
            return Ok(applied);
        };
        if self.install {
            let mut receipt = receipt.clone();
            receipt.created_dirs.extend(created);
            receipt.backups.extend(applied.backup.clone());
            receipt.backups.dedup();
            receipt::save(&receipt)?;
            return Ok(applied);
        }
        for backup in &receipt.backups {
            if std::fs::remove_file(backup).is_ok() {
                applied.removed.push(backup.clone());
            }
        }
        // Only directories left empty: anything the user put there stays.
        for dir in &receipt.created_dirs {
            if std::fs::remove_dir(dir).is_ok() {
                applied.removed.push(dir.clone());
            }
        }
        receipt::forget(path)?;
        Ok(applied)
    }
}

/// The directories writing `path` creates, deepest first.
fn missing_dirs(path: &Path) -> Vec<PathBuf> {
    path.ancestors()
        .skip(1)
        .take_while(|dir| !dir.as_os_str().is_empty() && !dir.exists())
        .map(Path::to_path_buf)
        .collect()
}

fn backup(path: &Path, text: &str) -> std::io::Result<PathBuf> {
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // A free name: two changes within a second must not share one backup.
    let mut backup = path.with_file_name(format!("{file}.cockpit-backup-{stamp}"));
    for n in 2.. {
        if !backup.exists() {
            break;
        }
        backup = path.with_file_name(format!("{file}.cockpit-backup-{stamp}-{n}"));
    }
    std::fs::write(&backup, text)?;
    Ok(backup)
}

/// Writes `text` to `path` whole or not at all.
fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.cockpit-tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}
