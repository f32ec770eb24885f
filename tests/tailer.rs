//! The tailer on real files: appends, half lines, truncation, replacement,
//! deletion, a concurrent writer, malformed and over-long lines.

mod common;

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;

use cockpit::agents::AgentKind;
use cockpit::agents::reader::Reader;
use cockpit::agents::source::{Role, Source, SourceId};
use cockpit::agents::tail::Tailer;
use cockpit::state::Session;

fn append(path: &Path, bytes: &[u8]) {
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    file.write_all(bytes).unwrap();
}

fn read_lines(tailer: &mut Tailer) -> (Vec<String>, cockpit::agents::tail::TailRead) {
    let mut lines = Vec::new();
    let read = tailer
        .read_appended(u64::MAX, |l| {
            lines.push(String::from_utf8_lossy(l).into_owned())
        })
        .unwrap();
    (lines, read)
}

fn usage_line(tokens: u64) -> String {
    format!(
        r#"{{"type":"assistant","isSidechain":false,"sessionId":"s1","timestamp":"2026-02-12T16:02:27.718Z","message":{{"model":"claude-opus-4-6","content":[],"usage":{{"input_tokens":{tokens},"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":5}}}}}}
"#
    )
}

#[test]
fn reads_only_appended_bytes_and_waits_for_half_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    append(&path, b"one\ntw");
    let mut tailer = Tailer::new(&path, 1024);
    let (lines, read) = read_lines(&mut tailer);
    assert_eq!(lines, ["one"]);
    assert_eq!(read.bytes, 6);
    append(&path, b"o\nthree\n");
    let (lines, read) = read_lines(&mut tailer);
    assert_eq!(lines, ["two", "three"]);
    // Only the new bytes were read, not the file again.
    assert_eq!(read.bytes, 8);
    let (lines, read) = read_lines(&mut tailer);
    assert!(lines.is_empty());
    assert_eq!(read.bytes, 0);
}

#[test]
fn truncation_and_replacement_start_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    append(&path, b"a\nb\nc\n");
    let mut tailer = Tailer::new(&path, 1024);
    assert_eq!(read_lines(&mut tailer).0, ["a", "b", "c"]);

    // Truncated in place (same inode, smaller size).
    fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&path)
        .unwrap();
    append(&path, b"x\n");
    let (lines, read) = read_lines(&mut tailer);
    assert!(read.reset && lines.is_empty());
    assert_eq!(read_lines(&mut tailer).0, ["x"]);

    // Replaced by a new file renamed over it (new inode, bigger size).
    let other = dir.path().join("new.jsonl");
    fs::write(&other, b"p\nq\nr\ns\n").unwrap();
    fs::rename(&other, &path).unwrap();
    let (_, read) = read_lines(&mut tailer);
    assert!(read.reset);
    assert_eq!(read_lines(&mut tailer).0, ["p", "q", "r", "s"]);
}

#[test]
fn deletion_is_survived_and_a_new_file_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    append(&path, b"a\n");
    let mut tailer = Tailer::new(&path, 1024);
    assert_eq!(read_lines(&mut tailer).0, ["a"]);
    fs::remove_file(&path).unwrap();
    let (lines, read) = read_lines(&mut tailer);
    assert!(read.gone && lines.is_empty());
    let (_, read) = read_lines(&mut tailer);
    assert!(read.gone);
    append(&path, b"again\n");
    let (_, read) = read_lines(&mut tailer);
    assert!(read.reset, "a new file at the path starts over");
    assert_eq!(read_lines(&mut tailer).0, ["again"]);
}

#[test]
fn a_concurrent_writer_loses_no_line_and_repeats_none() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    append(&path, b"");
    const LINES: usize = 20_000;
    let writer_path = path.clone();
    let writer = std::thread::spawn(move || {
        let mut file = OpenOptions::new().append(true).open(&writer_path).unwrap();
        for i in 0..LINES {
            // Two writes per line, so the reader often sees half a line.
            let line = format!("{{\"n\":{i},\"pad\":\"{}\"}}", "x".repeat(i % 97));
            let (head, tail) = line.split_at(line.len() / 2);
            file.write_all(head.as_bytes()).unwrap();
            file.write_all(tail.as_bytes()).unwrap();
            file.write_all(b"\n").unwrap();
        }
    });
    let mut tailer = Tailer::new(&path, 1 << 20);
    let mut seen = Vec::with_capacity(LINES);
    let mut collect = |tailer: &mut Tailer| {
        tailer
            .read_appended(u64::MAX, |l| {
                let value: serde_json::Value = serde_json::from_slice(l).expect("whole lines only");
                seen.push(value["n"].as_u64().unwrap() as usize);
            })
            .unwrap();
    };
    while !writer.is_finished() {
        collect(&mut tailer);
    }
    writer.join().unwrap();
    collect(&mut tailer);
    assert_eq!(seen.len(), LINES);
    assert!(seen.iter().enumerate().all(|(i, n)| i == *n));
}

