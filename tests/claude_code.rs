//! The real Claude Code CLI (from `target/agent-clis`, installed by `.ci/run`) as an agent of kind
//! `claude`, driven offline against the scripted Messages API on loopback: its permission request
//! becomes a PERMISSION blocker; allowed, the tool really runs and the final text is the task's
//! output; denied, nothing runs and the model is told why; without credentials the attempt fails
//! with the CLI's own message and is not retried; and the API key is never recorded.

mod common;

use common::real::{RealRun, run_real, workflow};
use common::scripted_api::{FINAL_TEXT, ScriptedApi};
use orch_tui::agents::claude_permission::DENIED;

const SECRET: &str = "sk-test-SECRET";

/// The claude CLI installed by `.ci/run`; the test fails when it is missing.
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

fn claude_workflow() -> String {
    workflow(&format!(
        "[settings]\nmax_retries = 1\nretry_backoff = \"1s\"\n\n[[agents]]\nid = \"dev1\"\nrole = \"dev\"\nkind = \"claude\"\nprogram = \"{}\"\nenv = [\"PATH\", \"HOME\", \"ANTHROPIC_BASE_URL\", \"ANTHROPIC_API_KEY\"]\ntimeout = \"2m\"\n\n[[tasks]]\nid = \"T\"\nrole = \"dev\"\nestimate = \"1m\"\nprompt = \"Make the file.\"\n",
        claude_cli()
    ))
}

/// Runs the Claude workflow headless with its own HOME, deciding with `decide`, against `api`
/// (or no API and no key).
fn run_claude(decide: &str, api: Option<&ScriptedApi>) -> (RealRun, tempfile::TempDir) {
    let home = tempfile::tempdir().expect("a HOME");
    let home_path = home.path().to_str().expect("UTF-8").to_string();
    let mut env = vec![("HOME", home_path.as_str())];
    if let Some(api) = api {
        env.push(("ANTHROPIC_BASE_URL", api.url.as_str()));
        env.push(("ANTHROPIC_API_KEY", SECRET));
    }
    let run = run_real(&claude_workflow(), &["--decide", decide], &env);
    (run, home)
}

#[test]
fn an_allowed_bash_call_runs_and_the_final_text_is_the_output() {
    let target = tempfile::tempdir().expect("a folder");
    let file = target.path().join("made.txt");
    let api = ScriptedApi::start(&file);
    let (run, _home) = run_claude("first", Some(&api));
    assert_eq!(
        run.status(),
        "succeeded",
        "stdout:\n{}\nstderr:\n{}",
        run.out.stdout,
        run.out.stderr
    );
    let raised = run.events("blocker_raised");
    assert_eq!(raised[0]["type"], "PERMISSION");
    assert_eq!(raised[0]["title"], "dev1 wants to run Bash on task T");
    assert!(
        raised[0]["issue"]
            .as_str()
            .is_some_and(|i| i.contains("touch")),
        "{raised:?}"
    );
    let decided = run.events("decision_made");
    assert_eq!(
        (decided[0]["option"].as_u64(), decided[0]["label"].as_str()),
        (Some(1), Some("Allow once"))
    );
    assert!(file.exists(), "the allowed Bash call really ran");
    assert_eq!(run.events("task_completed")[0]["output"], FINAL_TEXT);
    let started = run.events("agent_started");
    assert_eq!(started[0]["input"]["prompt"], "Make the file.");
    assert_eq!(started[0]["argv"][1], "-p");
}

#[test]
fn a_denied_bash_call_does_not_run_and_the_agent_is_told_why() {
    let target = tempfile::tempdir().expect("a folder");
    let file = target.path().join("made.txt");
    let api = ScriptedApi::start(&file);
    let (run, _home) = run_claude("recommended", Some(&api));
    let decided = run.events("decision_made");
    assert_eq!(decided[0]["label"], "Deny", "deny is recommended");
    assert!(!file.exists(), "the denied Bash call did not run");
    let told = api
        .bodies()
        .iter()
        .any(|b| b.contains("tool_result") && b.contains("Do not try this tool call again"));
    assert!(told, "the next request carries the deny message: {DENIED}");
    assert_eq!(
        run.status(),
        "succeeded",
        "the run still ends: {}",
        run.out.stdout
    );
}

#[test]
fn a_cli_that_is_not_logged_in_fails_with_its_message_and_no_retry() {
    let (run, _home) = run_claude("first", None);
    assert_eq!(run.status(), "failed", "stdout:\n{}", run.out.stdout);
    let failed = run.events("task_failed");
    assert_eq!(failed.len(), 1, "not retried: {failed:?}");
    assert_eq!(failed[0]["reason"], "Not logged in · Please run /login");
    assert_eq!(failed[0]["final"], true);
    assert!(
        run.out.stdout.contains("Not logged in · Please run /login"),
        "{}",
        run.out.stdout
    );
}

#[test]
fn the_api_key_is_recorded_by_name_never_by_value() {
    let target = tempfile::tempdir().expect("a folder");
    let api = ScriptedApi::start(&target.path().join("made.txt"));
    let (run, _home) = run_claude("first", Some(&api));
    let recording = std::fs::read_to_string(run.path("run.jsonl")).expect("a recording");
    assert!(
        recording.contains("ANTHROPIC_API_KEY"),
        "the name is recorded"
    );
    assert!(!recording.contains(SECRET), "the value is not");
    assert!(!run.out.stdout.contains(SECRET) && !run.out.stderr.contains(SECRET));
}
