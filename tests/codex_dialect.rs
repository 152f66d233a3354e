//! The Codex dialect on lines as the real `codex app-server` 0.171 writes them: the handshake,
//! a file change's approval naming its files, a request resolved before the answer (withdrawn),
//! failed turns and refused requests, and lines that are not the protocol. Each server line is
//! checked against the JSON Schemas the real Codex generates, so these lines cannot drift from
//! the real protocol.

mod common;

use common::codex::CodexSchemas;
use orch_tui::agents::codex::CodexDialect;
use orch_tui::agents::dialect::{Dialect, Said};
use orch_tui::engine::agent_io::{Activity, AgentReport, Exit, Launch, Speaks};
use serde_json::{Value, json};
use std::sync::OnceLock;

fn schemas() -> &'static CodexSchemas {
    static SCHEMAS: OnceLock<CodexSchemas> = OnceLock::new();
    SCHEMAS.get_or_init(CodexSchemas::generate)
}

/// A dialect past its opening, as for a launch in `/work`.
fn opened() -> CodexDialect {
    let mut dialect = CodexDialect::new();
    let launch = Launch {
        task: "t".into(),
        agent: "codex".into(),
        attempt: 1,
        argv: vec!["codex".into(), "app-server".into()],
        cwd: Some("/work".into()),
        env: vec![],
        timeout_ms: None,
        heartbeat_ms: None,
        input: json!({"prompt": "fix it"}),
        speaks: Speaks::Codex,
    };
    for line in dialect.opening(&launch) {
        schemas().check_written(&line, None);
    }
    dialect
}

/// What the dialect makes of server message `message` (checked against the schemas first).
fn hear(dialect: &mut CodexDialect, message: Value) -> (Vec<AgentReport>, Vec<String>) {
    schemas().check_written_by_server(&message);
    let heard = dialect.read(&message.to_string());
    let reports = heard
        .said
        .into_iter()
        .map(|said| match said {
            Said::Message(report) => report,
            other => panic!("a report, not {other:?}"),
        })
        .collect();
    (reports, heard.replies)
}

fn turn(status: &str, error: Value) -> Value {
    json!({"method": "turn/completed", "params": {"threadId": "th", "turn": {"id": "tu",
        "items": [], "status": status, "error": error}}})
}

#[test]
fn the_named_thread_gets_the_prompt_as_a_turn() {
    let mut dialect = opened();
    let started = json!({"id": 2, "result": {"thread": {"id": "th-1"}, "model": "gpt-5"}});
    let (reports, replies) = hear(&mut dialect, started);
    assert_eq!(
        reports,
        vec![AgentReport::Activity(Activity::Session {
            id: "th-1".into()
        })]
    );
    let turn: Value = serde_json::from_str(&replies[0]).expect("JSON");
    assert_eq!(turn["method"], "turn/start");
    assert_eq!(turn["params"]["threadId"], "th-1");
    assert_eq!(turn["params"]["input"][0]["text"], "fix it");
    assert!(!dialect.input_done(), "the turn goes on");
}