#[test]
fn malformed_and_overlong_lines_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    append(&path, usage_line(1_000).as_bytes());
    append(&path, b"{\"type\":\"assis\n");
    append(
        &path,
        format!("{{\"junk\":\"{}\"}}\n", "z".repeat(4096)).as_bytes(),
    );
    append(&path, usage_line(2_000).as_bytes());
    let mut reader = Reader::new(path.clone(), AgentKind::Claude, false, 1024);
    let mut session = Session::new(
        Source {
            id: SourceId(1),
            path: path.clone(),
            kind: AgentKind::Claude,
            role: Role::Main,
            modified_ms: 0,
        },
        100,
    );
    common::catch_up(&mut reader, &mut session);
    assert_eq!(session.gauge.settled, Some(2_000));
    assert_eq!(session.malformed, 1);
    assert_eq!(session.oversized, 1);
    let message = session.last_malformed.clone().unwrap();
    assert!(
        message.starts_with(&format!("{}:2: ", path.display())),
        "names file and line: {message}"
    );
    // Nothing after the bad lines was lost, and a later append still arrives.
    append(&path, usage_line(3_000).as_bytes());
    common::catch_up(&mut reader, &mut session);
    assert_eq!(session.gauge.settled, Some(3_000));
}

#[test]
fn rewritten_in_place_with_more_bytes_still_starts_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    append(&path, b"first\n");
    let mut tailer = Tailer::new(&path, 1024);
    assert_eq!(read_lines(&mut tailer).0, ["first"]);
    // `>` truncates and writes more before the tailer looks again.
    fs::write(&path, b"other content\nsecond line\n").unwrap();
    let (_, read) = read_lines(&mut tailer);
    assert!(read.reset);
    assert_eq!(read_lines(&mut tailer).0, ["other content", "second line"]);
}

/// The state of this process's thread named `name` (`R` running, `S` asleep).
fn thread_state(name: &str) -> char {
    for task in fs::read_dir("/proc/self/task").unwrap() {
        let task = task.unwrap().path();
        if fs::read_to_string(task.join("comm"))
            .unwrap_or_default()
            .trim()
            == name
        {
            let stat = fs::read_to_string(task.join("stat")).unwrap();
            // `pid (comm) S …`: the state follows the last parenthesis.
            let after = &stat[stat.rfind(')').unwrap() + 2..];
            return after.chars().next().unwrap();
        }
    }
    panic!("no thread named {name}");
}

/// Waits on the reader's events until one satisfies `done`.
fn wait_for_batch(
    events: &mut cockpit::event::EventReceiver,
    mut done: impl FnMut(&cockpit::agents::source::Batch) -> bool,
) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        assert!(std::time::Instant::now() < deadline, "no such batch came");
        match events.try_recv() {
            Ok(cockpit::event::Event::Transcript(_, batch)) if done(&batch) => return,
            Ok(_) => {}
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(10)),
        }
    }
}

#[test]
fn a_reader_woken_with_nothing_new_goes_back_to_sleep() {
    // A wake that finds nothing to read (a second event for one write, or a
    // line only half written) left the reader re-reading the file at full
    // speed until the next whole line came: a core per transcript.
    use cockpit::agents::budget::Budget;
    use cockpit::agents::reader::{IN_FLIGHT_BYTES, spawn};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.jsonl");
    let prompt = |text: &str| {
        format!(
            "{{\"type\":\"user\",\"sessionId\":\"s\",\"message\":{{\"role\":\"user\",\"content\":\"{text}\"}}}}\n"
        )
    };
    fs::write(&path, prompt("first")).unwrap();
    let (sender, mut events) = cockpit::event::channel();
    let budget = Budget::new(IN_FLIGHT_BYTES);
    let reader = spawn(
        SourceId(977),
        path.clone(),
        AgentKind::Claude,
        false,
        1 << 20,
        Box::new(move |batch| {
            let event = cockpit::event::Event::Transcript(SourceId(977), batch);
            sender.send(event).is_ok()
        }),
        budget,
    )
    .unwrap();
    wait_for_batch(&mut events, |b| b.caught_up);

    let second = prompt("second");
    let (head, tail) = second.split_at(20);
    append(&path, head.as_bytes());
    reader.wake();
    reader.wake();
    for _ in 0..5 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert_eq!(thread_state("reader-977"), 'S', "the reader spins");
    }

    append(&path, tail.as_bytes());
    reader.wake();
    let said = |b: &cockpit::agents::source::Batch| {
        b.records
            .iter()
            .any(|r| matches!(r, cockpit::agents::Record::Prompt { text, .. } if text == "second"))
    };
    wait_for_batch(&mut events, said);
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert_eq!(thread_state("reader-977"), 'S', "the reader spins");
}
