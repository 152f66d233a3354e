//! The Codex dialect: `codex app-server`, JSON-RPC over stdio (one JSON object per line, without
//! a `jsonrpc` member). orch-tui initialises the server, starts a thread in the task's working
//! directory and, once the server names the thread, a turn with the prompt. Notifications about
//! the turn's items become activity and usage (`codex_items`); the server's approval requests
//! for commands and file changes become `PERMISSION` blockers, answered with the request's own
//! id. The app-server does not exit by itself: when the turn completes, the dialect says its
//! input is done, stdin is closed and the server exits. A failed turn, an error response or a
//! server that exits before its turn completed fails the attempt with a one-line reason.

use super::codex_items::{self, ItemCall};
use super::dialect::{Dialect, Heard, Said, prompt};
use super::fold::one_line;
use super::permission::{Choice, permission_blocker};
use crate::engine::agent_io::{Activity, AgentReport, Exit, Launch};
use crate::engine::event::LogLevel;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Request ids orch-tui uses for its own requests.
const INITIALIZE: i64 = 1;
const THREAD_START: i64 = 2;
const TURN_START: i64 = 3;

/// The JSON-RPC error code for a method the client does not handle.
const METHOD_NOT_FOUND: i64 = -32601;

/// One attempt's conversation with `codex app-server`.
#[derive(Debug, Default)]
pub struct CodexDialect {
    prompt: String,
    /// The model the thread runs on, as the server named it.
    model: Option<String>,
    /// Tool calls by item id, for approval requests that name only the item.
    calls: HashMap<String, ItemCall>,
    /// Approval requests waiting for a decision: blocker id → the request's JSON-RPC id.
    asking: HashMap<String, Value>,
    last_message: Option<String>,
    turns: u32,
    /// The turn completed: the attempt is over.
    finished: bool,
    /// Why the attempt failed, as the server said.
    failure: Option<String>,
}

impl CodexDialect {
    pub fn new() -> CodexDialect {
        CodexDialect::default()
    }

    fn response(&mut self, id: &Value, message: &Value) -> Heard {
        if let Some(error) = message.get("error") {
            let text = error["message"]
                .as_str()
                .unwrap_or("an error without a message");
            self.fail(format!("codex app-server refused request {id}: {text}"));
            return Heard::one(warn(format!("codex app-server: {}", one_line(text))));
        }
        if id.as_i64() != Some(THREAD_START) {
            return Heard::default();
        }
        let result = &message["result"];
        self.model = result["model"].as_str().map(str::to_string);
        let Some(thread) = result["thread"]["id"].as_str() else {
            self.fail("codex app-server started a thread without an id".into());
            return Heard::default();
        };
        Heard {
            said: vec![activity(Activity::Session { id: thread.into() })],
            replies: vec![request(
                TURN_START,
                "turn/start",
                json!({"threadId": thread, "input": [{"type": "text", "text": self.prompt}]}),
            )],
        }
    }

    fn notification(&mut self, method: &str, params: &Value) -> Vec<Said> {
        let item = &params["item"];
        let report = match method {
            "item/started" => {
                if let (Some(id), Some(call)) = (item["id"].as_str(), codex_items::call_of(item)) {
                    self.calls.insert(id.to_string(), call);
                }
                codex_items::started(item).map(AgentReport::Activity)
            }
            "item/completed" => {
                if item["type"] == "agentMessage" {
                    self.last_message = item["text"].as_str().map(str::to_string);
                }
                codex_items::completed(item).map(AgentReport::Activity)
            }
            "turn/plan/updated" => codex_items::todo(params).map(AgentReport::Activity),
            "thread/tokenUsage/updated" => {
                codex_items::usage(params, self.model.as_deref()).map(AgentReport::Usage)
            }
            "turn/completed" => return self.turn_completed(&params["turn"]),
            "error" => Some(self.error(params)),
            "serverRequest/resolved" => self.resolved(&params["requestId"]),
            "warning" | "configWarning" | "deprecationNotice" => {
                let text = params["message"].as_str().or(params["summary"].as_str());
                text.map(|text| log(LogLevel::Info, format!("codex: {}", one_line(text))))
            }
            _ => {
                tracing::debug!("codex app-server notification `{method}` ignored");
                None
            }
        };
        report.map(Said::Message).into_iter().collect()
    }

    fn turn_completed(&mut self, turn: &Value) -> Vec<Said> {
        self.turns += 1;
        self.finished = true;
        let mut said = vec![activity(Activity::Turn { turns: self.turns })];
        match turn["status"].as_str().unwrap_or_default() {
            "completed" => {
                if let Some(summary) = self.last_message.clone() {
                    said.push(Said::Message(AgentReport::Result { summary }));
                }
            }
            status => {
                let why = turn["error"]["message"].as_str().unwrap_or(status);
                self.fail(format!("codex turn {status}: {}", one_line(why)));
            }
        }
        said
    }

