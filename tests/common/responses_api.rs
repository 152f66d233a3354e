//! A scripted OpenAI Responses API on 127.0.0.1 for driving the real Codex offline: every
//! `POST /v1/responses` is answered with Server-Sent Events (`response.created`, one output item,
//! `response.completed` with usage). Until the request carries a tool's output, the model asks to
//! run `command` with `exec_command` (escalated, so Codex asks for approval); after it, the model
//! answers with `final_text`.

use super::loopback_http::LoopbackHttp;
use serde_json::{Value, json};

/// Tokens each scripted response reports.
pub const INPUT_TOKENS: u64 = 100;
pub const CACHED_TOKENS: u64 = 10;
pub const OUTPUT_TOKENS: u64 = 20;

pub struct ScriptedResponses {
    http: LoopbackHttp,
}

impl ScriptedResponses {
    /// Starts the server on a free loopback port.
    pub fn start(command: &str, final_text: &str) -> ScriptedResponses {
        let (command, final_text) = (command.to_string(), final_text.to_string());
        let http = LoopbackHttp::start(move |_, body, n| events(body, n, &command, &final_text));
        ScriptedResponses { http }
    }

    /// The `-c` overrides that point Codex at this server.
    pub fn codex_args(&self) -> Vec<String> {
        vec![
            "-c".into(),
            "model_provider=\"mock\"".into(),
            "-c".into(),
            format!(
                "model_providers.mock={{name=\"mock\",base_url=\"http://127.0.0.1:{}/v1\",wire_api=\"responses\",env_key=\"OPENAI_API_KEY\"}}",
                self.http.port
            ),
        ]
    }

    /// The outputs of tool calls Codex sent back to the model.
    pub fn tool_outputs(&self) -> Vec<String> {
        self.http
            .requests()
            .iter()
            .flat_map(|(_, body)| body["input"].as_array().cloned().unwrap_or_default())
            .filter(|item| item["type"] == "function_call_output")
            .map(|item| item["output"].to_string())
            .collect()
    }
}

fn events(body: &Value, n: usize, command: &str, final_text: &str) -> String {
    let after_tool = body["input"]
        .as_array()
        .is_some_and(|items| items.iter().any(|i| i["type"] == "function_call_output"));
    let item = match after_tool {
        false => json!({
            "type": "function_call", "id": format!("fc{n}"), "call_id": format!("call{n}"),
            "name": "exec_command",
            "arguments": json!({"cmd": command, "sandbox_permissions": "require_escalated",
                "justification": "the task needs it"}).to_string(),
        }),
        true => json!({
            "type": "message", "role": "assistant", "id": format!("msg{n}"),
            "content": [{"type": "output_text", "text": final_text}],
        }),
    };
    let usage = json!({
        "input_tokens": INPUT_TOKENS, "input_tokens_details": {"cached_tokens": CACHED_TOKENS},
        "output_tokens": OUTPUT_TOKENS, "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": INPUT_TOKENS + OUTPUT_TOKENS,
    });
    let id = format!("resp{n}");
    [
        ("response.created", json!({"response": {"id": id}})),
        (
            "response.output_item.done",
            json!({"output_index": 0, "item": item}),
        ),
        (
            "response.completed",
            json!({"response": {"id": id, "usage": usage}}),
        ),
    ]
    .into_iter()
    .map(|(name, mut data)| {
        data["type"] = json!(name);
        format!("event: {name}\ndata: {data}\n\n")
    })
    .collect()
}