#[test]
fn a_file_change_approval_names_the_files_of_its_item() {
    let mut dialect = opened();
    let item = json!({"method": "item/started", "params": {"threadId": "th", "turnId": "tu",
        "startedAtMs": 1, "item": {"type": "fileChange", "id": "f1", "status": "inProgress",
        "changes": [{"path": "src/lib.rs", "kind": {"type": "update"}, "diff": "+x"}]}}});
    hear(&mut dialect, item);
    let ask = json!({"id": 7, "method": "item/fileChange/requestApproval", "params": {
        "threadId": "th", "turnId": "tu", "itemId": "f1", "startedAtMs": 2}});
    let (reports, _) = hear(&mut dialect, ask);
    let [AgentReport::Blocker(blocker)] = &reports[..] else {
        panic!("one blocker, not {reports:?}");
    };
    assert_eq!(blocker.id, "7");
    let permission = blocker.permission.as_ref().expect("a tool call");
    assert_eq!(
        (permission.tool.as_str(), permission.input.as_str()),
        ("Edit", "src/lib.rs")
    );
    assert_eq!(
        dialect.answer("7", 2),
        vec![r#"{"id":7,"result":{"decision":"acceptForSession"}}"#.to_string()]
    );
    assert!(
        dialect.answer("7", 1).is_empty(),
        "a request is answered once"
    );
}

#[test]
fn a_request_resolved_before_the_answer_withdraws_its_blocker() {
    let mut dialect = opened();
    let ask = json!({"id": 3, "method": "item/commandExecution/requestApproval", "params": {
        "threadId": "th", "turnId": "tu", "itemId": "c1", "startedAtMs": 2, "command": "ls"}});
    hear(&mut dialect, ask);
    let resolved = json!({"method": "serverRequest/resolved", "params": {"threadId": "th",
        "requestId": 3}});
    let (reports, _) = hear(&mut dialect, resolved.clone());
    assert_eq!(
        reports,
        vec![AgentReport::Withdrawn {
            blocker: "3".into()
        }]
    );
    let (again, _) = hear(&mut dialect, resolved);
    assert!(
        again.is_empty(),
        "a resolved request that was answered says nothing"
    );
}

#[test]
fn a_completed_turn_ends_the_input_and_a_failed_one_fails_with_its_reason() {
    let mut dialect = opened();
    let (reports, _) = hear(&mut dialect, turn("completed", Value::Null));
    assert_eq!(
        reports,
        vec![AgentReport::Activity(Activity::Turn { turns: 1 })]
    );
    assert!(dialect.input_done(), "stdin closes: the app-server exits");
    assert_eq!(dialect.verdict(Exit::Succeeded), Exit::Succeeded);

    let mut dialect = opened();
    let error = json!({"message": "stream disconnected before completion"});
    hear(&mut dialect, turn("failed", error));
    assert_eq!(
        dialect.verdict(Exit::Succeeded),
        Exit::Failed("codex turn failed: stream disconnected before completion".into())
    );
}

#[test]
fn errors_retried_are_warnings_and_refusals_fail_the_attempt() {
    let mut dialect = opened();
    let retrying = json!({"method": "error", "params": {"threadId": "th", "turnId": "tu",
        "willRetry": true, "error": {"message": "Reconnecting... 1/5"}}});
    let (reports, _) = hear(&mut dialect, retrying);
    assert!(matches!(&reports[..], [AgentReport::Log { text, .. }] if text.contains("retrying")));
    assert!(!dialect.input_done());
    let refused = json!({"id": 2, "error": {"code": -32600, "message": "bad cwd"}});
    hear(&mut dialect, refused);
    assert!(
        dialect.input_done(),
        "nothing more to say to a server that refused"
    );
    assert_eq!(
        dialect.verdict(Exit::Succeeded),
        Exit::Failed("codex app-server refused request 2: bad cwd".into())
    );
}

#[test]
fn a_server_that_exits_before_its_turn_completed_failed() {
    let mut dialect = opened();
    assert_eq!(
        dialect.verdict(Exit::Succeeded),
        Exit::Failed("codex app-server ended before its turn completed".into())
    );
}

#[test]
fn lines_outside_the_protocol() {
    let mut dialect = opened();
    assert!(matches!(
        dialect.read("{half").said[..],
        [Said::Unreadable { .. }]
    ));
    assert!(matches!(
        dialect.read("{}").said[..],
        [Said::Unreadable { .. }]
    ));
    assert!(matches!(
        dialect.read("plain words").said[..],
        [Said::Plain(_)]
    ));
    let unknown = json!({"method": "thread/status/changed", "params": {"threadId": "th",
        "status": {"type": "idle"}}});
    assert!(hear(&mut dialect, unknown).0.is_empty(), "ignored");
}
