//! The Gemini CLI dialect: `gemini --output-format stream-json`, one JSON event per stdout line.
//! The prompt is written to stdin, which is then closed (Gemini reads its prompt to the end of
//! stdin), unless the command line already gives it with `-p`. `init` names the session, assistant `message` deltas are assembled into text,
//! `tool_use` and `tool_result` are tool calls, `error` a warning, and `result` ends the attempt
//! with its token counts and the last assistant text as the result. Headless Gemini asks for no
//! approvals: the workflow chooses its approval mode up front in `args` (`--approval-mode`).
//! Exit status 41 is Gemini's authentication error, which a retry would only repeat.

use super::dialect::{Dialect, Heard, Said, prompt};
use super::fold::{one_line, printable};
use crate::engine::agent_io::{Activity, AgentReport, Exit, Launch, Usage};
use crate::engine::event::LogLevel;
use serde_json::Value;

/// Gemini CLI's exit status when it has no usable credentials.
const AUTH_FAILED: &str = "exit status 41";

/// One attempt's stream from `gemini --output-format stream-json`.
#[derive(Debug, Default)]
pub struct GeminiDialect {
    model: Option<String>,
    /// Assistant text since the last tool event, assembled from its deltas.
    text: String,
    /// The last assistant message, once complete.
    last_message: Option<String>,
    /// The stream's `result` arrived.
    finished: bool,
    failure: Option<String>,
}

impl GeminiDialect {
    pub fn new() -> GeminiDialect {
        GeminiDialect::default()
    }

    /// The assistant text gathered so far, as one message.
    fn flush_text(&mut self) -> Option<Said> {
        if self.text.trim().is_empty() {
            self.text.clear();
            return None;
        }
        let text = std::mem::take(&mut self.text);
        let shown = printable(&text, true);
        self.last_message = Some(text);
        Some(activity(Activity::Text { text: shown }))
    }

    fn event(&mut self, event: &Value) -> Vec<Said> {
        let text = |key: &str| event[key].as_str().unwrap_or_default().to_string();
        match event["type"].as_str().unwrap_or_default() {
            "init" => {
                self.model = event["model"].as_str().map(str::to_string);
                vec![activity(Activity::Session {
                    id: text("session_id"),
                })]
            }
            "message" if event["role"] == "assistant" => {
                if event["delta"] == true {
                    self.text.push_str(&text("content"));
                    return Vec::new();
                }
                // A whole message: the one gathered before it, then this one.
                let before = self.flush_text();
                self.text = text("content");
                before.into_iter().chain(self.flush_text()).collect()
            }
            "message" => Vec::new(),
            "tool_use" => self.flushed(Activity::ToolCall {
                id: text("tool_id"),
                tool: text("tool_name"),
                input: tool_input(&event["parameters"]),
            }),
            "tool_result" => {
                let output = match event["error"]["message"].as_str() {
                    Some(error) => error.to_string(),
                    None => text("output"),
                };
                self.flushed(Activity::ToolResult {
                    id: text("tool_id"),
                    ok: event["status"] == "success",
                    output: one_line(&output),
                })
            }
            "error" => {
                let message = one_line(&text("message"));
                let level = match event["severity"].as_str() {
                    Some("error") => LogLevel::Error,
                    _ => LogLevel::Warn,
                };
                vec![Said::Message(AgentReport::Log {
                    level,
                    text: format!("gemini: {message}"),
                })]
            }
            "result" => self.result(event),
            other => {
                tracing::debug!("gemini stream-json event `{other}` ignored");
                Vec::new()
            }
        }
    }

    /// The text gathered before `activity`, then `activity`.
    fn flushed(&mut self, activity_now: Activity) -> Vec<Said> {
        self.flush_text()
            .into_iter()
            .chain([activity(activity_now)])
            .collect()
    }

