//! Reading Claude Code's stream-json through the Claude dialect: a realistic transcript (the
//! initialize response, `system`/`init`, then turns of an assistant `tool_use`, a `can_use_tool`
//! control request (approved, as a person would), a `user` `tool_result` carrying a file or
//! command output of 200 bytes to 16 KB, an assistant text, and a final `result`) is generated
//! on the fly, a megabyte at a time, and fed to one dialect. One pass over 10 MB and one over
//! 100 MB are timed, in the thread's CPU time and on the wall clock, and printed with the peak
//! memory after each (memory stays flat when the two peaks match); only the dialect's reading is
//! timed, not the making of the lines. criterion then times a 1 MB transcript, made beforehand.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use orch_tui::agents::dialect::{Dialect, Said, dialect_for};
use orch_tui::engine::agent_io::{AgentReport, Launch, Speaks};
use serde_json::json;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Lines of a transcript of at least `bytes` bytes, made on the fly (nothing is kept).
struct Transcript {
    target: usize,
    written: usize,
    turn: u64,
    pending: Vec<String>,
    rng: u64,
    /// Tool outputs of 200 bytes to 16 KB, made once and picked at random.
    outputs: Vec<String>,
}

impl Transcript {
    fn new(bytes: usize) -> Transcript {
        let opening = vec![
            json!({"type": "control_response", "response": {"subtype": "success", "request_id": "init", "response": {"commands": []}}}).to_string(),
            json!({"type": "system", "subtype": "init", "cwd": "/home/dev/project", "session_id": "5b1c0d2e-8f7a-4c2b-9e61-0d1f2a3b4c5d", "tools": ["Task", "Bash", "Glob", "Grep", "Read", "Edit", "Write", "TodoWrite"], "model": "claude-sonnet-4-5", "permissionMode": "default", "apiKeySource": "ANTHROPIC_API_KEY"}).to_string(),
        ];
        let mut transcript = Transcript {
            target: bytes,
            written: 0,
            turn: 0,
            pending: opening.into_iter().rev().collect(),
            rng: 0x9e37_79b9_7f4a_7c15,
            outputs: Vec::new(),
        };
        transcript.outputs = (0..64)
            .map(|_| {
                let size = 200 + (transcript.next_random() % 16_000) as usize;
                transcript.file_text(size)
            })
            .collect();
        transcript
    }

    fn next_random(&mut self) -> u64 {
        self.rng ^= self.rng << 13;
        self.rng ^= self.rng >> 7;
        self.rng ^= self.rng << 17;
        self.rng
    }

    /// Source-like text of about `len` bytes, with quotes, tabs and non-ASCII to escape.
    fn file_text(&mut self, len: usize) -> String {
        let mut text = String::with_capacity(len + 80);
        while text.len() < len {
            let n = self.next_random() % 1000;
            text.push_str(&format!(
                "\tlet value_{n} = parse(\"field {n}\")?; // größe ≤ {n}\n"
            ));
        }
        text
    }

    fn turn_lines(&mut self) -> Vec<String> {
        self.turn += 1;
        let t = self.turn;
        let session = "5b1c0d2e-8f7a-4c2b-9e61-0d1f2a3b4c5d";
        let usage = json!({"input_tokens": 1200 + t % 500, "output_tokens": 80 + t % 40, "cache_read_input_tokens": 9000, "cache_creation_input_tokens": 300});
        let (tool, input) = if t.is_multiple_of(2) {
            (
                "Bash",
                json!({"command": format!("cargo test --lib parse_{t}"), "description": "run the parser tests"}),
            )
        } else {
            (
                "Read",
                json!({"file_path": format!("/home/dev/project/src/module_{t}.rs")}),
            )
        };
        let pick = (self.next_random() % 64) as usize;
        let output = &self.outputs[pick];
        let mut lines = vec![
            json!({"type": "assistant", "message": {"id": format!("msg_{t}a"), "model": "claude-sonnet-4-5", "role": "assistant", "content": [{"type": "tool_use", "id": format!("toolu_{t}"), "name": tool, "input": input}], "usage": usage}, "parent_tool_use_id": null, "session_id": session}).to_string(),
            json!({"type": "control_request", "request_id": format!("req-{t}"), "request": {"subtype": "can_use_tool", "tool_name": tool, "display_name": tool, "input": input, "description": "run the parser tests", "permission_suggestions": [{"type": "addRules", "rules": [{"toolName": tool}], "behavior": "allow", "destination": "session"}]}}).to_string(),
            json!({"type": "user", "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": format!("toolu_{t}"), "content": output, "is_error": false}]}, "parent_tool_use_id": null, "session_id": session}).to_string(),
            json!({"type": "assistant", "message": {"id": format!("msg_{t}b"), "model": "claude-sonnet-4-5", "role": "assistant", "content": [{"type": "text", "text": format!("Step {t}: the output shows the parser handles field {t}; next I check the error path.")}], "usage": usage}, "parent_tool_use_id": null, "session_id": session}).to_string(),
        ];
        lines.reverse();
        lines
    }
}

