//! A scripted OpenAI Responses API on 127.0.0.1 for driving the real Codex offline: every
//! `POST /v1/responses` is answered with Server-Sent Events (`response.created`, one output item,
//! `response.completed` with usage). Until the request carries a tool's output, the model asks to
//! run `command` with `exec_command` (escalated, so Codex asks for approval); after it, the model
//! answers with `final_text`. Every request body is kept for the test to read.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// Tokens each scripted response reports.
pub const INPUT_TOKENS: u64 = 100;
pub const CACHED_TOKENS: u64 = 10;
pub const OUTPUT_TOKENS: u64 = 20;

pub struct ScriptedResponses {
    pub port: u16,
    requests: Arc<Mutex<Vec<Value>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Clone)]
struct Script {
    command: String,
    final_text: String,
}

impl ScriptedResponses {
    /// Starts the server on a free loopback port.
    pub fn start(command: &str, final_text: &str) -> ScriptedResponses {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("its address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let script = Script {
            command: command.into(),
            final_text: final_text.into(),
        };
        let (kept, stopping) = (requests.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let (kept, script) = (kept.clone(), script.clone());
                if let Ok(stream) = stream {
                    std::thread::spawn(move || serve(stream, &script, &kept));
                }
            }
        });
        ScriptedResponses {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    /// The `-c` overrides that point Codex at this server.
    pub fn codex_args(&self) -> Vec<String> {
        vec![
            "-c".into(),
            "model_provider=\"mock\"".into(),
            "-c".into(),
            format!(
                "model_providers.mock={{name=\"mock\",base_url=\"http://127.0.0.1:{}/v1\",wire_api=\"responses\",env_key=\"OPENAI_API_KEY\"}}",
                self.port
            ),
        ]
    }

    /// The bodies of the requests so far.
    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// The outputs of tool calls Codex sent back to the model.
    pub fn tool_outputs(&self) -> Vec<String> {
        self.requests()
            .iter()
            .flat_map(|body| body["input"].as_array().cloned().unwrap_or_default())
            .filter(|item| item["type"] == "function_call_output")
            .map(|item| item["output"].to_string())
            .collect()
    }
}

impl Drop for ScriptedResponses {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(stream: TcpStream, script: &Script, kept: &Mutex<Vec<Value>>) {
    let Some(body) = read_request(&stream) else {
        return;
    };
    let after_tool = body["input"]
        .as_array()
        .is_some_and(|items| items.iter().any(|i| i["type"] == "function_call_output"));
    if let Ok(mut kept) = kept.lock() {
        kept.push(body);
    }
    let n = kept.lock().map(|k| k.len()).unwrap_or(0);
    let item = match after_tool {
        false => json!({
            "type": "function_call", "id": format!("fc{n}"), "call_id": format!("call{n}"),
            "name": "exec_command",
            "arguments": json!({"cmd": script.command, "sandbox_permissions": "require_escalated",
                "justification": "the task needs it"}).to_string(),
        }),
        true => json!({
            "type": "message", "role": "assistant", "id": format!("msg{n}"),
            "content": [{"type": "output_text", "text": script.final_text}],
        }),
    };
    let usage = json!({
        "input_tokens": INPUT_TOKENS, "input_tokens_details": {"cached_tokens": CACHED_TOKENS},
        "output_tokens": OUTPUT_TOKENS, "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": INPUT_TOKENS + OUTPUT_TOKENS,
    });
    let id = format!("resp{n}");
    let events = [
        ("response.created", json!({"response": {"id": id}})),
        (
            "response.output_item.done",
            json!({"output_index": 0, "item": item}),
        ),
        (
            "response.completed",
            json!({"response": {"id": id, "usage": usage}}),
        ),
    ];
    let mut out = String::from(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n",
    );
    for (name, mut data) in events {
        data["type"] = json!(name);
        out.push_str(&format!("event: {name}\ndata: {data}\n\n"));
    }
    let mut stream = stream;
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.flush();
}

/// The JSON body of one HTTP request (read by its content-length).
fn read_request(stream: &TcpStream) -> Option<Value> {
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
