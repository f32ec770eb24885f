//! The files a Codex `apply_patch` patch touches. The format is Codex's own
//! (`*** Begin Patch` … `*** End Patch`, one `*** Add File:`, `*** Update
//! File:` or `*** Delete File:` header per file, `*** Move to:` after an
//! update that renames); no published crate reads it, and only the headers
//! matter here, so this reads just those and refuses anything it does not know.

/// The paths a patch adds, updates, deletes or moves to, as written (relative
/// paths are the caller's to resolve). `Err` says why the patch could not be
/// read: the caller must not take that as "touches no file".
pub fn paths(patch: &str) -> Result<Vec<String>, String> {
    let mut lines = patch.lines().map(str::trim);
    // Codex accepts the patch inside a heredoc (`apply_patch <<'EOF'`): skip to its start.
    if !lines.any(|l| l == "*** Begin Patch") {
        return Err("no `*** Begin Patch` line".into());
    }
    let mut paths = Vec::new();
    let mut ended = false;
    for line in lines {
        let Some(header) = line.strip_prefix("***") else {
            continue;
        };
        let header = header.trim_start();
        if header == "End Patch" {
            ended = true;
            break;
        }
        if header == "End of File" {
            continue;
        }
        let path = ["Add File:", "Update File:", "Delete File:", "Move to:"]
            .iter()
            .find_map(|h| header.strip_prefix(h))
            .ok_or_else(|| format!("an unknown patch line `{line}`"))?
            .trim();
        if path.is_empty() {
            return Err(format!("a patch line with no path `{line}`"));
        }
        paths.push(path.to_string());
    }
    if !ended {
        return Err("no `*** End Patch` line".into());
    }
    if paths.is_empty() {
        return Err("a patch that names no file".into());
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::paths;

    #[test]
    fn reads_every_kind_of_header() {
        let patch = "*** Begin Patch\n*** Add File: a.txt\n+hi\n*** Update File: src/b.rs\n\
                     *** Move to: src/c.rs\n@@ fn x\n-old\n+new\n*** End of File\n\
                     *** Delete File: ../../etc/passwd\n*** End Patch\n";
        assert_eq!(
            paths(patch).unwrap(),
            ["a.txt", "src/b.rs", "src/c.rs", "../../etc/passwd"]
        );
        let heredoc =
            "apply_patch <<'EOF'\n*** Begin Patch\n*** Delete File: x\n*** End Patch\nEOF\n";
        assert_eq!(paths(heredoc).unwrap(), ["x"]);
    }

    #[test]
    fn what_it_cannot_read_is_an_error_not_an_empty_list() {
        for patch in [
            "",
            "just text",
            "*** Begin Patch\n*** End Patch\n",
            "*** Begin Patch\n*** Update File: a\n",
            "*** Begin Patch\n*** Rename File: a\n*** End Patch\n",
            "*** Begin Patch\n*** Add File:   \n*** End Patch\n",
        ] {
            assert!(paths(patch).is_err(), "{patch:?}");
        }
    }
}
