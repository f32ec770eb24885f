//! Where the hook finds the running cockpit: a Unix socket per project in a
//! private directory of the user's (`$XDG_RUNTIME_DIR/cockpit`, else
//! `/tmp/cockpit-<uid>`), mode 0700, owned by the user, never through a symlink.

use std::fs;
use std::io;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The real user id of this process (Linux: the owner of `/proc/self`).
pub fn current_uid() -> u32 {
    fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(u32::MAX)
}

pub fn runtime_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("COCKPIT_RUNTIME_DIR") {
        return PathBuf::from(dir);
    }
    match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir.join("cockpit"),
        _ => std::env::temp_dir().join(format!("cockpit-{}", current_uid())),
    }
}

/// Creates `dir` (mode 0700) if needed and checks it is safe to use: a real
/// directory, not a symlink, owned by us, with no access for anyone else.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    match fs::symlink_metadata(dir) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        Err(err) => return Err(err),
        Ok(_) => {}
    }
    check_private_dir(dir)
}

pub fn check_private_dir(dir: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(dir)?;
    let refuse = |why: &str| {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("refusing {}: {why}", dir.display()),
        ))
    };
    if meta.file_type().is_symlink() {
        return refuse("it is a symlink");
    }
    if !meta.is_dir() {
        return refuse("it is not a directory");
    }
    if meta.uid() != current_uid() {
        return refuse(&format!(
            "it is owned by uid {}, not {}",
            meta.uid(),
            current_uid()
        ));
    }
    if meta.permissions().mode() & 0o077 != 0 {
        return refuse(&format!(
            "its mode is {:o}, not 700",
            meta.permissions().mode() & 0o777
        ));
    }
    Ok(())
}

/// The socket of the cockpit watching `project_root`. Socket paths are
/// limited to about 100 bytes, so the name is the directory's name and a hash.
pub fn socket_path(dir: &Path, project_root: &Path) -> PathBuf {
    let text = project_root.to_string_lossy();
    // FNV-1a: stable across versions and platforms.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let name: String = project_root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect();
    dir.join(format!("{name}-{hash:016x}.sock"))
}

/// The socket of the nearest project at or above `start` that has a cockpit
/// running, checked to be a socket owned by us.
pub fn find_socket(dir: &Path, start: &Path) -> io::Result<PathBuf> {
    check_private_dir(dir)?;
    for candidate in start.ancestors() {
        let path = socket_path(dir, candidate);
        match fs::symlink_metadata(&path) {
            Ok(meta) => {
                if !meta.file_type().is_socket() || meta.uid() != current_uid() {
                    return Err(io::Error::new(
                        io::ErrorKind::PermissionDenied,
                        format!(
                            "refusing {}: not a socket of uid {}",
                            path.display(),
                            current_uid()
                        ),
                    ));
                }
                return Ok(path);
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        format!("no cockpit is running for {}", start.display()),
    ))
}

/// 128 random bits as hex: request ids nobody can guess.
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // getrandom failing means the kernel has no entropy source at all;
        // fall back to time and pid, still unique per request.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        bytes.copy_from_slice(&(nanos ^ (u128::from(std::process::id()) << 64)).to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_dir_is_created_0700_and_symlinks_refused() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("rt");
        ensure_private_dir(&dir).unwrap();
        let mode = fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        let link = base.path().join("link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        let err = ensure_private_dir(&link).unwrap_err();
        assert!(err.to_string().contains("symlink"), "{err}");
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(check_private_dir(&dir).is_err());
    }

    #[test]
    fn sockets_are_found_from_subdirectories() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("rt");
        ensure_private_dir(&dir).unwrap();
        let root = Path::new("/home/me/app");
        let path = socket_path(&dir, root);
        let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        assert_eq!(
            find_socket(&dir, Path::new("/home/me/app/src/x")).unwrap(),
            path
        );
        assert!(find_socket(&dir, Path::new("/home/me/other")).is_err());
        assert_eq!(random_id().len(), 32);
        assert_ne!(random_id(), random_id());
    }
}
