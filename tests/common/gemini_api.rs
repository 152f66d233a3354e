//! A scripted Gemini API on 127.0.0.1 for driving the real Gemini CLI offline (it talks to
//! `GOOGLE_GEMINI_BASE_URL`): every `streamGenerateContent` request is answered with one
//! Server-Sent Event. Until the request carries a function response, the model calls
//! `run_shell_command` with `command`; after it, the model answers with `final_text`.

use super::loopback_http::LoopbackHttp;
use serde_json::{Value, json};
use std::path::Path;

/// Tokens each scripted answer reports.
pub const PROMPT_TOKENS: u64 = 11;
pub const ANSWER_TOKENS: u64 = 3;

pub struct ScriptedGemini {
    pub http: LoopbackHttp,
}

impl ScriptedGemini {
    pub fn start(command: &str, final_text: &str) -> ScriptedGemini {
        let (command, final_text) = (command.to_string(), final_text.to_string());
        let http = LoopbackHttp::start(move |_, body, _| event(body, &command, &final_text));
        ScriptedGemini { http }
    }

    /// The environment that points Gemini at this server, with a key that is never checked.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            (
                "GOOGLE_GEMINI_BASE_URL".into(),
                format!("http://127.0.0.1:{}", self.http.port),
            ),
            ("GEMINI_API_KEY".into(), "test-key".into()),
        ]
    }

    /// Writes the settings that choose API-key authentication into the CLI's `home`.
    pub fn settle(home: &Path) {
        let dir = home.join(".gemini");
        std::fs::create_dir_all(&dir).expect("a .gemini folder");
        let settings = json!({"security": {"auth": {"selectedType": "gemini-api-key"}}});
        std::fs::write(dir.join("settings.json"), settings.to_string()).expect("settings");
    }
}

fn event(body: &Value, command: &str, final_text: &str) -> String {
    let after_tool = body.to_string().contains("functionResponse");
    let part = match after_tool {
        false => json!({"functionCall": {"name": "run_shell_command",
            "args": {"command": command, "description": "the task needs it"}}}),
        true => json!({"text": final_text}),
    };
    let answer = json!({
        "candidates": [{"content": {"role": "model", "parts": [part]}, "finishReason": "STOP",
            "index": 0}],
        "usageMetadata": {"promptTokenCount": PROMPT_TOKENS, "candidatesTokenCount": ANSWER_TOKENS,
            "totalTokenCount": PROMPT_TOKENS + ANSWER_TOKENS},
        "modelVersion": "gemini-test",
    });
    format!("data: {answer}\n\n")
}