    fn result(&mut self, event: &Value) -> Vec<Said> {
        self.finished = true;
        let mut said: Vec<Said> = self.flush_text().into_iter().collect();
        let stats = &event["stats"];
        let count = |key: &str| stats[key].as_u64().unwrap_or(0);
        said.push(Said::Message(AgentReport::Usage(Usage {
            input_tokens: count("input_tokens"),
            output_tokens: count("output_tokens"),
            cached_tokens: count("cached"),
            cost_usd: None,
            model: self.model.clone(),
        })));
        match event["status"].as_str() {
            Some("success") => {
                if let Some(summary) = self.last_message.clone() {
                    said.push(Said::Message(AgentReport::Result { summary }));
                }
            }
            status => {
                let why = event["error"]["message"]
                    .as_str()
                    .or(status)
                    .unwrap_or("no status");
                self.failure = Some(format!("gemini: {}", one_line(why)));
            }
        }
        said
    }
}

impl Dialect for GeminiDialect {
    /// The prompt on stdin, unless the command line already gives it (`-p`, `--prompt`).
    fn opening(&mut self, launch: &Launch) -> Vec<String> {
        let given = launch.argv.iter().any(|a| a == "-p" || a == "--prompt");
        match given {
            true => Vec::new(),
            false => vec![prompt(launch).to_string()],
        }
    }

    fn read(&mut self, line: &str) -> Heard {
        if !line.trim_start().starts_with('{') {
            return Heard::one(Said::Plain(line.to_string()));
        }
        match serde_json::from_str::<Value>(line) {
            Ok(event) => Heard {
                said: self.event(&event),
                replies: Vec::new(),
            },
            Err(e) => Heard::one(Said::Unreadable { why: e.to_string() }),
        }
    }

    /// Headless Gemini raises no blockers, so there is nothing to answer.
    fn answer(&mut self, _blocker: &str, _option: usize) -> Vec<String> {
        Vec::new()
    }

    fn verdict(&mut self, exit: Exit) -> Exit {
        match (self.failure.take(), exit) {
            (_, Exit::Failed(status)) if status == AUTH_FAILED => Exit::FailedForGood(
                "gemini has no credentials (exit status 41): set GEMINI_API_KEY in `env`, or log in"
                    .into(),
            ),
            (Some(reason), _) => Exit::Failed(reason),
            (None, Exit::Succeeded) if !self.finished => {
                Exit::Failed("gemini ended without a result".into())
            }
            (None, exit) => exit,
        }
    }

    fn input_done(&self) -> bool {
        true
    }
}

/// A tool's parameters as one line: the command, path or pattern it is about, else all of them.
fn tool_input(parameters: &Value) -> String {
    let key = [
        "command",
        "file_path",
        "absolute_path",
        "path",
        "pattern",
        "query",
        "url",
    ]
    .into_iter()
    .find_map(|key| parameters[key].as_str());
    let input = match key {
        Some(value) => value.to_string(),
        None => parameters.to_string(),
    };
    one_line(&input)
}

