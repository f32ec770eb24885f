//! A scripted model server on 127.0.0.1: the Anthropic Messages API and the
//! OpenAI Responses API, both streaming, each reply taken in order from a
//! script and carrying its own usage, so a test knows exactly what the gauge
//! must read after it. Every request body is kept for the test to inspect.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

/// What one reply of the model holds.
#[derive(Debug, Clone)]
pub enum Block {
    Text(String),
    /// A tool call: the tool's name and its input.
    Tool {
        name: String,
        input: Value,
    },
    /// Codex's freeform tool (`apply_patch`): the raw input text.
    Custom {
        name: String,
        input: String,
    },
}

/// The usage a reply reports. For Anthropic: `input`, `cache_creation`,
/// `cache_read`, `output`. For OpenAI: `input` includes `cache_read`
/// (reported as `cached_tokens`), as the Responses API does, and
/// `cache_creation` is sent as `cache_write_tokens`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub input: u64,
    pub cache_creation: u64,
    pub cache_read: u64,
    pub output: u64,
}

impl Usage {
    /// What Claude Code's context holds after this reply (the gauge's rule).
    pub fn anthropic_context(&self) -> u64 {
        self.input + self.cache_creation + self.cache_read
    }
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub blocks: Vec<Block>,
    pub usage: Usage,
    /// Only for a request whose first message contains this text (a
    /// subagent's task, which opens its own conversation beside the main
    /// chain); `None`: the next request in order that no routed reply claims.
    pub when: Option<String>,
    /// Not a reply but an HTTP error (a 429, 529, 401 ...) with its headers
    /// and body, as the API sends when it refuses a request.
    pub error: Option<HttpError>,
}

#[derive(Debug, Clone)]
pub struct HttpError {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn text(text: &str, usage: Usage) -> Self {
        Self {
            blocks: vec![Block::Text(text.into())],
            usage,
            when: None,
            error: None,
        }
    }

    /// An HTTP error instead of a reply: `status` with these headers and body.
    pub fn error(status: u16, headers: &[(&str, &str)], body: Value) -> Self {
        Self {
            blocks: Vec::new(),
            usage: Usage::default(),
            when: None,
            error: Some(HttpError {
                status,
                headers: headers
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                body: body.to_string(),
            }),
        }
    }

    /// This reply answers only a request whose first message holds `text`.
    pub fn when(mut self, text: &str) -> Self {
        self.when = Some(text.into());
        self
    }

    pub fn tool(name: &str, input: Value, usage: Usage) -> Self {
        Self {
            blocks: vec![Block::Tool {
                name: name.into(),
                input,
            }],
            usage,
            when: None,
            error: None,
        }
    }

    pub fn custom(name: &str, input: &str, usage: Usage) -> Self {
        Self {
            blocks: vec![Block::Custom {
                name: name.into(),
                input: input.into(),
            }],
            usage,
            when: None,
            error: None,
        }
    }
}

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub body: Value,
}

#[derive(Default)]
struct Shared {
    script: VecDeque<Reply>,
    received: Vec<Received>,
    /// Replies sent so far (the script's index of the next one).
    served: usize,
}

pub struct ModelServer {
    pub port: u16,
    shared: Arc<Mutex<Shared>>,
}

impl Drop for ModelServer {
    /// With `COCKPIT_LIVE_KEEP=DIR`, every request received, for reading.
    fn drop(&mut self) {
        let Some(keep) = std::env::var_os("COCKPIT_LIVE_KEEP") else {
            return;
        };
        let _ = std::fs::create_dir_all(&keep);
        let lines: Vec<String> = self
            .received()
            .iter()
            .map(|r| json!({"method": r.method, "path": r.path, "body": r.body}).to_string())
            .collect();
        let file = std::path::Path::new(&keep).join(format!("requests-{}.jsonl", self.port));
        let _ = std::fs::write(file, lines.join("\n"));
    }
}

/// Sent when the script has run out, so an agent never hangs on us.
fn fallback() -> Reply {
    Reply::text(
        "(the scripted model has nothing more to say)",
        Usage {
            input: 1,
            output: 1,
            ..Usage::default()
        },
    )
}

impl ModelServer {
    pub fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Mutex::new(Shared {
            script: script.into(),
            ..Shared::default()
        }));
        let accept_shared = shared.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let shared = accept_shared.clone();
                std::thread::spawn(move || {
                    let _ = serve(stream, &shared);
                });
            }
        });
        Self { port, shared }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Appends replies to the script while the agent runs.
    pub fn push(&self, reply: Reply) {
        self.shared.lock().unwrap().script.push_back(reply);
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.lock().unwrap().received.clone()
    }

    /// How many model replies (streamed or not) were served.
    pub fn served(&self) -> usize {
        self.shared.lock().unwrap().served
    }

    /// The model requests (Messages or Responses) received so far.
    pub fn model_requests(&self) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.path.contains("/messages") || r.path.contains("/responses"))
            .filter(|r| !r.path.contains("count_tokens"))
            .collect()
    }
}