impl Iterator for Transcript {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        if self.pending.is_empty() {
            if self.written >= self.target {
                if self.turn == u64::MAX {
                    return None;
                }
                self.turn = u64::MAX;
                return Some(json!({"type": "result", "subtype": "success", "is_error": false, "duration_ms": 3_600_000, "num_turns": 500, "result": "All parser tests pass.", "session_id": "5b1c0d2e-8f7a-4c2b-9e61-0d1f2a3b4c5d", "total_cost_usd": 12.5, "usage": {"input_tokens": 1_000_000, "output_tokens": 90_000, "cache_read_input_tokens": 5_000_000, "cache_creation_input_tokens": 30_000}, "permission_denials": []}).to_string());
            }
            self.pending = self.turn_lines();
        }
        let line = self.pending.pop()?;
        self.written += line.len() + 1;
        Some(line)
    }
}

fn dialect() -> Box<dyn Dialect> {
    let mut d = dialect_for(Speaks::Claude);
    let launch = Launch {
        task: "parse".into(),
        agent: "dev1".into(),
        attempt: 1,
        argv: vec!["claude".into()],
        cwd: None,
        env: Vec::new(),
        timeout_ms: None,
        heartbeat_ms: None,
        input: json!({"prompt": "Make the parser tests pass."}),
        speaks: Speaks::Claude,
    };
    d.opening(&launch);
    d
}

/// Reads one line, and approves a permission request it raises as orch-tui would once a person
/// chose "Allow once"; returns how many reports the line made.
fn read_and_approve(d: &mut dyn Dialect, line: &str) -> usize {
    let heard = d.read(line);
    for said in &heard.said {
        if let Said::Message(AgentReport::Blocker(b)) = said {
            black_box(d.answer(&b.id, 1));
        }
    }
    black_box(heard).said.len()
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// The CPU time this thread has used: unlike the wall clock, it does not count the time other
/// programs on a busy machine take.
fn thread_cpu() -> Duration {
    let mut now = nix::libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to write.
    unsafe { nix::libc::clock_gettime(nix::libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Reads a whole transcript of `mb` MB through one dialect and prints the rate (per second of
/// CPU, and of the wall clock) and the peak memory. The transcript is made in chunks of 1 MB,
/// each before the clocks start.
fn one_pass(mb: usize) {
    let mut d = dialect();
    let mut transcript = Transcript::new(mb << 20);
    let (mut lines, mut bytes, mut said) = (0usize, 0usize, 0usize);
    let (mut cpu, mut wall) = (Duration::ZERO, Duration::ZERO);
    loop {
        let mut chunk = Vec::new();
        let mut chunk_bytes = 0;
        for line in transcript.by_ref() {
            chunk_bytes += line.len() + 1;
            chunk.push(line);
            if chunk_bytes >= 1 << 20 {
                break;
            }
        }
        if chunk.is_empty() {
            break;
        }
        let (cpu_start, wall_start) = (thread_cpu(), Instant::now());
        for line in &chunk {
            said += read_and_approve(d.as_mut(), line);
        }
        cpu += thread_cpu() - cpu_start;
        wall += wall_start.elapsed();
        lines += chunk.len();
        bytes += chunk_bytes;
    }
    let rate = |d: Duration| lines as f64 / d.as_secs_f64();
    eprintln!(
        "{mb} MB transcript: {lines} events ({said} reports) in {:.2} s of CPU = {:.0} events/s, {:.0} MB/s (wall clock {:.2} s = {:.0} events/s); peak memory {:.0} MB",
        cpu.as_secs_f64(),
        rate(cpu),
        bytes as f64 / cpu.as_secs_f64() / 1_048_576.0,
        wall.as_secs_f64(),
        rate(wall),
        peak_rss_mb()
    );
}

fn claude_stream(c: &mut Criterion) {
    one_pass(10);
    one_pass(100);
    let lines: Vec<String> = Transcript::new(1 << 20).collect();
    let mut group = c.benchmark_group("claude_stream");
    group.sample_size(10);
    group.throughput(Throughput::Elements(lines.len() as u64));
    group.bench_function("read_1mb_transcript", |b| {
        b.iter(|| {
            let mut d = dialect();
            for line in &lines {
                read_and_approve(d.as_mut(), line);
            }
        })
    });
    group.finish();
}

criterion_group!(benches, claude_stream);
criterion_main!(benches);
