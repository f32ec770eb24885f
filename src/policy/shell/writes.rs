//! Which words of a command name files it writes, for the programs whose
//! arguments say so (`tee`, `cp`, `mv`, `install`, `ln`, `rsync`, `rm`,
//! `truncate`, `chmod`, `dd of=`, `sed -i`, `curl -o`, `wget` …). What other
//! programs write (editors, `tar -x`, `awk`'s `print >`, scripts) is not read.

use super::types::Rendered;

mod operands;

use operands::{base_name, is_mode, operands, with_text};

/// The written files among `words` (the program first, as its base name).
/// A `cp`/`mv`/`ln` into a directory also names `dir/<source's name>`.
pub(super) fn targets(words: &[Rendered]) -> Vec<Rendered> {
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let pick = |indices: Vec<usize>| indices.into_iter().map(|i| words[i].clone()).collect();
    match texts[0] {
        "tee" => pick(operands(&texts, &["--output-error"])),
        "rm" | "rmdir" | "unlink" => pick(operands(&texts, &[])),
        "shred" => pick(operands(&texts, &["-n", "--iterations", "-s", "--size"])),
        "truncate" => pick(operands(&texts, &["-s", "--size", "-r", "--reference"])),
        "chmod" | "chown" | "chgrp" => {
            let mut files = operands(&texts, &[]);
            let by_reference = texts.iter().any(|t| t.starts_with("--reference"));
            let mode_first = files
                .first()
                .is_some_and(|&i| texts[0] != "chmod" || is_mode(texts[i]));
            if !by_reference && mode_first {
                files.remove(0);
            }
            pick(files)
        }
        "cp" | "mv" | "install" | "ln" | "rsync" => copies(words, &texts),
        "dd" => words
            .iter()
            .filter_map(|w| w.text.strip_prefix("of=").map(|p| with_text(w, p)))
            .collect(),
        "sed" => in_place(&texts).map(pick).unwrap_or_default(),
        "curl" => downloads(words, &texts, CURL),
        "wget" => downloads(words, &texts, WGET),
        _ => Vec::new(),
    }
}

/// Programs whose output files are downloads: a file they write and the same
/// line then runs is a script from elsewhere, as `bash <(curl …)` is.
pub(super) fn downloader(program: &str) -> bool {
    matches!(program, "curl" | "wget")
}

/// `cp`, `mv`, `install`, `ln`, `rsync`: the destination, and in it each
/// source's name; `mv` also removes its sources.
fn copies(words: &[Rendered], texts: &[&str]) -> Vec<Rendered> {
    let valued: &[&str] = match texts[0] {
        "install" => &[
            "-t",
            "--target-directory",
            "-S",
            "--suffix",
            "-m",
            "--mode",
            "-o",
            "--owner",
            "-g",
            "--group",
        ],
        "rsync" => &[
            "-e",
            "--rsh",
            "-f",
            "--filter",
            "--exclude",
            "--include",
            "--exclude-from",
            "--include-from",
            "--files-from",
            "-T",
            "--temp-dir",
            "--partial-dir",
            "--backup-dir",
            "--log-file",
            "--password-file",
            "--port",
            "-B",
            "--block-size",
            "--chmod",
            "--chown",
            "-M",
            "--remote-option",
            "--compare-dest",
            "--copy-dest",
            "--link-dest",
        ],
        _ => &["-t", "--target-directory", "-S", "--suffix"],
    };
    let mut files = operands(texts, valued);
    let target_dir = texts.iter().enumerate().find_map(|(i, t)| {
        if *t == "-t" || *t == "--target-directory" {
            words.get(i + 1).cloned()
        } else {
            t.strip_prefix("--target-directory=")
                .map(|d| with_text(&words[i], d))
        }
    });
    if texts[0] == "install" && texts.iter().any(|t| *t == "-d" || *t == "--directory") {
        return files.into_iter().map(|i| words[i].clone()).collect();
    }
    let dest = match target_dir {
        Some(dir) => dir,
        None if files.len() >= 2 => words[files.pop().unwrap_or_default()].clone(),
        // `ln -s /etc/passwd` makes ./passwd.
        None if texts[0] == "ln" && files.len() == 1 => {
            let only = &words[files[0]];
            return vec![with_text(only, base_name(&only.text))];
        }
        None => return Vec::new(),
    };
    // `host:path` is on another machine.
    let remote = |t: &str| t.split('/').next().is_some_and(|head| head.contains(':'));
    if texts[0] == "rsync" && remote(&dest.text) {
        return Vec::new();
    }
    let mut out = vec![dest.clone()];
    for &i in &files {
        let source = &words[i];
        let name = base_name(source.text.trim_end_matches('/'));
        out.push(Rendered {
            text: format!("{}/{name}", dest.text.trim_end_matches('/')),
            literal: dest.literal && source.literal,
        });
        if texts[0] == "mv" {
            out.push(source.clone());
        }
    }
    out
}

