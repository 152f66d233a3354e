//! The engine's side of real agents, without processes: a task given to a command agent is
//! launched (never simulated) with its context package recorded; reports become the usual
//! events; a failure goes through the same retry-then-backup policy as a simulated one, on the
//! clock the driver moves; a real agent's blocker waits like a workflow blocker and its decision
//! is queued for the process (never for a later attempt than the one that raised it); a final
//! failure rolls its phase back; reports of attempts that ended are ignored; a running task
//! cancelled or moved to another agent has its process ended; and look-ahead
//! forecasts simulate the work still in flight.

mod common;

use common::parse;
use orch_tui::engine::agent_io::{AgentReport, AgentRequest, Exit, Launch, RaisedBlocker};
use orch_tui::engine::{Actor, DecideMode, Engine, EventBody, RunOptions};
use orch_tui::workflow::model::{BlockerReport, DecisionOption, Severity};
use std::sync::Arc;

const WORKFLOW: &str = r#"
[workflow]
name = "real"
unit = "minutes"

[settings]
max_retries = 1
retry_backoff = "10s"

[[agents]]
id = "main"
role = "dev"
kind = "command"
argv = ["./agent", "--fast"]
env = ["PATH"]
timeout = "5m"
backups = ["spare"]

[[agents]]
id = "spare"
role = "dev"
kind = "command"
argv = ["./agent"]

[[tasks]]
id = "A"
agent = "main"
estimate = "2m"
context = { goal = "build" }
output = "A as planned"

[[tasks]]
id = "B"
agent = "main"
estimate = "1m"
depends_on = ["A"]
argv = ["./other"]
timeout = "30s"
"#;

fn engine(decide: DecideMode) -> Engine {
    let options = RunOptions {
        seed: None,
        decide,
        stamp_wall: false,
    };
    Engine::new(Arc::new(parse(WORKFLOW)), &options).expect("the workflow plans")
}

fn launches(engine: &mut Engine) -> Vec<Launch> {
    engine
        .take_requests()
        .into_iter()
        .filter_map(|r| match r {
            AgentRequest::Launch(l) => Some(*l),
            _ => None,
        })
        .collect()
}

fn kinds(engine: &mut Engine) -> Vec<&'static str> {
    engine.drain().iter().map(|e| e.body.kind()).collect()
}

fn exited(engine: &mut Engine, task: &str, attempt: u32, exit: Exit) -> bool {
    engine.report(task, attempt, AgentReport::Exited(exit))
}

#[test]
fn a_command_task_is_launched_with_what_it_is_given_and_never_simulated() {
    let mut engine = engine(DecideMode::Recommended);
    engine.start();
    let launched = launches(&mut engine);
    assert_eq!(launched.len(), 1);
    let a = &launched[0];
    assert_eq!(
        (a.task.as_str(), a.agent.as_str(), a.attempt),
        ("A", "main", 1)
    );
    assert_eq!(a.argv, ["./agent", "--fast"]);
    assert_eq!(a.timeout_ms, Some(300_000));
    assert_eq!(a.env, ["PATH"]);
    assert_eq!(a.input["task"]["context"]["goal"], "build");
    assert_eq!(a.input["type"], "context");
    assert_eq!(
        kinds(&mut engine),
        ["run_started", "task_ready", "task_started", "agent_started"]
    );
    assert_eq!(engine.next_time(), None, "nothing is simulated");
    assert!(engine.has_processes());
    assert!(!engine.is_finished(), "the run waits for the process");
}

#[test]
fn reports_become_events_and_the_result_is_handed_on() {
    let mut engine = engine(DecideMode::Recommended);
    engine.start();
    launches(&mut engine);
    engine.drain();
    engine.catch_up(1_000);
    let progress = AgentReport::Progress {
        pct: 40,
        note: Some("compiling".into()),
    };
    assert!(engine.report("A", 1, progress));
    let log = AgentReport::Log {
        level: orch_tui::engine::event::LogLevel::Info,
        text: "hello".into(),
    };
    assert!(engine.report("A", 1, log));
    let result = AgentReport::Result {
        summary: "A for real".into(),
    };
    assert!(engine.report("A", 1, result));
    engine.catch_up(2_000);
    assert!(exited(&mut engine, "A", 1, Exit::Succeeded));
    let events = engine.drain();
    let completed = events
        .iter()
        .find(|e| e.body.kind() == "task_completed")
        .expect("A completed");
    assert_eq!(
        completed.at_ms, 2_000,
        "at the wall-clock time of the report"
    );
    assert!(matches!(
        &completed.body,
        EventBody::TaskCompleted { output: Some(o), .. } if o == "A for real"
    ));
    let b = launches(&mut engine).pop().expect("B starts");
    assert_eq!(b.argv, ["./other"], "the task's argv wins");
    assert_eq!(b.timeout_ms, Some(30_000));
    assert_eq!(b.input["inputs"]["A"], "A for real");
    assert!(exited(&mut engine, "B", 1, Exit::Succeeded));
    assert!(engine.is_finished());
}

