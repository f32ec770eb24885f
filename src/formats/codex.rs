//! Codex's rollout lines (`../shared/FORMATS.md` section 4 and 6).

use serde::Deserialize;

/// `token_count.info`.
#[derive(Debug, Deserialize, Clone, Copy, Default, PartialEq)]
pub struct Info {
    pub total_token_usage: Option<TokenUsage>,
    pub last_token_usage: Option<TokenUsage>,
    /// Already the usable part of the window (258,400 for a 272k model).
    pub model_context_window: Option<u64>,
}

/// One usage block. `input_tokens` includes the cached reads and (0.169)
/// the cache writes.
#[derive(Debug, Deserialize, Clone, Copy, Default, PartialEq)]
pub struct TokenUsage {
    #[serde(default)]
    pub input_tokens: u64,
    #[serde(default)]
    pub cached_input_tokens: u64,
    /// Codex 0.169: tokens written to the prompt cache, part of `input_tokens`.
    #[serde(default)]
    pub cache_write_input_tokens: u64,
    #[serde(default)]
    pub output_tokens: u64,
    #[serde(default)]
    pub reasoning_output_tokens: u64,
    #[serde(default)]
    pub total_tokens: u64,
}

/// A usage block with its input split the way Claude's columns mean it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Split {
    /// Input neither read from nor written to the cache.
    pub fresh_input: u64,
    pub cache_read: u64,
    pub cache_write: u64,
    pub output: u64,
}

impl TokenUsage {
    /// The context after the turn (`last_token_usage`): what Codex counts,
    /// `total_tokens`, or input plus output where an older build left it out.
    pub fn context_tokens(&self) -> u64 {
        if self.total_tokens > 0 {
            self.total_tokens
        } else {
            self.input_tokens.saturating_add(self.output_tokens)
        }
    }

    pub fn split(&self) -> Split {
        let cache_read = self.cached_input_tokens.min(self.input_tokens);
        let cache_write = self
            .cache_write_input_tokens
            .min(self.input_tokens - cache_read);
        Split {
            fresh_input: self.input_tokens - cache_read - cache_write,
            cache_read,
            cache_write,
            output: self.output_tokens,
        }
    }

    /// This total minus an earlier one: the turn's own usage when only
    /// running totals were written.
    pub fn minus(self, before: Option<TokenUsage>) -> TokenUsage {
        let b = before.unwrap_or_default();
        TokenUsage {
            input_tokens: self.input_tokens.saturating_sub(b.input_tokens),
            cached_input_tokens: self
                .cached_input_tokens
                .saturating_sub(b.cached_input_tokens),
            cache_write_input_tokens: self
                .cache_write_input_tokens
                .saturating_sub(b.cache_write_input_tokens),
            output_tokens: self.output_tokens.saturating_sub(b.output_tokens),
            reasoning_output_tokens: self
                .reasoning_output_tokens
                .saturating_sub(b.reasoning_output_tokens),
            total_tokens: self.total_tokens.saturating_sub(b.total_tokens),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_never_counts_a_token_twice() {
        let usage = TokenUsage {
            input_tokens: 21_000,
            cached_input_tokens: 20_480,
            cache_write_input_tokens: 512,
            output_tokens: 321,
            total_tokens: 21_321,
            ..TokenUsage::default()
        };
        let split = usage.split();
        assert_eq!(
            (
                split.fresh_input,
                split.cache_read,
                split.cache_write,
                split.output
            ),
            (8, 20_480, 512, 321)
        );
        assert_eq!(usage.context_tokens(), 21_321);
        // Counts larger than the input they are part of are cut to it.
        let odd = TokenUsage {
            input_tokens: 10,
            cached_input_tokens: 8,
            cache_write_input_tokens: 5,
            ..TokenUsage::default()
        };
        assert_eq!(odd.split().cache_write, 2);
        assert_eq!(odd.context_tokens(), 10);
    }
}
