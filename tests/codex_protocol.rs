//! orch-tui's Codex dialect against the real `codex app-server` protocol: in a real conversation
//! (the real app-server, its model a scripted Responses API on loopback) every line orch-tui
//! writes validates against the JSON Schemas the real Codex generates, and so does every answer
//! the dialect can write (allow once, allow for the task, deny, a refused request). The server
//! lines the dialect's own tests read are checked against the same schemas, so they cannot drift
//! from what the real server sends.

mod common;

use common::codex::{CodexSchemas, Conversation, cli_home, converse};
use common::responses_api::ScriptedResponses;
use orch_tui::agents::codex::CodexDialect;
use orch_tui::agents::dialect::{Dialect, Said};
use orch_tui::engine::agent_io::{Activity, AgentReport, Exit, Launch, Speaks};
use serde_json::{Value, json};
use std::path::Path;

fn launch(cwd: &Path, prompt: &str) -> Launch {
    Launch {
        task: "t".into(),
        agent: "codex".into(),
        attempt: 1,
        argv: vec!["codex".into(), "app-server".into()],
        cwd: Some(cwd.to_path_buf()),
        env: vec![],
        timeout_ms: None,
        heartbeat_ms: None,
        input: json!({ "prompt": prompt }),
        speaks: Speaks::Codex,
    }
}

/// One real conversation in which the model asks to `touch made.txt`, decided with `option`.
fn conversation(option: usize) -> (Conversation, tempfile::TempDir, ScriptedResponses) {
    let model = ScriptedResponses::start("touch made.txt", "all done");
    let (home, work) = (cli_home(), cli_home());
    let mut dialect = CodexDialect::new();
    let talk = converse(
        &mut dialect,
        &launch(work.path(), "make a file"),
        &model.codex_args(),
        home.path(),
        |_| option,
    );
    (talk, work, model)
}

#[test]
fn every_line_orch_tui_writes_in_a_real_conversation_is_in_the_protocol() {
    let schemas = CodexSchemas::generate();
    for option in [1, 3] {
        let (talk, _work, _model) = conversation(option);
        assert_eq!(talk.exit, Exit::Succeeded, "the turn completed");
        let methods: Vec<_> = talk.written.iter().map(|(line, _)| method(line)).collect();
        assert_eq!(
            methods,
            [
                "initialize",
                "initialized",
                "thread/start",
                "turn/start",
                "(answer)"
            ],
            "orch-tui opened, started a turn and answered one approval"
        );
        for (line, answers) in &talk.written {
            schemas.check_written(line, answers.as_deref());
        }
    }
}

#[test]
fn allowed_the_command_runs_and_the_last_message_is_the_result() {
    let (talk, work, _model) = conversation(1);
    assert!(work.path().join("made.txt").exists(), "the command ran");
    let reports = reports(&talk);
    let blocker = reports.iter().find_map(|r| match r {
        AgentReport::Blocker(b) => Some(b),
        _ => None,
    });
    let blocker = blocker.expect("the approval request became a blocker");
    assert_eq!(blocker.report.kind, "PERMISSION");
    let ask = blocker.permission.as_ref().expect("it names the tool call");
    assert_eq!(
        (ask.tool.as_str(), ask.input.as_str()),
        ("Bash", "touch made.txt")
    );
    assert!(reports.contains(&&AgentReport::Result {
        summary: "all done".into()
    }));
    let usage = reports.iter().rev().find_map(|r| match r {
        AgentReport::Usage(u) => Some(u),
        _ => None,
    });
    let usage = usage.expect("tokens were reported");
    // Two model calls of the scripted 100 in (10 cached) and 20 out.
    assert_eq!(
        (usage.input_tokens, usage.cached_tokens, usage.output_tokens),
        (200, 20, 40)
    );
    assert_eq!(usage.cost_usd, None, "Codex reports no price");
    assert!(reports.iter().any(|r| matches!(
        r,
        AgentReport::Activity(Activity::ToolResult { ok: true, .. })
    )));
    assert!(
        reports
            .iter()
            .any(|r| matches!(r, AgentReport::Activity(Activity::Session { .. })))
    );
}

#[test]
fn denied_the_command_does_not_run_and_the_model_is_told() {
    let (talk, work, model) = conversation(3);
    assert!(
        !work.path().join("made.txt").exists(),
        "the command did not run"
    );
    assert!(
        model.tool_outputs().iter().any(|o| o.contains("rejected")),
        "the model heard of the refusal: {:?}",
        model.tool_outputs()
    );
    assert!(reports(&talk).iter().any(|r| matches!(
        r,
        AgentReport::Activity(Activity::ToolResult { ok: false, .. })
    )));
}

#[test]
fn every_answer_the_dialect_can_write_is_in_the_protocol() {
    let schemas = CodexSchemas::generate();
    let wrong = json!({"decision": "maybe"});
    assert!(
        !schemas
            .errors("CommandExecutionRequestApprovalResponse", &wrong)
            .is_empty(),
        "the schemas do reject a wrong answer"
    );
    let mut dialect = CodexDialect::new();
    let requests = [
        (5, "item/commandExecution/requestApproval"),
        (6, "item/fileChange/requestApproval"),
    ];
    for option in 1..=4 {
        for (id, method) in requests {
            let line = json!({"id": id, "method": method, "params": {"threadId": "th",
                "turnId": "tu", "itemId": "i", "startedAtMs": 1}});
            schemas.check_written_by_server(&line);
            let heard = dialect.read(&line.to_string());
            assert!(matches!(
                heard.said[..],
                [Said::Message(AgentReport::Blocker(_))]
            ));
            for answer in dialect.answer(&id.to_string(), option) {
                schemas.check_written(&answer, Some(method));
            }
        }
    }
    let elicitation = json!({"id": "e1", "method": "item/tool/requestUserInput", "params":
        {"threadId": "th", "turnId": "tu", "itemId": "i", "questions": []}});
    let refusal = dialect.read(&elicitation.to_string()).replies;
    assert_eq!(
        refusal.len(),
        1,
        "a request orch-tui cannot answer is refused"
    );
    schemas.check_written(&refusal[0], None);
}

fn reports(talk: &Conversation) -> Vec<&AgentReport> {
    talk.said
        .iter()
        .filter_map(|s| match s {
            Said::Message(report) => Some(report),
            _ => None,
        })
        .collect()
}

fn method(line: &str) -> String {
    let message: Value = serde_json::from_str(line).unwrap_or_default();
    message["method"].as_str().unwrap_or("(answer)").to_string()
}
