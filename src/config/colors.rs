//! The `[colors]` section: the zones' and the panels' colours.

use std::str::FromStr;

use ratatui::style::Color;
use serde::{Deserialize, Deserializer};

/// Colours by name (`green`), index (`208`) or hex (`#ff8700`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Colors {
    #[serde(deserialize_with = "color")]
    pub green: Color,
    #[serde(deserialize_with = "color")]
    pub yellow: Color,
    #[serde(deserialize_with = "color")]
    pub orange: Color,
    #[serde(deserialize_with = "color")]
    pub red: Color,
    #[serde(deserialize_with = "color")]
    pub pending: Color,
    #[serde(deserialize_with = "color")]
    pub accent: Color,
    #[serde(deserialize_with = "color")]
    pub dim: Color,
}

impl Default for Colors {
    fn default() -> Self {
        Self {
            green: Color::Green,
            yellow: Color::Yellow,
            orange: Color::Indexed(208),
            red: Color::Red,
            pending: Color::Gray,
            accent: Color::Cyan,
            dim: Color::DarkGray,
        }
    }
}

fn color<'de, D: Deserializer<'de>>(de: D) -> Result<Color, D::Error> {
    let text = String::deserialize(de)?;
    Color::from_str(&text).map_err(|_| {
        serde::de::Error::custom(format!(
            "`{text}` is not a colour (use a name like `green`, an index like `208` or `#ff8700`)"
        ))
    })
}
