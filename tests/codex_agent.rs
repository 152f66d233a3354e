//! A `kind = "codex"` agent end to end: orch-tui starts the real `codex app-server`, whose model
//! is a scripted Responses API on loopback. The model asks to run a command, Codex asks for
//! approval, orch-tui raises a `PERMISSION` blocker; decided, the command really runs, the last
//! agent message is the task's output; denied (the recommended option), it never runs and the
//! model is told. Codex reports tokens only: priced by the workflow's `[settings.prices]` for
//! its model, they are recorded as `agent_usage` with the cost, and the summary and
//! `run_finished` show it. With no one to decide, the run stops and the command never ran; a
//! permission rule allows it or denies it instead, by rule. The API key is recorded by name,
//! never by value.

mod common;

use common::codex::{agent_cli, cli_home};
use common::real::{RealRun, run_real, workflow};
use common::responses_api::{CACHED_TOKENS, INPUT_TOKENS, OUTPUT_TOKENS, ScriptedResponses};

const KEY: &str = "sk-test-secret-4711";

/// A workflow with one Codex agent talking to `model`, and one task asking it to make a file;
/// every blocker goes to a person (`--decide` stands in for one).
fn codex_workflow(model: &ScriptedResponses) -> String {
    let args: Vec<String> = model
        .codex_args()
        .iter()
        .map(|a| serde_json::Value::from(a.as_str()).to_string())
        .collect();
    workflow(&format!(
        "[settings.escalation]\npolicy_decides = []\n\n[[agents]]\nid = \"cx\"\nrole = \"dev\"\nkind = \"codex\"\nprogram = {program:?}\nmodel = \"scripted-model\"\nargs = [{args}]\nenv = [\"PATH\", \"HOME\", \"OPENAI_API_KEY\"]\ntimeout = \"2m\"\n\n[[tasks]]\nid = \"make\"\nrole = \"dev\"\nestimate = 1\nprompt = \"Make the file made.txt.\"\n",
        program = agent_cli("codex").display().to_string(),
        args = args.join(", "),
    ))
}

fn run(decide: &str) -> (RealRun, ScriptedResponses, tempfile::TempDir) {
    run_with_settings(decide, "")
}

/// `run` with more settings tables, `settings` (permission rules, prices).
fn run_with_settings(
    decide: &str,
    settings: &str,
) -> (RealRun, ScriptedResponses, tempfile::TempDir) {
    let model = ScriptedResponses::start("touch made.txt", "made.txt is there");
    let home = cli_home();
    let home_text = home.path().display().to_string();
    let text = codex_workflow(&model).replacen("[[agents]]", &format!("{settings}\n[[agents]]"), 1);
    let run = run_real(
        &text,
        &["--decide", decide],
        &[("HOME", &home_text), ("OPENAI_API_KEY", KEY)],
    );
    (run, model, home)
}

#[test]
fn an_approved_command_runs_and_the_last_message_is_the_output() {
    let (run, _model, _home) = run("first");
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
fn denied_by_the_recommended_option_the_command_never_runs_and_codex_is_told() {
    let (run, model, _home) = run("recommended");
    assert_eq!(run.events("blocker_raised").len(), 1);
    let decided = run.events("decision_made");
    assert!(decided[0].to_string().contains("Deny"), "{:?}", decided[0]);
    assert!(!run.path("made.txt").exists(), "the command did not run");
    assert!(
        model.tool_outputs().iter().any(|o| o.contains("rejected")),
        "the model heard of the refusal: {:?}",
        model.tool_outputs()
    );
    assert_eq!(
        run.status(),
        "succeeded",
        "Codex went on and finished its turn"
    );
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

#[test]
fn codex_tokens_priced_by_the_workflow_show_their_cost_in_the_summary() {
    let prices =
        "[settings.prices.\"scripted-model\"]\ninput = 1000.0\ncached = 100.0\noutput = 500.0\n";
    let (run, _model, _home) = run_with_settings("first", prices);
    assert_eq!(run.status(), "succeeded", "{}", run.out.stderr);
    // Two model calls, each of the scripted tokens: 200 in (20 of them cached), 40 out, at
    // $1000, $100 and $500 per million.
    let (input, cached, output) = (2 * INPUT_TOKENS, 2 * CACHED_TOKENS, 2 * OUTPUT_TOKENS);
    let usd =
        ((input - cached) as f64 * 1000.0 + cached as f64 * 100.0 + output as f64 * 500.0) / 1e6;
    assert!((usd - 0.202).abs() < 1e-9, "{usd}");
    let usage = run.events("agent_usage");
    let last = usage
        .last()
        .unwrap_or_else(|| panic!("no usage recorded: {:?}", run.logs()));
    let cost = |spend: &serde_json::Value| spend["cost_usd"].as_f64().unwrap_or_default();
    assert_eq!(last["model"], "scripted-model", "{last}");
    assert_eq!(last["cost_from"], "prices", "{last}");
    assert!((cost(last) - usd).abs() < 1e-9, "{last}");
    assert_eq!(last["input_tokens"], input);
    assert_eq!(last["cached_tokens"], cached);
    assert_eq!(last["output_tokens"], output);
    let finished = run.events("run_finished");
    let summary = &finished[0]["summary"];
    assert!((cost(&summary["spend"]) - usd).abs() < 1e-9, "{summary}");
    assert_eq!(summary["spend"]["input_tokens"], input);
    assert!(
        summary["spend"].get("unpriced").is_none(),
        "all of it is priced"
    );
    assert_eq!(summary["task_spend"][0]["task"], "make");
    assert!(
        (cost(&summary["task_spend"][0]) - usd).abs() < 1e-9,
        "{summary}"
    );
    let agent = &summary["agents"][0];
    assert!((cost(&agent["spend"]) - usd).abs() < 1e-9, "{agent}");
    assert!(
        run.out
            .stdout
            .contains("spent $0.2020: 200 tokens in, 40 out, 20 cached"),
        "{}",
        run.out.stdout
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
    let (run, _model, _home) = run_with_settings("none", &rule("allow"));
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
    let (run, _model, _home) = run_with_settings("none", &rule("deny"));
    assert!(!run.path("made.txt").exists(), "the command never ran");
    let decided = run.events("decision_made");
    assert_eq!(decided.len(), 1, "{}\n{}", run.out.stdout, run.out.stderr);
    assert_eq!(decided[0]["option"], 3);
    assert_eq!(decided[0]["by"], "rule");
    assert_ne!(run.out.code, 3, "no decision was left waiting");
}
