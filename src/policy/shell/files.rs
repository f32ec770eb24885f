//! The files a line writes and where it may be when it does: redirections,
//! the files writers name (`writes`), patches given to `apply_patch`, each
//! relative path taken from every directory a `cd` may have led to; and a
//! downloaded file that the line then runs.

use std::path::PathBuf;

use brush_parser::{ParserOptions, ast, word};

use super::types::{Feed, Rendered, SimpleCommand, Walker};

/// More directories than this from `cd`s: relative paths are not followed.
const MAX_DIRS: usize = 16;

/// A path's text as the shell uses it: `$HOME` as `~`; `None` when it is
/// only known at run time.
fn path_text(word: &Rendered) -> Option<String> {
    if word.literal {
        return Some(word.text.clone());
    }
    ["${HOME}", "$HOME"].iter().find_map(|var| {
        let rest = word.text.strip_prefix(var)?;
        let plain = (rest.is_empty() || rest.starts_with('/')) && !rest.contains(['$', '`']);
        plain.then(|| format!("~{rest}"))
    })
}

fn base_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

impl Walker {
    /// A redirection's words are looked into and the files it writes
    /// recorded; what it feeds to standard input is returned (a here-document
    /// or here-string may be the script of a shell reading stdin).
    pub(super) fn redirect(&mut self, redirect: &ast::IoRedirect, depth: usize) -> Option<Feed> {
        use ast::{IoFileRedirectKind as Kind, IoFileRedirectTarget as Target};
        match redirect {
            ast::IoRedirect::File(fd, kind, target) => {
                match target {
                    Target::Filename(w) | Target::Duplicate(w) => {
                        let file = self.word(w, depth);
                        let duplicate = matches!(target, Target::Duplicate(_));
                        // `>&2` and `>&-` name descriptors; `>&file` is `&>file`.
                        let descriptor = file.text == "-" || file.text.parse::<u32>().is_ok();
                        let writes = matches!(
                            kind,
                            Kind::Write
                                | Kind::Append
                                | Kind::Clobber
                                | Kind::ReadAndWrite
                                | Kind::DuplicateOutput
                        );
                        if writes && !(duplicate && descriptor) {
                            self.write(&file);
                        }
                        let from_file = matches!(kind, Kind::Read) && !duplicate;
                        if from_file && fd.is_none_or(|fd| fd == 0) {
                            return Some(Feed::File);
                        }
                    }
                    Target::ProcessSubstitution(_, sub) => self.list(&sub.list, false, depth + 1),
                    Target::Fd(_) => {}
                }
                None
            }
            ast::IoRedirect::HereDocument(_, doc) if !doc.requires_expansion => {
                // A quoted delimiter: the body is taken as it is.
                Some(Feed::Doc(doc.doc.value.clone()))
            }
            ast::IoRedirect::HereDocument(_, doc) => {
                match word::parse_heredoc(&doc.doc.value, &ParserOptions::default()) {
                    Ok(pieces) => {
                        let mut out = Rendered::literal("");
                        self.pieces(&pieces, &doc.doc.value, &mut out, depth);
                        Some(Feed::Doc(out.text))
                    }
                    Err(e) => {
                        self.opaque(format!("a here-document does not parse ({e})"));
                        None
                    }
                }
            }
            ast::IoRedirect::HereString(_, w) => Some(Feed::Doc(self.word(w, depth).text)),
            ast::IoRedirect::OutputAndError(w, _) => {
                let file = self.word(w, depth);
                self.write(&file);
                None
            }
        }
    }

    /// `cd DIR` or `pushd DIR`: later relative paths may start there too.
    pub(super) fn cd(&mut self, words: &[Rendered]) {
        let target = words[1..]
            .iter()
            .find(|w| !(w.text.starts_with('-') && w.text.len() > 1));
        let text = match target {
            None if words[0].text == "pushd" => return,
            None => Some("~".to_string()),
            Some(w) if w.text == "-" || w.text.starts_with('+') => None,
            Some(w) => path_text(w),
        };
        let Some(text) = text else {
            self.dirs_unknown = true;
            return;
        };
        let new: Vec<PathBuf> = if text.starts_with(['/', '~']) {
            vec![PathBuf::from(&text)]
        } else {
            self.dirs.iter().map(|d| d.join(&text)).collect()
        };
        for dir in new {
            if !self.dirs.contains(&dir) {
                self.dirs.push(dir);
            }
        }
        if self.dirs.len() > MAX_DIRS {
            self.dirs_unknown = true;
        }
    }

    /// A file the line writes.
    pub(super) fn write(&mut self, file: &Rendered) {
        let Some(text) = path_text(file) else {
            return self.opaque(format!(
                "writes to a file named at run time (`{}`)",
                file.text
            ));
        };
        if text.is_empty() {
            return;
        }
        if self.downloading {
            self.downloaded.push(base_name(&text).to_string());
        }
        if text.starts_with(['/', '~']) {
            return self.out.writes.push(PathBuf::from(text));
        }
        if self.dirs_unknown {
            return self.opaque(format!(
                "writes `{text}` in a directory known only at run time"
            ));
        }
        let paths: Vec<PathBuf> = self.dirs.iter().map(|d| d.join(&text)).collect();
        self.out.writes.extend(paths);
    }

    /// `sh FILE`, `source FILE`, `python3 FILE`, `./FILE`: a file this line
    /// downloaded is a script from elsewhere, as in `bash <(curl …)`.
    pub(super) fn runs_file(&mut self, program: &str, file: &Rendered, piped: bool) {
        if self.downloaded.iter().any(|d| d == base_name(&file.text)) {
            self.out.commands.push(SimpleCommand {
                words: vec![program.to_string(), "<(...)".to_string()],
                piped,
            });
        }
    }

    /// `apply_patch` (Codex reads it itself, also after `cd DIR &&`): the
    /// files of the patch in its here-document or its first word.
    pub(super) fn apply_patch(&mut self, words: &[Rendered], stdin: &Feed) {
        self.out.patched = true;
        let text = match (stdin, words.get(1)) {
            (Feed::Doc(doc), _) => doc.clone(),
            (_, Some(word)) if word.literal => word.text.clone(),
            _ => return self.opaque("a patch the cockpit cannot see".into()),
        };
        match crate::policy::patch::paths(&text) {
            Ok(files) => {
                for file in files {
                    self.write(&Rendered::literal(&file));
                }
            }
            Err(why) => self.opaque(format!("the patch cannot be read: {why}")),
        }
    }
}
