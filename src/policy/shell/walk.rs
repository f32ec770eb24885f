//! The walk over brush-parser's syntax tree: each simple command found, with
//! its words rendered, is handed to `emit`; nested scripts are walked again.

use brush_parser::ast::{self, CommandPrefixOrSuffixItem as Item};
use brush_parser::{ParserOptions, parse_tokens, uncached_tokenize_str};

use super::programs::{
    ShellInput, env_split_string, find_exec, is_shell, joined_script, option_script, shell_script,
};
use super::types::{Feed, Rendered, SimpleCommand, Walker};
use super::wrappers::wrapped_command;
use super::{effects, programs};

/// Nested scripts (`bash -c "sh -c '…'"`) are followed this deep; deeper is opaque.
const MAX_DEPTH: usize = 6;

impl Walker {
    pub(super) fn opaque(&mut self, why: String) {
        self.out.opaque.get_or_insert(why);
    }

    pub(super) fn script(&mut self, script: &str, piped: bool, depth: usize) {
        if depth > MAX_DEPTH {
            return self.opaque("shell scripts nested too deeply to follow".into());
        }
        let options = ParserOptions::default();
        // Uncached: the hook reads one command per process, and a cache would
        // only copy and hash it.
        let program = uncached_tokenize_str(script, &options.tokenizer_options())
            .map_err(|e| e.to_string())
            .and_then(|tokens| parse_tokens(&tokens, &options).map_err(|e| e.to_string()));
        match program {
            Ok(program) => {
                for list in &program.complete_commands {
                    self.list(list, piped, depth);
                }
            }
            Err(e) => self.opaque(format!("the shell command does not parse ({e})")),
        }
    }

    pub(super) fn list(&mut self, list: &ast::CompoundList, piped: bool, depth: usize) {
        for item in &list.0 {
            let and_or = &item.0;
            self.pipeline(&and_or.first, piped, depth);
            for next in &and_or.additional {
                let (ast::AndOr::And(p) | ast::AndOr::Or(p)) = next;
                self.pipeline(p, piped, depth);
            }
        }
    }

    pub(super) fn pipeline(&mut self, pipeline: &ast::Pipeline, piped: bool, depth: usize) {
        let outer = self.downloading;
        self.downloading |= pipeline.seq.iter().any(effects::downloads);
        for (i, command) in pipeline.seq.iter().enumerate() {
            self.command(command, piped || i > 0, depth);
        }
        self.downloading = outer;
    }

    pub(super) fn command(&mut self, command: &ast::Command, piped: bool, depth: usize) {
        match command {
            ast::Command::Simple(simple) => self.simple(simple, piped, depth),
            ast::Command::Compound(compound, redirects) => {
                self.compound(compound, piped, depth);
                for r in redirects.iter().flat_map(|r| &r.0) {
                    self.redirect(r, depth);
                }
            }
            // A function body runs when the function is called: read it as if it ran.
            ast::Command::Function(f) => self.compound(&f.body.0, piped, depth),
            ast::Command::ExtendedTest(test, _) => {
                // `[[ … ]]` runs nothing itself, but its words may substitute commands.
                let text = format!("{test:?}");
                if text.contains("$(") || text.contains('`') {
                    self.opaque("a command substitution inside `[[ … ]]`".into());
                }
            }
        }
    }

    pub(super) fn compound(&mut self, compound: &ast::CompoundCommand, piped: bool, depth: usize) {
        use ast::CompoundCommand as C;
        match compound {
            C::BraceGroup(b) => self.list(&b.list, piped, depth),
            C::Subshell(s) => self.list(&s.list, piped, depth),
            C::ForClause(f) => {
                for w in f.values.iter().flatten() {
                    self.word(w, depth);
                }
                self.list(&f.body.list, piped, depth);
            }
            C::CaseClause(c) => {
                self.word(&c.value, depth);
                for case in &c.cases {
                    case.patterns.iter().for_each(|w| drop(self.word(w, depth)));
                    if let Some(cmd) = &case.cmd {
                        self.list(cmd, piped, depth);
                    }
                }
            }
            C::IfClause(i) => {
                self.list(&i.condition, piped, depth);
                self.list(&i.then, piped, depth);
                for e in i.elses.iter().flatten() {
                    if let Some(condition) = &e.condition {
                        self.list(condition, piped, depth);
                    }
                    self.list(&e.body, piped, depth);
                }
            }
            C::WhileClause(w) | C::UntilClause(w) => {
                self.list(&w.0, piped, depth);
                self.list(&w.1.list, piped, depth);
            }
            C::Coprocess(c) => self.command(&c.body, false, depth),
            C::Arithmetic(a) => {
                self.arithmetic(compound);
                // brush-parser reads `( (rm -rf x) )` as arithmetic: so the
                // expression is read as commands too (real arithmetic runs none).
                self.script(&a.expr.value, piped, depth + 1);
            }
            C::ArithmeticForClause(f) => {
                self.arithmetic(compound);
                self.list(&f.body.list, piped, depth);
            }
        }
    }

    pub(super) fn arithmetic(&mut self, compound: &ast::CompoundCommand) {
        let text = format!("{compound:?}");
        if text.contains("$(") || text.contains('`') {
            self.opaque("a command substitution inside `(( … ))`".into());
        }
    }

