//! Claude Code's transcript lines (`../shared/FORMATS.md` sections 1-3).

use serde::Deserialize;

/// The model of replies Claude Code makes up itself (an interrupted turn, an
/// API error): never a model the user ran, and its usage is not a reply's.
pub const SYNTHETIC_MODEL: &str = "<synthetic>";

/// `message.usage` of an assistant line.
#[derive(Debug, Deserialize, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    pub input_tokens: Option<u64>,
    pub output_tokens: Option<u64>,
    pub cache_creation_input_tokens: Option<u64>,
    pub cache_read_input_tokens: Option<u64>,
}

impl Usage {
    /// The context the reply was given: everything on the input side (the
    /// output becomes input of the next request, and shows there).
    pub fn context_tokens(&self) -> u64 {
        self.input_tokens
            .unwrap_or(0)
            .saturating_add(self.cache_creation_input_tokens.unwrap_or(0))
            .saturating_add(self.cache_read_input_tokens.unwrap_or(0))
    }

    /// A response in ccusage's sense: one that carries both input and
    /// output counts (a nested `usage` elsewhere is not a reply).
    pub fn is_response(&self) -> bool {
        self.input_tokens.is_some() && self.output_tokens.is_some()
    }
}

/// `compactMetadata` of a `compact_boundary` line.
#[derive(Debug, Deserialize, Clone, Copy, Default, PartialEq)]
pub struct CompactMetadata {
    #[serde(rename = "preTokens")]
    pub pre_tokens: Option<u64>,
    #[serde(rename = "postTokens")]
    pub post_tokens: Option<u64>,
}

/// What a line is, by its `type` and `subtype`. Every other type Claude Code
/// writes (`api-request-blob`, `attachment`, `last-prompt`, `progress` ...)
/// is neither conversation nor usage, whatever it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Assistant,
    User,
    CompactBoundary,
    Other,
}

pub fn line_kind(kind: Option<&str>, subtype: Option<&str>) -> LineKind {
    match (kind, subtype) {
        (Some("assistant"), _) => LineKind::Assistant,
        (Some("user"), _) => LineKind::User,
        (Some("system"), Some("compact_boundary")) => LineKind::CompactBoundary,
        _ => LineKind::Other,
    }
}

/// The model a line names, unless it is the made-up one.
pub fn real_model(model: Option<&str>) -> Option<&str> {
    model.filter(|m| *m != SYNTHETIC_MODEL && !m.is_empty())
}

/// An assistant line whose usage is the main context's: the main chain (a
/// subagent's own file counts as its main chain), no API error, a real model.
pub fn sets_context(sidechain: bool, api_error: bool, model: Option<&str>) -> bool {
    !sidechain && !api_error && model != Some(SYNTHETIC_MODEL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_context_is_the_input_side_and_saturates() {
        let usage = Usage {
            input_tokens: Some(3),
            output_tokens: Some(9),
            cache_creation_input_tokens: Some(15_005),
            cache_read_input_tokens: Some(11_442),
        };
        assert_eq!(usage.context_tokens(), 26_450);
        let huge = Usage {
            input_tokens: Some(u64::MAX),
            cache_read_input_tokens: Some(2),
            ..Usage::default()
        };
        assert_eq!(huge.context_tokens(), u64::MAX);
        assert!(!huge.is_response());
    }

    #[test]
    fn only_three_types_are_conversation() {
        assert_eq!(line_kind(Some("assistant"), None), LineKind::Assistant);
        assert_eq!(
            line_kind(Some("system"), Some("compact_boundary")),
            LineKind::CompactBoundary
        );
        for other in [
            "api-request-blob",
            "api-request",
            "attachment",
            "last-prompt",
            "progress",
        ] {
            assert_eq!(line_kind(Some(other), None), LineKind::Other, "{other}");
        }
        assert_eq!(
            line_kind(Some("system"), Some("turn_duration")),
            LineKind::Other
        );
    }
}
