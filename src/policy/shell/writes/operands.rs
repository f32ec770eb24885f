//! The word helpers `writes` picks files with: which words are operands,
//! a mode, a path's base name, a word with new text.

use crate::policy::shell::types::Rendered;

/// Indices of the words that are not options (nor option values).
pub(super) fn operands(texts: &[&str], valued: &[&str]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut i = 1;
    let mut options = true;
    while i < texts.len() {
        let t = texts[i];
        if options && t == "--" {
            options = false;
        } else if options && t.starts_with('-') && t.len() > 1 {
            i += usize::from(valued.contains(&t));
        } else {
            found.push(i);
        }
        i += 1;
    }
    found
}

/// `755`, `u+x`, `go-w,a+r`: chmod's mode operand.
pub(super) fn is_mode(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| "0123456789ugoarwxXst+-=,".contains(c))
}

pub(super) fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

pub(super) fn with_text(word: &Rendered, text: &str) -> Rendered {
    Rendered {
        text: text.to_string(),
        literal: word.literal,
    }
}
