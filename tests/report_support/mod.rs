//! For `tests/report.rs`: a second, deliberately naive computation of the
//! report's figures (whole files, `serde_json::Value`, no byte scan), and a
//! small seeded corpus writer.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// (input, output, cache_creation, cache_read)
pub type Sums = [u64; 4];

struct Copy {
    msg: Option<String>,
    req: Option<String>,
    sidechain: bool,
    tokens: Sums,
    session: String,
}

fn total(t: &Sums) -> u64 {
    t.iter().sum()
}

/// Every `.jsonl` under `projects/<key>/`, with its session: the file's name
/// at the top, else the directory it sits under.
pub fn claude_files(root: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let Ok(projects) = fs::read_dir(root.join("projects")) else {
        return out;
    };
    for project in projects.flatten() {
        let mut stack = vec![project.path()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "jsonl") {
                    let rel = path.strip_prefix(project.path()).unwrap().to_path_buf();
                    let first = rel.components().next().unwrap();
                    let session = if rel.components().count() == 1 {
                        path.file_stem().unwrap().to_string_lossy().into_owned()
                    } else {
                        first.as_os_str().to_string_lossy().into_owned()
                    };
                    out.push((path, session));
                }
            }
        }
    }
    out.sort();
    out
}

fn lines(path: &Path) -> Vec<Value> {
    let bytes = fs::read(path).unwrap_or_default();
    bytes
        .split(|&b| b == b'\n')
        .filter_map(|l| serde_json::from_slice::<Value>(l).ok())
        .collect()
}

/// The copy kept of one response: main chain over sidechain, then the
/// largest total, then the first.
fn best<'a>(list: &[&'a Copy]) -> &'a Copy {
    let mut keep = list[0];
    for &c in &list[1..] {
        let better = if c.sidechain != keep.sidechain {
            keep.sidechain
        } else {
            total(&c.tokens) > total(&keep.tokens)
        };
        if better {
            keep = c;
        }
    }
    keep
}

/// Per-session token sums by ccusage's rules, the plain way.
pub fn naive_totals(root: &Path) -> BTreeMap<String, Sums> {
    let mut copies = Vec::new();
    for (path, session) in claude_files(root) {
        for v in lines(&path) {
            let usage = &v["message"]["usage"];
            let (Some(i), Some(o)) = (
                usage["input_tokens"].as_u64(),
                usage["output_tokens"].as_u64(),
            ) else {
                continue;
            };
            let cc = usage["cache_creation_input_tokens"].as_u64().unwrap_or(0);
            let cr = usage["cache_read_input_tokens"].as_u64().unwrap_or(0);
            copies.push(Copy {
                msg: v["message"]["id"].as_str().map(String::from),
                req: v["requestId"].as_str().map(String::from),
                sidechain: v["isSidechain"].as_bool() == Some(true),
                tokens: [i, o, cc, cr],
                session: session.clone(),
            });
        }
    }
    // Group by message id, then by request id; a sidechain copy under another
    // request id is a replay of the same response.
    let mut by_msg: BTreeMap<String, Vec<&Copy>> = BTreeMap::new();
    let mut sums: BTreeMap<String, Sums> = BTreeMap::new();
    let mut add = |c: &Copy| {
        let s = sums.entry(c.session.clone()).or_default();
        for (sum, add) in s.iter_mut().zip(c.tokens) {
            *sum += add;
        }
    };
    for c in &copies {
        match &c.msg {
            Some(m) => by_msg.entry(m.clone()).or_default().push(c),
            None => add(c),
        }
    }
    for group in by_msg.values() {
        let mut by_req: BTreeMap<Option<String>, Vec<&Copy>> = BTreeMap::new();
        for c in group {
            by_req.entry(c.req.clone()).or_default().push(c);
        }
        let winners: Vec<&Copy> = by_req.values().map(|list| best(list)).collect();
        if winners.len() > 1 && winners.iter().any(|w| w.sidechain) {
            let mains: Vec<&Copy> = winners.iter().copied().filter(|w| !w.sidechain).collect();
            if mains.is_empty() {
                add(best(&winners));
            } else {
                mains.into_iter().for_each(&mut add);
            }
        } else {
            winners.into_iter().for_each(&mut add);
        }
    }
    sums
}

/// The gauge at the end of a main file: the last main-chain reply's input
/// side, or after a later compaction its postTokens (or nothing).
pub fn naive_context(path: &Path) -> Option<u64> {
    let mut ctx = None;
    for v in lines(path) {
        let sidechain = v["isSidechain"].as_bool() == Some(true);
        if sidechain {
            continue;
        }
        if v["type"] == "system" && v["subtype"] == "compact_boundary" {
            ctx = v["compactMetadata"]["postTokens"].as_u64();
        }
        let u = &v["message"]["usage"];
        if v["type"] == "assistant"
            && v["isApiErrorMessage"].as_bool() != Some(true)
            && v["message"]["model"] != "<synthetic>"
            && u.is_object()
        {
            let f = |k: &str| u[k].as_u64().unwrap_or(0);
            ctx = Some(
                f("input_tokens") + f("cache_creation_input_tokens") + f("cache_read_input_tokens"),
            );
        }
    }
    ctx
}

