//! The real Claude Code CLI in the real dashboard (in tmux): the CLI asks to run Bash, the
//! question waits in the decision panel, a key allows it, the tool runs and the run succeeds; the
//! recording says the person decided (`by: "user"`), and its replay shows the request, the
//! approval, the tool call and its result, and the cost the CLI reported, without running
//! anything.

mod common;

use common::scripted_api::{FINAL_TEXT, ScriptedApi};
use common::tmux::{BIN, Tmux, quoted, recorded_events};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

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
fn a_key_allows_the_real_claude_code_and_the_replay_runs_nothing() {
    let target = tempfile::tempdir().expect("a folder");
    let file = target.path().join("made.txt");
    let api = ScriptedApi::start(&file);
    let cli = claude_cli();
    let tmux = Tmux::start("claude", 120, 40, |dir| {
        let home = dir.join("home");
        std::fs::create_dir(&home).expect("a HOME");
        let workflow = dir.join("workflow.toml");
        std::fs::write(
            &workflow,
            format!(
                "[workflow]\nname = \"claude\"\nunit = \"minutes\"\n\n[[agents]]\nid = \"dev1\"\nrole = \"dev\"\nkind = \"claude\"\nprogram = \"{cli}\"\nenv = [\"PATH\", \"HOME\", \"ANTHROPIC_BASE_URL\", \"ANTHROPIC_API_KEY\"]\n\n[[tasks]]\nid = \"T\"\nrole = \"dev\"\nestimate = \"1m\"\nprompt = \"Make the file.\"\n"
            ),
        )
        .expect("the workflow is written");
        format!(
            "HOME={} ANTHROPIC_BASE_URL={} ANTHROPIC_API_KEY=sk-test {BIN} run {} --record {}",
            quoted(&home),
            api.url,
            quoted(&workflow),
            quoted(&dir.join("run.jsonl"))
        )
    });
    tmux.wait_for("waits for a person", WAIT);
    tmux.send("n");
    let panel = tmux.wait_for("Allow for the rest of this task", WAIT);
    assert!(
        panel.contains("dev1 wants to run Bash on task T"),
        "{panel}"
    );
    tmux.send("1");
    tmux.wait_for("Run succeeded", WAIT);
    tmux.send("q");
    assert_eq!(tmux.exit_code(WAIT), 0);
    assert!(file.exists(), "the allowed Bash call ran");
    let recording = tmux.path("run.jsonl");
    let events = recorded_events(&recording);
    let decided = events
        .iter()
        .find(|e| e["kind"] == "decision_made")
        .expect("decided");
    assert_eq!(
        (decided["option"].as_u64(), decided["by"].as_str()),
        (Some(1), Some("user"))
    );
    let done = events
        .iter()
        .find(|e| e["kind"] == "task_completed")
        .expect("done");
    assert_eq!(done["output"], FINAL_TEXT);
    let usage = events
        .iter()
        .rfind(|e| e["kind"] == "agent_usage")
        .expect("the CLI's usage is recorded");
    assert_eq!(usage["cost_from"], "agent", "{usage}");
    let finished = events
        .iter()
        .find(|e| e["kind"] == "run_finished")
        .expect("finished");
    let cost = finished["summary"]["spend"]["cost_usd"]
        .as_f64()
        .filter(|c| *c > 0.0)
        .unwrap_or_else(|| panic!("the CLI's total_cost_usd is the run's cost: {finished}"));

    std::fs::remove_file(&file).expect("the file is removed before the replay");
    let requests = api.bodies().len();
    let replay = common::orch([
        "replay".as_ref(),
        recording.as_os_str(),
        "--headless".as_ref(),
    ]);
    assert_eq!(replay.code, 0, "{}", replay.stderr);
    for shown in [
        "dev1 wants to run Bash on task T".to_string(),
        "option 1 \"Allow once\" (by user ".to_string(),
        "exec      T on dev1:".to_string(),
        format!("tool      T (dev1): Bash: touch {}", file.display()),
        "result    T: Bash ✓".to_string(),
        format!("spent ${cost:.4}: "),
    ] {
        assert!(
            replay.stdout.contains(&shown),
            "the replay shows {shown}:\n{}",
            replay.stdout
        );
    }
    assert!(!file.exists(), "the replay ran no tool");
    assert_eq!(api.bodies().len(), requests, "the replay asked no model");
}
