//! Claude Code's stream-json, both ways (`docs/agent-clis.md`), as the `Speaks::Claude` dialect.
//! It opens with the `initialize` control request and the user turn carrying the prompt, then
//! reads each event: the session id, tool calls and their results, the agent's text, its todo
//! list, turns, tokens and cost, permission requests (blockers of kind `PERMISSION`, answered in
//! Claude's `control_response`), their withdrawal, and the `result`. A result with `is_error`
//! fails the attempt with the CLI's own message even though the CLI exits 0, and one saying the
//! CLI is not logged in fails it for good, since a retry would only repeat it. Unknown event
//! types are ignored with a debug log.

use super::claude_permission::{Ask, answer, blocker, fold_input};
use super::dialect::{Dialect, Heard, Said, prompt};
use super::fold::one_line;
use crate::engine::agent_io::{Activity, AgentReport, Exit, Launch, Usage};
use crate::engine::event::LogLevel;
use crate::sanitise::{sanitise, sanitise_line};
use serde_json::{Value, json};
use std::borrow::Cow;
use std::collections::HashMap;

/// What Claude Code says when it has no credentials.
const NOT_LOGGED_IN: &str = "Not logged in";

#[derive(Debug, Default)]
pub struct ClaudeDialect {
    agent: String,
    task: String,
    /// Permission requests waiting for a decision, by request id.
    asks: HashMap<String, Ask>,
    /// The assistant message being printed (one event per content block, consecutive), with
    /// its latest usage.
    current: Option<(String, Usage)>,
    /// The tokens of the assistant messages before `current`, and how many there were with it.
    earlier: Usage,
    turns: u32,
    model: Option<String>,
    /// The CLI said its credentials are missing.
    auth_failed: bool,
    /// How the `result` ended the conversation, once it came.
    ended: Option<Exit>,
}

impl Dialect for ClaudeDialect {
    fn opening(&mut self, launch: &Launch) -> Vec<String> {
        self.agent = launch.agent.clone();
        self.task = launch.task.clone();
        let prompt = prompt(launch);
        vec![
            json!({"type": "control_request", "request_id": "init", "request": {"subtype": "initialize", "hooks": null}}).to_string(),
            json!({"type": "user", "message": {"role": "user", "content": prompt}, "parent_tool_use_id": null, "session_id": "default"}).to_string(),
        ]
    }

    fn read(&mut self, line: &str) -> Heard {
        if !line.trim_start().starts_with('{') {
            return Heard::one(Said::Plain(line.to_string()));
        }
        match serde_json::from_str::<Value>(line) {
            Ok(mut event) => self.event(&mut event),
            Err(e) => Heard::one(Said::Unreadable { why: e.to_string() }),
        }
    }

    fn answer(&mut self, blocker: &str, option: usize) -> Vec<String> {
        match self.asks.remove(blocker) {
            Some(ask) => vec![answer(blocker, ask, option)],
            None => Vec::new(),
        }
    }

    /// Once the `result` came: the CLI would wait for another user turn until its stdin closes.
    fn input_done(&self) -> bool {
        self.ended.is_some()
    }

    fn verdict(&mut self, exit: Exit) -> Exit {
        match (self.ended.take(), exit) {
            (Some(Exit::Succeeded), exit) => exit,
            (Some(failed), _) => failed,
            (None, Exit::Succeeded) => Exit::Failed("Claude Code ended without a result".into()),
            (None, exit) => exit,
        }
    }
}

impl ClaudeDialect {
    fn event(&mut self, event: &mut Value) -> Heard {
        let kind = event["type"].as_str().unwrap_or_default();
        let said = match kind {
            "system" => self.system(event),
            "assistant" => self.assistant(event),
            "user" => tool_results(event),
            "control_request" => return self.control_request(event),
            "control_cancel_request" => self.cancel(event),
            "control_response" => control_response(event),
            "result" => self.result(event),
            other => vec![debug(format!(
                "ignored a Claude Code event of type `{other}`"
            ))],
        };
        Heard {
            said,
            replies: Vec::new(),
        }
    }