/// A tiny deterministic generator (not the benchmark's): a few projects and
/// sessions with streaming splits, subagent files that replay a parent
/// message, nested usage in a Task result, compactions, malformed and torn
/// lines. Returns the main files written.
pub fn write_corpus(root: &Path, seed: u64) -> Vec<PathBuf> {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut rand = move |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n.max(1)
    };
    let mut mains = Vec::new();
    for p in 0..3 {
        let cwd = format!("/work/proj{p}");
        let dir = root.join("projects").join(format!("-work-proj{p}"));
        fs::create_dir_all(&dir).unwrap();
        for s in 0..3 {
            let sid = format!("{p}{s}000000-0000-4000-8000-000000000000");
            let mut main = String::new();
            let mut first_msg = None;
            let mut t = 0;
            for r in 0..(2 + rand(6)) {
                let msg = format!("msg_{p}{s}{r}");
                first_msg.get_or_insert(msg.clone());
                let (input, cc, cr) = (rand(10), rand(5000), 10_000 + rand(90_000));
                let mut out = rand(20);
                for block in 0..(1 + rand(3)) {
                    out += rand(300);
                    t += 1;
                    let kind = if block == 0 { "text" } else { "tool_use" };
                    let line = serde_json::json!({
                        "type": "assistant", "sessionId": sid, "cwd": cwd, "version": "2.1.39",
                        "timestamp": format!("2026-03-0{}T10:00:{:02}.000Z", p + 1, t % 60),
                        "requestId": format!("req_{p}{s}{r}"), "isSidechain": false,
                        "message": {"id": msg, "model": "claude-opus-4-6",
                            "content": [{"type": kind, "id": format!("toolu_{t}"), "text": "x"}],
                            "usage": {"input_tokens": input, "cache_creation_input_tokens": cc,
                                "cache_read_input_tokens": cr, "output_tokens": out}}
                    });
                    main.push_str(&format!("{line}\n"));
                }
                // A Task result: a nested usage that is not a response.
                main.push_str(&format!("{}\n", serde_json::json!({
                    "type": "user", "sessionId": sid, "timestamp": "2026-03-01T10:00:00.000Z",
                    "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t", "content": "ok"}]},
                    "toolUseResult": {"status": "completed", "usage": {"input_tokens": 7, "output_tokens": 70}}
                })));
                if rand(4) == 0 {
                    let post = if rand(2) == 0 {
                        serde_json::json!(30_000 + r)
                    } else {
                        serde_json::Value::Null
                    };
                    let mut meta = serde_json::json!({"trigger": "auto", "preTokens": 150_000});
                    if !post.is_null() {
                        meta["postTokens"] = post;
                    }
                    main.push_str(&format!(
                        "{}\n",
                        serde_json::json!({
                            "type": "system", "subtype": "compact_boundary", "sessionId": sid,
                            "timestamp": "2026-03-01T10:00:00.000Z", "compactMetadata": meta
                        })
                    ));
                }
                if rand(5) == 0 {
                    main.push_str("{\"type\":\"assistant\",\"message\":{\"usage\":\n");
                }
            }
            if rand(3) == 0 {
                main.push_str(
                    "{\"type\":\"assistant\",\"message\":{\"id\":\"torn\",\"usage\":{\"input_tok",
                );
            }
            let path = dir.join(format!("{sid}.jsonl"));
            fs::write(&path, main).unwrap();
            mains.push(path);
            if s != 1 {
                let sub = dir.join(&sid).join("subagents");
                fs::create_dir_all(&sub).unwrap();
                let mut text = String::new();
                // Replay of the parent's first message under a new request id.
                text.push_str(&format!("{}\n", serde_json::json!({
                    "type": "assistant", "isSidechain": true, "sessionId": sid, "requestId": "req_replay",
                    "timestamp": "2026-03-01T11:00:00.000Z",
                    "message": {"id": first_msg, "model": "claude-opus-4-6",
                        "usage": {"input_tokens": 1, "output_tokens": 1, "cache_read_input_tokens": 99_999}}
                })));
                for r in 0..(1 + rand(4)) {
                    text.push_str(&format!("{}\n", serde_json::json!({
                        "type": "assistant", "isSidechain": true, "sessionId": sid,
                        "requestId": format!("req_sub{p}{s}{r}"), "timestamp": "2026-03-01T11:00:01.000Z",
                        "message": {"id": format!("msg_sub{p}{s}{r}"), "model": "claude-haiku-4-5",
                            "content": [{"type": "tool_use", "id": "x", "name": "Read", "input": {}}],
                            "usage": {"input_tokens": rand(9), "output_tokens": rand(500),
                                "cache_creation_input_tokens": rand(900), "cache_read_input_tokens": rand(50_000)}}
                    })));
                }
                fs::write(sub.join(format!("agent-a{p}{s}.jsonl")), text).unwrap();
            }
        }
    }
    mains
}
