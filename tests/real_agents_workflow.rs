//! Command agents in workflow files: a valid one resolves with an absolute working directory
//! and its durations in milliseconds; each mistake — no argv, an empty argv, command fields on a
//! simulated agent, a value instead of a variable name, a zero timeout, a task override no
//! command agent can use, an unknown kind — is refused at its line and column, saying what to do.

mod common;

use common::assert_says;
use common::refused::refused_at;
use orch_tui::workflow::model::AgentKind;

fn agent(fields: &str) -> String {
    format!(
        "[workflow]\nname = \"w\"\nunit = \"minutes\"\n\n[[agents]]\nid = \"a\"\nrole = \"r\"\n{fields}\n\n[[tasks]]\nid = \"T\"\nrole = \"r\"\nestimate = 1\n"
    )
}

#[test]
fn a_command_agent_resolves_with_its_fields() {
    let text = agent(
        "kind = \"command\"\nargv = [\"./go\", \"-v\"]\ncwd = \"sub\"\nenv = [\"PATH\"]\ntimeout = \"90s\"\nheartbeat = \"10s\"",
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir(dir.path().join("sub")).expect("the working directory");
    let file = dir.path().join("w.toml");
    std::fs::write(&file, text).expect("written");
    let w = orch_tui::workflow::load(&file).unwrap_or_else(|e| panic!("{e}"));
    let AgentKind::Command(spec) = &w.agents[0].kind else {
        panic!("a command agent");
    };
    assert_eq!(spec.argv, ["./go", "-v"]);
    assert_eq!(
        spec.cwd.as_deref(),
        Some(dir.path().join("sub").to_str().expect("a UTF-8 path")),
        "relative to the workflow file's folder, made absolute"
    );
    assert_eq!(spec.env, ["PATH"]);
    assert_eq!(
        (spec.timeout_ms, spec.heartbeat_ms),
        (Some(90_000), Some(10_000))
    );
    assert!(w.has_command_agents());
    let json = serde_json::to_value(&w.agents[0]).expect("serializes");
    assert_eq!(json["kind"], "command");
    assert_eq!(json["argv"][0], "./go");
}

#[test]
fn a_command_agent_needs_an_argv() {
    let message = refused_at(&agent("kind = \"command\""), 6, 6);
    assert_says(&message, "is of kind `command` but has no `argv`");
}

#[test]
fn an_empty_argv_is_refused() {
    let message = refused_at(&agent("kind = \"command\"\nargv = []"), 9, 8);
    assert_says(&message, "`argv` needs the program to run first");
}

#[test]
fn command_fields_on_a_simulated_agent_are_refused() {
    let message = refused_at(&agent("timeout = \"1m\""), 8, 11);
    assert_says(
        &message,
        "agent `a` is simulated, so `timeout` does nothing",
    );
}

#[test]
fn env_lists_names_not_values() {
    let message = refused_at(
        &agent("kind = \"command\"\nargv = [\"x\"]\nenv = [\"PATH=/bin\"]"),
        10,
        7,
    );
    assert_says(&message, "`PATH=/bin` is not an environment variable name");
}

#[test]
fn a_zero_timeout_is_refused() {
    let message = refused_at(
        &agent("kind = \"command\"\nargv = [\"x\"]\nheartbeat = 0"),
        10,
        13,
    );
    assert_says(&message, "`heartbeat` must be longer than 0");
}

#[test]
fn a_task_override_needs_a_command_agent() {
    let text = agent("").replace("estimate = 1\n", "estimate = 1\nargv = [\"x\"]\n");
    let message = refused_at(&text, 14, 8);
    assert_says(&message, "no agent of kind `command` can run it");
}

#[test]
fn an_unknown_kind_names_every_kind() {
    let message = refused_at(&agent("kind = \"robot\""), 8, 8);
    assert_says(
        &message,
        "use `simulated`, `command`, `claude`, `codex` or `gemini`",
    );
}
