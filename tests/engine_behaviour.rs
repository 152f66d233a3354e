//! What the engine does when things go wrong, run through the library on small workflows
//! written here: a failed gate skips what depends on it; a failing task is retried on its agent,
//! moved to a backup, and finally given up with its dependants skipped; a phase with rollback
//! tasks runs them when one of its tasks fails for good; a shared resource is handed on the
//! moment a failing holder lets go; and a recording read back folds into the same summary as
//! the live run.

mod common;

use common::{HOUR, MINUTE, config, run_events, run_recorded};
use orch_tui::engine::state::{State, TaskStatus};
use orch_tui::engine::{DecideMode, Event, EventBody, RunStatus, Summary};
use orch_tui::workflow::model::GateOutcome;
use std::sync::Arc;

/// Two engineers, and `tasks` (TOML) after them.
fn workflow(settings: &str, tasks: &str) -> String {
    format!(
        r#"[workflow]
name = "engine"

[settings]
{settings}

[resources]
db = 1

[[agents]]
id = "dev"
role = "engineer"
backups = ["dev2"]

[[agents]]
id = "dev2"
role = "engineer"

{tasks}"#
    )
}

fn run(text: &str) -> (State, Vec<Event>) {
    let (engine, events) = run_events(text, DecideMode::Recommended, None);
    (engine.state().clone(), events)
}

fn summary(events: &[Event]) -> &Summary {
    match events.last().map(|e| &e.body) {
        Some(EventBody::RunFinished { summary }) => summary,
        other => panic!("the run ends with run_finished, not {other:?}"),
    }
}

fn status(state: &State, id: &str) -> TaskStatus {
    let i = state.task_index(id).unwrap_or_else(|| panic!("task {id}"));
    state.nodes[i].status
}

/// (agent, final) of each failure of `task`, in order, with its time.
fn failures(events: &[Event], task: &str) -> Vec<(u64, String, bool)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::TaskFailed {
                task: t,
                agent,
                is_final,
                ..
            } if t == task => Some((e.at_ms, agent.clone(), *is_final)),
            _ => None,
        })
        .collect()
}

