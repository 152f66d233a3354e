//! orch-tui's Gemini dialect against the real Gemini CLI (`target/agent-clis`), its model a
//! scripted Gemini API on loopback: the prompt goes in on stdin, the tool call really runs under
//! `--approval-mode yolo`, the stream reads as activity, usage and the result; without
//! credentials the CLI fails for good.

mod common;

use common::codex::{agent_cli, cli_home};
use common::gemini_api::{PROMPT_TOKENS, ScriptedGemini};
use orch_tui::agents::dialect::{Dialect, Said};
use orch_tui::agents::gemini::GeminiDialect;
use orch_tui::engine::agent_io::{Activity, AgentReport, Exit, Launch, Speaks};
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs the real `gemini` with `args` in `work` (HOME `home`, environment `env`) through the
/// dialect: its opening on stdin, then stdin closed as the dialect says; every stdout line read.
fn run(
    work: &Path,
    home: &Path,
    args: &[&str],
    env: &[(String, String)],
) -> (Vec<AgentReport>, Exit) {
    let mut argv = vec![agent_cli("gemini").display().to_string()];
    argv.extend(["--output-format", "stream-json"].map(String::from));
    argv.extend(args.iter().map(|a| a.to_string()));
    let launch = Launch {
        task: "t".into(),
        agent: "gemini".into(),
        attempt: 1,
        argv: argv.clone(),
        cwd: Some(work.to_path_buf()),
        env: vec![],
        timeout_ms: None,
        heartbeat_ms: None,
        input: json!({"prompt": "make a file"}),
        speaks: Speaks::Gemini,
    };
    let mut dialect = GeminiDialect::new();
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .current_dir(work)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("gemini starts");
    let mut stdin = child.stdin.take().expect("a stdin");
    for line in dialect.opening(&launch) {
        writeln!(stdin, "{line}").expect("the prompt is written");
    }
    assert!(
        dialect.input_done(),
        "Gemini reads its prompt to the end of stdin"
    );
    drop(stdin);
    let stdout = BufReader::new(child.stdout.take().expect("a stdout"));
    let mut reports = Vec::new();
    for line in stdout.lines().map_while(Result::ok) {
        for said in dialect.read(&line).said {
            if let Said::Message(report) = said {
                reports.push(report);
            }
        }
    }
    let status = child.wait().expect("gemini is reaped");
    let exit = match status.code() {
        Some(0) => Exit::Succeeded,
        Some(code) => Exit::Failed(format!("exit status {code}")),
        None => Exit::Failed(format!("{status}")),
    };
    (reports, dialect.verdict(exit))
}

#[test]
fn the_real_gemini_runs_its_tool_and_answers_through_the_dialect() {
    let model = ScriptedGemini::start("touch made.txt", "made it");
    let (home, work) = (cli_home(), cli_home());
    ScriptedGemini::settle(home.path());
    let args = [
        "--skip-trust",
        "--model",
        "gemini-test",
        "--approval-mode",
        "yolo",
    ];
    let (reports, exit) = run(work.path(), home.path(), &args, &model.env());
    assert_eq!(exit, Exit::Succeeded, "{reports:?}");
    assert!(work.path().join("made.txt").exists(), "the tool ran");
    assert!(
        reports.iter().any(
            |r| matches!(r, AgentReport::Activity(Activity::ToolCall { tool, input, .. })
            if tool == "run_shell_command" && input == "touch made.txt")
        ),
        "{reports:?}"
    );
    assert!(reports.contains(&AgentReport::Result {
        summary: "made it".into()
    }));
    let usage = reports.iter().find_map(|r| match r {
        AgentReport::Usage(u) => Some(u),
        _ => None,
    });
    // Two model calls of the scripted prompt tokens each.
    assert_eq!(usage.map(|u| u.input_tokens), Some(2 * PROMPT_TOKENS));
    let prompt_sent = model.http.requests().iter().any(|(path, body)| {
        path.contains("gemini-test:streamGenerateContent")
            && body.to_string().contains("make a file")
    });
    assert!(prompt_sent, "the prompt from stdin reached the model");
}

#[test]
fn without_credentials_gemini_fails_for_good() {
    let (home, work) = (cli_home(), cli_home());
    let (_, exit) = run(work.path(), home.path(), &["--skip-trust"], &[]);
    assert!(matches!(exit, Exit::FailedForGood(_)), "{exit:?}");
}
