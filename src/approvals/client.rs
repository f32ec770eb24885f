//! The hook's end of the socket: one request and the one decision that
//! belongs to it, or a notice that needs no answer. Every wait is bounded, so
//! a stopped cockpit (SIGSTOP, a full accept queue) cannot hold the agent.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::agents::AgentKind;

use super::ipc;
use crate::policy::protocol::{ApprovalRequest, ClientMessage, Reply, ServerMessage};

/// Lifecycle events are best-effort: never hold the agent up for them.
const EVENT_TIMEOUT: Duration = Duration::from_millis(300);

/// Why no decision came back.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No cockpit socket for the project (nothing running).
    NotRunning,
    /// The runtime directory or socket failed a safety check, or the socket
    /// is there and nobody accepts on it.
    Refused(String),
    /// The cockpit closed the connection without a decision (killed, quit,
    /// or it withdrew the request).
    WentAway,
    /// No decision within the wait.
    TimedOut(u64),
    /// The cockpit broke the protocol (garbage, wrong id, out of order).
    Protocol(String),
}

impl Failure {
    /// One line, for stderr and for the reason the user reads.
    pub fn describe(&self, socket: &Path) -> String {
        let at = socket.display();
        match self {
            Failure::NotRunning => format!("no cockpit is running: looked for its socket at {at}"),
            Failure::Refused(why) => format!("the cockpit's socket at {at} was refused: {why}"),
            Failure::WentAway => format!(
                "the cockpit at {at} went away before deciding (it quit, was killed, or withdrew the request)"
            ),
            Failure::TimedOut(secs) => {
                format!(
                    "no decision within {secs} s from the cockpit at {at} (nobody answered, or it is stopped)"
                )
            }
            Failure::Protocol(why) => format!("{why} (the cockpit's socket: {at})"),
        }
    }
}

/// The socket the hook looks for first: the project's own.
pub fn expected_socket(runtime_dir: &Path, project: &Path) -> PathBuf {
    ipc::socket_path(runtime_dir, project)
}

/// Sends the request and waits, `timeout` at most, for its decision.
pub fn ask_cockpit(
    runtime_dir: &Path,
    cwd: &Path,
    request: &ApprovalRequest,
    timeout: Duration,
) -> Result<Reply, Failure> {
    let (tx, rx) = mpsc::channel();
    let (runtime_dir, cwd, request) = (runtime_dir.to_owned(), cwd.to_owned(), request.clone());
    // The thread owns the blocking connect and reads; the deadline is here.
    std::thread::spawn(move || {
        let _ = tx.send(exchange(&runtime_dir, &cwd, &request, timeout));
    });
    rx.recv_timeout(timeout + Duration::from_millis(500))
        .unwrap_or(Err(Failure::TimedOut(timeout.as_secs())))
}

fn exchange(
    runtime_dir: &Path,
    cwd: &Path,
    request: &ApprovalRequest,
    timeout: Duration,
) -> Result<Reply, Failure> {
    let socket = ipc::find_socket(runtime_dir, cwd).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Failure::NotRunning,
        _ => Failure::Refused(e.to_string()),
    })?;
    let stream = UnixStream::connect(&socket).map_err(|e| match e.kind() {
        // A socket file left by a cockpit that died.
        std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::NotFound => Failure::NotRunning,
        _ => Failure::Refused(e.to_string()),
    })?;
    let secs = timeout.as_secs().max(1);
    stream
        .set_read_timeout(Some(timeout))
        .map_err(|e| Failure::Refused(e.to_string()))?;
    let mut line = serde_json::to_vec(&ClientMessage::Request(request.clone()))
        .map_err(|e| Failure::Protocol(e.to_string()))?;
    line.push(b'\n');
    (&stream).write_all(&line).map_err(|_| Failure::WentAway)?;
    let mut reader = BufReader::new(stream);
    let ServerMessage::Accepted { id } = read_message(&mut reader, secs)? else {
        return Err(Failure::Protocol(
            "the cockpit answered out of order".into(),
        ));
    };
    match read_message(&mut reader, secs)? {
        ServerMessage::Decision(reply) if reply.id == id => Ok(reply),
        ServerMessage::Decision(reply) => Err(Failure::Protocol(format!(
            "refused a decision for another request ({} instead of {id})",
            reply.id
        ))),
        ServerMessage::Accepted { .. } => Err(Failure::Protocol(
            "the cockpit answered out of order".into(),
        )),
    }
}

fn read_message(reader: &mut impl BufRead, secs: u64) -> Result<ServerMessage, Failure> {
    let mut line = String::new();
    match reader.take(1 << 20).read_line(&mut line) {
        Ok(0) => Err(Failure::WentAway),
        Ok(_) => serde_json::from_str(&line)
            .map_err(|e| Failure::Protocol(format!("the cockpit sent garbage ({e})"))),
        Err(err)
            if matches!(
                err.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            Err(Failure::TimedOut(secs))
        }
        Err(_) => Err(Failure::WentAway),
    }
}

/// Best-effort notice to the cockpit, given up after `EVENT_TIMEOUT`.
pub fn send_event(
    runtime_dir: &Path,
    cwd: &Path,
    agent: AgentKind,
    payload: Value,
) -> std::io::Result<()> {
    let (tx, rx) = mpsc::channel();
    let (runtime_dir, cwd) = (runtime_dir.to_owned(), cwd.to_owned());
    std::thread::spawn(move || {
        let _ = tx.send(deliver(&runtime_dir, &cwd, agent, payload));
    });
    rx.recv_timeout(EVENT_TIMEOUT)
        .unwrap_or_else(|_| Err(std::io::ErrorKind::TimedOut.into()))
}

fn deliver(
    runtime_dir: &Path,
    cwd: &Path,
    agent: AgentKind,
    payload: Value,
) -> std::io::Result<()> {
    let socket = ipc::find_socket(runtime_dir, cwd)?;
    let mut stream = UnixStream::connect(socket)?;
    stream.set_write_timeout(Some(EVENT_TIMEOUT))?;
    let mut line = serde_json::to_vec(&ClientMessage::Event { agent, payload })?;
    line.push(b'\n');
    stream.write_all(&line)
}
