//! How much of the approval prompt the human has had on screen. A key that
//! allows (`y`, `a`) counts only once every row of the prompt (what runs, why
//! it needs a human, what "always" would cover) has been shown: the end of a
//! long command below the prompt's edge is never allowed by a key pressed at
//! its top.

/// One frame of the prompt's body, as the view drew it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PromptView {
    /// Columns the body was wrapped to: rows are counted at this width.
    pub width: u16,
    /// The first row on screen.
    pub top: usize,
    /// How many rows were on screen.
    pub rows: usize,
    /// Rows of the whole body at `width`.
    pub total: usize,
    /// The body holds the whole input (none of it was cut off to fit).
    pub complete: bool,
}

/// The request a frame's prompt showed, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownPrompt {
    pub id: String,
    pub view: PromptView,
}

/// What the human has had on screen of one request's prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    width: u16,
    total: usize,
    /// Rows `0..seen` have all been on screen.
    seen: usize,
    /// Rows on screen in the last frame (a page).
    pub rows: usize,
    complete: bool,
}

impl Reading {
    /// The reading after a frame showed `view`. Rows count only when every
    /// row above them was seen too (jumping to the end reads nothing in
    /// between); another width wraps the text anew, so reading starts over.
    pub fn after(previous: Option<Reading>, view: &PromptView) -> Reading {
        let mut reading = match previous {
            Some(r) if r.width == view.width && r.total == view.total => r,
            _ => Reading {
                width: view.width,
                total: view.total,
                seen: 0,
                rows: view.rows,
                complete: view.complete,
            },
        };
        if view.top <= reading.seen {
            reading.seen = reading.seen.max(view.top + view.rows).min(view.total);
        }
        reading.rows = view.rows;
        reading.complete = view.complete;
        reading
    }

    /// Rows not yet on screen.
    pub fn unread(&self) -> usize {
        self.total - self.seen
    }

    /// Nothing of the input was left out of the prompt.
    pub fn complete(&self) -> bool {
        self.complete
    }

    /// Every row was shown and nothing of the input was left out.
    pub fn whole(&self) -> bool {
        self.complete && self.seen >= self.total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(top: usize, rows: usize, total: usize) -> PromptView {
        PromptView {
            width: 80,
            top,
            rows,
            total,
            complete: true,
        }
    }

    #[test]
    fn a_prompt_that_fits_is_read_at_once() {
        let reading = Reading::after(None, &view(0, 10, 8));
        assert!(reading.whole());
        assert_eq!(reading.unread(), 0);
    }

    #[test]
    fn rows_below_the_edge_must_be_scrolled_through() {
        let reading = Reading::after(None, &view(0, 10, 25));
        assert_eq!(reading.unread(), 15);
        assert!(!reading.whole());
        // Jumping to the end leaves rows 10..15 unseen.
        let jumped = Reading::after(Some(reading), &view(15, 10, 25));
        assert_eq!(jumped.unread(), 15);
        let paged = Reading::after(Some(reading), &view(9, 10, 25));
        let paged = Reading::after(Some(paged), &view(15, 10, 25));
        assert!(paged.whole());
        // Scrolling back up keeps what was read.
        assert!(Reading::after(Some(paged), &view(0, 10, 25)).whole());
    }

    #[test]
    fn another_width_starts_over_and_a_cut_input_is_never_whole() {
        let read = Reading::after(None, &view(0, 30, 25));
        assert!(read.whole());
        let narrower = PromptView {
            width: 40,
            total: 50,
            ..view(0, 30, 50)
        };
        assert_eq!(Reading::after(Some(read), &narrower).unread(), 20);
        let cut = PromptView {
            complete: false,
            ..view(0, 30, 25)
        };
        assert!(!Reading::after(None, &cut).whole());
    }
}
