//! A scripted Anthropic Messages API on 127.0.0.1 for driving the real Claude Code CLI offline.
//! It streams Server-Sent Events as the real API does: a request with tools and no tool result
//! gets a `tool_use` asking to run Bash (`touch FILE`); once a `tool_result` is in the messages,
//! the final text; a request without tools (the CLI's short extra request) a short text. Every
//! request body is kept, so a test can see what the CLI told the model.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The final answer of the scripted model.
pub const FINAL_TEXT: &str = "All done: the file is there.";

pub struct ScriptedApi {
    /// `http://127.0.0.1:PORT`, for `ANTHROPIC_BASE_URL`.
    pub url: String,
    bodies: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl ScriptedApi {
    /// Serves the script; the Bash call touches `file`.
    pub fn start(file: &Path) -> ScriptedApi {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let command = format!("touch {}", file.display());
        let (kept, stopping) = (bodies.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (kept, command) = (kept.clone(), command.clone());
                std::thread::spawn(move || serve(stream, &kept, &command));
            }
        });
        ScriptedApi { url, bodies, stop }
    }

    /// Every request body received so far.
    pub fn bodies(&self) -> Vec<String> {
        self.bodies.lock().map(|b| b.clone()).unwrap_or_default()
    }
}

impl Drop for ScriptedApi {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

fn serve(stream: TcpStream, bodies: &Mutex<Vec<String>>, command: &str) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut length = 0;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let body = String::from_utf8_lossy(&body).into_owned();
        if !request_line.contains("/v1/messages") {
            let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
            continue;
        }
        if let Ok(mut kept) = bodies.lock() {
            kept.push(body.clone());
        }
        let events = answer(&body, command);
        let _ = stream.write_all(
            format!("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n{events}").as_bytes(),
        );
        let _ = stream.flush();
        return;
    }
}

/// The SSE stream answering request `body`.
fn answer(body: &str, command: &str) -> String {
    let request: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let has_tools = request["tools"].as_array().is_some_and(|t| !t.is_empty());
    let after_tool = body.contains("\"tool_result\"");
    let model = request["model"]
        .as_str()
        .unwrap_or("claude-sonnet-4-5")
        .to_string();
    let (block, delta, stop) = if has_tools && !after_tool {
        let input = serde_json::json!({"command": command, "description": "make the file"});
        (
            serde_json::json!({"type": "tool_use", "id": "toolu_1", "name": "Bash", "input": {}}),
            serde_json::json!({"type": "input_json_delta", "partial_json": input.to_string()}),
            "tool_use",
        )
    } else {
        let text = if has_tools { FINAL_TEXT } else { "ok" };
        (
            serde_json::json!({"type": "text", "text": ""}),
            serde_json::json!({"type": "text_delta", "text": text}),
            "end_turn",
        )
    };
    let id = if after_tool { "msg_2" } else { "msg_1" };
    let events = [
        (
            "message_start",
            serde_json::json!({"type": "message_start", "message": {"id": id, "type": "message", "role": "assistant", "model": model, "content": [], "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 1000, "output_tokens": 1, "cache_read_input_tokens": 200, "cache_creation_input_tokens": 0}}}),
        ),
        (
            "content_block_start",
            serde_json::json!({"type": "content_block_start", "index": 0, "content_block": block}),
        ),
        (
            "content_block_delta",
            serde_json::json!({"type": "content_block_delta", "index": 0, "delta": delta}),
        ),
        (
            "content_block_stop",
            serde_json::json!({"type": "content_block_stop", "index": 0}),
        ),
        (
            "message_delta",
            serde_json::json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null}, "usage": {"output_tokens": 50}}),
        ),
        ("message_stop", serde_json::json!({"type": "message_stop"})),
    ];
    events
        .iter()
        .map(|(name, data)| format!("event: {name}\ndata: {data}\n\n"))
        .collect()
}
