//! What real agents spend and do, engine side, without processes: usage reports are priced (the
//! agent's own cost, else the workflow's price for the model, else none), each replacing the
//! attempt's previous one, and summed per task, agent and run into the summary; activity gives
//! the current tool call, turns, todo progress and the last tool calls; a crossed budget asks a
//! person (never policy) and each of its options does what it says; and folding the recorded
//! events again gives the same figures.

mod common;

use common::parse;
use orch_tui::engine::agent_io::{Activity, AgentReport, AgentRequest, Exit, Usage};
use orch_tui::engine::event::Decider;
use orch_tui::engine::state::TaskStatus;
use orch_tui::engine::{Actor, DecideMode, Engine, Event, EventBody, RunOptions, RunStatus, State};
use std::sync::Arc;

/// Two tasks on `main`, one on `other`; `policy_decides` includes critical, which a budget
/// blocker must ignore.
fn workflow(budget: &str) -> String {
    format!(
        r#"
[workflow]
name = "spend"
unit = "minutes"

[settings.escalation]
policy_decides = ["low", "medium", "high", "critical"]

[settings.prices."gpt-test"]
input = 2.0
cached = 0.5
output = 10.0

[settings.budget]
{budget}

[[agents]]
id = "main"
role = "dev"
kind = "command"
argv = ["./agent"]

[[agents]]
id = "other"
role = "qa"
kind = "command"
argv = ["./agent"]

[[tasks]]
id = "A"
agent = "main"
estimate = "2m"

[[tasks]]
id = "B"
agent = "main"
estimate = "1m"
depends_on = ["A"]

[[tasks]]
id = "C"
agent = "other"
estimate = "1m"
"#
    )
}

fn engine(budget: &str) -> Engine {
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Person,
        stamp_wall: false,
    };
    let mut engine = Engine::new(Arc::new(parse(&workflow(budget))), &options).expect("it plans");
    engine.start();
    engine
}

fn usage(
    input: u64,
    cached: u64,
    output: u64,
    cost: Option<f64>,
    model: Option<&str>,
) -> AgentReport {
    AgentReport::Usage(Usage {
        input_tokens: input,
        output_tokens: output,
        cached_tokens: cached,
        cost_usd: cost,
        model: model.map(str::to_string),
    })
}

fn kinds(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.body.kind()).collect()
}

/// The state folded again from `events`, as a replay does.
fn refold(engine: &Engine, events: &[Event]) -> State {
    let mut state = State::new(engine.state().workflow.clone());
    for e in events {
        state.apply(e).expect("the recorded event folds");
    }
    state
}

#[test]
fn usage_is_priced_replaced_per_attempt_and_summed_per_task_agent_and_run() {
    let mut engine = engine("");
    let mut events = engine.drain();
    // A: tokens only, priced from the prices: 1M input of which 0.2M cached, 0.1M output.
    assert!(engine.report("A", 1, usage(500, 0, 10, None, Some("gpt-test"))));
    assert!(engine.report(
        "A",
        1,
        usage(1_000_000, 200_000, 100_000, None, Some("gpt-test"))
    ));
    // C: the agent's own cost wins; then a model without a price on B.
    assert!(engine.report("C", 1, usage(10, 0, 5, Some(0.25), Some("gpt-test"))));
    engine.report("A", 1, AgentReport::Exited(Exit::Succeeded));
    engine.report("C", 1, AgentReport::Exited(Exit::Succeeded));
    engine.report("B", 1, usage(40, 0, 2, None, Some("unknown-model")));
    engine.report("B", 1, AgentReport::Exited(Exit::Succeeded));
    events.extend(engine.drain());

    let a_usage: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(&e.body, EventBody::AgentUsage { task, .. } if task == "A"))
        .collect();
    assert_eq!(a_usage.len(), 2);
    let line = serde_json::to_value(a_usage[1]).unwrap();
    // 0.8M × $2 + 0.2M × $0.5 + 0.1M × $10 = $2.70
    assert_eq!(line["cost_usd"], 2.7);
    assert_eq!(line["cost_from"], "prices");
    assert_eq!(line["input_tokens"], 1_000_000);

    let summary = engine.state().finished.clone().expect("the run ended");
    assert_eq!(summary.status, RunStatus::Succeeded);
    assert_eq!(summary.spend.input_tokens, 1_000_050);
    assert_eq!(summary.spend.cost_usd, Some(2.95));
    assert!(summary.spend.unpriced, "B's model has no price");
    let task = |id: &str| summary.task_spend.iter().find(|t| t.task == id).unwrap();
    assert_eq!(task("A").spend.cost_usd, Some(2.7));
    assert_eq!(task("C").spend.cost_usd, Some(0.25));
    assert_eq!(task("B").spend.cost_usd, None, "no price is made up");
    assert_eq!(task("B").spend.input_tokens, 40);
    let agent = |id: &str| summary.agents.iter().find(|a| a.id == id).unwrap();
    assert_eq!(agent("main").spend.input_tokens, 1_000_040);
    assert_eq!(agent("main").spend.cost_usd, Some(2.7));
    assert_eq!(agent("other").spend.cost_usd, Some(0.25));

    let replayed = refold(&engine, &events);
    assert_eq!(replayed.spend, engine.state().spend);
    assert_eq!(replayed.finished, engine.state().finished);
}

