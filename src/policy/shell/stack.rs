//! The walk runs on a thread with a large stack: brush-parser and the walk
//! recurse once per nesting level, and a stack overflow would abort the hook,
//! which lets the call through.

use super::types::{Analysis, Feed, Rendered, Walker};

/// Longer command lines are not parsed (they are opaque): with the stack
/// below, no nesting that fits in this many bytes can overflow it.
const MAX_LEN: usize = 256 * 1024;
/// Input this short is walked on the caller's thread: a thread costs 0.1 to
/// 0.3 ms, and this much nesting fits in 1 MiB of stack (a test checks it;
/// the hook runs on the main thread, 8 MiB). Most agent commands are shorter.
pub const INLINE_LEN: usize = 256;
/// The parser and the walk recurse once per nesting level; a stack overflow
/// would abort the hook, and an aborted hook lets the call through.
const STACK: usize = 512 << 20;

#[derive(Clone)]
pub(super) enum Input {
    Script(String),
    Argv(Vec<String>),
}

/// Runs the walk on a thread with a large stack (only the pages touched are
/// allocated; the syntax tree is dropped there too, as its drop recurses).
/// Where so large a stack cannot be had, a smaller one takes shorter input.
pub(super) fn on_big_stack(input: Input) -> Analysis {
    let len = match &input {
        Input::Script(s) => s.len(),
        Input::Argv(words) => words.iter().map(String::len).sum(),
    };
    if len <= INLINE_LEN {
        // brush-parser can panic on odd input (`$(<<x)${` and a newline):
        // that command is unreadable, the rest of the call still decided.
        let walked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| walk(input)));
        return walked.unwrap_or_else(|_| failed("the shell parser failed on this command"));
    }
    for (stack, max_len) in [(STACK, MAX_LEN), (STACK / 8, MAX_LEN / 8)] {
        if len > max_len {
            continue;
        }
        let input = input.clone();
        let thread = std::thread::Builder::new()
            .name("shell-parse".into())
            .stack_size(stack)
            .spawn(move || walk(input));
        match thread.map(|t| t.join()) {
            Ok(Ok(analysis)) => return analysis,
            Ok(Err(_)) => break,
            Err(_) => continue,
        }
    }
    failed(&match len > MAX_LEN {
        true => format!("the command is longer than {MAX_LEN} bytes"),
        false => "the shell parser failed on this command".into(),
    })
}

fn failed(why: &str) -> Analysis {
    Analysis {
        opaque: Some(why.to_string()),
        ..Analysis::default()
    }
}

fn walk(input: Input) -> Analysis {
    let mut walker = Walker {
        dirs: vec![std::path::PathBuf::new()],
        ..Walker::default()
    };
    match input {
        Input::Script(script) => walker.script(&script, false, 0),
        Input::Argv(argv) => {
            let words = argv.iter().map(|w| Rendered::literal(w)).collect();
            walker.emit(words, false, Feed::Unknown, 0);
        }
    }
    walker.out
}