    fn system(&mut self, event: &Value) -> Vec<Said> {
        if event["subtype"] != "init" {
            return Vec::new();
        }
        self.model = event["model"].as_str().map(str::to_string);
        match event["session_id"].as_str() {
            Some(id) => vec![activity(Activity::Session {
                id: sanitise_line(id),
            })],
            None => Vec::new(),
        }
    }

    /// One assistant message (Claude Code prints one event per content block, each with the
    /// message's id and usage so far).
    fn assistant(&mut self, event: &Value) -> Vec<Said> {
        let message = &event["message"];
        let mut said = Vec::new();
        if event["error"] == "authentication_failed" {
            self.auth_failed = true;
        }
        let id = message["id"].as_str().unwrap_or_default().to_string();
        if let Some(model) = message["model"].as_str() {
            self.model = Some(model.to_string());
        }
        let usage = usage_of(&message["usage"], None, self.model.clone());
        match &mut self.current {
            Some((seen, latest)) if *seen == id => *latest = usage,
            _ => {
                if let Some((_, finished)) = self.current.replace((id, usage)) {
                    add_tokens(&mut self.earlier, &finished);
                }
                self.turns += 1;
                said.push(activity(Activity::Turn { turns: self.turns }));
            }
        }
        said.push(Said::Message(AgentReport::Usage(self.usage_so_far())));
        for block in message["content"].as_array().into_iter().flatten() {
            match block["type"].as_str() {
                Some("text") => {
                    let text = sanitise(block["text"].as_str().unwrap_or_default()).into_owned();
                    if !text.trim().is_empty() {
                        said.push(activity(Activity::Text { text }));
                    }
                }
                Some("tool_use") => said.extend(tool_use(block)),
                _ => {}
            }
        }
        said
    }

    fn usage_so_far(&self) -> Usage {
        let mut total = Usage {
            model: self.model.clone(),
            ..self.earlier.clone()
        };
        if let Some((_, u)) = &self.current {
            add_tokens(&mut total, u);
        }
        total
    }

    /// A permission request becomes a blocker; any other control request is refused at once so
    /// that the CLI does not wait for an answer that never comes.
    fn control_request(&mut self, event: &mut Value) -> Heard {
        let id = event["request_id"].as_str().unwrap_or_default().to_string();
        let mut request = event
            .get_mut("request")
            .map(Value::take)
            .unwrap_or_default();
        if request["subtype"] != "can_use_tool" {
            let subtype = request["subtype"].as_str().unwrap_or("?");
            let refusal = json!({"type": "control_response", "response": {"subtype": "error", "request_id": id, "error": format!("orch-tui does not handle `{subtype}` requests")}});
            return Heard {
                said: vec![debug(format!(
                    "refused a Claude Code control request `{subtype}`"
                ))],
                replies: vec![refusal.to_string()],
            };
        }
        let tool = request["tool_name"].as_str().unwrap_or("a tool");
        let why = request["description"].as_str().unwrap_or_default();
        let raised = blocker(&id, &self.agent, &self.task, tool, &request["input"], why);
        let mut take = |field: &str| request.get_mut(field).map(Value::take);
        let ask = Ask {
            input: take("input").unwrap_or_default(),
            suggestions: take("permission_suggestions"),
        };
        self.asks.insert(id, ask);
        Heard::one(Said::Message(AgentReport::Blocker(Box::new(raised))))
    }

    fn cancel(&mut self, event: &Value) -> Vec<Said> {
        let id = event["request_id"].as_str().unwrap_or_default();
        match self.asks.remove(id) {
            Some(_) => vec![Said::Message(AgentReport::Withdrawn {
                blocker: id.to_string(),
            })],
            None => Vec::new(),
        }
    }

