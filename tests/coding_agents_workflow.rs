//! Coding agents in workflow files: `kind = "claude"`, `"codex"` and `"gemini"` resolve to the
//! CLI's headless command with `program`, `model`, `args`, the env allowlist and the limits; a
//! task's `prompt` is kept; fields that do nothing where they are written are refused at their
//! line and column; and `orch-tui validate` refuses a workflow whose CLI is not installed, with
//! the npm package that installs it.

mod common;

use common::refused::{message_after, refused_at};
use common::{assert_says, orch_tui, workflow_file};
use orch_tui::workflow::model::AgentKind;

fn agent(fields: &str) -> String {
    format!(
        "[workflow]\nname = \"w\"\nunit = \"minutes\"\n\n[[agents]]\nid = \"dev1\"\nrole = \"r\"\n{fields}\n\n[[tasks]]\nid = \"T\"\nrole = \"r\"\nestimate = 1\nprompt = \"Touch the file.\"\n"
    )
}

/// The claude CLI installed by `.ci/run`.
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
fn a_claude_agent_resolves_to_its_headless_command() {
    let w = common::parse(&agent(
        "kind = \"claude\"\nmodel = \"claude-sonnet-4-5\"\nargs = [\"--max-turns\", \"30\"]\nenv = [\"PATH\", \"HOME\", \"ANTHROPIC_API_KEY\"]\ntimeout = \"30m\"\nheartbeat = \"5m\"",
    ));
    let AgentKind::Claude(spec) = &w.agents[0].kind else {
        panic!("a claude agent: {:?}", w.agents[0].kind);
    };
    assert_eq!(spec.program, "claude", "the kind's usual name");
    assert_eq!(
        spec.run.argv.join(" "),
        "claude -p --output-format stream-json --input-format stream-json --verbose --permission-prompt-tool stdio --model claude-sonnet-4-5 --max-turns 30"
    );
    assert_eq!(spec.run.env, ["PATH", "HOME", "ANTHROPIC_API_KEY"]);
    assert_eq!(
        (spec.run.timeout_ms, spec.run.heartbeat_ms),
        (Some(30 * 60_000), Some(5 * 60_000))
    );
    assert_eq!(w.tasks[0].prompt.as_deref(), Some("Touch the file."));
    assert!(w.has_command_agents(), "it runs a real process");
    let json = serde_json::to_value(&w.agents[0]).expect("serializes");
    assert_eq!(json["kind"], "claude");
    let back: orch_tui::workflow::model::Agent = serde_json::from_value(json).expect("reads back");
    assert_eq!(back, w.agents[0]);
}

#[test]
fn codex_and_gemini_agents_start_their_structured_modes() {
    let w = common::parse(&agent(
        "kind = \"codex\"\nprogram = \"/opt/codex\"\nmodel = \"o3\"",
    ));
    let Some((_, spec)) = w.agents[0].kind.coding() else {
        panic!("a coding agent");
    };
    assert_eq!(
        spec.run.argv,
        ["/opt/codex", "app-server", "-c", "model=\"o3\""]
    );
    let w = common::parse(&agent("kind = \"gemini\""));
    let Some((_, spec)) = w.agents[0].kind.coding() else {
        panic!("a coding agent");
    };
    assert_eq!(spec.run.argv, ["gemini", "--output-format", "stream-json"]);
}

#[test]
fn fields_that_do_nothing_where_they_are_written_are_refused() {
    let message = refused_at(&agent("kind = \"claude\"\nargv = [\"claude\"]"), 9, 8);
    assert_says(&message, "use `program` and `args` instead of `argv`");
    let message = refused_at(
        &agent("kind = \"command\"\nargv = [\"x\"]\nmodel = \"m\""),
        10,
        9,
    );
    assert_says(&message, "is of kind `command`, so `model` does nothing");
    let message = refused_at(&agent("model = \"m\""), 8, 9);
    assert_says(&message, "is simulated, so `model` does nothing");
}

#[test]
fn validate_names_the_npm_package_of_a_missing_cli() {
    let empty = tempfile::tempdir().expect("a temporary folder");
    let cases = [
        ("claude", "@anthropic-ai/claude-code"),
        ("codex", "@openai/codex"),
        ("gemini", "@google/gemini-cli"),
    ];
    for (kind, package) in cases {
        let file = workflow_file(&agent(&format!("kind = \"{kind}\"\nenv = [\"PATH\"]")));
        let out = orch_tui()
            .arg("validate")
            .arg(file.path())
            .env("PATH", empty.path())
            .output()
            .expect("the binary runs");
        assert_eq!(out.status.code(), Some(2), "a missing CLI is bad input");
        let prefix = format!("orch-tui: {}: ", file.path().display());
        let message = message_after(&common::stderr(&out), &prefix);
        assert_eq!(
            message,
            format!(
                "agent `dev1` (kind `{kind}`): `{kind}` is not found in its PATH; install it with `npm install -g {package}`, or set `program` to its path"
            )
        );
    }
}

#[test]
fn validate_accepts_a_claude_agent_whose_cli_is_installed() {
    let program = claude_cli();
    let file = workflow_file(&agent(&format!(
        "kind = \"claude\"\nprogram = \"{program}\""
    )));
    let out = orch_tui()
        .arg("validate")
        .arg(file.path())
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
}

#[test]
fn the_coding_fleet_example_validates_when_claude_is_in_path() {
    let cli = claude_cli();
    let bin = std::path::Path::new(&cli)
        .parent()
        .expect("the CLI's folder");
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let out = orch_tui()
        .arg("validate")
        .arg(common::config("coding-fleet.toml"))
        .env("PATH", path)
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let w = orch_tui::workflow::load(&common::config("coding-fleet.toml")).expect("it loads");
    assert!(
        w.agents.iter().all(|a| a.kind.coding().is_some()),
        "claude agents only"
    );
}