#[test]
fn activity_gives_the_tool_call_turns_todo_progress_and_last_calls() {
    let mut engine = engine("");
    let mut events = engine.drain();
    let report = |engine: &mut Engine, a: Activity| engine.report("A", 1, AgentReport::Activity(a));
    report(&mut engine, Activity::Session { id: "s-1".into() });
    report(
        &mut engine,
        Activity::ToolCall {
            id: "t1".into(),
            tool: "Bash".into(),
            input: "cargo test".into(),
        },
    );
    report(&mut engine, Activity::Turn { turns: 3 });
    report(&mut engine, Activity::Todo { done: 1, total: 4 });
    events.extend(engine.drain());
    let a = engine.state().task_index("A").unwrap();
    let doing = engine.state().doings.of(a).expect("A is doing something");
    assert_eq!(
        doing.current().map(|c| c.short()).as_deref(),
        Some("Bash: cargo test")
    );
    assert_eq!((doing.turns, doing.todo), (3, Some((1, 4))));
    assert_eq!(doing.session.as_deref(), Some("s-1"));
    assert_eq!(
        engine.state().nodes[a].pct,
        25,
        "progress from the todo list"
    );
    assert!(!engine.state().nodes[a].progress_unknown());

    report(
        &mut engine,
        Activity::ToolResult {
            id: "t1".into(),
            ok: false,
            output: "1 failed".into(),
        },
    );
    events.extend(engine.drain());
    let doing = engine.state().doings.of(a).unwrap();
    assert!(doing.current().is_none(), "the call ended");
    assert_eq!(doing.calls[0].result, Some((false, "1 failed".into())));
    assert_eq!(
        kinds(&events)
            .iter()
            .filter(|k| **k == "agent_activity")
            .count(),
        5
    );
    let replayed = refold(&engine, &events);
    assert_eq!(replayed.doings, engine.state().doings);
    assert_eq!(replayed.nodes[a].pct, 25);
}

#[test]
fn a_crossed_task_budget_asks_a_person_and_raising_it_lets_the_work_go_on() {
    let mut engine = engine("task_usd = 1.0");
    engine.drain();
    engine.report("A", 1, usage(10, 0, 1, Some(0.9), None));
    assert!(
        engine.state().open_blockers().next().is_none(),
        "under the limit"
    );
    engine.report("A", 1, usage(20, 0, 2, Some(2.5), None));
    let blocker = engine
        .state()
        .open_blockers()
        .next()
        .expect("a budget blocker")
        .clone();
    assert_eq!(blocker.id, "budget-A");
    assert_eq!(blocker.report.kind, "BUDGET");
    assert_eq!(blocker.report.severity.label(), "CRITICAL");
    assert_eq!(blocker.decides, Decider::Person, "never policy");
    let labels: Vec<&str> = blocker
        .report
        .options
        .iter()
        .map(|o| o.label.as_str())
        .collect();
    // $2.50 spent of $1.00: two steps of $1.00 clear it.
    assert_eq!(
        labels,
        [
            "Raise the limit by $2.00 to $3.00",
            "Stop this task (A)",
            "Stop the run"
        ]
    );
    assert_eq!(engine.next_time(), None, "nothing decides it on a timer");

    engine.decide("budget-A", 1, Actor::User).unwrap();
    let events = engine.drain();
    assert!(events.iter().any(|e| matches!(
        &e.body,
        EventBody::BudgetRaised { task: Some(t), usd, by: Actor::User } if t == "A" && *usd == 3.0
    )));
    let a = engine.state().task_index("A").unwrap();
    assert_eq!(engine.state().nodes[a].status, TaskStatus::Running);
    engine.report("A", 1, usage(30, 0, 3, Some(2.9), None));
    assert!(
        engine.state().open_blockers().next().is_none(),
        "within the raised limit"
    );
    engine.report("A", 1, usage(40, 0, 4, Some(3.1), None));
    let again = engine.state().open_blockers().next().expect("asked again");
    assert_eq!(again.id, "budget-A-2");
}

#[test]
fn stopping_the_task_at_its_budget_ends_its_process_and_skips_what_depends_on_it() {
    let mut engine = engine("task_usd = 1.0");
    engine.take_requests();
    engine.report("A", 1, usage(20, 0, 2, Some(1.5), None));
    engine.decide("budget-A", 2, Actor::User).unwrap();
    let requests = engine.take_requests();
    assert!(
        requests
            .iter()
            .any(|r| matches!(r, AgentRequest::End { task, attempt: 1 } if task == "A")),
        "the process is ended: {requests:?}"
    );
    let state = engine.state();
    let status = |id: &str| state.nodes[state.task_index(id).unwrap()].status;
    assert_eq!(status("A"), TaskStatus::Skipped);
    assert_eq!(status("B"), TaskStatus::Skipped);
    assert_eq!(status("C"), TaskStatus::Running, "the rest goes on");
    assert!(
        !engine.report("A", 1, usage(99, 0, 9, Some(9.0), None)),
        "a stopped attempt's reports are ignored"
    );
}

#[test]
fn the_run_budget_counts_every_task_and_stopping_the_run_ends_it() {
    let mut engine = engine("usd = 1.0");
    engine.report("A", 1, usage(20, 0, 2, Some(0.6), None));
    engine.report("C", 1, usage(20, 0, 2, Some(0.6), None));
    let blocker = engine
        .state()
        .open_blockers()
        .next()
        .expect("the run's budget")
        .clone();
    assert_eq!(blocker.id, "budget-run");
    assert_eq!(blocker.report.recommended, 3);
    assert!(
        blocker.report.title.contains("$1.20 of its $1.00"),
        "{}",
        blocker.report.title
    );
    engine.decide("budget-run", 3, Actor::User).unwrap();
    let summary = engine.state().finished.clone().expect("the run ended");
    assert_eq!(summary.status, RunStatus::Stopped);
    assert_eq!(summary.spend.cost_usd, Some(1.2));
    let last = engine.drain().pop().unwrap();
    assert_eq!(last.body.kind(), "run_finished");
}
