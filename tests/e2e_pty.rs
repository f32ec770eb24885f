//! End-to-end tests: the real `cockpit` binary in a pseudo-terminal, its
//! output read into a vt100 screen, transcripts appended while it runs.
//!
//! Every wait is deadline-based (poll the screen, short sleeps); no test
//! asserts how long anything took.

use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// Generous: the machine running the tests may be busy.
const DEADLINE: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(20);

/// DSR: where is the cursor? (ratatui asks when it clears the screen.)
const CURSOR_QUERY: &[u8] = b"\x1b[6n";

const USER_LINE: &str = r#"{"parentUuid":null,"isSidechain":false,"userType":"external","cwd":"/home/dev/project","sessionId":"55604662-cf2a-4331-851a-ec234028f8ca","version":"2.1.38","gitBranch":"main","type":"user","message":{"role":"user","content":"why does the server not start?"},"uuid":"7d48cbd2-6615-4dd8-87f6-38f12b8167d6","timestamp":"2026-02-10T21:11:56.846Z"}"#;

/// An assistant line on the main chain whose usage sums to `input + creation + read`.
fn assistant_line(input: u64, creation: u64, read: u64) -> String {
    format!(
        r#"{{"parentUuid":"7d48cbd2-6615-4dd8-87f6-38f12b8167d6","isSidechain":false,"userType":"external","cwd":"/home/dev/project","sessionId":"55604662-cf2a-4331-851a-ec234028f8ca","version":"2.1.38","gitBranch":"main","message":{{"model":"claude-opus-4-6","id":"msg_01","type":"message","role":"assistant","content":[{{"type":"text","text":"Let me look."}}],"stop_reason":null,"stop_sequence":null,"usage":{{"input_tokens":{input},"cache_creation_input_tokens":{creation},"cache_read_input_tokens":{read},"output_tokens":13}}}},"type":"assistant","uuid":"1b7d717f-d6a2-46a6-8575-fa4f937450ea","timestamp":"2026-02-10T21:11:59.186Z"}}"#
    )
}

/// 3 + 2,000 + 10,342 = 12,345.
fn first_usage() -> String {
    assistant_line(3, 2_000, 10_342)
}

/// 5 + 8,760 + 90,000 = 98,765 (49% of 200k).
fn second_usage() -> String {
    assistant_line(5, 8_760, 90_000)
}

/// Records what the program asked of the terminal beyond the screen itself.
#[derive(Default)]
struct Requests {
    titles: Vec<Vec<u8>>,
    icon_names: Vec<Vec<u8>>,
    clipboard: Vec<Vec<u8>>,
}

impl vt100::Callbacks for Requests {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }

    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.icon_names.push(name.to_vec());
    }

    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
}

/// The cockpit running in a pty, with its screen as a terminal would show it.
struct Harness {
    child: Box<dyn Child + Send + Sync>,
    /// Kept open: dropping the master hangs up the child's terminal.
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    output: Receiver<Vec<u8>>,
    parser: vt100::Parser<Requests>,
    /// Every byte the program wrote, in order.
    raw: Vec<u8>,
    eof: bool,
    transcript: PathBuf,
    _dir: tempfile::TempDir,
}