fn activity(activity: Activity) -> Said {
    Said::Message(AgentReport::Activity(activity))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines as the real Gemini CLI 0.61 printed them, with `--approval-mode yolo`.
    const RUN: [&str; 7] = [
        r#"{"type":"init","timestamp":"2026-12-04T03:43:48.686Z","session_id":"91719b5b","model":"gemini-test"}"#,
        r#"{"type":"message","timestamp":"2026-12-04T03:43:48.697Z","role":"user","content":"make a file\n"}"#,
        r#"{"type":"tool_use","timestamp":"2026-12-04T03:43:49.320Z","tool_name":"run_shell_command","tool_id":"run_1","parameters":{"command":"touch g.txt","description":"make file"}}"#,
        r#"{"type":"tool_result","timestamp":"2026-12-04T03:43:49.834Z","tool_id":"run_1","status":"success","output":""}"#,
        r#"{"type":"message","timestamp":"2026-12-04T03:43:49.943Z","role":"assistant","content":"hello ","delta":true}"#,
        r#"{"type":"message","timestamp":"2026-12-04T03:43:49.944Z","role":"assistant","content":"there","delta":true}"#,
        r#"{"type":"result","timestamp":"2026-12-04T03:43:49.976Z","status":"success","stats":{"total_tokens":28,"input_tokens":22,"output_tokens":6,"cached":4,"input":18,"duration_ms":1291,"tool_calls":1}}"#,
    ];

    fn reports(dialect: &mut GeminiDialect, lines: &[&str]) -> Vec<AgentReport> {
        lines
            .iter()
            .flat_map(|line| dialect.read(line).said)
            .map(|said| match said {
                Said::Message(report) => report,
                other => panic!("a report, not {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_run_reads_as_session_tool_call_text_usage_and_result() {
        let mut dialect = GeminiDialect::new();
        let act = AgentReport::Activity;
        assert_eq!(
            reports(&mut dialect, &RUN),
            vec![
                act(Activity::Session {
                    id: "91719b5b".into()
                }),
                act(Activity::ToolCall {
                    id: "run_1".into(),
                    tool: "run_shell_command".into(),
                    input: "touch g.txt".into()
                }),
                act(Activity::ToolResult {
                    id: "run_1".into(),
                    ok: true,
                    output: String::new()
                }),
                act(Activity::Text {
                    text: "hello there".into()
                }),
                AgentReport::Usage(Usage {
                    input_tokens: 22,
                    output_tokens: 6,
                    cached_tokens: 4,
                    cost_usd: None,
                    model: Some("gemini-test".into())
                }),
                AgentReport::Result {
                    summary: "hello there".into()
                },
            ]
        );
        assert_eq!(dialect.verdict(Exit::Succeeded), Exit::Succeeded);
        assert!(dialect.input_done(), "stdin closes after the prompt");
    }

    #[test]
    fn an_error_result_fails_the_attempt_with_its_message() {
        let mut dialect = GeminiDialect::new();
        let error = r#"{"type":"result","status":"error","error":{"type":"unknown","message":"[API Error: API key not valid]"},"stats":{"input_tokens":0,"output_tokens":0}}"#;
        let said = reports(&mut dialect, &[RUN[0], error]);
        assert!(!said.iter().any(|r| matches!(r, AgentReport::Result { .. })));
        assert_eq!(
            dialect.verdict(Exit::Failed("exit status 1".into())),
            Exit::Failed("gemini: [API Error: API key not valid]".into())
        );
    }

    #[test]
    fn no_credentials_fail_for_good_and_a_stream_without_result_fails() {
        let mut dialect = GeminiDialect::new();
        assert!(matches!(
            dialect.verdict(Exit::Failed("exit status 41".into())),
            Exit::FailedForGood(_)
        ));
        let mut dialect = GeminiDialect::new();
        reports(&mut dialect, &RUN[..4]);
        assert_eq!(
            dialect.verdict(Exit::Succeeded),
            Exit::Failed("gemini ended without a result".into())
        );
    }

    #[test]
    fn failed_tools_errors_and_odd_lines() {
        let mut dialect = GeminiDialect::new();
        let failed = r#"{"type":"tool_result","tool_id":"t","status":"error","output":"x","error":{"type":"tool_not_registered","message":"Tool \"run_shell_command\" not found."}}"#;
        assert_eq!(
            reports(&mut dialect, &[failed]),
            vec![AgentReport::Activity(Activity::ToolResult {
                id: "t".into(),
                ok: false,
                output: "Tool \"run_shell_command\" not found.".into()
            })]
        );
        let warning = r#"{"type":"error","severity":"warning","message":"loop detected"}"#;
        assert!(matches!(
            &reports(&mut dialect, &[warning])[..],
            [AgentReport::Log {
                level: LogLevel::Warn,
                ..
            }]
        ));
        assert!(dialect.read(r#"{"type":"dance"}"#).said.is_empty());
        let whole = r#"{"type":"message","role":"assistant","content":"whole"}"#;
        assert_eq!(
            reports(&mut dialect, &[whole]),
            vec![AgentReport::Activity(Activity::Text {
                text: "whole".into()
            })]
        );
        assert!(matches!(
            dialect.read("{not json").said[..],
            [Said::Unreadable { .. }]
        ));
        assert!(matches!(
            dialect.read("Loaded cached credentials.").said[..],
            [Said::Plain(_)]
        ));
    }
}
