//! The cockpit's end of the socket: accepts hook connections from processes
//! of the same user, turns them into events, and writes back the one decision
//! each request gets.

use std::io;
use std::path::{Path, PathBuf};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::oneshot;

use crate::event::{Event, EventSender};

use super::ipc;
use crate::policy::protocol::{ClientMessage, Reply, ServerMessage};

const MAX_MESSAGE: u64 = 16 << 20;

/// Listening; the socket file is removed when this is dropped.
pub struct Server {
    path: PathBuf,
}

impl Server {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Binds the project's socket in `runtime_dir`. Must run inside the tokio runtime.
pub fn start(runtime_dir: &Path, project_root: &Path, events: EventSender) -> io::Result<Server> {
    ipc::ensure_private_dir(runtime_dir)?;
    let path = ipc::socket_path(runtime_dir, project_root);
    if std::fs::symlink_metadata(&path).is_ok() {
        if std::os::unix::net::UnixStream::connect(&path).is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AddrInUse,
                format!(
                    "another cockpit already answers approvals for {}",
                    project_root.display()
                ),
            ));
        }
        // Left behind by a cockpit that died.
        std::fs::remove_file(&path)?;
    }
    let listener = UnixListener::bind(&path)?;
    tokio::spawn(accept_loop(listener, events));
    Ok(Server { path })
}

async fn accept_loop(listener: UnixListener, events: EventSender) {
    let uid = ipc::current_uid();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        match stream.peer_cred() {
            Ok(cred) if cred.uid() == uid => {}
            Ok(cred) => {
                tracing::warn!(
                    peer_uid = cred.uid(),
                    "refused a hook connection from another user"
                );
                continue;
            }
            Err(err) => {
                tracing::warn!(%err, "refused a hook connection without credentials");
                continue;
            }
        }
        let events = events.clone();
        tokio::spawn(async move {
            if let Err(err) = serve(stream, events).await {
                tracing::debug!(%err, "hook connection ended");
            }
        });
    }
}

async fn serve(stream: UnixStream, events: EventSender) -> io::Result<()> {
    let (read_half, mut write_half) = stream.into_split();
    let mut reader = BufReader::new(read_half.take(MAX_MESSAGE));
    let mut line = String::new();
    reader.read_line(&mut line).await?;
    if line.is_empty() {
        // A connection that says nothing: another cockpit checking whether
        // this one is alive.
        return Ok(());
    }
    let message: ClientMessage = match serde_json::from_str(&line) {
        Ok(message) => message,
        Err(err) => {
            tracing::warn!(%err, "ignored a malformed hook message");
            return Ok(());
        }
    };
    let request = match message {
        ClientMessage::Event { agent, payload } => {
            let _ = events.send(Event::AgentEvent { agent, payload });
            return Ok(());
        }
        ClientMessage::Request(request) => request,
    };
    let id = ipc::random_id();
    let (reply_tx, reply_rx) = oneshot::channel::<Reply>();
    if events
        .send(Event::ApprovalRequested {
            id: id.clone(),
            request: Box::new(request),
            reply: reply_tx,
        })
        .is_err()
    {
        return Ok(());
    }
    write_message(&mut write_half, &ServerMessage::Accepted { id: id.clone() }).await?;
    let mut rest = Vec::new();
    tokio::select! {
        reply = reply_rx => {
            if let Ok(reply) = reply {
                write_message(&mut write_half, &ServerMessage::Decision(reply)).await?;
            }
        }
        // The hook went away (killed, timed out): the request is void.
        _ = reader.read_to_end(&mut rest) => {
            let _ = events.send(Event::ApprovalWithdrawn(id));
        }
    }
    Ok(())
}

async fn write_message(
    writer: &mut tokio::net::unix::OwnedWriteHalf,
    message: &ServerMessage,
) -> io::Result<()> {
    let mut line = serde_json::to_vec(message)?;
    line.push(b'\n');
    writer.write_all(&line).await?;
    writer.flush().await
}