fn starts(events: &[Event], task: &str) -> Vec<(u64, String, u32)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::TaskStarted {
                task: t,
                agent,
                attempt,
            } if t == task => Some((e.at_ms, agent.clone(), *attempt)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_failed_gate_skips_everything_after_it() {
    let (state, events) = run(&workflow(
        "",
        r#"[[tasks]]
id = "build"
agent = "dev"
estimate = 1

[[tasks]]
id = "ship"
agent = "dev"
estimate = 1
depends_on = ["audit"]

[[tasks]]
id = "announce"
agent = "dev2"
estimate = 1
depends_on = ["ship"]

[[tasks]]
id = "docs"
agent = "dev2"
estimate = 2

[[gates]]
id = "audit"
after = ["build"]
outcome = "failed"
"#,
    ));
    assert_eq!(status(&state, "audit"), TaskStatus::Failed);
    assert_eq!(status(&state, "ship"), TaskStatus::Skipped);
    assert_eq!(status(&state, "announce"), TaskStatus::Skipped);
    assert_eq!(
        status(&state, "docs"),
        TaskStatus::Done,
        "unrelated work goes on"
    );
    assert!(starts(&events, "ship").is_empty());
    let s = summary(&events);
    assert_eq!(s.status, RunStatus::Failed);
    assert_eq!(s.gates[0].status, Some(GateOutcome::Failed));
    assert_eq!((s.tasks_done, s.tasks_skipped), (2, 2));
    assert_eq!(s.makespan_ms, 2 * HOUR);
}

#[test]
fn a_failing_task_is_retried_then_moved_to_a_backup_then_given_up() {
    let (state, events) = run(&workflow(
        "max_retries = 1\nretry_backoff = \"30m\"",
        r#"[[tasks]]
id = "flaky"
agent = "dev"
estimate = 2
sim = { fail_at = 50, fail_times = 10, fail_reason = "tests time out" }

[[tasks]]
id = "after"
agent = "dev2"
estimate = 1
depends_on = ["flaky"]
"#,
    ));
    // Each attempt fails 1h in; 30m pass before the next.
    let expected_failures = [
        (HOUR, "dev", false),
        (HOUR + 30 * MINUTE + HOUR, "dev", false),
        (2 * (HOUR + 30 * MINUTE) + HOUR, "dev2", false),
        (3 * (HOUR + 30 * MINUTE) + HOUR, "dev2", true),
    ];
    let got = failures(&events, "flaky");
    let got: Vec<(u64, &str, bool)> = got.iter().map(|(t, a, f)| (*t, a.as_str(), *f)).collect();
    assert_eq!(got, expected_failures);
    let attempts: Vec<(String, u32)> = starts(&events, "flaky")
        .into_iter()
        .map(|(_, agent, attempt)| (agent, attempt))
        .collect();
    assert_eq!(
        attempts,
        [
            ("dev".to_string(), 1),
            ("dev".to_string(), 2),
            ("dev2".to_string(), 3),
            ("dev2".to_string(), 4)
        ]
    );
    let moves: Vec<&EventBody> = events
        .iter()
        .map(|e| &e.body)
        .filter(|b| matches!(b, EventBody::TaskReassigned { .. }))
        .collect();
    assert_eq!(moves.len(), 1, "one move, to the backup");
    assert!(
        matches!(moves[0], EventBody::TaskReassigned { from, to, .. } if from == "dev" && to == "dev2")
    );
    assert_eq!(status(&state, "flaky"), TaskStatus::Failed);
    assert_eq!(status(&state, "after"), TaskStatus::Skipped);
    let s = summary(&events);
    assert_eq!(s.status, RunStatus::Failed);
    assert_eq!((s.tasks_failed, s.tasks_skipped), (1, 1));
}

#[test]
fn a_task_that_fails_fewer_times_than_its_retries_succeeds_on_its_agent() {
    let (state, events) = run(&workflow(
        "max_retries = 2",
        r#"[[tasks]]
id = "flaky"
agent = "dev"
estimate = 2
sim = { fail_at = 25, fail_times = 2 }
"#,
    ));
    assert_eq!(failures(&events, "flaky").len(), 2);
    assert!(starts(&events, "flaky").iter().all(|(_, a, _)| a == "dev"));
    assert_eq!(status(&state, "flaky"), TaskStatus::Done);
    // Two failed half-hours, then the whole 2h.
    assert_eq!(summary(&events).makespan_ms, 3 * HOUR);
    assert_eq!(summary(&events).status, RunStatus::Succeeded);
}

#[test]
fn a_phase_rolls_back_when_one_of_its_tasks_fails_for_good() {
    let (state, events) = run(&format!(
        r#"{}
[[phases]]
id = "release"
mode = "sequential"

[[phases.rollback]]
id = "revert"
agent = "dev2"
estimate = 0.5

[[phases.rollback]]
id = "replan"
agent = "dev2"
estimate = 1
depends_on = ["revert"]
"#,
        workflow(
            "max_retries = 0",
            r#"[[tasks]]
id = "stage"
agent = "dev"
estimate = 1
phase = "release"

[[tasks]]
id = "smoke"
agent = "dev2"
estimate = 1
phase = "release"
sim = { fail_at = 50, fail_times = 9 }

[[tasks]]
id = "production"
agent = "dev"
estimate = 1
phase = "release"
"#,
        )
    ));
    // dev2 is dev's backup, not the other way round: smoke fails once, for good, at 1.5h.
    assert_eq!(
        failures(&events, "smoke"),
        [(HOUR + HOUR / 2, "dev2".to_string(), true)]
    );
    assert_eq!(status(&state, "production"), TaskStatus::Skipped);
    assert_eq!(status(&state, "revert"), TaskStatus::Done);
    assert_eq!(status(&state, "replan"), TaskStatus::Done);
    let added: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::PlanChanged {
                change: orch_tui::engine::event::PlanChange::AddTask { task, .. },
                ..
            } => Some(task.id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(added, ["revert", "replan"]);
    let s = summary(&events);
    assert_eq!(s.status, RunStatus::Failed);
    assert_eq!(s.makespan_ms, HOUR + HOUR / 2 + HOUR / 2 + HOUR);
}

#[test]
fn a_resource_is_handed_on_when_its_holder_fails() {
    let (state, events) = run(&workflow(
        "max_retries = 0",
        r#"[[tasks]]
id = "migrate"
agent = "dev2"
estimate = 2
priority = "high"
resources = ["db"]
sim = { fail_at = 50 }

[[tasks]]
id = "seed"
agent = "dev"
estimate = 1
resources = ["db"]
"#,
    ));
    let failed = failures(&events, "migrate");
    assert_eq!(failed, [(HOUR, "dev2".to_string(), true)]);
    assert_eq!(
        starts(&events, "seed"),
        [(HOUR, "dev".to_string(), 1)],
        "seed waits for the database, then takes it at once"
    );
    assert_eq!(status(&state, "seed"), TaskStatus::Done);
    assert_eq!(state.resources_in_use.get("db"), Some(&0));
    assert_eq!(state.running, 0);
}

#[test]
fn a_recording_folds_into_the_summary_of_the_live_run() {
    for name in [
        "analytics-dashboard.toml",
        "security-enhancement.toml",
        "jwt-auth.toml",
        "shopping-cart.toml",
        "inspection-collaboration.toml",
    ] {
        let (out, recording) = run_recorded(&config(name), &[]);
        let live = out.summary();
        let mut state = State::new(Arc::new(recording.header.workflow.clone()));
        let (last, before) = recording.events.split_last().expect("events");
        for e in before {
            state
                .apply(e)
                .unwrap_or_else(|err| panic!("{name}: seq {}: {err}", e.seq));
        }
        assert_eq!(Summary::from_state(&state, live.status), live, "{name}");
        state.apply(last).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(state.finished.as_ref(), Some(&live), "{name}");
        assert!(state.all_terminal(), "{name}: every task ended");
    }
}

#[test]
fn a_run_as_planned_starts_tasks_in_the_plans_order_across_agents() {
    // The high-priority task is on the second agent; only one task may run at a time.
    let (_, events) = run(&workflow(
        "max_parallel = 1",
        r#"[[tasks]]
id = "later"
agent = "dev"
estimate = 1

[[tasks]]
id = "urgent"
agent = "dev2"
estimate = 2
priority = "high"
"#,
    ));
    assert_eq!(starts(&events, "urgent"), [(0, "dev2".to_string(), 1)]);
    assert_eq!(starts(&events, "later"), [(2 * HOUR, "dev".to_string(), 1)]);
    assert_eq!(summary(&events).estimated_makespan_ms, 3 * HOUR);
    assert_eq!(summary(&events).peak_parallel, 1);
}