#[test]
fn failures_are_retried_after_the_backoff_then_moved_to_the_backup_then_final() {
    let mut engine = engine(DecideMode::Recommended);
    engine.start();
    launches(&mut engine);
    assert!(exited(
        &mut engine,
        "A",
        1,
        Exit::Failed("exit status 2".into())
    ));
    assert!(
        launches(&mut engine).is_empty(),
        "the retry waits for the backoff"
    );
    assert_eq!(engine.next_time(), Some(10_000));
    engine.catch_up(10_000);
    let retry = launches(&mut engine).pop().expect("retried");
    assert_eq!((retry.agent.as_str(), retry.attempt), ("main", 2));
    assert!(
        !exited(&mut engine, "A", 1, Exit::Succeeded),
        "a report of the ended attempt is ignored"
    );
    assert!(exited(
        &mut engine,
        "A",
        2,
        Exit::Failed("timed out".into())
    ));
    engine.catch_up(20_000);
    let moved = launches(&mut engine).pop().expect("moved to the backup");
    assert_eq!((moved.agent.as_str(), moved.attempt), ("spare", 3));
    assert!(exited(
        &mut engine,
        "A",
        3,
        Exit::Failed("exit status 1".into())
    ));
    engine.catch_up(30_000);
    let again = launches(&mut engine).pop().expect("retried on the backup");
    assert_eq!((again.agent.as_str(), again.attempt), ("spare", 4));
    assert!(exited(
        &mut engine,
        "A",
        4,
        Exit::Failed("exit status 1".into())
    ));
    let events = engine.drain();
    let last_failure = events
        .iter()
        .rev()
        .find_map(|e| match &e.body {
            EventBody::TaskFailed {
                is_final, reason, ..
            } => Some((*is_final, reason.clone())),
            _ => None,
        })
        .expect("a failure");
    assert_eq!(last_failure, (true, "exit status 1".to_string()));
    assert!(
        events
            .iter()
            .any(|e| matches!(&e.body, EventBody::TaskSkipped { task, .. } if task == "B"))
    );
    assert!(engine.is_finished());
}

fn blocker() -> AgentReport {
    let option = |label: &str| DecisionOption {
        label: label.into(),
        pros: String::new(),
        cons: String::new(),
        timeline: String::new(),
        resources: String::new(),
        effect: Default::default(),
    };
    AgentReport::Blocker(Box::new(RaisedBlocker {
        id: "pick".into(),
        report: BlockerReport {
            kind: "TECHNICAL_BLOCKER".into(),
            severity: Severity::High,
            category: String::new(),
            title: "Which way?".into(),
            issue: String::new(),
            impact: String::new(),
            options: vec![option("Left"), option("Right")],
            recommended: 2,
        },
        permission: None,
    }))
}

#[test]
fn a_real_blocker_waits_for_a_person_and_the_decision_goes_to_the_process() {
    let mut engine = engine(DecideMode::Person);
    engine.start();
    launches(&mut engine);
    assert!(engine.report("A", 1, blocker()));
    assert_eq!(engine.state().open_blockers().count(), 1);
    assert!(engine.take_requests().is_empty(), "nothing decided yet");
    let forecast = engine.forecast().expect("the look-ahead simulates A");
    assert!(forecast >= 180_000, "A (2m) then B (1m): {forecast}");
    assert!(
        engine.take_requests().is_empty(),
        "looking ahead runs nothing"
    );
    engine.decide("pick", 1, Actor::User).expect("decided");
    assert_eq!(
        engine.take_requests(),
        [AgentRequest::Decide {
            task: "A".into(),
            attempt: 1,
            blocker: "pick".into(),
            option: 1
        }]
    );
    assert!(
        engine.report("A", 1, blocker()),
        "a later blocker of the same id"
    );
    assert_eq!(
        engine.state().blockers[1].id,
        "pick-2",
        "recorded under an id of its own"
    );
    engine.decide("pick-2", 2, Actor::User).expect("decided");
    let requests = engine.take_requests();
    assert!(
        matches!(&requests[..], [AgentRequest::Decide { blocker, option: 2, .. }] if blocker == "pick"),
        "the agent hears its own id: {requests:?}"
    );
}

