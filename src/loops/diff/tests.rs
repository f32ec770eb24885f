use super::*;

use super::test_repos::*;

#[test]
fn a_quiet_tree_is_read_whole() {
    let (dir, repo) = repo(&[("a.rs", "a\n"), ("b.rs", "b\n")]);
    write(dir.path(), "a.rs", "a\nb\n");
    write(dir.path(), "new.rs", "n\n");
    let d = Differ::default()
        .diff(&repo, &set(&["a.rs", "new.rs"]), 0)
        .unwrap();
    assert!(d.is_complete(), "{d:?}");
    assert_eq!(rows(&d), [("a.rs".into(), 1, 0), ("new.rs".into(), 1, 0)]);
    assert_eq!(totals(&d), (2, 2, 0));
}

#[test]
fn own_reads_count_as_libgit2_reads_do() {
    let files = [("a.rs", "1\n2\n3\n4\n"), ("b.rs", "x\n"), ("c.bin", "a\0b")];
    let edit = |root: &Path| {
        write(root, "a.rs", "1\nnew\n3\nmore\nmore\n");
        write(root, "b.rs", "x");
        write(root, "c.bin", "a\0c\n");
        write(root, "d.rs", "d\nd\n");
        std::fs::remove_file(root.join("b.rs")).unwrap();
        write(root, "b.rs", "y\nx\n");
    };
    let paths = set(&["a.rs", "b.rs", "c.bin", "d.rs"]);
    let (own_dir, own_repo) = repo(&files);
    let (lib_dir, lib_repo) = filtered_repo(&files);
    edit(own_dir.path());
    edit(lib_dir.path());
    assert!(Reads::new(&lib_repo, lib_dir.path()).filtered);
    let own = diff(&own_repo, &paths, 0).unwrap();
    let lib = diff(&lib_repo, &paths, 0).unwrap();
    assert_eq!(own.rows, lib.rows);
    assert_eq!(totals(&own), totals(&lib));
    assert_eq!(
        rows(&own),
        [
            ("a.rs".into(), 3, 2),
            ("b.rs".into(), 1, 0),
            ("c.bin".into(), 0, 0),
            ("d.rs".into(), 2, 0)
        ]
    );
}

#[test]
fn without_filters_a_file_is_read_as_it_is_now_in_one_scan() {
    let (dir, repo) = repo(&[("a.rs", "a\n")]);
    write(dir.path(), "a.rs", "a\nb\n");
    let mut differ = Differ::default();
    let mut grow = grower(dir.path(), "a.rs");
    let scans = std::rc::Rc::new(std::cell::Cell::new(0));
    let counter = scans.clone();
    differ.faults.after_scan = Some(Box::new(move || {
        counter.set(counter.get() + 1);
        grow();
    }));
    let d = differ.diff(&repo, &set(&["a.rs"]), 0).unwrap();
    assert!(d.is_complete(), "{d:?}");
    assert_eq!(scans.get(), 1);
    // "a\nx\nx\n", read with read(2), not mapped.
    assert_eq!(rows(&d), [("a.rs".into(), 2, 0)]);
}

#[test]
fn a_file_changed_between_scan_and_read_is_read_again_alone() {
    let (dir, repo) = filtered_repo(&[("a.rs", "a\n"), ("b.rs", "b\n")]);
    write(dir.path(), "a.rs", "a\nb\n");
    write(dir.path(), "b.rs", "b\nc\n");
    let mut differ = Differ::default();
    // Once, after the whole tree's scan: its read of a.rs then fails.
    let mut grow = grower(dir.path(), "a.rs");
    let scans = std::rc::Rc::new(std::cell::Cell::new(0));
    let counter = scans.clone();
    differ.faults.after_scan = Some(Box::new(move || {
        counter.set(counter.get() + 1);
        if counter.get() == 1 {
            grow();
        }
    }));
    let first = scans.clone();
    differ.faults.unreadable = Some(std::rc::Rc::new(move |p: &Path| {
        p == Path::new("a.rs") && first.get() == 1
    }));
    let d = differ.diff(&repo, &set(&["a.rs", "b.rs"]), 0).unwrap();
    assert!(d.is_complete(), "{d:?}");
    assert_eq!(scans.get(), 2, "the whole tree, then a.rs alone");
    // a.rs as it is now: "a\nx\nx\n".
    assert_eq!(rows(&d), [("a.rs".into(), 2, 0), ("b.rs".into(), 1, 0)]);
    assert_eq!(totals(&d), (2, 3, 0));
}

