//! End-to-end test of a budget in the dashboard: the real binary in tmux runs a command agent
//! that reports more dollars than its task may spend; the header shows the run's spend, the
//! CRITICAL `BUDGET` blocker waits for a person, who opens the decision panel and raises the
//! limit with a key; the agent then finishes, and the recording says the user decided and the
//! limit was raised.

mod common;

use common::real::{bash_agent, workflow};
use common::tmux::{BIN, Tmux, quoted, recorded_events};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn a_person_raises_a_crossed_budget_by_keystroke() {
    // The agent reports $2.50, then works on until the test has decided (the file `go`).
    let agent = bash_agent(
        "dev",
        r#"read context; echo '{"type":"usage","input_tokens":5000,"output_tokens":700,"cost_usd":2.5,"model":"m"}'; while [ ! -f go ]; do sleep 0.05; done; echo '{"type":"result","summary":"done"}'"#,
        "",
    );
    let text = workflow(&format!(
        "[settings.budget]\ntask_usd = 1.0\n\n{agent}\n[[tasks]]\nid = \"A\"\nname = \"Build\"\nagent = \"dev\"\nestimate = \"1m\"\n"
    ));
    let tmux = Tmux::start("budget", 120, 40, |dir| {
        let file = dir.join("workflow.toml");
        std::fs::write(&file, &text).expect("the workflow is written");
        format!(
            "cd {} && {BIN} run {} --record {}",
            quoted(dir),
            quoted(&file),
            quoted(&dir.join("run.jsonl"))
        )
    });
    let screen = tmux.wait_for("budget-A", WAIT);
    assert!(
        screen.contains("$2.50 · 5.7k tok"),
        "the header shows the spend:\n{screen}"
    );
    tmux.send("n");
    let panel = tmux.wait_for("Decision: budget-A", WAIT);
    assert!(
        panel.contains("Raise the limit by $2.00 to $3.00")
            && panel.contains("Stop this task (A)")
            && panel.contains("Stop the run"),
        "{panel}"
    );
    tmux.send("1");
    let record = tmux.path("run.jsonl");
    let start = std::time::Instant::now();
    while !recorded_events(&record)
        .iter()
        .any(|e| e["kind"] == "budget_raised")
    {
        assert!(start.elapsed() < WAIT, "the raised limit is recorded");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::write(tmux.path("go"), "").expect("the go file is written");
    tmux.wait_for("Run succeeded", WAIT);
    tmux.send("q");
    assert_eq!(tmux.exit_code(WAIT), 0);
    let events = recorded_events(&tmux.path("run.jsonl"));
    let raised = events
        .iter()
        .find(|e| e["kind"] == "blocker_raised")
        .expect("the budget blocker is recorded");
    assert_eq!(
        (raised["type"].as_str(), raised["severity"].as_str()),
        (Some("BUDGET"), Some("critical"))
    );
    let decision = events
        .iter()
        .find(|e| e["kind"] == "decision_made")
        .expect("the decision is recorded");
    assert_eq!(
        (decision["option"].as_u64(), decision["by"].as_str()),
        (Some(1), Some("user"))
    );
    let budget = events
        .iter()
        .find(|e| e["kind"] == "budget_raised")
        .expect("the raised limit is recorded");
    assert_eq!(budget["usd"], 3.0);
}
