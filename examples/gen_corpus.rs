//! A realistic transcript corpus for `bench/report.sh`, deterministic from a seed.
//!
//! `cargo run --release --example gen_corpus -- --seed 1 --size-mb 1024 --out DIR [--single]`
//!
//! Writes `DIR/claude/projects/<key>/<session>.jsonl` (plus
//! `<session>/subagents/agent-*.jsonl` for about one session in three) and
//! `DIR/codex/sessions/YYYY/MM/DD/rollout-*.jsonl`. Claude sessions carry what
//! real ones do: streaming splits (one line per content block, growing
//! output_tokens), large tool results, progress lines (with nested subagent
//! usage), Task results with a nested `usage`, compactions, sidechain replays
//! of a parent message, a few malformed lines and torn last lines.
//! `--single` writes one Claude session of the whole size instead.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

struct Rng(u64);

impl Rng {
    /// splitmix64: tiny, fast, and the same on every machine.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            s.push_str(&format!("{:016x}", self.next()));
        }
        s.truncate(len);
        s
    }
    fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }
    /// A size spread like tool output: mostly small, sometimes huge.
    fn heavy_tail(&mut self, median: u64) -> u64 {
        let r = self.below(1000);
        match r {
            0..=599 => median / 4 + self.below(median),
            600..=899 => median + self.below(median * 4),
            900..=989 => median * 4 + self.below(median * 20),
            _ => median * 20 + self.below(median * 100),
        }
    }
}

const WORDS: &[&str] = &[
    "fn",
    "let",
    "mut",
    "cargo",
    "test",
    "result",
    "error",
    "src/main.rs",
    "the",
    "a",
    "value",
    "\\\"quoted\\\"",
    "\\n",
    "\\t",
    "path",
    "config",
    "parse",
    "line",
    "token",
    "usage",
    "=>",
    "{",
    "}",
    "(",
    ")",
    "Ok(())",
    "impl",
    "struct",
    "é",
    "日本",
    "ok",
    "FAILED",
    "warning:",
];

impl Rng {
    /// JSON-escaped text of `min` plus up to `spread` bytes.
    fn words(&mut self, min: u64, spread: u64) -> String {
        let bytes = min + if spread > 0 { self.below(spread) } else { 0 };
        let mut s = String::with_capacity(bytes as usize + 16);
        while (s.len() as u64) < bytes {
            s.push_str(WORDS[self.below(WORDS.len() as u64) as usize]);
            s.push(' ');
        }
        s
    }
}

struct Session<'a> {
    rng: &'a mut Rng,
    out: BufWriter<File>,
    written: u64,
    session_id: String,
    cwd: String,
    now_ms: i64,
    context: u64,
    sidechain: bool,
    agent_id: Option<String>,
    parent: String,
    /// The first response's message id: a subagent file replays it.
    first_msg: Option<String>,
}

