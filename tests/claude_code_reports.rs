//! What the real Claude Code CLI reports through orch-tui's Claude dialect, read straight from the
//! process runner: its session, the Bash call and its result, two turns, its text, its tokens and
//! the cost it computed, and the final result. This file holds one test, since the test sets the
//! environment that the CLI is given.

mod common;

use common::scripted_api::{FINAL_TEXT, ScriptedApi};

const SECRET: &str = "sk-test-SECRET";

fn claude_cli() -> String {
    let cli = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/target/agent-clis/node_modules/.bin/claude"
    );
    assert!(
        std::path::Path::new(cli).exists(),
        "{cli} is missing: `.ci/run` installs the coding-agent CLIs"
    );
    cli.to_string()
}

#[test]
fn the_cli_reports_its_session_tool_calls_turns_tokens_and_cost() {
    use orch_tui::agents::Runner;
    use orch_tui::engine::agent_io::{Activity, AgentReport, AgentRequest, Exit, Launch, Speaks};
    let target = tempfile::tempdir().expect("a folder");
    let api = ScriptedApi::start(&target.path().join("made.txt"));
    let home = tempfile::tempdir().expect("a HOME");
    let argv: Vec<String> = [
        claude_cli().as_str(),
        "-p",
        "--output-format",
        "stream-json",
        "--input-format",
        "stream-json",
        "--verbose",
        "--permission-prompt-tool",
        "stdio",
    ]
    .map(String::from)
    .to_vec();
    // SAFETY: this binary's only test, before any thread that reads the environment (the runner).
    unsafe {
        std::env::set_var("HOME", home.path());
        std::env::set_var("ANTHROPIC_BASE_URL", &api.url);
        std::env::set_var("ANTHROPIC_API_KEY", SECRET);
    }
    let mut runner = Runner::start(std::sync::Arc::new(|| {})).expect("the runner starts");
    // The CLI is given these, through the allowlist, from this process's environment.
    let launch = Launch {
        task: "T".into(),
        agent: "dev1".into(),
        attempt: 1,
        argv,
        cwd: Some(target.path().to_path_buf()),
        env: vec![
            "PATH".into(),
            "HOME".into(),
            "ANTHROPIC_BASE_URL".into(),
            "ANTHROPIC_API_KEY".into(),
        ],
        timeout_ms: Some(120_000),
        heartbeat_ms: None,
        input: serde_json::json!({"prompt": "Make the file."}),
        speaks: Speaks::Claude,
    };
    runner.request(AgentRequest::Launch(Box::new(launch)));
    let mut reports = Vec::new();
    let exit = loop {
        let Some(report) = runner.next_report() else {
            std::thread::sleep(std::time::Duration::from_millis(20));
            continue;
        };
        match report.report {
            AgentReport::Exited(exit) => break exit,
            AgentReport::Blocker(b) => {
                runner.request(AgentRequest::Decide {
                    task: "T".into(),
                    attempt: 1,
                    blocker: b.id.clone(),
                    option: 1,
                });
                reports.push(AgentReport::Blocker(b));
            }
            other => reports.push(other),
        }
    };
    assert_eq!(exit, Exit::Succeeded, "{reports:#?}");
    let activities: Vec<&Activity> = reports
        .iter()
        .filter_map(|r| match r {
            AgentReport::Activity(a) => Some(a),
            _ => None,
        })
        .collect();
    assert!(
        activities
            .iter()
            .any(|a| matches!(a, Activity::Session { id } if !id.is_empty()))
    );
    assert!(activities.iter().any(|a| matches!(a, Activity::ToolCall { tool, input, .. } if tool == "Bash" && input.starts_with("touch "))), "{activities:#?}");
    assert!(
        activities
            .iter()
            .any(|a| matches!(a, Activity::ToolResult { ok: true, .. }))
    );
    assert!(
        activities
            .iter()
            .any(|a| matches!(a, Activity::Turn { turns: 2 }))
    );
    assert!(
        activities
            .iter()
            .any(|a| matches!(a, Activity::Text { text } if text == FINAL_TEXT))
    );
    let usage = reports
        .iter()
        .rev()
        .find_map(|r| match r {
            AgentReport::Usage(u) => Some(u.clone()),
            _ => None,
        })
        .expect("usage is reported");
    assert!(
        usage.input_tokens >= 2000 && usage.output_tokens >= 100,
        "{usage:?}"
    );
    assert!(usage.cached_tokens >= 400, "{usage:?}");
    assert!(
        usage.cost_usd.is_some_and(|c| c > 0.0),
        "the CLI's total_cost_usd: {usage:?}"
    );
    assert!(reports.contains(&AgentReport::Result {
        summary: FINAL_TEXT.into()
    }));
}