impl Harness {
    /// Starts the cockpit following a transcript that holds `lines`.
    fn start(lines: &[&str], cols: u16, rows: u16) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let home = dir.path().join("home");
        let config = dir.path().join("config");
        let state = dir.path().join("state");
        let project = dir.path().join("project");
        for d in [&home, &config, &state, &project] {
            std::fs::create_dir_all(d).expect("create dir");
        }
        let transcript = dir
            .path()
            .join("55604662-cf2a-4331-851a-ec234028f8ca.jsonl");
        let mut content = String::new();
        for line in lines {
            content.push_str(line);
            content.push('\n');
        }
        std::fs::write(&transcript, content).expect("write transcript");

        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cockpit"));
        cmd.arg("--transcript");
        cmd.arg(&transcript);
        cmd.cwd(&project);
        // Nothing from the real user's environment: no config, no state, no sessions.
        cmd.env_clear();
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd.env("HOME", &home);
        cmd.env("XDG_CONFIG_HOME", &config);
        cmd.env("XDG_STATE_HOME", &state);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        let child = pair.slave.spawn_command(cmd).expect("spawn cockpit");
        // Only the child holds the slave now: its exit ends our reads.
        drop(pair.slave);

        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let (tx, output) = channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    // EOF, or EIO once the child has closed the terminal.
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });

        Self {
            child,
            _master: pair.master,
            writer,
            output,
            parser: vt100::Parser::new_with_callbacks(rows, cols, 0, Requests::default()),
            raw: Vec::new(),
            eof: false,
            transcript,
            _dir: dir,
        }
    }

    /// Feeds everything read so far to the screen.
    fn pump(&mut self) {
        loop {
            match self.output.try_recv() {
                Ok(chunk) => self.take(&chunk),
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    self.eof = true;
                    return;
                }
            }
        }
    }

    /// Shows `chunk` on the screen, answering each cursor position query as
    /// a terminal would: with the cursor where the output before it put it.
    fn take(&mut self, chunk: &[u8]) {
        let start = self.raw.len();
        self.raw.extend_from_slice(chunk);
        let mut shown = start;
        // A query may have begun in the previous chunk.
        let mut from = start.saturating_sub(CURSOR_QUERY.len() - 1);
        while let Some(at) = find(&self.raw[from..], CURSOR_QUERY) {
            let end = from + at + CURSOR_QUERY.len();
            self.parser.process(&self.raw[shown..end]);
            shown = end;
            from = end;
            let (row, col) = self.screen().cursor_position();
            let reply = format!("\x1b[{};{}R", row + 1, col + 1);
            // The child may be gone already; then nobody is asking.
            let _ = self.writer.write_all(reply.as_bytes());
            let _ = self.writer.flush();
        }
        self.parser.process(&self.raw[shown..]);
    }

    fn screen(&self) -> &vt100::Screen {
        self.parser.screen()
    }

    fn text(&self) -> String {
        self.screen().contents()
    }

    /// Polls the screen until `ready` holds; panics with the screen if it never does.
    fn wait_for(&mut self, what: &str, ready: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            self.pump();
            let text = self.text();
            if ready(&text) {
                return;
            }
            if Instant::now() >= deadline {
                panic!("timed out waiting for {what}; the screen shows:\n{text}");
            }
            if self.eof {
                panic!("the cockpit exited while waiting for {what}; the screen shows:\n{text}");
            }
            std::thread::sleep(POLL);
        }
    }

    fn wait_for_text(&mut self, needle: &str) {
        self.wait_for(&format!("{needle:?}"), |text| text.contains(needle));
    }

    /// The first frame is drawn: the header and both panels are there.
    fn wait_for_first_frame(&mut self) {
        self.wait_for("the first frame", |text| {
            text.contains("cockpit") && text.contains("Context") && text.contains("Tool calls")
        });
    }

    /// Reads output for `period` (no assertion on what arrives meanwhile).
    fn settle(&mut self, period: Duration) {
        let until = Instant::now() + period;
        while Instant::now() < until {
            self.pump();
            std::thread::sleep(POLL);
        }
        self.pump();
    }

    /// Appends bytes to the transcript the way an agent does: open, append, close.
    fn append(&self, bytes: &str) {
        let mut file = OpenOptions::new()
            .append(true)
            .open(&self.transcript)
            .expect("open transcript for append");
        file.write_all(bytes.as_bytes()).expect("append");
        file.flush().expect("flush");
    }

    fn append_line(&self, line: &str) {
        self.append(&format!("{line}\n"));
    }

    /// `q`, then `Esc` at the "one learning before you go" prompt.
    fn quit(&mut self) {
        self.press("q");
        self.wait_for("the learning prompt", |text| text.contains("one learning"));
        self.press("\x1b");
    }

    fn press(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .args([format!("-{name}"), self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} failed: {status:?}");
    }

    /// Waits for the process to end, then drains what it wrote last.
    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + DEADLINE;
        let status = loop {
            self.pump();
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if Instant::now() >= deadline {
                panic!(
                    "the cockpit did not exit; the screen shows:\n{}",
                    self.text()
                );
            }
            std::thread::sleep(POLL);
        };
        let drain_until = Instant::now() + Duration::from_secs(1);
        while !self.eof && Instant::now() < drain_until {
            self.pump();
            std::thread::sleep(POLL);
        }
        self.pump();
        status
    }

    /// The terminal is as the cockpit found it: main screen, cursor shown, no mouse capture.
    fn assert_restored(&self) {
        let screen = self.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen");
        assert!(!screen.hide_cursor(), "the cursor is still hidden");
        assert_eq!(
            screen.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse capture is still on"
        );
        assert!(
            contains(&self.raw, b"\x1b[?1049l"),
            "the alternate screen was never left"
        );
    }

    /// The last row of the screen: the key hints and the status.
    fn status_line(&self) -> String {
        let (_, cols) = self.screen().size();
        self.screen().rows(0, cols).last().unwrap_or_default()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        // A failed test must not leave the cockpit running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

fn start_with_first_usage() -> Harness {
    let first = first_usage();
    let mut h = Harness::start(&[USER_LINE, &first], 100, 30);
    h.wait_for_text("12,345");
    h
}

#[test]
fn gauge_updates_when_a_line_is_appended() {
    let mut h = start_with_first_usage();
    assert!(
        h.status_line().contains("q quit"),
        "hints: {}",
        h.status_line()
    );

    h.append_line(&second_usage());
    h.wait_for("98,765 at 49%", |text| {
        text.contains("98,765") && text.contains("49%")
    });

    h.quit();
    let status = h.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    h.assert_restored();
}

#[test]
fn half_written_line_waits_for_its_end() {
    let mut h = start_with_first_usage();
    let line = second_usage();
    let (head, tail) = line.split_at(line.len() / 2);

    h.append(head);
    h.settle(Duration::from_millis(500));
    let text = h.text();
    assert!(text.contains("12,345"), "the old figure is gone:\n{text}");
    assert!(!text.contains("98,765"), "a half line was read:\n{text}");
    assert!(
        !text.contains("malformed"),
        "a half line counted as malformed:\n{text}"
    );

    h.append(&format!("{tail}\n"));
    h.wait_for_text("98,765");
    let text = h.text();
    assert!(
        !text.contains("malformed"),
        "the joined line was malformed:\n{text}"
    );
}

#[test]
fn malformed_line_is_counted_not_fatal() {
    let mut h = start_with_first_usage();
    h.append("{\"type\":\"assis\n");
    h.append_line(&second_usage());
    h.wait_for("the malformed count and the new figure", |text| {
        text.contains("1 malformed line skipped") && text.contains("98,765")
    });
    // Still running and still answering keys.
    h.quit();
    let status = h.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    h.assert_restored();
}

fn signal_restores_the_terminal(signal: &str) {
    let mut h = Harness::start(&[USER_LINE, &first_usage()], 100, 30);
    h.wait_for_first_frame();
    // What the signal handling must undo is in effect.
    let screen = h.screen();
    assert!(
        screen.alternate_screen(),
        "the cockpit is not on the alternate screen"
    );
    assert!(screen.hide_cursor(), "the cockpit did not hide the cursor");
    assert_ne!(
        screen.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "the cockpit did not capture the mouse"
    );
    h.signal(signal);
    h.wait_exit();
    h.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    signal_restores_the_terminal("TERM");
}

#[test]
fn sighup_restores_the_terminal() {
    signal_restores_the_terminal("HUP");
}

#[test]
fn compaction_shows_waiting_state() {
    let mut h = start_with_first_usage();
    h.append_line(
        r#"{"parentUuid":"1b7d717f-d6a2-46a6-8575-fa4f937450ea","isSidechain":false,"userType":"external","cwd":"/home/dev/project","sessionId":"55604662-cf2a-4331-851a-ec234028f8ca","version":"2.1.38","gitBranch":"main","type":"system","subtype":"compact_boundary","content":"Conversation compacted","isMeta":false,"timestamp":"2026-02-10T21:40:00.000Z","uuid":"b2c3d4e5-0000-4000-8000-000000000001","level":"info","compactMetadata":{"trigger":"auto","preTokens":170251}}"#,
    );
    h.wait_for("the waiting state after compaction", |text| {
        text.contains("compacted, waiting for the next reply") && text.contains("1 compaction")
    });
    assert!(!h.text().contains("malformed"), "{}", h.text());
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let mut h = start_with_first_usage();
    let clears_before = count(&h.raw, b"\x1b[2J");
    h.append_line(
        r#"{"parentUuid":"1b7d717f-d6a2-46a6-8575-fa4f937450ea","isSidechain":false,"userType":"external","cwd":"/home/dev/project","sessionId":"55604662-cf2a-4331-851a-ec234028f8ca","version":"2.1.38","gitBranch":"main","message":{"model":"claude-opus-4-6","id":"msg_02","type":"message","role":"assistant","content":[{"type":"tool_use","id":"toolu_evil","name":"Bash","input":{"command":"echo \u001b]0;pwned\u0007 && printf '\u001b[2J'"}}],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"cache_creation_input_tokens":1000,"cache_read_input_tokens":12342,"output_tokens":20}},"type":"assistant","uuid":"c228f841-697c-48dd-b33e-3ebc5ced6a41","timestamp":"2026-02-10T21:12:01.117Z"}"#,
    );
    // The call is shown, its control characters as visible symbols.
    h.wait_for("the tool call", |text| {
        text.contains("pwned") && text.contains("13,345")
    });
    h.settle(Duration::from_millis(200));

    let requests = h.parser.callbacks();
    assert!(
        requests.titles.is_empty(),
        "the window title was set: {:?}",
        requests.titles
    );
    assert!(
        requests.icon_names.is_empty(),
        "the icon name was set: {:?}",
        requests.icon_names
    );
    assert!(requests.clipboard.is_empty(), "the clipboard was written");
    assert!(
        !contains(&h.raw, b"\x1b]0;pwned"),
        "the title sequence reached the terminal"
    );
    assert_eq!(
        count(&h.raw, b"\x1b[2J"),
        clears_before,
        "the transcript's clear-screen sequence reached the terminal"
    );
    let text = h.text();
    // ESC and BEL are drawn as the control pictures U+241B and U+2407.
    assert!(
        text.contains("\u{241b}]0;pwned\u{2407}"),
        "not shown escaped:\n{text}"
    );
    assert!(text.contains("cockpit"), "the header is gone:\n{text}");
    assert!(text.contains("Context"), "the gauge is gone:\n{text}");
}

#[test]
fn small_terminal_shows_every_panel() {
    let mut h = Harness::start(&[USER_LINE, &first_usage()], 80, 24);
    h.wait_for("every panel at 80x24", |text| {
        text.contains("cockpit")
            && text.contains("Context")
            && text.contains("Tool calls")
            && text.contains("12,345")
    });
    let hints = h.status_line();
    assert!(hints.contains("q quit"), "the key hints line is {hints:?}");
    h.quit();
    let status = h.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    h.assert_restored();
}

#[test]
fn sigquit_restores_the_terminal() {
    signal_restores_the_terminal("QUIT");
}

#[test]
fn sigusr1_restores_the_terminal() {
    signal_restores_the_terminal("USR1");
}

/// Suspended by `how`, the terminal is restored and the process stopped; on
/// SIGCONT the cockpit takes the screen again and redraws it whole.
fn suspend_and_continue(how: impl Fn(&mut Harness)) {
    let mut h = start_with_first_usage();
    let before = h.raw.len();
    how(&mut h);
    let deadline = Instant::now() + DEADLINE;
    loop {
        h.pump();
        let state = std::fs::read_to_string(format!("/proc/{}/stat", h.pid())).unwrap();
        let stopped = state
            .rsplit(')')
            .next()
            .unwrap()
            .trim_start()
            .starts_with('T');
        if stopped && contains(&h.raw[before..], b"\x1b[?1049l") {
            break;
        }
        assert!(Instant::now() < deadline, "not suspended: {state}");
        std::thread::sleep(POLL);
    }
    h.assert_restored();
    let stopped_at = h.raw.len();
    h.signal("CONT");
    h.wait_for("the screen back", |text| text.contains("12,345"));
    assert!(contains(&h.raw[stopped_at..], b"\x1b[?1049h"));
    assert!(h.screen().alternate_screen() && h.screen().hide_cursor());
    h.quit();
    h.wait_exit();
    h.assert_restored();
}

#[test]
fn sigtstp_suspends_and_sigcont_comes_back_whole() {
    suspend_and_continue(|h| h.signal("TSTP"));
}

#[test]
fn ctrl_z_suspends_and_sigcont_comes_back_whole() {
    suspend_and_continue(|h| h.press("\x1a"));
}
