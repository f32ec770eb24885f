//! Wrapping styled lines into rows of a fixed width. Every character of the
//! text lands on exactly one row, spaces included (nothing is trimmed, so
//! nothing can hide in a wrap), so the number of rows is known before drawing
//! and a prompt can tell what is below its edge. Rows break after a space
//! where there is one, else anywhere.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

/// `lines` as rows of at most `width` columns. An empty line is one row.
pub fn rows(lines: Vec<Line<'static>>, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width.max(2));
    let mut out = Vec::new();
    for line in lines {
        let cells: Vec<(char, Style)> = line
            .spans
            .iter()
            .flat_map(|span| span.content.chars().map(move |c| (c, span.style)))
            .collect();
        let mut start = 0;
        loop {
            let end = row_end(&cells[start..], width) + start;
            out.push(spans(&cells[start..end]));
            if end >= cells.len() {
                break;
            }
            start = end;
        }
    }
    out
}

/// How many of `cells` fit one row: up to the last space that fits when the
/// rest does not, else as many as fit (at least one).
fn row_end(cells: &[(char, Style)], width: usize) -> usize {
    let mut used = 0;
    let mut last_space = None;
    for (i, (ch, _)) in cells.iter().enumerate() {
        let w = ch.width().unwrap_or(0);
        if used + w > width {
            return match last_space {
                Some(after) => after,
                None => i.max(1),
            };
        }
        used += w;
        if *ch == ' ' {
            last_space = Some(i + 1);
        }
    }
    cells.len()
}

/// Consecutive cells of one style as one span.
fn spans(cells: &[(char, Style)]) -> Line<'static> {
    let mut out: Vec<Span<'static>> = Vec::new();
    for (ch, style) in cells {
        match out.last_mut() {
            Some(span) if span.style == *style => span.content.to_mut().push(*ch),
            _ => out.push(Span::styled(ch.to_string(), *style)),
        }
    }
    Line::from(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rows: &[Line]) -> Vec<String> {
        rows.iter().map(|r| r.to_string()).collect()
    }

    #[test]
    fn every_character_lands_on_one_row_breaking_after_spaces() {
        let line = Line::from(vec![Span::raw("git push "), Span::raw("&& rm -rf ~")]);
        let wrapped = rows(vec![line, Line::raw("")], 9);
        assert_eq!(text(&wrapped), ["git push ", "&& rm ", "-rf ~", ""]);
        let joined: String = text(&wrapped).concat();
        assert_eq!(joined, "git push && rm -rf ~");
        // A word longer than the row breaks anywhere; runs of spaces stay.
        let wrapped = rows(vec![Line::raw("abcdefgh     x")], 4);
        assert_eq!(text(&wrapped), ["abcd", "efgh", "    ", " x"]);
    }

    #[test]
    fn wide_characters_are_not_split_over_the_edge() {
        let wrapped = rows(vec![Line::raw("ab漢字c")], 4);
        assert_eq!(text(&wrapped), ["ab漢", "字c"]);
    }
}
