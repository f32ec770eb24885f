//! What `install-hooks` did to one settings file, kept in the cockpit's
//! state directory (not beside the file, which would be one more file in
//! the user's tree): the file's text before, the text written, and the
//! backups and directories made. While the file still holds exactly what
//! install wrote, `uninstall-hooks` puts the old bytes back (or removes the
//! file) instead of editing it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Receipt {
    pub path: PathBuf,
    /// The text uninstall leaves; `None`: there was no file.
    pub original: Option<String>,
    /// What install last wrote.
    pub installed: String,
    /// Directories install made for the file, deepest first.
    #[serde(default)]
    pub created_dirs: Vec<PathBuf>,
    /// Backups install wrote beside the file.
    #[serde(default)]
    pub backups: Vec<PathBuf>,
}

/// Where the receipt of `settings` lives.
fn location(settings: &Path) -> PathBuf {
    // FNV-1a of the path: a stable file name for any path.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in settings.as_os_str().as_encoded_bytes() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
    }
    crate::logging::state_dir()
        .join("installs")
        .join(format!("{hash:016x}.json"))
}

/// The receipt of `settings`, if install left one; a damaged receipt is an
/// error naming it.
pub fn load(settings: &Path) -> Result<Option<Receipt>, String> {
    let file = location(settings);
    let text = match std::fs::read_to_string(&file) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(format!("{}: {err}", file.display())),
    };
    let receipt: Receipt = serde_json::from_str(&text).map_err(|err| {
        format!(
            "{}:{}: not a receipt of install-hooks ({err}); remove it to edit {} by its content alone",
            file.display(),
            err.line(),
            settings.display()
        )
    })?;
    // Another path with the same hash: not this file's.
    Ok((receipt.path == settings).then_some(receipt))
}

pub fn save(receipt: &Receipt) -> std::io::Result<()> {
    let file = location(&receipt.path);
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = file.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_string_pretty(receipt)?)?;
    std::fs::rename(tmp, file)
}

pub fn forget(settings: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(location(settings)) {
        Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}