impl Session<'_> {
    fn ts(&mut self) -> String {
        self.now_ms += 200 + self.rng.below(20_000) as i64;
        let secs = self.now_ms / 1000;
        let ms = self.now_ms % 1000;
        let days = secs / 86_400;
        let (y, m, d) = civil(days);
        let rem = secs % 86_400;
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
            rem / 3600,
            rem / 60 % 60,
            rem % 60
        )
    }

    fn envelope(&mut self, kind: &str) -> String {
        let uuid = self.rng.uuid();
        let parent = std::mem::replace(&mut self.parent, uuid.clone());
        let agent = self
            .agent_id
            .as_ref()
            .map_or(String::new(), |a| format!(",\"agentId\":\"{a}\""));
        let ts = self.ts();
        format!(
            "\"parentUuid\":\"{parent}\",\"isSidechain\":{},\"userType\":\"external\",\"cwd\":\"{}\",\"sessionId\":\"{}\",\"version\":\"2.1.39\",\"gitBranch\":\"main\"{agent},\"type\":\"{kind}\",\"uuid\":\"{uuid}\",\"timestamp\":\"{}\"",
            self.sidechain, self.cwd, self.session_id, ts
        )
    }

    fn line(&mut self, line: &str) {
        self.written += line.len() as u64 + 1;
        let _ = writeln!(self.out, "{line}");
    }

    fn prompt(&mut self) {
        let env = self.envelope("user");
        let body = self.rng.words(40, 400);
        self.line(&format!(
            "{{{env},\"message\":{{\"role\":\"user\",\"content\":\"{body}\"}}}}"
        ));
    }

    /// One API response written as one line per content block.
    fn response(&mut self, model: &str) -> Option<String> {
        let msg = format!("msg_01{}", self.rng.hex(22));
        let req = format!("req_011{}", self.rng.hex(21));
        if self.first_msg.is_none() {
            self.first_msg = Some(msg.clone());
        }
        let input = 1 + self.rng.below(9);
        let created = self.rng.below(20_000);
        let read = self.context;
        self.context += created + self.rng.below(3_000);
        let blocks = 1 + self.rng.below(3);
        let mut output = 1 + self.rng.below(20);
        let mut tool = None;
        for b in 0..blocks {
            let last = b + 1 == blocks;
            let (block, stop) = if last && self.rng.chance(70) {
                let id = format!("toolu_01{}", self.rng.hex(22));
                let cmd = self.rng.words(20, 300);
                tool = Some(id.clone());
                (
                    format!(
                        "{{\"type\":\"tool_use\",\"id\":\"{id}\",\"name\":\"Bash\",\"input\":{{\"command\":\"{cmd}\",\"description\":\"Run it\"}}}}"
                    ),
                    "\"tool_use\"",
                )
            } else if b == 0 && blocks > 1 {
                let t = self.rng.words(100, 2_000);
                (
                    format!(
                        "{{\"type\":\"thinking\",\"thinking\":\"{t}\",\"signature\":\"{}\"}}",
                        self.rng.hex(300)
                    ),
                    "null",
                )
            } else {
                let t = self.rng.words(20, 1_500);
                (
                    format!("{{\"type\":\"text\",\"text\":\"{t}\"}}"),
                    if last { "\"end_turn\"" } else { "null" },
                )
            };
            output += self.rng.below(400);
            let env = self.envelope("assistant");
            self.line(&format!(
                "{{{env},\"requestId\":\"{req}\",\"message\":{{\"model\":\"{model}\",\"id\":\"{msg}\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{block}],\"stop_reason\":{stop},\"stop_sequence\":null,\"usage\":{{\"input_tokens\":{input},\"cache_creation_input_tokens\":{created},\"cache_read_input_tokens\":{read},\"cache_creation\":{{\"ephemeral_5m_input_tokens\":{created},\"ephemeral_1h_input_tokens\":0}},\"output_tokens\":{output},\"service_tier\":\"standard\"}}}}}}"
            ));
        }
        tool
    }

    fn tool_result(&mut self, id: &str, median: u64, task: bool) {
        let size = self.rng.heavy_tail(median);
        let body = self.rng.words(size, 0);
        let env = self.envelope("user");
        let extra = if task {
            format!(
                "{{\"status\":\"completed\",\"agentId\":\"{}\",\"totalTokens\":{},\"usage\":{{\"input_tokens\":{},\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":{},\"output_tokens\":{}}}}}",
                self.rng.hex(7),
                self.rng.below(90_000),
                self.rng.below(10),
                self.rng.below(80_000),
                self.rng.below(3_000)
            )
        } else {
            format!(
                "{{\"stdout\":\"{body}\",\"stderr\":\"\",\"interrupted\":false,\"isImage\":false}}"
            )
        };
        self.context += size / 4;
        let is_error = self.rng.chance(10);
        self.line(&format!(
            "{{{env},\"message\":{{\"role\":\"user\",\"content\":[{{\"tool_use_id\":\"{id}\",\"type\":\"tool_result\",\"content\":\"{body}\",\"is_error\":{is_error}}}]}},\"toolUseResult\":{extra}}}"
        ));
    }

    fn progress(&mut self, model: &str) {
        let env = self.envelope("progress");
        if self.rng.chance(30) {
            // Nested subagent reply with usage: not a response of this file.
            let msg = self.rng.hex(22);
            let t = self.rng.words(200, 0);
            self.line(&format!(
                "{{{env},\"data\":{{\"type\":\"agent_progress\",\"agentId\":\"a1\",\"message\":{{\"type\":\"assistant\",\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"message\":{{\"model\":\"{model}\",\"id\":\"msg_01{msg}\",\"content\":[{{\"type\":\"text\",\"text\":\"{t}\"}}],\"usage\":{{\"input_tokens\":3,\"output_tokens\":50}}}}}}}},\"toolUseID\":\"agent_msg\",\"parentToolUseID\":\"toolu_x\"}}"
            ));
        } else {
            let t = self.rng.words(50, 600);
            self.line(&format!(
                "{{{env},\"data\":{{\"type\":\"bash_progress\",\"output\":\"{t}\",\"elapsedTimeSeconds\":2,\"totalLines\":149}},\"toolUseID\":\"bash-progress-0\",\"parentToolUseID\":\"toolu_x\"}}"
            ));
        }
    }

    fn compact(&mut self) {
        let env = self.envelope("system");
        let pre = self.context;
        self.context = 20_000 + self.rng.below(20_000);
        let post = if self.rng.chance(50) {
            format!(",\"postTokens\":{}", self.context)
        } else {
            String::new()
        };
        self.line(&format!(
            "{{{env},\"subtype\":\"compact_boundary\",\"content\":\"Conversation compacted\",\"level\":\"info\",\"compactMetadata\":{{\"trigger\":\"auto\",\"preTokens\":{pre}{post}}}}}"
        ));
    }

    /// A sidechain copy of a parent response under a new request id (the
    /// `/btw` replays ccusage drops).
    fn replay(&mut self, msg: &str, model: &str) {
        let env = self.envelope("assistant");
        let req = format!("req_011{}", self.rng.hex(21));
        let read = self.rng.below(150_000);
        self.line(&format!(
            "{{{env},\"requestId\":\"{req}\",\"message\":{{\"model\":\"{model}\",\"id\":\"{msg}\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[{{\"type\":\"text\",\"text\":\"replayed\"}}],\"stop_reason\":\"end_turn\",\"usage\":{{\"input_tokens\":3,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":{read},\"output_tokens\":9}}}}}}"
        ));
    }

    fn finish(mut self, torn: bool) -> u64 {
        if torn {
            let env = self.envelope("assistant");
            let _ = write!(self.out, "{{{env},\"message\":{{\"usage\":{{\"input_tok");
        }
        let _ = self.out.flush();
        self.written
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn claude_session(rng: &mut Rng, dir: &Path, project: &str, target: u64) -> (u64, usize) {
    let id = rng.uuid();
    let model = ["claude-opus-4-6", "claude-sonnet-4-5-20250929"][rng.below(2) as usize];
    let start = 1_750_000_000_000 + rng.below(20_000_000_000) as i64;
    let path = dir.join(format!("{id}.jsonl"));
    let mut s = Session {
        rng,
        out: BufWriter::new(File::create(&path).expect("create")),
        written: 0,
        session_id: id.clone(),
        cwd: project.to_string(),
        now_ms: start,
        context: 15_000,
        sidechain: false,
        agent_id: None,
        parent: "root".into(),
        first_msg: None,
    };
    let with_agent = s.rng.chance(30);
    while s.written < target {
        s.prompt();
        for _ in 0..1 + s.rng.below(8) {
            let tool = s.response(model);
            for _ in 0..s.rng.below(3) {
                s.progress(model);
            }
            if let Some(id) = tool {
                let task = s.rng.chance(5);
                s.tool_result(&id, 1_500, task);
            }
            if s.rng.chance(1) {
                s.line("{\"type\":\"user\",\"message\":{\"content\":\"broken");
            }
        }
        if s.context > 160_000 {
            s.compact();
        }
        if s.rng.chance(5) {
            let env = s.envelope("file-history-snapshot");
            s.line(&format!(
                "{{{env},\"snapshot\":{{\"trackedFileBackups\":{{}}}}}}"
            ));
        }
    }
    let torn = s.rng.chance(3);
    let first_msg = s.first_msg.clone();
    let mut written = s.finish(torn);
    let mut files = 1;
    if with_agent {
        let sub = dir.join(&id).join("subagents");
        fs::create_dir_all(&sub).expect("mkdir");
        let agent = rng.hex(7);
        let mut a = Session {
            rng,
            out: BufWriter::new(
                File::create(sub.join(format!("agent-{agent}.jsonl"))).expect("create"),
            ),
            written: 0,
            session_id: id.clone(),
            cwd: project.to_string(),
            now_ms: start + 60_000,
            context: 10_000,
            sidechain: true,
            agent_id: Some(agent),
            parent: "root".into(),
            first_msg: None,
        };
        if let Some(msg) = &first_msg {
            a.replay(msg, model);
        }
        let sub_target = target / 3;
        while a.written < sub_target {
            a.prompt();
            if let Some(id) = a.response("claude-haiku-4-5") {
                a.tool_result(&id, 1_000, false);
            }
        }
        written += a.finish(false);
        files += 1;
    }
    (written, files)
}

fn codex_session(rng: &mut Rng, root: &Path, cwd: &str, target: u64) -> (u64, usize) {
    let day = 20_200 + rng.below(300) as i64;
    let (y, m, d) = civil(day);
    let dir = root.join(format!("{y:04}/{m:02}/{d:02}"));
    fs::create_dir_all(&dir).expect("mkdir");
    let id = rng.uuid();
    let path = dir.join(format!("rollout-{y:04}-{m:02}-{d:02}T10-00-00-{id}.jsonl"));
    let mut out = BufWriter::new(File::create(path).expect("create"));
    let mut written = 0u64;
    let mut line = |s: String, written: &mut u64| {
        *written += s.len() as u64 + 1;
        let _ = writeln!(out, "{s}");
    };
    let ts = format!("{y:04}-{m:02}-{d:02}T10:00:00.000Z");
    line(
        format!(
            "{{\"timestamp\":\"{ts}\",\"type\":\"session_meta\",\"payload\":{{\"id\":\"{id}\",\"timestamp\":\"{ts}\",\"cwd\":\"{cwd}\",\"originator\":\"codex_cli_rs\",\"cli_version\":\"0.120.0\",\"source\":\"cli\",\"model_provider\":\"openai\"}}}}"
        ),
        &mut written,
    );
    line(
        format!(
            "{{\"timestamp\":\"{ts}\",\"type\":\"turn_context\",\"payload\":{{\"cwd\":\"{cwd}\",\"approval_policy\":\"on-request\",\"model\":\"gpt-5-codex\",\"effort\":\"high\"}}}}"
        ),
        &mut written,
    );
    let (mut tin, mut tcached, mut tout) = (0u64, 0u64, 0u64);
    let mut n = 0;
    while written < target {
        n += 1;
        let call = format!("call_{}", rng.hex(20));
        let args = rng.words(50, 300).replace("\\\"", "'");
        line(
            format!(
                "{{\"timestamp\":\"{ts}\",\"type\":\"response_item\",\"payload\":{{\"type\":\"function_call\",\"name\":\"shell\",\"arguments\":\"{args}\",\"call_id\":\"{call}\"}}}}"
            ),
            &mut written,
        );
        let n = rng.heavy_tail(1_500);
        let output = rng.words(n, 0);
        line(
            format!(
                "{{\"timestamp\":\"{ts}\",\"type\":\"response_item\",\"payload\":{{\"type\":\"function_call_output\",\"call_id\":\"{call}\",\"output\":\"{output}\"}}}}"
            ),
            &mut written,
        );
        if rng.chance(20) {
            line(
                format!(
                    "{{\"timestamp\":\"{ts}\",\"type\":\"event_msg\",\"payload\":{{\"type\":\"token_count\",\"info\":null,\"rate_limits\":{{}}}}}}"
                ),
                &mut written,
            );
        }
        let input = 5_000 + rng.below(100_000);
        let cached = input * rng.below(95) / 100;
        let outp = 10 + rng.below(2_000);
        tin += input;
        tcached += cached;
        tout += outp;
        line(
            format!(
                "{{\"timestamp\":\"{ts}\",\"type\":\"event_msg\",\"payload\":{{\"type\":\"token_count\",\"info\":{{\"total_token_usage\":{{\"input_tokens\":{tin},\"cached_input_tokens\":{tcached},\"output_tokens\":{tout},\"reasoning_output_tokens\":0,\"total_tokens\":{}}},\"last_token_usage\":{{\"input_tokens\":{input},\"cached_input_tokens\":{cached},\"output_tokens\":{outp},\"reasoning_output_tokens\":0,\"total_tokens\":{}}},\"model_context_window\":272000}}}}}}",
                tin + tout,
                input + outp
            ),
            &mut written,
        );
    }
    let _ = n;
    let _ = out.flush();
    (written, 1)
}

fn main() {
    let mut seed = 1u64;
    let mut size_mb = 64u64;
    let mut out = PathBuf::from("corpus");
    let mut single = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => seed = args.next().and_then(|v| v.parse().ok()).unwrap_or(seed),
            "--size-mb" => size_mb = args.next().and_then(|v| v.parse().ok()).unwrap_or(size_mb),
            "--out" => out = args.next().map(PathBuf::from).unwrap_or(out),
            "--single" => single = true,
            other => {
                eprintln!("gen_corpus: unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    let mut rng = Rng(seed);
    let target = size_mb << 20;
    let projects: Vec<String> = (0..20)
        .map(|i| format!("/home/dev/work/project-{i}"))
        .collect();
    let (mut written, mut files) = (0u64, 0usize);
    if single {
        let dir = out.join("claude/projects/-home-dev-work-single");
        fs::create_dir_all(&dir).expect("mkdir");
        let (w, f) = claude_session(&mut rng, &dir, "/home/dev/work/single", target);
        written += w;
        files += f;
    }
    while written < target {
        let project = &projects[rng.below(projects.len() as u64) as usize];
        // About 1 MB per session on average (about 1,300 files per GB), spread widely.
        let size = rng.heavy_tail(290 << 10);
        let (w, f) = if rng.chance(8) {
            codex_session(&mut rng, &out.join("codex/sessions"), project, size)
        } else {
            let key: String = project
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let dir = out.join("claude/projects").join(key);
            fs::create_dir_all(&dir).expect("mkdir");
            claude_session(&mut rng, &dir, project, size)
        };
        written += w;
        files += f;
    }
    println!(
        "{files} files, {:.1} MB in {}",
        written as f64 / 1e6,
        out.display()
    );
}
