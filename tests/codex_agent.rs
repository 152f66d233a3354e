//! A `kind = "codex"` agent end to end: orch-tui starts the real `codex app-server`, whose model
//! is a scripted Responses API on loopback. The model asks to run a command, Codex asks for
//! approval, orch-tui raises a `PERMISSION` blocker; decided, the command really runs, the last
//! agent message is the task's output. (The tokens are checked where the dialect reports them,
//! in `codex_protocol`: the engine does not record usage yet.) With no one to decide, the
//! run stops and the command never ran; a permission rule allows it or denies it instead, by
//! rule. The API key is recorded by name, never by value.

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
    run_with_rules(decide, "")
}

/// `run` with `[[settings.permissions]]` tables `rules`.
fn run_with_rules(decide: &str, rules: &str) -> (RealRun, ScriptedResponses, tempfile::TempDir) {
    let model = ScriptedResponses::start("touch made.txt", "made.txt is there");
    let home = cli_home();
    let home_text = home.path().display().to_string();
    let text = codex_workflow(&model).replacen("[[agents]]", &format!("{rules}\n[[agents]]"), 1);
    let run = run_real(
        &text,
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

/// A rule on the command Codex asks to run, with `decision`.
fn rule(decision: &str) -> String {
    format!(
        "[[settings.permissions]]\ntool = \"Bash\"\npattern = \"*touch made.txt*\"\ndecision = \"{decision}\"\n"
    )
}

#[test]
fn an_allow_rule_lets_the_command_run_with_no_one_to_decide() {
    let (run, _model, _home) = run_with_rules("none", &rule("allow"));
    assert_eq!(
        run.status(),
        "succeeded",
        "{}\n{}",
        run.out.stdout,
        run.out.stderr
    );
    assert!(run.path("made.txt").exists(), "the command ran");
    let decided = run.events("decision_made");
    assert_eq!(decided.len(), 1, "{decided:?}");
    assert_eq!(decided[0]["option"], 1);
    assert_eq!(decided[0]["by"], "rule");
}

#[test]
fn a_deny_rule_keeps_the_command_from_running() {
    let (run, _model, _home) = run_with_rules("none", &rule("deny"));
    assert!(!run.path("made.txt").exists(), "the command never ran");
    let decided = run.events("decision_made");
    assert_eq!(decided.len(), 1, "{}\n{}", run.out.stdout, run.out.stderr);
    assert_eq!(decided[0]["option"], 3);
    assert_eq!(decided[0]["by"], "rule");
    assert_ne!(run.out.code, 3, "no decision was left waiting");
}