    pub(super) fn simple(&mut self, simple: &ast::SimpleCommand, piped: bool, depth: usize) {
        let mut words = Vec::new();
        let mut stdin = Feed::Unknown;
        let mut piped = piped;
        let items = simple.prefix.iter().flat_map(|p| &p.0);
        let suffix = simple.suffix.iter().flat_map(|s| &s.0);
        let name = simple.word_or_name.iter();
        for item in items {
            match item {
                // Prefix words are assignments and redirections: looked into, not run.
                Item::AssignmentWord(_, w) => {
                    let assignment = self.word(w, depth);
                    self.assignment(&assignment, depth);
                }
                Item::Word(w) => drop(self.word(w, depth)),
                Item::IoRedirect(r) => stdin = self.redirect(r, depth).unwrap_or(stdin),
                Item::ProcessSubstitution(_, sub) => self.list(&sub.list, false, depth + 1),
            }
        }
        for w in name {
            words.extend(self.words(w, depth));
        }
        for item in suffix {
            match item {
                Item::AssignmentWord(_, w) | Item::Word(w) => words.extend(self.words(w, depth)),
                Item::IoRedirect(r) => {
                    if let ast::IoRedirect::File(_, ast::IoFileRedirectKind::Read, target) = r {
                        piped |=
                            matches!(target, ast::IoFileRedirectTarget::ProcessSubstitution(..));
                    }
                    stdin = self.redirect(r, depth).unwrap_or(stdin);
                }
                Item::ProcessSubstitution(kind, sub) => {
                    self.list(&sub.list, false, depth + 1);
                    let arrow = match kind {
                        ast::ProcessSubstitutionKind::Read => "<(...)",
                        ast::ProcessSubstitutionKind::Write => ">(...)",
                    };
                    words.push(Rendered {
                        text: arrow.into(),
                        literal: false,
                    });
                }
            }
        }
        self.emit(words, piped, stdin, depth);
    }

    /// Records one simple command, then what it runs in turn: the command a
    /// wrapper starts, a shell's `-c` script or here-document, `eval`'s words,
    /// `find -exec`'s command; and what it does besides (`effects`).
    pub(super) fn emit(
        &mut self,
        mut words: Vec<Rendered>,
        piped: bool,
        stdin: Feed,
        depth: usize,
    ) {
        let Some(first) = words.first_mut() else {
            return;
        };
        if depth > MAX_DEPTH {
            return self.opaque("commands nested too deeply to follow".into());
        }
        let invoked = first.text.clone();
        if let Some(base) = first.text.rsplit('/').next().filter(|b| !b.is_empty()) {
            first.text = base.to_string();
        }
        if !first.literal {
            self.opaque(format!("the program `{}` is named at run time", first.text));
        }
        let texts: Vec<String> = words.iter().map(|w| w.text.clone()).collect();
        let program = texts[0].as_str();
        self.out.commands.push(SimpleCommand {
            words: texts.clone(),
            piped,
        });
        self.effects(&words, &invoked, &stdin, piped, depth);
        let dynamic = |from: usize| words.iter().skip(from).any(|w| !w.literal);
        if let Some((i, offset)) = option_script(&texts) {
            // `su -c 'cmd'`, `flock LOCK -c 'cmd'`: a shell runs the word.
            if dynamic(i) {
                self.opaque(format!("`{program}` runs a script built at run time"));
            }
            return self.script(&texts[i][offset..], piped, depth + 1);
        }
        if let Some(start) = wrapped_command(&texts) {
            if program == "env"
                && let Some(split) = env_split_string(&texts)
            {
                return self.script(&split, piped, depth + 1);
            }
            return self.emit(words[start..].to_vec(), piped, stdin, depth + 1);
        }
        if let Some(start) = joined_script(&texts) {
            // `ssh host cmd …`, `watch cmd …`: the words are joined and run by a shell.
            if dynamic(start) {
                self.opaque(format!("`{program}` runs a command built at run time"));
            }
            return self.script(&texts[start..].join(" "), piped, depth + 1);
        }
        if is_shell(program) {
            match shell_script(&texts) {
                ShellInput::Script(i) if !words[i].literal => {
                    self.opaque(format!("`{program} -c` runs a script built at run time"));
                    self.script(&texts[i], piped, depth + 1);
                }
                ShellInput::Script(i) => self.script(&texts[i], piped, depth + 1),
                ShellInput::Stdin => self.reads_stdin(program, &stdin, piped, depth),
                ShellInput::File(i) => self.runs_file(program, &words[i], piped),
            }
        } else if program == "eval" {
            if dynamic(1) {
                self.opaque("`eval` runs a script built at run time".into());
            }
            self.script(&texts[1..].join(" "), piped, depth + 1);
        } else if matches!(program, "source" | ".") {
            match words.get(1) {
                Some(file) if !file.literal => {
                    self.opaque(format!("`{program}` reads a script named at run time"));
                }
                Some(file) if programs::is_stdin(&file.text) => {
                    self.reads_stdin(program, &stdin, piped, depth)
                }
                Some(file) => self.runs_file(program, file, piped),
                None => {}
            }
        } else if program == "find" {
            for (from, to) in find_exec(&texts) {
                self.emit(words[from..to].to_vec(), false, Feed::Unknown, depth + 1);
            }
        }
    }

    /// A shell (or `source /dev/stdin`) running what its input holds.
    pub(super) fn reads_stdin(&mut self, program: &str, stdin: &Feed, piped: bool, depth: usize) {
        match stdin {
            Feed::Doc(doc) => self.script(doc, false, depth + 1),
            Feed::File => {}
            // `curl … | sh`: the rules see the pipe.
            Feed::Unknown if piped => {}
            // An interactive shell: what it runs arrives later, typed into
            // it (Codex's write_stdin runs no hook at all).
            Feed::Unknown => self.opaque(format!(
                "`{program}` runs commands typed into it later, which the cockpit does not see"
            )),
        }
    }
}