fn title() -> Reply {
    Reply::text("Scripted live session", Usage::default())
}

fn serve(stream: TcpStream, shared: &Mutex<Shared>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    // HTTP/1.1 keep-alive: serve requests until the client closes.
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let path = parts.next().unwrap_or_default().to_string();
        let mut length = 0usize;
        let mut chunked = false;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 {
                return Ok(());
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            let (name, value) = header.split_once(':').unwrap_or((header, ""));
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
                _ => {}
            }
        }
        let body = if chunked {
            read_chunked(&mut reader)?
        } else {
            let mut body = vec![0; length];
            reader.read_exact(&mut body)?;
            body
        };
        let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        shared.lock().unwrap().received.push(Received {
            method: method.clone(),
            path: path.clone(),
            body: body.clone(),
        });
        let response = route(&method, &path, &body, shared);
        writer.write_all(&response)?;
        writer.flush()?;
    }
}

fn read_chunked(reader: &mut impl BufRead) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size)?;
        let size =
            usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
        let mut chunk = vec![0; size + 2];
        reader.read_exact(&mut chunk)?;
        if size == 0 {
            return Ok(body);
        }
        body.extend_from_slice(&chunk[..size]);
    }
}

fn route(method: &str, path: &str, body: &Value, shared: &Mutex<Shared>) -> Vec<u8> {
    let path = path.split('?').next().unwrap_or(path);
    if method != "POST" {
        return http(200, "application/json", b"{}");
    }
    if path.ends_with("/messages/count_tokens") {
        return http(200, "application/json", br#"{"input_tokens":1}"#);
    }
    let opening = body
        .get("messages")
        .or_else(|| body.get("input"))
        .and_then(Value::as_array)
        .and_then(|m| m.first())
        .map(Value::to_string)
        .unwrap_or_default();
    let next = || {
        let mut shared = shared.lock().unwrap();
        shared.served += 1;
        let routed = shared.script.iter().position(|r| {
            r.when
                .as_ref()
                .is_some_and(|w| opening.contains(w.as_str()))
        });
        let at = routed.or_else(|| shared.script.iter().position(|r| r.when.is_none()));
        at.and_then(|i| shared.script.remove(i))
            .unwrap_or_else(fallback)
    };
    if path.ends_with("/messages") {
        let reply = next();
        if let Some(error) = &reply.error {
            return http_error(error);
        }
        let model = body["model"].as_str().unwrap_or("claude").to_string();
        if body["stream"].as_bool() == Some(true) {
            return http(
                200,
                "text/event-stream",
                anthropic_stream(&reply, &model).as_bytes(),
            );
        }
        let message = anthropic_message(&reply, &model);
        return http(200, "application/json", message.to_string().as_bytes());
    }
    if path.ends_with("/responses") {
        // Codex asks for a thread title beside the turn: not part of the
        // conversation, so it never takes a scripted reply.
        if body.to_string().contains("Do not answer the request") {
            return http(200, "text/event-stream", openai_stream(&title()).as_bytes());
        }
        let reply = next();
        if let Some(error) = &reply.error {
            return http_error(error);
        }
        return http(200, "text/event-stream", openai_stream(&reply).as_bytes());
    }
    http(404, "application/json", br#"{"error":"not scripted"}"#)
}

fn http(status: u16, content_type: &str, body: &[u8]) -> Vec<u8> {
    let reason = if status == 200 { "OK" } else { "Not Found" };
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nrequest-id: req_scripted\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn http_error(error: &HttpError) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {} Scripted Error\r\ncontent-type: application/json\r\ncontent-length: {}\r\nrequest-id: req_scripted\r\n",
        error.status,
        error.body.len()
    );
    for (name, value) in &error.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(error.body.as_bytes());
    out
}

fn next_id(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(1);
    format!("{prefix}{:024}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

fn anthropic_usage(usage: &Usage) -> Value {
    json!({
        "input_tokens": usage.input,
        "cache_creation_input_tokens": usage.cache_creation,
        "cache_read_input_tokens": usage.cache_read,
        "output_tokens": usage.output,
    })
}

fn anthropic_content(reply: &Reply) -> Vec<Value> {
    reply
        .blocks
        .iter()
        .map(|block| match block {
            Block::Text(text) => json!({"type": "text", "text": text}),
            Block::Tool { name, input } => {
                json!({"type": "tool_use", "id": next_id("toolu_"), "name": name, "input": input})
            }
            Block::Custom { name, input } => {
                json!({"type": "tool_use", "id": next_id("toolu_"), "name": name, "input": {"input": input}})
            }
        })
        .collect()
}

fn stop_reason(reply: &Reply) -> &'static str {
    if reply.blocks.iter().any(|b| !matches!(b, Block::Text(_))) {
        "tool_use"
    } else {
        "end_turn"
    }
}

fn anthropic_message(reply: &Reply, model: &str) -> Value {
    json!({
        "id": next_id("msg_"),
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": anthropic_content(reply),
        "stop_reason": stop_reason(reply),
        "stop_sequence": null,
        "usage": anthropic_usage(&reply.usage),
    })
}

fn sse(out: &mut String, event: &str, data: Value) {
    out.push_str(&format!("event: {event}\ndata: {data}\n\n"));
}

/// The Messages API's streaming events: usage in `message_start` (input and
/// cache) and `message_delta` (output), tool input as `input_json_delta`.
fn anthropic_stream(reply: &Reply, model: &str) -> String {
    let mut out = String::new();
    let mut start_usage = anthropic_usage(&reply.usage);
    start_usage["output_tokens"] = json!(1);
    sse(
        &mut out,
        "message_start",
        json!({"type": "message_start", "message": {
            "id": next_id("msg_"), "type": "message", "role": "assistant", "model": model,
            "content": [], "stop_reason": null, "stop_sequence": null, "usage": start_usage}}),
    );
    for (index, block) in anthropic_content(reply).into_iter().enumerate() {
        let kind = block["type"].as_str().unwrap_or_default().to_string();
        if kind == "text" {
            sse(
                &mut out,
                "content_block_start",
                json!({"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}}),
            );
            sse(
                &mut out,
                "content_block_delta",
                json!({"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": block["text"]}}),
            );
        } else {
            sse(
                &mut out,
                "content_block_start",
                json!({"type": "content_block_start", "index": index, "content_block": {
                    "type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}}),
            );
            let input = block["input"].to_string();
            // Two deltas, as the API splits long inputs.
            let cut = input
                .char_indices()
                .nth(input.len() / 2)
                .map_or(0, |(i, _)| i);
            for part in [&input[..cut], &input[cut..]] {
                sse(
                    &mut out,
                    "content_block_delta",
                    json!({"type": "content_block_delta", "index": index, "delta": {"type": "input_json_delta", "partial_json": part}}),
                );
            }
        }
        sse(
            &mut out,
            "content_block_stop",
            json!({"type": "content_block_stop", "index": index}),
        );
    }
    sse(
        &mut out,
        "message_delta",
        json!({"type": "message_delta", "delta": {"stop_reason": stop_reason(reply), "stop_sequence": null},
               "usage": {"output_tokens": reply.usage.output}}),
    );
    sse(&mut out, "message_stop", json!({"type": "message_stop"}));
    out
}

/// The Responses API's streaming events, ending in `response.completed`
/// with the usage.
fn openai_stream(reply: &Reply) -> String {
    let mut out = String::new();
    let id = next_id("resp_");
    sse(
        &mut out,
        "response.created",
        json!({"type": "response.created", "response": {"id": id}}),
    );
    for (index, block) in reply.blocks.iter().enumerate() {
        let item = match block {
            Block::Text(text) => {
                sse(
                    &mut out,
                    "response.output_text.delta",
                    json!({"type": "response.output_text.delta", "output_index": index, "delta": text}),
                );
                json!({"type": "message", "role": "assistant", "id": next_id("msg_"),
                       "content": [{"type": "output_text", "text": text}]})
            }
            Block::Tool { name, input } => json!({
                "type": "function_call", "id": next_id("fc_"), "call_id": next_id("call_"),
                "name": name, "arguments": input.to_string()}),
            Block::Custom { name, input } => json!({
                "type": "custom_tool_call", "id": next_id("ctc_"), "call_id": next_id("call_"),
                "name": name, "input": input}),
        };
        sse(
            &mut out,
            "response.output_item.done",
            json!({"type": "response.output_item.done", "output_index": index, "item": item}),
        );
    }
    let usage = reply.usage;
    sse(
        &mut out,
        "response.completed",
        json!({"type": "response.completed", "response": {"id": id, "usage": {
            "input_tokens": usage.input,
            "input_tokens_details": {"cached_tokens": usage.cache_read,
                                     "cache_write_tokens": usage.cache_creation},
            "output_tokens": usage.output,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": usage.input + usage.output}}}),
    );
    out
}
