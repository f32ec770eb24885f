//! The inner loop beyond the tool feed: validation runs recognised in the
//! tool stream, the files changed in the working tree, and the checkpoint
//! (time and change since the last commit). Small screens get one line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::clock::time_of_day;
use crate::loops::changes::{ChangeKind, FileChange};
use crate::loops::validation::{Outcome, ValidationRun};
use crate::state::Cockpit;
use crate::text::{duration, escape_control, truncate_width};

use super::kit::ViewContext;
use super::theme::Theme;

fn outcome_icon(theme: &Theme, outcome: Outcome) -> (&'static str, Style) {
    match outcome {
        Outcome::Passed => ("✓", Style::new().fg(theme.colors.green)),
        Outcome::Failed => (
            "✗",
            Style::new()
                .fg(theme.colors.red)
                .add_modifier(Modifier::BOLD),
        ),
        Outcome::Unknown => ("?", theme.dim()),
    }
}

/// `410 passed, 2 failed`, or the exit code when the runner printed no counts.
fn result_text(run: &ValidationRun) -> String {
    if let Some(c) = run.counts {
        let mut parts = vec![format!("{} passed", c.passed)];
        if c.failed > 0 {
            parts.push(format!("{} failed", c.failed));
        }
        if c.skipped > 0 {
            parts.push(format!("{} skipped", c.skipped));
        }
        return parts.join(", ");
    }
    match (run.outcome, run.exit_code) {
        (_, Some(code)) => format!("exit {code}"),
        (Outcome::Passed, None) => "passed".into(),
        (Outcome::Failed, None) => "failed".into(),
        (Outcome::Unknown, None) => "no verdict".into(),
    }
}

fn run_duration(run: &ValidationRun) -> String {
    match (run.started, run.ended) {
        (Some(s), Some(e)) => duration(e - s),
        _ => String::new(),
    }
}

/// `14m` since the last commit; `None` before the first batch or without a commit.
fn checkpoint_age(cockpit: &Cockpit, now: i64) -> Option<String> {
    cockpit
        .project()
        .worktree
        .checkpoint
        .age_ms(now)
        .map(age_text)
}

/// The working tree panel's bottom line: the checkpoint and the change since.
fn checkpoint_text(cockpit: &Cockpit, now: i64) -> String {
    let tree = &cockpit.project().worktree;
    let c = tree.checkpoint;
    match checkpoint_age(cockpit, now) {
        Some(age) => format!(
            "last commit {age} ago · {} files +{} −{} since",
            c.files_changed, c.lines_added, c.lines_removed
        ),
        None if tree.root.is_some() && tree.batches > 0 => "no commit yet".into(),
        None => String::new(),
    }
}

/// A coarse age: `40s`, `14m`, `3h05m`, `2d04h`.
pub(super) fn age_text(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86400 => format!("{}h{:02}m", s / 3600, (s / 60) % 60),
        _ => format!("{}d{:02}h", s / 86400, (s / 3600) % 24),
    }
}

fn kind_letter(kind: ChangeKind) -> (&'static str, fn(&Theme) -> Style) {
    match kind {
        ChangeKind::Added => ("A", |t| Style::new().fg(t.colors.green)),
        ChangeKind::Modified => ("M", |t| Style::new().fg(t.colors.yellow)),
        ChangeKind::Removed => ("D", |t| Style::new().fg(t.colors.red)),
    }
}

