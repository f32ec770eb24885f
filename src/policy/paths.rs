//! Where a path really leads. The policy reads paths as the agent wrote them
//! (made absolute, `..` resolved as text), but the kernel follows symlinks:
//! `notes.txt -> ~/.bashrc` inside the project writes outside it, and so does
//! a dangling link whose target does not exist yet. A file with other hard
//! links has names the cockpit cannot see at all.

use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};

/// More links than this on one path: a loop, or an attempt to tire the hook.
const MAX_LINKS: usize = 40;

/// `path` (absolute) with every symlink along it followed, as the kernel
/// would on open or create; the part that does not exist is appended as
/// text. `None`: too many links to follow (the caller must not trust it).
pub fn resolve(path: &Path) -> Option<PathBuf> {
    let mut done = PathBuf::from("/");
    // Components still to walk, last first.
    let mut todo: Vec<PathBuf> = components_rev(path);
    let mut links = 0;
    let mut missing = false;
    while let Some(part) = todo.pop() {
        match part.as_os_str().to_str() {
            Some("/") => done = PathBuf::from("/"),
            Some("..") => {
                done.pop();
            }
            Some(".") => {}
            _ => {
                let next = done.join(&part);
                if missing {
                    done = next;
                    continue;
                }
                match std::fs::symlink_metadata(&next) {
                    Ok(meta) if meta.file_type().is_symlink() => {
                        links += 1;
                        if links > MAX_LINKS {
                            return None;
                        }
                        let target = std::fs::read_link(&next).ok()?;
                        todo.extend(components_rev(&target));
                    }
                    Ok(_) => done = next,
                    Err(_) => {
                        // From here on nothing exists: no more links to follow.
                        missing = true;
                        done = next;
                    }
                }
            }
        }
    }
    Some(done)
}

fn components_rev(path: &Path) -> Vec<PathBuf> {
    let mut parts: Vec<PathBuf> = path
        .components()
        .map(|c| match c {
            Component::RootDir | Component::Prefix(_) => PathBuf::from("/"),
            other => PathBuf::from(other.as_os_str()),
        })
        .collect();
    parts.reverse();
    parts
}

/// A file that exists under other names too (hard links): writing it changes
/// what those names hold, wherever they are.
pub fn hard_linked(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.nlink() > 1)
}

/// `~` and `~/…` as the user's home (`$HOME`); `None` for `~user`, which
/// the cockpit does not look up.
pub fn expand_home(path: &Path) -> Option<PathBuf> {
    let text = path.to_str()?;
    let rest = match text.strip_prefix('~') {
        None => return Some(path.to_path_buf()),
        Some(rest) => rest,
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return None;
    }
    let home = std::env::var_os("HOME").map(PathBuf::from)?;
    Some(home.join(rest.trim_start_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn follows_links_even_to_files_that_do_not_exist() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let app = root.join("app");
        std::fs::create_dir_all(app.join("sub")).unwrap();
        symlink(root.join("home/.bashrc"), app.join("notes.txt")).unwrap();
        symlink("../..", app.join("sub/up")).unwrap();
        symlink(app.join("loop"), app.join("loop")).unwrap();
        assert_eq!(
            resolve(&app.join("notes.txt")),
            Some(root.join("home/.bashrc"))
        );
        assert_eq!(resolve(&app.join("sub/up/x")), Some(root.join("x")));
        assert_eq!(resolve(&app.join("sub/../new/a")), Some(app.join("new/a")));
        assert_eq!(resolve(&app.join("loop/x")), None);
        std::fs::write(app.join("a"), "x").unwrap();
        assert!(!hard_linked(&app.join("a")));
        std::fs::hard_link(app.join("a"), root.join("b")).unwrap();
        assert!(hard_linked(&app.join("a")));
    }
}
