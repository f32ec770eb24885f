//! What a line must hold for a rule's pattern to match, read from the
//! pattern's text without compiling it: the hook compiles what it reaches on
//! every tool call, and compiling the default patterns was most of its work
//! while most calls run none of the programs they name. Only simple shapes
//! are read (`^git push…`, `^(?:sudo|doas)…`, `… <\(\.\.\.\) …`); for any
//! other the answer is `None` and the pattern is compiled as before.

/// A necessary condition for a match.
#[derive(Debug, Clone, PartialEq)]
pub struct Needs {
    /// The line starts with one of these (every branch is `^literal…`).
    starts: Option<Vec<String>>,
    /// The line contains this (every branch has it).
    contains: Option<&'static str>,
}

impl Needs {
    pub fn admits(&self, line: &str) -> bool {
        let starts = self
            .starts
            .as_ref()
            .is_none_or(|words| words.iter().any(|w| line.starts_with(w.as_str())));
        starts && self.contains.is_none_or(|text| line.contains(text))
    }
}

/// The process substitution as the shell reader renders it.
const SUBSTITUTION: (&str, &str) = (r"<\(\.\.\.\)", "<(...)");

pub fn needs(pattern: &str) -> Option<Needs> {
    // Classes starting with `]` are where a simple scan goes wrong.
    if pattern.contains("[]") || pattern.contains("[^]") {
        return None;
    }
    let branches = branches(pattern);
    let starts: Option<Vec<String>> = branches
        .iter()
        .map(|b| leading(b))
        .collect::<Option<Vec<Vec<String>>>>()
        .map(|all| all.concat());
    let contains = branches
        .iter()
        .all(|b| b.contains(SUBSTITUTION.0))
        .then_some(SUBSTITUTION.1);
    (starts.is_some() || contains.is_some()).then_some(Needs { starts, contains })
}

/// The top-level alternatives of a pattern.
fn branches(pattern: &str) -> Vec<&str> {
    let bytes = pattern.as_bytes();
    let (mut depth, mut class, mut start) = (0i32, false, 0);
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' if !class => class = true,
            b']' if class => class = false,
            b'(' if !class => depth += 1,
            b')' if !class => depth -= 1,
            b'|' if !class && depth == 0 => {
                out.push(&pattern[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&pattern[start..]);
    out
}

fn literal_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || " _-/=,:@".contains(c)
}

/// `^git push…` → `git push`; `^(?:sudo|doas)…` → `sudo`, `doas`. A
/// literal's last character is dropped when a quantifier makes it optional.
fn leading(branch: &str) -> Option<Vec<String>> {
    let rest = branch.strip_prefix('^')?;
    let run = |text: &str| -> Option<(String, usize)> {
        let end = text.find(|c: char| !literal_char(c)).unwrap_or(text.len());
        let mut word = text[..end].to_string();
        if text[end..].starts_with(['?', '*', '{']) {
            word.pop();
        }
        (!word.is_empty()).then_some((word, end))
    };
    if let Some(group) = rest.strip_prefix("(?:") {
        let close = group.find(')')?;
        if group[close + 1..].starts_with(['?', '*', '{']) {
            return None;
        }
        return group[..close]
            .split('|')
            .map(|alt| run(alt).filter(|(w, end)| *end == alt.len() && w.len() == alt.len()))
            .map(|alt| alt.map(|(w, _)| w))
            .collect();
    }
    run(rest).map(|(word, _)| vec![word])
}

/// Whether `path` could match `glob`: every literal run of the glob (outside
/// wildcards and `[...]` classes) appears in it, in any order.
pub fn glob_admits(glob: &str, path: &str) -> bool {
    let mut runs = Vec::new();
    let mut run = String::new();
    let mut chars = glob.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' | '?' | '{' | '}' => runs.push(std::mem::take(&mut run)),
            '[' => {
                runs.push(std::mem::take(&mut run));
                // Skip the class (its first character may be `]`).
                let mut first = true;
                for c in chars.by_ref() {
                    if c == ']' && !first {
                        break;
                    }
                    first = matches!(c, '!' | '^') && first;
                }
            }
            c => run.push(c),
        }
    }
    runs.push(run);
    runs.iter().all(|r| path.contains(r.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_what_it_is_sure_of() {
        let n = |p: &str| needs(p).and_then(|n| n.starts);
        assert_eq!(n(r"^git push(?: |$)"), Some(vec!["git push".into()]));
        assert_eq!(
            n(r"^rm\b.* -r|^find\b.* -delete\b"),
            Some(vec!["rm".into(), "find".into()])
        );
        assert_eq!(
            n(r"^(?:sudo|doas)\b|^dd\b"),
            Some(vec!["sudo".into(), "doas".into(), "dd".into()])
        );
        assert_eq!(n(r"^gitx?"), Some(vec!["git".into()]));
        assert_eq!(n(r"^(?:ba|z)?sh"), None);
        assert_eq!(n(r"(?i)^git"), None);
        assert_eq!(n(r"^git|rm"), None);
        assert_eq!(n(r"^(?:a|b.c)"), None);
        assert_eq!(n(r"^[a]|^b"), None);
        assert_eq!(n(r"^a\|b"), Some(vec!["a".into()]));
        assert!(glob_admits("**/.git/hooks/**", "/p/.git/hooks/pre-commit"));
        assert!(!glob_admits("**/.git/hooks/**", "/p/src/hooks.rs"));
        assert!(glob_admits("**/id_rsa*", "/h/.ssh/id_rsa.pub"));
        assert!(
            glob_admits("src/[ab].rs", "/p/src/a.rs") && !glob_admits("src/[ab].rs", "/p/lib.rs")
        );
        let sub = needs(r"^(?:sh|bash)(?: -\S+)* <\(\.\.\.\)").unwrap();
        assert!(sub.admits("bash <(...)") && !sub.admits("bash x.sh"));
    }
}
