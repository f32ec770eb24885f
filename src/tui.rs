//! The one owner of the terminal: raw mode, alternate screen, mouse capture,
//! bracketed paste (a paste is one event, never keys that answer a prompt),
//! and their undoing on every way out (return, error, panic, signal).

use std::io::{self, Stdout, Write};
use std::mem::ManuallyDrop;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Term = Terminal<CrosstermBackend<Stdout>>;

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Restores the terminal when dropped.
pub struct Tui {
    /// Never dropped: ratatui's drop shows the cursor and, when that fails
    /// because the terminal is gone (the pane was closed), prints with
    /// `eprintln!` to that same dead terminal, which panics inside a drop
    /// and aborts the process before the last save. `restore` does its work.
    pub terminal: ManuallyDrop<Term>,
}

/// Why the screen cannot open here, if it cannot: it draws on stdout and
/// reads keys from stdin or, failing that, the controlling terminal (a pipe,
/// a script, a service has neither).
pub fn no_terminal() -> Option<String> {
    use std::io::IsTerminal;
    let output = io::stdout().is_terminal();
    let input = io::stdin().is_terminal() || std::fs::File::open("/dev/tty").is_ok();
    let missing = match (output, input) {
        (true, true) => return None,
        (false, _) => "its output is not a terminal",
        (true, false) => "its input is not a terminal, and there is no controlling terminal",
    };
    Some(format!(
        "the cockpit screen needs a terminal ({missing}); without one, try `cockpit report` or `cockpit sessions`"
    ))
}

impl Tui {
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut stdout = io::stdout();
        // Cleared here rather than with `Terminal::clear`, which asks the
        // terminal for the cursor position and waits for an answer.
        if let Err(err) = execute!(
            stdout,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste,
            Clear(ClearType::All)
        ) {
            restore();
            return Err(err);
        }
        let terminal = match Terminal::new(CrosstermBackend::new(stdout)) {
            Ok(terminal) => terminal,
            Err(err) => {
                restore();
                return Err(err);
            }
        };
        let mut tui = Self {
            terminal: ManuallyDrop::new(terminal),
        };
        tui.terminal.hide_cursor()?;
        Ok(tui)
    }
}

impl Tui {
    /// Ctrl-Z or SIGTSTP: gives the terminal back, stops the process as the
    /// shell expects, and on SIGCONT takes the terminal again and forces a
    /// whole redraw (the shell drew over everything meanwhile).
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)?;
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste,
            Clear(ClearType::All)
        )?;
        // Blank both buffers so the next frame is drawn whole; not
        // `Terminal::clear`, which would wait on a cursor position query.
        self.terminal.swap_buffers();
        self.terminal.hide_cursor()
    }
}

impl Tui {
    /// The next frame is drawn whole, at the terminal's size now: the screen
    /// is cleared and ratatui forgets what it believes is on it. After a
    /// resize or Ctrl-L that belief can be wrong (a terminal may lay the last
    /// frame out at its old size), and a diff against it would leave the
    /// screen as it is.
    pub fn redraw_whole(&mut self) -> io::Result<()> {
        let size = self.terminal.size()?;
        // `resize` clears the screen and the back buffer without asking the
        // terminal for the cursor position (as `Terminal::clear` would).
        self.terminal
            .resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back as it was. Safe to call twice, and after the
/// terminal has gone away (SIGHUP): errors are ignored then.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = stdout.flush();
}

/// Restores the terminal before the panic message is printed (by color-eyre's
/// hook, installed earlier and called next), so the message is readable.
fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}
