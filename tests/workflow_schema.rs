//! The workflow JSON Schema stays in step with the parser: the committed
//! `assets/workflow.schema.json` is exactly what `orch-tui schema` prints, every shipped
//! workflow validates against it, and every file it rejects (an unknown field, a wrong type, a
//! missing field, a number out of range) the parser rejects too.

mod common;

use common::{orch_tui, stderr};
use orch_tui::workflow;
use serde_json::Value;

const ASSET: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/workflow.schema.json");

fn schema() -> Value {
    workflow::file::json_schema()
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the schema compiles")
}

/// A TOML workflow as the JSON a schema validator sees.
fn as_json(toml_text: &str) -> Value {
    toml::from_str(toml_text).expect("the test file is TOML")
}

fn schema_errors(toml_text: &str) -> Vec<String> {
    validator()
        .iter_errors(&as_json(toml_text))
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn the_committed_schema_is_what_the_binary_prints() {
    let out = orch_tui().arg("schema").output().expect("the binary runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = String::from_utf8(out.stdout).expect("UTF-8");
    let committed = std::fs::read_to_string(ASSET).expect("assets/workflow.schema.json exists");
    assert!(
        printed == committed,
        "assets/workflow.schema.json is stale; regenerate it with `orch-tui schema > assets/workflow.schema.json`"
    );
}

#[test]
fn the_schema_is_a_valid_draft_07_schema_that_refuses_unknown_fields() {
    let s = schema();
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::meta::validate(&s).expect("valid against the draft-07 meta-schema");
    assert_eq!(s["additionalProperties"], false);
    assert_eq!(s["required"], serde_json::json!(["workflow"]));
    let task = &s["definitions"]["TaskFile"];
    assert_eq!(task["additionalProperties"], false);
    assert!(task["properties"]["estimate"].is_object());
    assert!(
        task["properties"]["priority"].to_string().contains("high"),
        "enums list their values for completion"
    );
}

#[test]
fn every_shipped_workflow_validates_against_the_schema() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/config");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("config/ exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.push(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/starter.toml").into());
    assert!(files.len() >= 6, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        assert_eq!(
            schema_errors(&text),
            Vec::<String>::new(),
            "{}",
            file.display()
        );
    }
}

/// Accepted by both; each case below changes one thing in it.
const BASE: &str = r#"
[workflow]
name = "base"
unit = "hours"

[settings]
progress_step = 10
retry_backoff = "30m"

[resources]
db = 1

[[agents]]
id = "a"
role = "dev"
kind = "simulated"

[[tasks]]
id = "t"
agent = "a"
estimate = 2
resources = ["db"]

[tasks.sim]
fail_at = 40
jitter = [0.9, 1.1]

[[blockers]]
id = "b"
task = "t"
at = 50
severity = "high"
title = "A blocker"

[[blockers.options]]
label = "Go on"
effect = { delay = "1h" }
"#;

#[test]
fn the_base_file_is_accepted_by_both() {
    assert_eq!(schema_errors(BASE), Vec::<String>::new());
    workflow::parse(BASE, "base.toml").expect("the parser accepts the base file");
}

#[test]
fn what_the_schema_rejects_the_parser_rejects_too() {
    let cases = [
        (
            "an unknown field",
            "unit = \"hours\"",
            "unit = \"hours\"\ncolour = \"red\"",
        ),
        (
            "an unknown table",
            "[settings]",
            "[setting]\nx = 1\n[settings]",
        ),
        (
            "an unknown field in a task",
            "estimate = 2",
            "estimate = 2\nowner = \"a\"",
        ),
        (
            "a misspelt field in an option",
            "effect = { delay",
            "efect = { delay",
        ),
        (
            "a duration of the wrong type",
            "estimate = 2",
            "estimate = true",
        ),
        (
            "a duration that is no duration",
            "estimate = 2",
            "estimate = \"soon\"",
        ),
        ("a negative duration", "estimate = 2", "estimate = -2"),
        (
            "a list where a string goes",
            "role = \"dev\"",
            "role = [\"dev\"]",
        ),
        (
            "a string where a list goes",
            "resources = [\"db\"]",
            "resources = \"db\"",
        ),
        (
            "an unknown unit",
            "unit = \"hours\"",
            "unit = \"fortnights\"",
        ),
        (
            "an unknown severity",
            "severity = \"high\"",
            "severity = \"urgent\"",
        ),
        (
            "an unknown agent kind",
            "kind = \"simulated\"",
            "kind = \"robot\"",
        ),
        (
            "a progress step over 100",
            "progress_step = 10",
            "progress_step = 101",
        ),
        ("a failure at 100%", "fail_at = 40", "fail_at = 100"),
        ("a blocker at 100%", "at = 50", "at = 100"),
        ("a resource of capacity 0", "db = 1", "db = 0"),
        ("a missing estimate", "estimate = 2\n", ""),
        ("a missing severity", "severity = \"high\"\n", ""),
        ("a missing role", "role = \"dev\"\n", ""),
        ("a missing workflow name", "name = \"base\"\n", ""),
        ("a missing option label", "label = \"Go on\"\n", ""),
    ];
    for (what, from, to) in cases {
        assert!(BASE.contains(from), "{what}: the base has no {from:?}");
        let text = BASE.replacen(from, to, 1);
        assert!(
            !schema_errors(&text).is_empty(),
            "{what}: the schema accepts it:\n{text}"
        );
        assert!(
            workflow::parse(&text, "case.toml").is_err(),
            "{what}: the schema rejects it but the parser accepts it:\n{text}"
        );
    }
}

#[test]
fn a_missing_workflow_table_is_rejected_by_both() {
    let text = BASE.replacen("[workflow]\nname = \"base\"\nunit = \"hours\"\n", "", 1);
    assert!(!text.contains("[workflow]"));
    assert!(!schema_errors(&text).is_empty());
    assert!(workflow::parse(&text, "case.toml").is_err());
}

#[test]
fn a_coding_agent_and_a_task_prompt_are_accepted_by_both() {
    let text = BASE
        .replace(
            "kind = \"simulated\"",
            "kind = \"claude\"\nprogram = \"claude\"\nmodel = \"claude-sonnet-4-5\"\nargs = [\"--max-turns\", \"30\"]\nenv = [\"PATH\", \"HOME\"]",
        )
        .replace("resources = [\"db\"]", "resources = [\"db\"]\nprompt = \"Fix the bug.\"");
    assert_eq!(schema_errors(&text), Vec::<String>::new());
    workflow::parse(&text, "coding.toml").expect("the parser accepts a coding agent");
}
