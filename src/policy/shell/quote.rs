//! Quoting a path for the command line an agent's settings run (the hook
//! and status-line commands `install-hooks` writes), and reading it back.

/// Single quotes for `sh`, unless the text needs none.
pub fn shell_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

pub fn shell_unquote(text: &str) -> Option<String> {
    let text = text.trim();
    let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) else {
        return Some(text.to_string()).filter(|t| !t.contains(char::is_whitespace));
    };
    Some(inner.replace(r"'\''", "'"))
}
