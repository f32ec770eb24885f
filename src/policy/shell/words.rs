//! Words as a rule sees them: quotes removed, brace expansion done, and the
//! commands substituted in them (`$(…)`, backquotes) walked.

use brush_parser::ParserOptions;
use brush_parser::ast;
use brush_parser::word::{self, WordPiece, WordPieceWithSource};

use super::braces;
use super::types::{Rendered, Walker};

impl Walker {
    /// A word as one text (assignment values, redirection targets ...).
    pub(super) fn word(&mut self, word: &ast::Word, depth: usize) -> Rendered {
        self.raw_word(&word.value, depth)
    }

    /// A command's word, brace-expanded into the words bash would pass.
    pub(super) fn words(&mut self, word: &ast::Word, depth: usize) -> Vec<Rendered> {
        match braces::expand(&word.value) {
            None => vec![self.word(word, depth)],
            Some(Ok(raw)) => raw.iter().map(|w| self.raw_word(w, depth)).collect(),
            Some(Err(())) => {
                self.opaque("a brace expansion too large to follow".into());
                vec![self.word(word, depth)]
            }
        }
    }

    fn raw_word(&mut self, raw: &str, depth: usize) -> Rendered {
        match word::parse(raw, &ParserOptions::default()) {
            Ok(pieces) => {
                let mut out = Rendered::literal("");
                self.pieces(&pieces, raw, &mut out, depth);
                out
            }
            Err(e) => {
                self.opaque(format!("a word does not parse ({e})"));
                Rendered {
                    text: raw.to_string(),
                    literal: false,
                }
            }
        }
    }

    pub(super) fn pieces(
        &mut self,
        pieces: &[WordPieceWithSource],
        src: &str,
        out: &mut Rendered,
        depth: usize,
    ) {
        for p in pieces {
            let raw = src.get(p.start_index..p.end_index).unwrap_or_default();
            match &p.piece {
                WordPiece::Text(t) | WordPiece::SingleQuotedText(t) => out.text.push_str(t),
                WordPiece::AnsiCQuotedText(t) => {
                    // `$'\x72m'` is `rm`: escapes are not decoded here, so not trusted.
                    if t.contains('\\') {
                        out.literal = false;
                        self.opaque(format!("an ANSI-C quoted word with escapes `{raw}`"));
                    }
                    out.text.push_str(t);
                }
                WordPiece::EscapeSequence(e) => {
                    out.text.push_str(e.strip_prefix('\\').unwrap_or(e))
                }
                WordPiece::DoubleQuotedSequence(inner)
                | WordPiece::GettextDoubleQuotedSequence(inner) => {
                    self.pieces(inner, src, out, depth)
                }
                WordPiece::TildeExpansion(_) => out.text.push_str(raw),
                WordPiece::ParameterExpansion(_) | WordPiece::ArithmeticExpression(_) => {
                    out.literal = false;
                    out.text.push_str(raw);
                }
                WordPiece::CommandSubstitution(s) | WordPiece::BackquotedCommandSubstitution(s) => {
                    out.literal = false;
                    out.text.push_str(&format!("$({s})"));
                    self.script(s, false, depth + 1);
                }
            }
        }
    }
}
