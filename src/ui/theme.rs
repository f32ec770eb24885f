//! Colours and styles, built from the config once.

use ratatui::style::{Color, Modifier, Style};

use crate::config::Colors;
use crate::state::gauge::Zone;
use crate::state::tools::ToolStatus;

#[derive(Debug, Clone)]
pub struct Theme {
    pub colors: Colors,
}

impl Theme {
    pub fn new(colors: Colors) -> Self {
        Self { colors }
    }

    pub fn zone(&self, zone: Zone) -> Color {
        match zone {
            Zone::Green => self.colors.green,
            Zone::Yellow => self.colors.yellow,
            Zone::Orange => self.colors.orange,
            Zone::Red => self.colors.red,
        }
    }

    pub fn title(&self) -> Style {
        Style::new()
            .fg(self.colors.accent)
            .add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        Style::new().fg(self.colors.dim)
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            Style::new().fg(self.colors.accent)
        } else {
            Style::new().fg(self.colors.dim)
        }
    }

    pub fn status(&self, status: ToolStatus) -> (&'static str, Style) {
        match status {
            ToolStatus::Running => ("…", Style::new().fg(self.colors.yellow)),
            ToolStatus::Ok => ("✓", Style::new().fg(self.colors.green)),
            ToolStatus::Failed => (
                "✗",
                Style::new()
                    .fg(self.colors.red)
                    .add_modifier(Modifier::BOLD),
            ),
        }
    }

    pub fn warn(&self) -> Style {
        Style::new().fg(self.colors.yellow)
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}
