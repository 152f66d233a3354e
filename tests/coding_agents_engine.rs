//! The engine's side of coding agents, without processes: a task on a `claude` agent is launched
//! speaking Claude's dialect, with a prompt built from the task and the outputs it depends on
//! (recorded in `agent_started`); a withdrawn permission question closes its blocker and the task
//! runs on; and a failure the CLI says a retry would only repeat goes to the backup at once, then
//! fails for good.

mod common;

use common::parse;
use orch_tui::engine::agent_io::{AgentReport, AgentRequest, Exit, Launch, Speaks};
use orch_tui::engine::state::TaskStatus;
use orch_tui::engine::{Actor, DecideMode, Engine, EventBody, RunOptions};
use std::sync::Arc;

const WORKFLOW: &str = r#"
[workflow]
name = "coding"
unit = "minutes"

[settings]
max_retries = 2
retry_backoff = "10s"

[[agents]]
id = "dev1"
role = "dev"
kind = "claude"
program = "/opt/claude"
env = ["PATH", "HOME", "ANTHROPIC_API_KEY"]
backups = ["dev2"]

[[agents]]
id = "dev2"
role = "dev"
kind = "claude"

[[tasks]]
id = "research"
agent = "dev1"
estimate = "2m"
prompt = "Find the bug."

[[tasks]]
id = "fix"
name = "Fix the bug"
agent = "dev1"
estimate = "1m"
depends_on = ["research"]
context = { file = "src/lib.rs" }
"#;

fn engine() -> Engine {
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Person,
        stamp_wall: false,
    };
    let mut engine = Engine::new(Arc::new(parse(WORKFLOW)), &options).expect("the workflow plans");
    engine.start();
    engine
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

fn permission() -> AgentReport {
    let raised = orch_tui::agents::claude_permission::blocker(
        "req-1",
        "dev1",
        "research",
        "Bash",
        &serde_json::json!({"command": "cargo test"}),
        "",
    );
    AgentReport::Blocker(Box::new(raised))
}

#[test]
fn a_claude_task_gets_its_prompt_and_the_outputs_it_depends_on() {
    let mut engine = engine();
    let first = launches(&mut engine).pop().expect("research starts");
    assert_eq!(first.speaks, Speaks::Claude);
    assert_eq!(first.argv[0], "/opt/claude");
    assert_eq!(first.input["prompt"], "Find the bug.");
    engine.report(
        "research",
        1,
        AgentReport::Result {
            summary: "It is in parse().".into(),
        },
    );
    engine.report("research", 1, AgentReport::Exited(Exit::Succeeded));
    let second = launches(&mut engine).pop().expect("fix starts");
    let prompt = second.input["prompt"].as_str().expect("a prompt");
    for part in [
        "Your task: Fix the bug",
        "- file: src/lib.rs",
        "## From task `research`\nIt is in parse().",
    ] {
        assert!(prompt.contains(part), "{part:?} in {prompt}");
    }
    let started: Vec<_> = engine
        .drain()
        .into_iter()
        .filter_map(|e| match e.body {
            EventBody::AgentStarted { given, .. } => Some(given.input["prompt"].clone()),
            _ => None,
        })
        .collect();
    assert_eq!(started.len(), 2);
    assert_eq!(started[1], prompt, "the prompt is recorded");
    let fix = engine.state().task_index("fix").expect("fix");
    assert_eq!(
        engine.state().nodes[fix].prompt.as_deref(),
        Some(prompt),
        "shown in the details"
    );
}

#[test]
fn a_withdrawn_question_closes_its_blocker_and_the_task_runs_on() {
    let mut engine = engine();
    launches(&mut engine);
    assert!(engine.report("research", 1, permission()));
    let t = engine.state().task_index("research").expect("research");
    assert_eq!(engine.state().nodes[t].status, TaskStatus::Blocked);
    assert!(engine.report(
        "research",
        1,
        AgentReport::Withdrawn {
            blocker: "other".into()
        }
    ));
    assert_eq!(
        engine.state().open_blockers().count(),
        1,
        "only its own question is withdrawn"
    );
    assert!(engine.report(
        "research",
        1,
        AgentReport::Withdrawn {
            blocker: "req-1".into()
        }
    ));
    assert_eq!(engine.state().open_blockers().count(), 0);
    assert_eq!(engine.state().nodes[t].status, TaskStatus::Running);
    let withdrawn: Vec<_> = engine
        .drain()
        .into_iter()
        .filter(|e| matches!(e.body, EventBody::BlockerWithdrawn { .. }))
        .collect();
    assert_eq!(withdrawn.len(), 1);
    let refused = engine
        .decide("req-1", 1, Actor::User)
        .expect_err("nothing left to decide");
    assert!(refused.contains("was withdrawn"), "{refused}");
    assert!(
        engine.take_requests().is_empty(),
        "no answer goes to the CLI"
    );
}

#[test]
fn a_failure_for_good_is_not_retried_on_the_same_agent() {
    let mut engine = engine();
    launches(&mut engine);
    let not_logged_in = || Exit::FailedForGood("Not logged in · Please run /login".into());
    engine.report("research", 1, AgentReport::Exited(not_logged_in()));
    engine.catch_up(10_000);
    let moved = launches(&mut engine).pop().expect("moved to the backup");
    assert_eq!((moved.agent.as_str(), moved.attempt), ("dev2", 2));
    engine.report("research", 2, AgentReport::Exited(not_logged_in()));
    engine.catch_up(20_000);
    assert!(launches(&mut engine).is_empty(), "no retry");
    let failed: Vec<bool> = engine
        .drain()
        .into_iter()
        .filter_map(|e| match e.body {
            EventBody::TaskFailed {
                is_final, reason, ..
            } => {
                assert_eq!(reason, "Not logged in · Please run /login");
                Some(is_final)
            }
            _ => None,
        })
        .collect();
    assert_eq!(failed, [false, true]);
}