#[test]
fn a_file_that_keeps_changing_keeps_its_last_counts_until_it_holds_still() {
    let (dir, repo) = filtered_repo(&[("a.rs", "a\n"), ("b.rs", "b\n")]);
    write(dir.path(), "a.rs", "a\nb\n");
    let mut differ = Differ::default();
    let paths = set(&["a.rs", "b.rs"]);
    assert!(differ.diff(&repo, &paths, 0).unwrap().is_complete());

    // Every read of a.rs now fails; b.rs reads fine.
    write(dir.path(), "b.rs", "b\nc\nd\n");
    differ.faults.after_scan = Some(grower(dir.path(), "a.rs"));
    differ.faults.unreadable = Some(std::rc::Rc::new(|p: &Path| p == Path::new("a.rs")));
    let d = differ.diff(&repo, &paths, 0).unwrap();
    assert_eq!(d.skipped, set(&["a.rs"]));
    assert!(!d.partial);
    assert_eq!(rows(&d), [("a.rs".into(), 1, 0), ("b.rs".into(), 2, 0)]);
    assert_eq!(totals(&d), (2, 3, 0));

    // Still: the next diff repairs it.
    differ.faults.after_scan = None;
    differ.faults.unreadable = None;
    let d = differ.diff(&repo, &paths, 0).unwrap();
    assert!(d.is_complete(), "{d:?}");
    let a = std::fs::read_to_string(dir.path().join("a.rs")).unwrap();
    let added = a.lines().count() as u64 - 1;
    assert!(added > 1, "a.rs was rewritten: {a:?}");
    assert_eq!(rows(&d), [("a.rs".into(), added, 0), ("b.rs".into(), 2, 0)]);
    assert_eq!(totals(&d), (2, added + 2, 0));
}

#[test]
fn a_file_never_read_has_its_kind_and_no_lines_until_read() {
    let (dir, repo) = filtered_repo(&[("a.rs", "a\n")]);
    write(dir.path(), "a.rs", "a\nb\n");
    let mut differ = Differ::default();
    differ.faults.after_scan = Some(grower(dir.path(), "a.rs"));
    differ.faults.unreadable = Some(std::rc::Rc::new(|p: &Path| p == Path::new("a.rs")));
    let d = differ.diff(&repo, &set(&["a.rs"]), 0).unwrap();
    assert_eq!(d.skipped, set(&["a.rs"]));
    assert_eq!(d.rows[0].kind, ChangeKind::Modified);
    assert_eq!(rows(&d), [("a.rs".into(), 0, 0)]);
    assert_eq!(totals(&d), (1, 0, 0));
}

#[test]
fn a_failed_whole_scan_reads_the_touched_paths_and_keeps_the_rest() {
    let (dir, repo) = repo(&[("a.rs", "a\n"), ("b.rs", "b\n"), ("c.rs", "c\n")]);
    let root = dir.path();
    write(root, "a.rs", "a\nb\n");
    write(root, "c.rs", "");
    let mut differ = Differ::default();
    // c.rs changed before the watch: counted, not a row.
    assert!(
        differ
            .diff(&repo, &set(&["a.rs"]), 0)
            .unwrap()
            .is_complete()
    );

    write(root, "a.rs", "a\n");
    write(root, "b.rs", "b\n1\n2\n");
    write(root, "new.rs", "n\n");
    let paths = set(&["a.rs", "b.rs", "new.rs"]);
    // The whole tree and every group fail, single paths read: the
    // groups are split down to them.
    differ.faults.scan_over = Some(1);
    let d = differ.diff(&repo, &paths, 0).unwrap();
    assert!(d.partial && d.skipped.is_empty(), "{d:?}");
    // a.rs is back at HEAD: no row.
    assert_eq!(rows(&d), [("b.rs".into(), 2, 0), ("new.rs".into(), 1, 0)]);
    // The same totals as a whole read.
    let whole = diff(&repo, &paths, 0).unwrap();
    assert!(whole.is_complete());
    assert_eq!(totals(&d), totals(&whole));
    assert_eq!(totals(&d), (3, 3, 1));
}

#[test]
fn a_path_whose_scan_fails_alone_keeps_its_last_counts() {
    let (dir, repo) = repo(&[("a.rs", "a\n"), ("b.rs", "b\n")]);
    write(dir.path(), "a.rs", "a\nb\n");
    let mut differ = Differ::default();
    let paths = set(&["a.rs"]);
    assert!(differ.diff(&repo, &paths, 0).unwrap().is_complete());

    write(dir.path(), "a.rs", "a\nb\nc\n");
    differ.faults.scan_over = Some(0);
    let d = differ.diff(&repo, &paths, 0).unwrap();
    assert!(d.partial);
    assert_eq!(d.skipped, paths);
    assert_eq!(rows(&d), [("a.rs".into(), 1, 0)]);

    differ.faults.scan_over = None;
    let d = differ.diff(&repo, &paths, 0).unwrap();
    assert!(d.is_complete());
    assert_eq!(rows(&d), [("a.rs".into(), 2, 0)]);
}

