//! Drawing a view into a test terminal and reading the screen back as text.

use cockpit::config::Config;
use cockpit::state::Cockpit;
use cockpit::ui::{self, Theme, ViewContext};
use ratatui::Frame;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// Runs `draw` on a `width` x `height` test terminal with the default config,
/// the clock at `now`.
pub fn render_with(
    width: u16,
    height: u16,
    now: i64,
    draw: impl FnOnce(&mut Frame, &ViewContext),
) -> Buffer {
    let config = Config::default();
    let theme = Theme::new(config.colors.clone());
    let ctx = ViewContext {
        config: &config,
        theme: &theme,
        now,
    };
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| draw(frame, &ctx)).unwrap();
    terminal.backend().buffer().clone()
}

/// The whole cockpit screen.
pub fn render(cockpit: &Cockpit, now: i64, width: u16, height: u16) -> Buffer {
    render_with(width, height, now, |frame, ctx| {
        ui::draw(frame, cockpit, ctx);
    })
}

/// The screen as lines of text, trailing blanks cut.
pub fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let line: String = (0..area.width).map(|x| buffer[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
