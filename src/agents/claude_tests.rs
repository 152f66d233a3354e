//! The Claude dialect on lines as Claude Code prints them (`docs/agent-clis.md`).

use super::*;

fn dialect() -> ClaudeDialect {
    let mut d = ClaudeDialect::default();
    let launch = Launch {
        task: "T".into(),
        agent: "dev1".into(),
        attempt: 1,
        argv: vec!["claude".into()],
        cwd: None,
        env: Vec::new(),
        timeout_ms: None,
        heartbeat_ms: None,
        input: json!({"prompt": "Do it."}),
        speaks: crate::engine::agent_io::Speaks::Claude,
    };
    let opening = d.opening(&launch);
    assert!(opening[0].contains("\"initialize\"") && opening[1].contains("\"Do it.\""));
    d
}

#[test]
fn a_permission_request_is_asked_answered_once_and_withdrawn() {
    let mut d = dialect();
    let ask = r#"{"type":"control_request","request_id":"r1","request":{"subtype":"can_use_tool","tool_name":"Bash","input":{"command":"ls"},"permission_suggestions":[{"type":"addRules"}]}}"#;
    let heard = d.read(ask);
    assert!(matches!(&heard.said[..], [Said::Message(AgentReport::Blocker(b))] if b.id == "r1"));
    assert!(d.answer("r1", 2)[0].contains("updatedPermissions"));
    assert!(d.answer("r1", 1).is_empty(), "answered once");
    d.read(ask);
    let heard = d.read(r#"{"type":"control_cancel_request","request_id":"r1"}"#);
    assert!(
        matches!(&heard.said[..], [Said::Message(AgentReport::Withdrawn { blocker })] if blocker == "r1")
    );
    assert!(
        d.answer("r1", 1).is_empty(),
        "a withdrawn question gets no answer"
    );
}

#[test]
fn other_control_requests_are_refused_at_once() {
    let heard = dialect().read(
        r#"{"type":"control_request","request_id":"h1","request":{"subtype":"hook_callback"}}"#,
    );
    assert!(heard.replies[0].contains(r#""subtype":"error""#) && heard.replies[0].contains("h1"));
}

#[test]
fn not_logged_in_fails_for_good_and_other_errors_fail() {
    let mut d = dialect();
    d.read(r#"{"type":"assistant","error":"authentication_failed","message":{"id":"m1","content":[{"type":"text","text":"Not logged in · Please run /login"}]}}"#);
    d.read(r#"{"type":"result","subtype":"success","is_error":true,"result":"Not logged in · Please run /login","total_cost_usd":0}"#);
    assert_eq!(
        d.verdict(Exit::Succeeded),
        Exit::FailedForGood("Not logged in · Please run /login".into())
    );
    let mut d = dialect();
    d.read(r#"{"type":"result","subtype":"error_max_turns","is_error":true}"#);
    assert_eq!(
        d.verdict(Exit::Succeeded),
        Exit::Failed("Claude Code stopped: error_max_turns".into())
    );
    assert_eq!(
        dialect().verdict(Exit::Succeeded),
        Exit::Failed("Claude Code ended without a result".into())
    );
}

#[test]
fn todo_lists_turns_and_usage_are_read_from_assistant_messages() {
    let mut d = dialect();
    let line = r#"{"type":"assistant","message":{"id":"m1","model":"claude-x","usage":{"input_tokens":10,"output_tokens":5,"cache_read_input_tokens":3},"content":[{"type":"tool_use","id":"t1","name":"TodoWrite","input":{"todos":[{"status":"completed"},{"status":"pending"}]}}]}}"#;
    let said = d.read(line).said;
    assert!(said.contains(&activity(Activity::Turn { turns: 1 })));
    assert!(said.contains(&activity(Activity::Todo { done: 1, total: 2 })));
    let again = d.read(line).said;
    assert!(
        !again.contains(&activity(Activity::Turn { turns: 2 })),
        "the same message"
    );
    let Some(Said::Message(AgentReport::Usage(u))) = again.first() else {
        panic!("usage: {again:?}");
    };
    assert_eq!(
        (u.input_tokens, u.output_tokens, u.cached_tokens),
        (10, 5, 3)
    );
    assert_eq!(u.model.as_deref(), Some("claude-x"));
}

#[test]
fn unknown_events_are_debug_logs_and_broken_json_is_unreadable() {
    let mut d = dialect();
    let said = d.read(r#"{"type":"stream_event","event":{}}"#).said;
    assert!(matches!(
        &said[..],
        [Said::Message(AgentReport::Log {
            level: LogLevel::Debug,
            ..
        })]
    ));
    assert!(matches!(
        &d.read(r#"{"type":"assi"#).said[..],
        [Said::Unreadable { .. }]
    ));
    let said = d.read(r#"{"type":"assistant","message":{"id":"m","content":[{"type":"text","text":"\u001b[31mred"}]}}"#).said;
    assert!(
        said.contains(&activity(Activity::Text {
            text: "^[[31mred".into()
        })),
        "{said:?}"
    );
}