#[test]
fn a_failed_whole_scan_is_an_error_without_a_read_against_this_head() {
    let (dir, repo) = repo(&[("a.rs", "a\n")]);
    write(dir.path(), "a.rs", "a\nb\n");
    let paths = set(&["a.rs"]);
    let mut differ = Differ::default();
    differ.faults.scan_over = Some(usize::MAX);
    assert!(differ.diff(&repo, &paths, 0).is_err(), "no read yet");

    differ.faults.scan_over = None;
    assert!(differ.diff(&repo, &paths, 0).unwrap().is_complete());
    // A commit: what was counted is against the old HEAD.
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("a.rs")).unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let parent = repo.head().unwrap().peel_to_commit().unwrap();
    let who = git2::Signature::now("t", "t@t.invalid").unwrap();
    repo.commit(Some("HEAD"), &who, &who, "2", &tree, &[&parent])
        .unwrap();
    differ.faults.scan_over = Some(usize::MAX);
    assert!(differ.diff(&repo, &paths, 0).is_err(), "HEAD moved");
}

/// (path, added, removed) as libgit2 counts them reading the files itself,
/// filters applied: the oracle for what `to_odb.rs` does on its own reads.
fn libgit2_rows(repo: &Repository) -> Vec<(String, u64, u64)> {
    let head = repo.head().unwrap().peel_to_tree().unwrap();
    let diff = repo
        .diff_tree_to_workdir_with_index(Some(&head), Some(&mut options()))
        .unwrap();
    let mut rows = Vec::new();
    for index in 0..diff.deltas().len() {
        let delta = diff.get_delta(index).unwrap();
        let path = delta
            .new_file()
            .path()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let (added, removed, _) = match Patch::from_diff(&diff, index).unwrap() {
            Some(patch) => line_counts(&patch).unwrap(),
            None => (0, 0, 0),
        };
        rows.push((path, added, removed));
    }
    rows.sort();
    rows
}

#[test]
fn filtered_files_read_with_read2_count_as_libgit2_counts_them() {
    let attributes = "*.txt text\n*.crlf eol=crlf\n*.auto text=auto\n*.id ident\n*.raw -text\n";
    let files = [
        (".gitattributes", attributes),
        ("a.txt", "1\n2\n3\n"),
        ("b.crlf", "1\n2\n"),
        ("c.auto", "1\n2\n"),
        ("d.auto", "1\n2\n"),
        ("e.id", "$Id$\nx\n"),
        ("f.raw", "1\n2\n"),
        ("g.plain", "1\n2\n"),
        ("h.plain", "a\0b\n"),
    ];
    let (dir, repo) = repo(&files);
    repo.config()
        .unwrap()
        .set_str("core.autocrlf", "true")
        .unwrap();
    let root = dir.path();
    // CRLF everywhere, one line changed in each; a lone CR in d.auto; an
    // expanded ident; a binary file under autocrlf.
    write(root, "a.txt", "1\r\n2\r\nthree\r\n");
    write(root, "b.crlf", "1\r\n2\r\n3\r\n");
    write(root, "c.auto", "1\r\ntwo\r\n");
    write(root, "d.auto", "1\r\n2\rx\r\n");
    write(root, "e.id", "$Id: 0123456789abcdef $\nx\ny\n");
    write(root, "f.raw", "1\r\n2\n");
    write(root, "g.plain", "1\r\n2\r\n3\r\n");
    write(root, "h.plain", "a\0b\r\n");
    let paths = set(&[
        "a.txt", "b.crlf", "c.auto", "d.auto", "e.id", "f.raw", "g.plain", "h.plain",
    ]);
    let ours = diff(&repo, &paths, 0).unwrap();
    assert!(ours.is_complete(), "{ours:?}");
    let mut ours = rows(&ours);
    ours.sort();
    assert_eq!(ours, libgit2_rows(&repo));
    // And they are the changes a human made, not every line of every file.
    assert!(ours.contains(&("a.txt".into(), 1, 1)), "{ours:?}");
    assert!(ours.contains(&("e.id".into(), 1, 0)), "{ours:?}");
}