    fn error(&mut self, params: &Value) -> AgentReport {
        let text = one_line(params["error"]["message"].as_str().unwrap_or("error"));
        match params["willRetry"].as_bool() {
            Some(true) => log(LogLevel::Warn, format!("codex: {text} (retrying)")),
            _ => {
                self.fail(format!("codex: {text}"));
                log(LogLevel::Error, format!("codex: {text}"))
            }
        }
    }

    /// A request resolved before orch-tui answered it (the turn was interrupted): its blocker
    /// is withdrawn.
    fn resolved(&mut self, request: &Value) -> Option<AgentReport> {
        let blocker = blocker_id(request);
        self.asking
            .remove(&blocker)
            .map(|_| AgentReport::Withdrawn { blocker })
    }

    fn server_request(&mut self, id: &Value, method: &str, params: &Value) -> Heard {
        let item = params["itemId"].as_str().unwrap_or_default();
        let known = self.calls.get(item).cloned();
        let (tool, input) = match method {
            "item/commandExecution/requestApproval" => {
                let input = match &known {
                    Some(call) => call.input.clone(),
                    None => one_line(&codex_items::command_of(params)),
                };
                ("Bash".to_string(), input)
            }
            "item/fileChange/requestApproval" => {
                let files = known.map(|call| call.input).unwrap_or_default();
                let root = params["grantRoot"]
                    .as_str()
                    .map(|r| format!("writes under {r}"));
                let input = [Some(files), root]
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("; ");
                ("Edit".to_string(), input)
            }
            _ => {
                let text = format!("orch-tui does not answer `{method}`");
                let refusal =
                    json!({"id": id, "error": {"code": METHOD_NOT_FOUND, "message": text}});
                return Heard {
                    said: vec![warn(format!(
                        "codex asked `{method}`, which orch-tui refused"
                    ))],
                    replies: vec![refusal.to_string()],
                };
            }
        };
        let blocker = blocker_id(id);
        self.asking.insert(blocker.clone(), id.clone());
        let why = params["reason"].as_str();
        let raised = permission_blocker(&blocker, &tool, &input, why);
        Heard::one(Said::Message(AgentReport::Blocker(Box::new(raised))))
    }

    fn fail(&mut self, reason: String) {
        self.failure.get_or_insert(reason);
    }
}

impl Dialect for CodexDialect {
    fn opening(&mut self, launch: &Launch) -> Vec<String> {
        self.prompt = prompt(launch).to_string();
        let client =
            json!({"name": "orch-tui", "title": "orch-tui", "version": env!("CARGO_PKG_VERSION")});
        let mut thread = json!({});
        if let Some(cwd) = &launch.cwd {
            thread["cwd"] = json!(cwd.to_string_lossy());
        }
        vec![
            request(INITIALIZE, "initialize", json!({ "clientInfo": client })),
            json!({"method": "initialized"}).to_string(),
            request(THREAD_START, "thread/start", thread),
        ]
    }

    fn read(&mut self, line: &str) -> Heard {
        if !line.trim_start().starts_with('{') {
            return Heard::one(Said::Plain(line.to_string()));
        }
        let message: Value = match serde_json::from_str(line) {
            Ok(message) => message,
            Err(e) => return Heard::one(Said::Unreadable { why: e.to_string() }),
        };
        let method = message["method"].as_str();
        match (message.get("id"), method) {
            (Some(id), Some(method)) => self.server_request(id, method, &message["params"]),
            (None, Some(method)) => Heard {
                said: self.notification(method, &message["params"]),
                replies: Vec::new(),
            },
            (Some(id), None) => self.response(id, &message),
            (None, None) => Heard::one(Said::Unreadable {
                why: "a JSON-RPC message needs an `id` or a `method`".into(),
            }),
        }
    }

    fn answer(&mut self, blocker: &str, option: usize) -> Vec<String> {
        let Some(id) = self.asking.remove(blocker) else {
            return Vec::new();
        };
        let decision = match Choice::of(option) {
            Choice::AllowOnce => "accept",
            Choice::AllowForTask => "acceptForSession",
            Choice::Deny => "decline",
        };
        vec![json!({"id": id, "result": {"decision": decision}}).to_string()]
    }

    fn verdict(&mut self, exit: Exit) -> Exit {
        match (self.failure.take(), exit) {
            (Some(reason), _) => Exit::Failed(reason),
            (None, Exit::Succeeded) if !self.finished => {
                Exit::Failed("codex app-server ended before its turn completed".into())
            }
            (None, exit) => exit,
        }
    }

    fn input_done(&self) -> bool {
        self.finished || self.failure.is_some()
    }
}

/// The blocker id of the server request `id`.
fn blocker_id(id: &Value) -> String {
    match id.as_str() {
        Some(text) => text.to_string(),
        None => id.to_string(),
    }
}

fn request(id: i64, method: &str, params: Value) -> String {
    json!({"id": id, "method": method, "params": params}).to_string()
}

fn activity(activity: Activity) -> Said {
    Said::Message(AgentReport::Activity(activity))
}

fn log(level: LogLevel, text: String) -> AgentReport {
    AgentReport::Log { level, text }
}

fn warn(text: String) -> Said {
    Said::Message(log(LogLevel::Warn, text))
}
