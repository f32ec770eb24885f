//! Drawing a view into a test terminal and reading the screen back as text.

use cockpit::config::Config;
use cockpit::state::{Cockpit, PastSession};
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

/// Two stored sessions for the outer loop's list: an unfinished Claude one
/// started at `newest` and a teammate's finished Codex one a day before.
pub fn past_sessions(newest: i64) -> Vec<PastSession> {
    vec![
        PastSession {
            id: "a1b2c3d4e5f60718".into(),
            when: newest,
            duration_ms: 2 * 3_600_000 + 13 * 60_000,
            agent: "claude-opus-4-6".into(),
            peak_percent: Some(85),
            tool_calls: 150,
            approvals: 3,
            finished: false,
            author: None,
            handoff_line: "Fix the transcript renderer; mix test still fails".into(),
        },
        PastSession {
            id: "0f1e2d3c4b5a6978".into(),
            when: newest - 86_400_000,
            duration_ms: 40 * 60_000,
            agent: "gpt-5-codex".into(),
            peak_percent: Some(31),
            tool_calls: 22,
            approvals: 0,
            finished: true,
            author: Some("Ada Example".into()),
            handoff_line: "Parser sign bug fixed".into(),
        },
    ]
}