#[test]
fn with_decide_none_a_real_blocker_stops_the_run() {
    let mut engine = engine(DecideMode::None);
    engine.start();
    launches(&mut engine);
    engine.report("A", 1, blocker());
    assert!(engine.is_finished());
    assert!(
        !engine.report("A", 1, AgentReport::Exited(Exit::Succeeded)),
        "nothing is taken after the end"
    );
}

#[test]
fn a_real_task_failing_for_good_rolls_its_phase_back() {
    let text = r#"
[workflow]
name = "rollback"
unit = "seconds"

[settings]
max_retries = 0

[[agents]]
id = "ops"
role = "ops"
kind = "command"
argv = ["./deploy"]

[[phases]]
id = "release"
mode = "sequential"
rollback = [{ id = "undo", name = "Undo the release", role = "ops", estimate = 5 }]

[[tasks]]
id = "ship"
role = "ops"
estimate = 10
phase = "release"

[[tasks]]
id = "announce"
role = "ops"
estimate = 5
phase = "release"
"#;
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Recommended,
        stamp_wall: false,
    };
    let mut engine = Engine::new(Arc::new(parse(text)), &options).expect("plans");
    engine.start();
    launches(&mut engine);
    exited(&mut engine, "ship", 1, Exit::Failed("exit status 1".into()));
    let undo = launches(&mut engine)
        .pop()
        .expect("the rollback runs on the agent");
    assert_eq!(undo.task, "undo");
    let skipped: Vec<String> = engine
        .drain()
        .into_iter()
        .filter_map(|e| match e.body {
            EventBody::TaskSkipped { task, .. } => Some(task),
            _ => None,
        })
        .collect();
    assert_eq!(skipped, ["announce"]);
    exited(&mut engine, "undo", 1, Exit::Succeeded);
    assert_eq!(
        engine.state().finished.as_ref().map(|s| s.status),
        Some(orch_tui::engine::RunStatus::Failed)
    );
}

#[test]
fn an_attempt_ending_while_blocked_leaves_its_blocker_to_no_one() {
    let mut engine = engine(DecideMode::Person);
    engine.start();
    launches(&mut engine);
    engine.report("A", 1, blocker());
    exited(&mut engine, "A", 1, Exit::Failed("exit status 1".into()));
    let warned = engine.drain().iter().any(|e| {
        matches!(&e.body, EventBody::Log { text, .. }
            if text == "the attempt ended before blocker `pick` was decided")
    });
    assert!(warned);
    engine.catch_up(10_000);
    let retry = launches(&mut engine).pop().expect("retried");
    assert_eq!(retry.attempt, 2);
    assert!(engine.report("A", 2, blocker()));
    assert_eq!(
        engine.state().open_blockers().count(),
        2,
        "the retry's blocker is taken"
    );
    engine.decide("pick", 1, Actor::User).expect("decided");
    assert!(
        engine.take_requests().is_empty(),
        "the first attempt's decision reaches no process"
    );
    engine.decide("pick-2", 2, Actor::User).expect("decided");
    assert_eq!(engine.take_requests().len(), 1);
}

#[test]
fn cancelling_or_reassigning_a_running_task_ends_its_process() {
    use orch_tui::engine::event::PlanChange;
    let mut e = engine(DecideMode::Recommended);
    e.start();
    let first = launches(&mut e);
    assert_eq!(first[0].task, "A");
    e.replan(
        PlanChange::Reassign {
            task: "A".into(),
            to: "spare".into(),
        },
        Actor::User,
    )
    .expect("A moves to spare");
    let requests = e.take_requests();
    assert!(
        requests.iter().any(
            |r| matches!(r, AgentRequest::End { task, attempt } if task == "A" && *attempt == first[0].attempt)
        ),
        "the process on main is ended: {requests:?}"
    );
    let moved = requests
        .iter()
        .find_map(|r| match r {
            AgentRequest::Launch(l) => Some(l.clone()),
            _ => None,
        })
        .expect("A starts again on spare");
    assert_eq!(moved.agent, "spare");
    // A late report of the ended process is not taken.
    assert_ne!(moved.attempt, first[0].attempt);
    assert!(!e.report("A", first[0].attempt, AgentReport::Exited(Exit::Succeeded)));
    e.replan(PlanChange::Cancel { task: "A".into() }, Actor::User)
        .expect("A is cancelled");
    let requests = e.take_requests();
    assert!(
        requests.iter().any(
            |r| matches!(r, AgentRequest::End { task, attempt } if task == "A" && *attempt == moved.attempt)
        ),
        "the process on spare is ended: {requests:?}"
    );
    assert!(!e.has_processes(), "nothing runs any more");
}