/// `sed -i` (GNU: `-i[SUFFIX]`, also inside `-ni`; `--in-place[=SUFFIX]`):
/// the files it edits, that is every operand but the script when no `-e`
/// or `-f` gives it. `None`: not in place.
fn in_place(texts: &[&str]) -> Option<Vec<usize>> {
    let valued = ["-e", "--expression", "-f", "--file", "-l", "--line-length"];
    let mut in_place = false;
    let mut script_given = false;
    for t in &texts[1..] {
        if t.starts_with("--in-place") {
            in_place = true;
        } else if t.starts_with("--expression") || t.starts_with("--file") {
            script_given = true;
        } else if let Some(flags) = t.strip_prefix('-').filter(|f| !f.starts_with('-')) {
            // Flags up to the first that takes a value (the rest is its value).
            let head: String = flags.chars().take_while(|c| !"efl".contains(*c)).collect();
            in_place |= head.contains('i');
            script_given |= flags.len() > head.len() && !flags[head.len()..].starts_with('l');
        }
    }
    if !in_place {
        return None;
    }
    let mut files = operands(texts, &valued);
    if !script_given && !files.is_empty() {
        files.remove(0);
    }
    Some(files)
}

/// A downloader's valued short options (their value is the rest of the
/// word or the next word) and which of them name a written file.
struct Downloader {
    valued: &'static str,
    writes: &'static str,
    long_writes: &'static [&'static str],
    /// Saves under the URL's name by default (`wget`), or with `-O` (`curl`).
    remote_name: RemoteName,
}

#[derive(PartialEq)]
enum RemoteName {
    Always,
    WithCapitalO,
}

const CURL: &Downloader = &Downloader {
    valued: "AbcCdDeEFHKmoPQrTuUwxXyYz",
    writes: "ocD",
    long_writes: &[
        "--output",
        "--cookie-jar",
        "--dump-header",
        "--trace",
        "--trace-ascii",
        "--stderr",
    ],
    remote_name: RemoteName::WithCapitalO,
};

const WGET: &Downloader = &Downloader {
    valued: "OoaPiBetTwUQlARDXI",
    writes: "Ooa",
    long_writes: &["--output-document", "--output-file", "--append-output"],
    remote_name: RemoteName::Always,
};

/// The files `curl` or `wget` writes: named by options, or the URL's name.
fn downloads(words: &[Rendered], texts: &[&str], tool: &Downloader) -> Vec<Rendered> {
    let mut out = Vec::new();
    let mut urls = Vec::new();
    let mut remote_name = tool.remote_name == RemoteName::Always;
    let mut named_output = false;
    let mut i = 1;
    while i < texts.len() {
        let t = texts[i];
        if let Some((name, value)) = t.split_once('=').filter(|(n, _)| n.starts_with("--")) {
            if tool.long_writes.contains(&name) {
                named_output |= name != "--output-file" && name != "--append-output";
                out.push(with_text(&words[i], value));
            }
        } else if tool.long_writes.contains(&t) {
            if let Some(value) = words.get(i + 1) {
                named_output |= t != "--output-file" && t != "--append-output";
                out.push(value.clone());
            }
            i += 1;
        } else if t == "--remote-name" || t == "--remote-name-all" {
            remote_name = true;
        } else if let Some(flags) = t
            .strip_prefix('-')
            .filter(|f| !f.is_empty() && !f.starts_with('-'))
        {
            for (k, c) in flags.char_indices() {
                if c == 'O' && tool.remote_name == RemoteName::WithCapitalO {
                    remote_name = true;
                    continue;
                }
                if !tool.valued.contains(c) {
                    continue;
                }
                let rest = &flags[k + c.len_utf8()..];
                let value = if rest.is_empty() {
                    i += 1;
                    words.get(i).cloned()
                } else {
                    Some(with_text(&words[i], rest))
                };
                if let Some(value) = value.filter(|_| tool.writes.contains(c)) {
                    named_output |=
                        c == 'O' || c == 'o' && tool.remote_name == RemoteName::WithCapitalO;
                    out.push(value);
                }
                break;
            }
        } else if !t.starts_with('-') {
            urls.push(i);
        }
        i += 1;
    }
    if remote_name && !named_output {
        for &u in &urls {
            let path = texts[u].split(['?', '#']).next().unwrap_or_default();
            let name = path
                .split("://")
                .nth(1)
                .map_or(path, |rest| rest.split_once('/').map_or("", |(_, p)| p));
            let name = base_name(name);
            out.push(with_text(
                &words[u],
                if name.is_empty() { "index.html" } else { name },
            ));
        }
    }
    out.retain(|w| w.text != "-");
    out
}

#[cfg(test)]
mod tests;
