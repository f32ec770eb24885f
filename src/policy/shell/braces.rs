//! Brace expansion (`{rm,-rf,x}`, `-{r,f}`, `{1..3}`), which bash does before
//! anything else: the words a rule sees are the expanded ones.

use brush_parser::ParserOptions;
use brush_parser::word::{BraceExpressionMember as Member, BraceExpressionOrText as Piece};

/// More words than this from one word: the policy does not follow.
const LIMIT: usize = 64;

/// The raw words one raw word expands to; `None` when it has no brace
/// expression, `Some(Err)` when it expands to too many to follow.
pub(super) fn expand(raw: &str) -> Option<Result<Vec<String>, ()>> {
    if !raw.contains('{') {
        return None;
    }
    let pieces = brush_parser::word::parse_brace_expansions(raw, &ParserOptions::default())
        .ok()
        .flatten()?;
    if !pieces.iter().any(|p| matches!(p, Piece::Expr(_))) {
        return None;
    }
    Some(product(&pieces))
}

fn product(pieces: &[Piece]) -> Result<Vec<String>, ()> {
    let mut words = vec![String::new()];
    for piece in pieces {
        let options = match piece {
            Piece::Text(text) => vec![text.clone()],
            Piece::Expr(members) => {
                let mut options = Vec::new();
                for member in members {
                    options.extend(self::member(member)?);
                }
                options
            }
        };
        if words.len() * options.len() > LIMIT {
            return Err(());
        }
        words = words
            .iter()
            .flat_map(|w| options.iter().map(move |o| format!("{w}{o}")))
            .collect();
    }
    Ok(words)
}

fn member(member: &Member) -> Result<Vec<String>, ()> {
    match member {
        Member::Child(pieces) => product(pieces),
        Member::NumberSequence {
            start,
            end,
            increment,
        } => sequence(*start, *end, *increment).map(|s| s.map(|n| n.to_string()).collect()),
        Member::CharSequence {
            start,
            end,
            increment,
        } => sequence(*start as i64, *end as i64, *increment).map(|s| {
            s.filter_map(|n| char::from_u32(n as u32).map(String::from))
                .collect()
        }),
    }
}

fn sequence(start: i64, end: i64, increment: i64) -> Result<impl Iterator<Item = i64>, ()> {
    let step = increment.unsigned_abs().max(1);
    if start.abs_diff(end) / step >= LIMIT as u64 {
        return Err(());
    }
    let count = start.abs_diff(end) / step + 1;
    let down = start > end;
    Ok((0..count as i64).map(move |i| {
        let offset = i * step as i64;
        if down { start - offset } else { start + offset }
    }))
}