    fn result(&mut self, event: &Value) -> Vec<Said> {
        let text = event["result"].as_str().map(|t| sanitise(t).into_owned());
        let cost = event["total_cost_usd"].as_f64();
        let mut usage = usage_of(&event["usage"], cost, self.model.clone());
        if event.get("usage").is_none() {
            usage = Usage {
                cost_usd: cost,
                ..self.usage_so_far()
            };
        }
        let mut said = vec![Said::Message(AgentReport::Usage(usage))];
        if event["is_error"].as_bool() == Some(true) {
            let subtype = event["subtype"].as_str().unwrap_or("error");
            let message = text.map_or_else(
                || format!("Claude Code stopped: {subtype}"),
                |t| one_line(&t),
            );
            self.ended = Some(match self.auth_failed || message.contains(NOT_LOGGED_IN) {
                true => Exit::FailedForGood(message.clone()),
                false => Exit::Failed(message.clone()),
            });
            said.push(Said::Message(AgentReport::Result { summary: message }));
            return said;
        }
        self.ended = Some(Exit::Succeeded);
        let summary = text.unwrap_or_default();
        said.push(Said::Message(AgentReport::Result { summary }));
        said
    }
}

/// The tool call in an assistant's `tool_use` block, and its todo list when it writes one.
fn tool_use(block: &Value) -> Vec<Said> {
    let tool = block["name"].as_str().unwrap_or("tool");
    let input = &block["input"];
    let mut said = vec![activity(Activity::ToolCall {
        id: block["id"].as_str().unwrap_or_default().to_string(),
        tool: sanitise_line(tool),
        input: fold_input(tool, input),
    })];
    if tool == "TodoWrite"
        && let Some(todos) = input["todos"].as_array()
    {
        let done = todos.iter().filter(|t| t["status"] == "completed").count();
        said.push(activity(Activity::Todo {
            done: done as u32,
            total: todos.len() as u32,
        }));
    }
    said
}

/// The results of tool calls the CLI hands back to the model.
fn tool_results(event: &Value) -> Vec<Said> {
    let content = event["message"]["content"].as_array();
    content
        .into_iter()
        .flatten()
        .filter(|block| block["type"] == "tool_result")
        .map(|block| {
            let output = match &block["content"] {
                Value::String(s) => Cow::Borrowed(s.as_str()),
                Value::Array(parts) => Cow::Owned(
                    parts
                        .iter()
                        .filter_map(|p| p["text"].as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                _ => Cow::Borrowed(""),
            };
            activity(Activity::ToolResult {
                id: block["tool_use_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                ok: block["is_error"].as_bool() != Some(true),
                output: one_line(&output),
            })
        })
        .collect()
}

/// The answer to orch-tui's own `initialize`: nothing to say unless it failed.
fn control_response(event: &Value) -> Vec<Said> {
    let response = &event["response"];
    if response["subtype"] == "error" {
        let why = response["error"].as_str().unwrap_or("no reason given");
        return vec![Said::Message(AgentReport::Log {
            level: LogLevel::Warn,
            text: format!("Claude Code refused a control request: {}", one_line(why)),
        })];
    }
    Vec::new()
}

fn usage_of(usage: &Value, cost_usd: Option<f64>, model: Option<String>) -> Usage {
    let tokens = |field: &str| usage[field].as_u64().unwrap_or(0);
    Usage {
        input_tokens: tokens("input_tokens"),
        output_tokens: tokens("output_tokens"),
        cached_tokens: tokens("cache_read_input_tokens"),
        cost_usd,
        model,
    }
}

fn activity(activity: Activity) -> Said {
    Said::Message(AgentReport::Activity(activity))
}

fn debug(text: String) -> Said {
    Said::Message(AgentReport::Log {
        level: LogLevel::Debug,
        text,
    })
}

/// Adds the tokens of `u` to `total`.
fn add_tokens(total: &mut Usage, u: &Usage) {
    total.input_tokens += u.input_tokens;
    total.output_tokens += u.output_tokens;
    total.cached_tokens += u.cached_tokens;
}

#[cfg(test)]
#[path = "claude_tests.rs"]
mod tests;
