//! What command agents spend, end to end through the binary: agents that print `usage` lines
//! get their tokens priced by `[settings.prices]` (or keep their own `cost_usd`), summed per
//! task, agent and run in `--json` and in the recorded `run_finished`; a replay of the
//! recording folds to the same figures; a crossed budget raises a CRITICAL `BUDGET` blocker that
//! `--decide` answers, with the decision and its effect recorded.

mod common;

use common::orch;
use common::real::{bash_agent, run_real, workflow};
use serde_json::Value;

const PRICES: &str = r#"
[settings.prices."gpt-test"]
input = 2.0
cached = 0.5
output = 10.0
"#;

/// `first` spends 1M input tokens (0.2M cached) and 0.1M output on gpt-test over two reports
/// ($2.70 by the prices); `second` reports its own $0.25.
fn spending(budget: &str) -> String {
    let first = bash_agent(
        "first",
        r#"echo '{"type":"usage","input_tokens":10,"output_tokens":1,"model":"gpt-test"}'; echo '{"type":"usage","input_tokens":1000000,"cached_tokens":200000,"output_tokens":100000,"model":"gpt-test"}'; sleep 0.2; echo '{"type":"result","summary":"spent"}'"#,
        "",
    );
    let second = bash_agent(
        "second",
        r#"echo '{"type":"usage","input_tokens":300,"output_tokens":30,"cost_usd":0.25,"model":"claude-x"}'"#,
        "",
    );
    workflow(&format!(
        "{PRICES}\n[settings.budget]\n{budget}\n\n{first}{second}
[[tasks]]
id = \"A\"
agent = \"first\"
estimate = \"1m\"

[[tasks]]
id = \"B\"
agent = \"second\"
estimate = \"1m\"
"
    ))
}

fn task<'a>(summary: &'a Value, id: &str) -> &'a Value {
    summary["task_spend"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["task"] == id))
        .unwrap_or_else(|| panic!("task {id} in {summary}"))
}

fn agent<'a>(summary: &'a Value, id: &str) -> &'a Value {
    summary["agents"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["id"] == id))
        .unwrap_or_else(|| panic!("agent {id} in {summary}"))
}

#[test]
fn usage_lines_are_priced_summed_and_carried_by_json_run_finished_and_replay() {
    let run = run_real(&spending(""), &["--json"], &[]);
    assert_eq!(run.out.code, 0, "{}\n{}", run.out.stdout, run.out.stderr);
    let summary: Value = serde_json::from_str(&run.out.stdout).expect("--json prints JSON");
    assert_eq!(summary["spend"]["cost_usd"], 2.95);
    assert_eq!(summary["spend"]["input_tokens"], 1_000_300);
    assert_eq!(summary["spend"]["cached_tokens"], 200_000);
    assert_eq!(task(&summary, "A")["cost_usd"], 2.7);
    assert_eq!(task(&summary, "B")["cost_usd"], 0.25);
    assert_eq!(agent(&summary, "first")["spend"]["output_tokens"], 100_000);
    assert_eq!(agent(&summary, "second")["spend"]["cost_usd"], 0.25);

    let usage = run.events("agent_usage");
    assert_eq!(usage.len(), 3, "each usage line is recorded");
    assert!(
        usage
            .iter()
            .any(|e| e["cost_from"] == "prices" && e["cost_usd"] == 2.7)
    );
    assert!(usage.iter().any(|e| e["cost_from"] == "agent"));
    let finished = run.events("run_finished");
    assert_eq!(finished[0]["summary"]["spend"], summary["spend"]);
    assert_eq!(finished[0]["summary"]["task_spend"], summary["task_spend"]);

    // A replay folds the recording again (runs nothing) and shows the same figures.
    let record = run.path("run.jsonl");
    // The run took well under an hour: at 1h the replay is at its end.
    let replay = orch(["replay", record.to_str().unwrap(), "--at", "1h", "--json"]);
    assert_eq!(replay.code, 0, "{}", replay.stderr);
    let snapshot: Value = serde_json::from_str(&replay.stdout).expect("a JSON snapshot");
    assert_eq!(snapshot["spend"], summary["spend"]);
    let row = snapshot["tasks"]
        .as_array()
        .and_then(|ts| ts.iter().find(|t| t["id"] == "A"))
        .unwrap();
    assert_eq!(row["spend"]["cost_usd"], 2.7);

    let text = orch(["replay", record.to_str().unwrap(), "--headless"]);
    assert!(
        text.stdout.contains("spent $2.9500"),
        "the replayed summary says what was spent:\n{}",
        text.stdout
    );
}

#[test]
fn a_crossed_budget_raises_a_critical_blocker_that_decide_answers() {
    // --decide first raises the task's limit: the run goes on and succeeds.
    let run = run_real(&spending("task_usd = 1.0"), &["--decide", "first"], &[]);
    assert_eq!(run.out.code, 0, "{}\n{}", run.out.stdout, run.out.stderr);
    let raised = run.events("blocker_raised");
    assert_eq!(raised.len(), 1, "{:?}", run.events);
    let b = raised[0];
    assert_eq!(
        (b["blocker"].as_str(), b["type"].as_str()),
        (Some("budget-A"), Some("BUDGET"))
    );
    assert_eq!(b["severity"], "critical");
    assert_eq!(b["decides"], "person");
    assert_eq!(
        b["options"][0]["label"],
        "Raise the limit by $2.00 to $3.00"
    );
    let decided = run.events("decision_made");
    assert_eq!(decided[0]["option"], 1);
    let budget = run.events("budget_raised");
    assert_eq!(
        (budget[0]["task"].as_str(), budget[0]["usd"].as_f64()),
        (Some("A"), Some(3.0))
    );
    assert!(
        run.out.stdout.contains("BLOCKER   budget-A on A"),
        "{}",
        run.out.stdout
    );

    // The run's limit with the recommended option stops the run.
    let run = run_real(&spending("usd = 1.0"), &["--decide", "recommended"], &[]);
    assert_eq!(run.out.code, 1, "a stopped run: {}", run.out.stdout);
    assert_eq!(run.status(), "stopped");
    assert_eq!(run.events("decision_made")[0]["label"], "Stop the run");
}

#[test]
fn bad_prices_and_budgets_are_refused_at_their_line() {
    for (bad, at, says) in [
        (
            "[settings.prices.m]\ninput = -1.0\noutput = 1.0",
            ":6:",
            "price `input` is -1",
        ),
        (
            "[settings.prices.m]\ninput = 1.0\noutput = 50000.0",
            ":7:",
            "price `output` is 50000",
        ),
        ("[settings.budget]\nusd = 0.0", ":6:", "budget `usd` is 0"),
        (
            "[settings.budget]\ntask_usd = -3",
            ":6:",
            "budget `task_usd` is -3",
        ),
    ] {
        let text = workflow(&format!(
            "{bad}\n\n[[agents]]\nid = \"a\"\nrole = \"r\"\n\n[[tasks]]\nid = \"T\"\nagent = \"a\"\nestimate = 1\n"
        ));
        let file = common::workflow_file(&text);
        let out = orch(["validate", file.path().to_str().unwrap()]);
        assert_eq!(out.code, 2, "{bad}: {}", out.stderr);
        let line = out.stderr.trim();
        assert_eq!(line.lines().count(), 1, "one line: {line}");
        assert!(line.contains(at), "names the line: {line}");
        assert!(line.contains(says), "{line}");
    }
}