/// The validation runs of the session on screen, newest at the bottom.
pub fn draw_validation(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let runs: Vec<&ValidationRun> = cockpit.current_runs().collect();
    let passed = runs.iter().filter(|r| r.outcome == Outcome::Passed).count();
    let failed = runs.iter().filter(|r| r.outcome == Outcome::Failed).count();
    let mut counts = format!("{} runs", runs.len());
    if !runs.is_empty() {
        counts.push_str(&format!(", {passed} passed, {failed} failed"));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(false))
        .title(Line::from(vec![
            Span::styled(" Validation ", theme.title()),
            Span::styled(format!("{counts} "), theme.dim()),
        ]));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if runs.is_empty() {
        let text = " no test, build, lint or type-check run yet";
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), inner);
        return;
    }
    let width = inner.width as usize;
    let lines: Vec<Line> = runs
        .iter()
        .rev()
        .take(inner.height as usize)
        .rev()
        .map(|run| {
            let (icon, style) = outcome_icon(theme, run.outcome);
            let time = run.started.map(time_of_day).unwrap_or_default();
            let tail = format!(" {:>22} {:>7}", result_text(run), run_duration(run));
            let head = format!("{time} {icon} {:<10} ", run.kind.label());
            let room = width.saturating_sub(head.chars().count() + tail.chars().count());
            let command = truncate_width(&crate::text::one_line(&run.command, 400), room);
            let pad = room.saturating_sub(unicode_width::UnicodeWidthStr::width(command.as_str()));
            Line::from(vec![
                Span::styled(format!("{time} "), theme.dim()),
                Span::styled(format!("{icon} "), style),
                Span::styled(
                    format!("{:<10} ", run.kind.label()),
                    Style::new().fg(theme.colors.accent),
                ),
                Span::raw(command),
                Span::raw(" ".repeat(pad)),
                Span::styled(tail, style),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Files changed since the session began, newest change first.
pub fn draw_files(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let tree = &cockpit.project().worktree;
    let (added, removed) = tree.lines();
    let mut title = vec![Span::styled(" Working tree ", theme.title())];
    if tree.root.is_some() {
        title.push(Span::styled(
            format!("{} files +{added} −{removed} ", tree.files.len()),
            theme.dim(),
        ));
    }
    let checkpoint = checkpoint_text(cockpit, ctx.now);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(false))
        .title(Line::from(title))
        .title_bottom(Line::from(Span::styled(
            if checkpoint.is_empty() {
                String::new()
            } else {
                format!(" {checkpoint} ")
            },
            theme.dim(),
        )));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let message = match (&tree.root, &tree.unavailable) {
        (None, Some(why)) => Some(format!(" {why}: no files to watch")),
        (None, None) => Some(" not watching".to_string()),
        (Some(_), _) if tree.files.is_empty() => {
            Some(" no file changed since the session began".to_string())
        }
        _ => None,
    };
    if let Some(message) = message {
        frame.render_widget(Paragraph::new(Span::styled(message, theme.dim())), inner);
        return;
    }
    let width = inner.width as usize;
    let lines: Vec<Line> = tree
        .files
        .iter()
        .take(inner.height as usize)
        .map(|file| file_row(file, width, theme))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn file_row(file: &FileChange, width: usize, theme: &Theme) -> Line<'static> {
    let (letter, style) = kind_letter(file.kind);
    let size = file
        .lines_now
        .map(|n| format!(" {n:>6} lines"))
        .unwrap_or_default();
    let counts = format!(" +{:<5} −{:<5}", file.lines_added, file.lines_removed);
    let room = width.saturating_sub(2 + counts.chars().count() + size.chars().count());
    let path = escape_control(&file.path.to_string_lossy());
    let path = crate::text::truncate_left(&path, room);
    let pad = room.saturating_sub(unicode_width::UnicodeWidthStr::width(path.as_str()));
    Line::from(vec![
        Span::styled(format!("{letter} "), style(theme)),
        Span::raw(path),
        Span::raw(" ".repeat(pad)),
        Span::styled(counts, Style::new().fg(theme.colors.green)),
        Span::styled(size, theme.dim()),
    ])
}

/// One line for small screens: the last validation, the files, the checkpoint.
pub fn draw_line(frame: &mut Frame, area: Rect, cockpit: &Cockpit, ctx: &ViewContext) {
    let theme = ctx.theme;
    let mut spans = vec![Span::styled(" Inner ", theme.title())];
    let runs: Vec<&ValidationRun> = cockpit.current_runs().collect();
    match runs.last() {
        Some(run) => {
            let (icon, style) = outcome_icon(theme, run.outcome);
            spans.push(Span::styled(format!("{icon} {} ", run.kind.label()), style));
            spans.push(Span::raw(format!("{} ", result_text(run))));
            let failed = runs.iter().filter(|r| r.outcome == Outcome::Failed).count();
            let tally = match failed {
                0 => format!("({} runs) ", runs.len()),
                n => format!("({} runs, {n} failed) ", runs.len()),
            };
            spans.push(Span::styled(tally, theme.dim()));
        }
        None => spans.push(Span::styled("no validation run ", theme.dim())),
    }
    let tree = &cockpit.project().worktree;
    spans.push(Span::styled("│ ", theme.dim()));
    if tree.root.is_some() {
        let (added, removed) = tree.lines();
        spans.push(Span::raw(format!(
            "{} files +{added} −{removed} ",
            tree.files.len()
        )));
        let short = match checkpoint_age(cockpit, ctx.now) {
            Some(age) => Some(format!("commit {age} ago")),
            None if tree.batches > 0 => Some("no commit yet".to_string()),
            None => None,
        };
        if let Some(short) = short {
            spans.push(Span::styled("│ ", theme.dim()));
            spans.push(Span::styled(short, theme.dim()));
        }
    } else {
        let why = tree.unavailable.as_deref().unwrap_or("not watched");
        spans.push(Span::styled(format!("working tree: {why}"), theme.dim()));
    }
    let line = Line::from(spans);
    let text = super::kit::truncate_spans(line, area.width as usize);
    frame.render_widget(Paragraph::new(text), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_coarse() {
        assert_eq!(age_text(40_000), "40s");
        assert_eq!(age_text(14 * 60_000 + 5_000), "14m");
        assert_eq!(age_text(3 * 3_600_000 + 5 * 60_000), "3h05m");
        assert_eq!(age_text(2 * 86_400_000 + 4 * 3_600_000), "2d04h");
    }
}
