//! A `kind = "codex"` agent end to end: orch-tui starts the real `codex app-server`, whose model
//! is a scripted Responses API on loopback. The model asks to run a command, Codex asks for
//! approval, orch-tui raises a `PERMISSION` blocker; decided, the command really runs, the last
//! agent message is the task's output. (The tokens are checked where the dialect reports them,
//! in `codex_protocol`: the engine does not record usage yet.) With no one to decide, the
//! run stops and the command never ran. The API key is recorded by name, never by value.

mod common;

use common::codex::{agent_cli, cli_home};
use common::real::{RealRun, run_real, workflow};
use common::responses_api::ScriptedResponses;

const KEY: &str = "sk-test-secret-4711";

/// A workflow with one Codex agent talking to `model`, and one task asking it to make a file.
fn codex_workflow(model: &ScriptedResponses) -> String {
    let args: Vec<String> = model
        .codex_args()
        .iter()
        .map(|a| serde_json::Value::from(a.as_str()).to_string())
        .collect();
    workflow(&format!(
        "[[agents]]\nid = \"cx\"\nrole = \"dev\"\nkind = \"codex\"\nprogram = {program:?}\nargs = [{args}]\nenv = [\"PATH\", \"HOME\", \"OPENAI_API_KEY\"]\ntimeout = \"2m\"\n\n[[tasks]]\nid = \"make\"\nrole = \"dev\"\nestimate = 1\nprompt = \"Make the file made.txt.\"\n",
        program = agent_cli("codex").display().to_string(),
        args = args.join(", "),
    ))
}

fn run(decide: &str) -> (RealRun, ScriptedResponses, tempfile::TempDir) {
    let model = ScriptedResponses::start("touch made.txt", "made.txt is there");
    let home = cli_home();
    let home_text = home.path().display().to_string();
    let run = run_real(
        &codex_workflow(&model),
        &["--decide", decide],
        &[("HOME", &home_text), ("OPENAI_API_KEY", KEY)],
    );
    (run, model, home)
}

#[test]
fn an_approved_command_runs_and_the_last_message_is_the_output() {
    let (run, _model, _home) = run("recommended");
    assert_eq!(
        run.status(),
        "succeeded",
        "{}\n{}",
        run.out.stdout,
        run.out.stderr
    );
    assert!(run.path("made.txt").exists(), "the command ran");
    let raised = run.events("blocker_raised");
    assert_eq!(raised.len(), 1, "{raised:?}");
    let text = raised[0].to_string();
    assert!(
        text.contains("PERMISSION") && text.contains("touch made.txt"),
        "{text}"
    );
    let decided = run.events("decision_made");
    assert_eq!(decided.len(), 1);
    let done = run.events("task_completed");
    assert!(
        done[0].to_string().contains("made.txt is there"),
        "{:?}",
        done[0]
    );
    let recording = run.read("run.jsonl");
    assert!(!recording.contains(KEY), "the key is recorded by name only");
    assert!(recording.contains("OPENAI_API_KEY"));
}

#[test]
fn with_no_one_to_decide_the_run_stops_and_the_command_never_ran() {
    let (run, _model, _home) = run("none");
    assert_eq!(run.out.code, 3, "{}\n{}", run.out.stdout, run.out.stderr);
    assert_eq!(run.events("blocker_raised").len(), 1);
    assert!(
        !run.path("made.txt").exists(),
        "nothing ran without a decision"
    );
}
