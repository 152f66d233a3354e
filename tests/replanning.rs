//! Re-planning a live run through the engine, as a person does from the dashboard: reassigning
//! a running task (it moves, keeping its work) and refusing an agent of the wrong role; retrying
//! a task that failed for good (it and what was skipped after it run again); cancelling a task
//! with dependants (they are skipped, saying why); pausing an agent (it gets no work until
//! resumed); changing an estimate; adding a task between two others, and refusing one that
//! would make a dependency cycle, naming it. Every change is recorded as `plan_changed` by the
//! user, and the recorded events fold into the same state the engine holds.

mod common;

use common::{HOUR, parse};
use orch_tui::engine::event::{Actor, PlanChange};
use orch_tui::engine::state::{State, TaskStatus};
use orch_tui::engine::{DecideMode, Engine, Event, EventBody, RunOptions, RunStatus};
use orch_tui::workflow::model::Task;
use std::sync::Arc;

/// Two engineers and a designer; A then B then C on engineers, L a long design task.
const WORKFLOW: &str = r#"[workflow]
name = "replan"

[settings]
max_retries = 0

[[agents]]
id = "eng1"
role = "engineer"

[[agents]]
id = "eng2"
role = "engineer"

[[agents]]
id = "des"
role = "designer"

[[tasks]]
id = "A"
role = "engineer"
estimate = 2

[[tasks]]
id = "B"
role = "engineer"
estimate = 2
depends_on = ["A"]

[[tasks]]
id = "C"
role = "engineer"
estimate = 1
depends_on = ["B"]

[[tasks]]
id = "L"
role = "designer"
estimate = 20
"#;

/// The engine started, and every event so far.
struct Run {
    engine: Engine,
    events: Vec<Event>,
}

impl Run {
    fn new(text: &str) -> Run {
        let options = RunOptions {
            seed: None,
            decide: DecideMode::Recommended,
            stamp_wall: false,
        };
        let mut engine =
            Engine::new(Arc::new(parse(text)), &options).unwrap_or_else(|e| panic!("{e}"));
        engine.start();
        let mut run = Run {
            engine,
            events: Vec::new(),
        };
        run.drain();
        run
    }

    fn drain(&mut self) {
        self.events.extend(self.engine.drain());
    }

    /// Steps until `until` holds of the state (or the run can go no further).
    fn step_until(&mut self, until: impl Fn(&State) -> bool) {
        while !until(self.engine.state()) && self.engine.step() {}
        self.drain();
        assert!(until(self.engine.state()), "the condition was reached");
    }

    fn replan(&mut self, change: PlanChange) -> Result<(), String> {
        let result = self.engine.replan(change, Actor::User);
        self.drain();
        result
    }

    fn finish(&mut self) {
        self.engine.run_to_end();
        self.drain();
    }

    fn state(&self) -> &State {
        self.engine.state()
    }

    fn status(&self, id: &str) -> TaskStatus {
        let t = self.state().task_index(id).expect("the task exists");
        self.state().nodes[t].status
    }

    fn agent_of(&self, id: &str) -> Option<String> {
        let t = self.state().task_index(id).expect("the task exists");
        self.state().nodes[t]
            .agent
            .map(|a| self.state().agents[a].agent.id.clone())
    }

    /// The recorded changes made by the user.
    fn user_changes(&self) -> Vec<PlanChange> {
        self.events
            .iter()
            .filter_map(|e| match &e.body {
                EventBody::PlanChanged {
                    change,
                    by: Actor::User,
                    ..
                } => Some(change.clone()),
                _ => None,
            })
            .collect()
    }

    /// The recorded events, folded from scratch, give the engine's state.
    fn assert_replays(&self) {
        let mut replayed = State::new(self.state().workflow.clone());
        for e in &self.events {
            replayed.apply(e).unwrap_or_else(|err| panic!("{err}"));
        }
        assert_eq!(
            &replayed,
            self.state(),
            "the recording folds into the same state"
        );
    }

    fn started(&self, task: &str) -> Vec<(String, u64)> {
        self.events
            .iter()
            .filter_map(|e| match &e.body {
                EventBody::TaskStarted { task: t, agent, .. } if t == task => {
                    Some((agent.clone(), e.at_ms))
                }
                _ => None,
            })
            .collect()
    }

    fn summary_status(&self) -> RunStatus {
        self.state()
            .finished
            .as_ref()
            .expect("the run ended")
            .status
    }
}

fn reassign(task: &str, to: &str) -> PlanChange {
    PlanChange::Reassign {
        task: task.into(),
        to: to.into(),
    }
}

#[test]
fn a_running_task_moves_to_the_new_agent_keeping_its_work() {
    let mut run = Run::new(WORKFLOW);
    run.step_until(|s| s.now_ms >= HOUR);
    let from = run.agent_of("A").expect("A runs");
    let to = if from == "eng1" { "eng2" } else { "eng1" };
    run.replan(reassign("A", to))
        .expect("an engineer can take A");
    assert_eq!(run.agent_of("A").as_deref(), Some(to));
    assert_eq!(run.status("A"), TaskStatus::Running);
    run.finish();
    let done = run
        .events
        .iter()
        .find(|e| matches!(&e.body, EventBody::TaskCompleted { task, .. } if task == "A"))
        .expect("A finishes");
    assert_eq!(done.at_ms, 2 * HOUR, "the hour already done is kept");
    assert_eq!(run.started("A"), vec![(from, 0), (to.to_string(), HOUR)]);
    assert_eq!(run.user_changes(), vec![reassign("A", to)]);
    assert_eq!(run.summary_status(), RunStatus::Succeeded);
    run.assert_replays();
}

#[test]
fn an_agent_of_the_wrong_role_is_refused_and_nothing_is_recorded() {
    let mut run = Run::new(WORKFLOW);
    let err = run
        .replan(reassign("A", "des"))
        .expect_err("des is a designer");
    assert!(
        err.contains("`des` has role `designer`") && err.contains("needs role `engineer`"),
        "{err}"
    );
    let err = run
        .replan(reassign("A", "eng9"))
        .expect_err("no such agent");
    assert!(err.contains("unknown agent `eng9`"), "{err}");
    assert!(run.user_changes().is_empty());
}

#[test]
fn cancelling_a_task_tells_its_dependants() {
    let mut run = Run::new(WORKFLOW);
    run.step_until(|s| s.now_ms >= HOUR);
    run.replan(PlanChange::Cancel { task: "A".into() })
        .expect("A can be cancelled");
    assert_eq!(run.status("A"), TaskStatus::Skipped);
    for dependant in ["B", "C"] {
        assert_eq!(run.status(dependant), TaskStatus::Skipped);
        let t = run.state().task_index(dependant).expect("exists");
        assert_eq!(
            run.state().nodes[t].reason.as_deref(),
            Some("dependency `A` was cancelled")
        );
    }
    assert!(
        run.state().agents.iter().all(|a| a.task != Some(0)),
        "no agent holds A any more"
    );
    run.finish();
    assert!(
        !run.events
            .iter()
            .any(|e| matches!(&e.body, EventBody::TaskCompleted { task, .. } if task == "A")),
        "the cancelled task never finishes"
    );
    let err = run
        .replan(PlanChange::Cancel { task: "L".into() })
        .expect_err("the run has ended");
    assert!(err.contains("ended"), "{err}");
    run.assert_replays();
}

#[test]
fn a_task_that_failed_for_good_is_retried_with_what_was_skipped_after_it() {
    let text = WORKFLOW.replace(
        "estimate = 2\n\n[[tasks]]\nid = \"B\"",
        "estimate = 2\n[tasks.sim]\nfail_at = 50\n\n[[tasks]]\nid = \"B\"",
    );
    let mut run = Run::new(&text);
    run.step_until(|s| s.nodes[0].status == TaskStatus::Failed);
    assert_eq!(run.status("B"), TaskStatus::Skipped);
    let err = run
        .replan(PlanChange::Retry { task: "L".into() })
        .expect_err("L has not failed");
    assert!(err.contains("has not failed"), "{err}");
    run.replan(PlanChange::Retry { task: "A".into() })
        .expect("A failed, so it can be retried");
    assert_eq!(
        run.status("A"),
        TaskStatus::Running,
        "A starts again at once"
    );
    assert_eq!(run.status("B"), TaskStatus::Pending, "B waits for A again");
    run.finish();
    assert_eq!(run.summary_status(), RunStatus::Succeeded);
    run.assert_replays();
}

#[test]
fn a_paused_agent_gets_no_work_until_resumed() {
    let mut run = Run::new(&WORKFLOW.replace("depends_on = [\"A\"]", ""));
    // At the start A and B run on the two engineers; pause eng2 and give it back nothing.
    let paused = run.agent_of("B").expect("B runs");
    run.replan(PlanChange::PauseAgent {
        agent: paused.clone(),
    })
    .expect("the agent can be paused");
    let err = run
        .replan(PlanChange::PauseAgent {
            agent: paused.clone(),
        })
        .expect_err("already paused");
    assert!(err.contains("already paused"), "{err}");
    run.step_until(|s| s.nodes[2].status == TaskStatus::Running);
    let other = if paused == "eng1" { "eng2" } else { "eng1" };
    assert_eq!(
        run.agent_of("C").as_deref(),
        Some(other),
        "C goes to the agent that is not paused"
    );
    run.replan(PlanChange::ResumeAgent { agent: paused })
        .expect("the agent can be resumed");
    run.finish();
    assert_eq!(run.summary_status(), RunStatus::Succeeded);
    run.assert_replays();
}

#[test]
fn a_new_estimate_changes_what_the_simulation_takes() {
    let mut run = Run::new(WORKFLOW);
    run.replan(PlanChange::SetEstimate {
        task: "C".into(),
        estimate_ms: 3 * HOUR,
    })
    .expect("C has not started");
    run.finish();
    let t = run.state().task_index("C").expect("exists");
    assert_eq!(run.state().nodes[t].task.estimate_ms, 3 * HOUR);
    assert_eq!(run.state().nodes[t].finished_ms, Some(7 * HOUR));
    run.assert_replays();
}

fn new_task(id: &str, after: &[&str]) -> Box<Task> {
    Box::new(Task {
        id: id.into(),
        name: "Fix it".into(),
        description: String::new(),
        agent: None,
        role: Some("engineer".into()),
        estimate_ms: HOUR,
        depends_on: after.iter().map(|s| s.to_string()).collect(),
        priority: Default::default(),
        phase: None,
        resources: Vec::new(),
        context: Default::default(),
        output: None,
        sim: Default::default(),
        review: None,
        prompt: None,
        argv: None,
        timeout_ms: None,
    })
}

#[test]
fn an_added_task_runs_between_the_tasks_it_was_put_between() {
    let mut run = Run::new(WORKFLOW);
    run.replan(PlanChange::AddTask {
        task: new_task("fix", &["A"]),
        before: vec!["B".into()],
    })
    .expect("fix fits between A and B");
    run.finish();
    let finished = |id: &str| {
        let t = run.state().task_index(id).expect("exists");
        run.state().nodes[t].finished_ms.expect("finished")
    };
    assert_eq!(finished("A"), 2 * HOUR);
    assert_eq!(finished("fix"), 3 * HOUR);
    assert_eq!(finished("B"), 5 * HOUR, "B waited for fix");
    assert_eq!(run.summary_status(), RunStatus::Succeeded);
    run.assert_replays();
}

#[test]
fn a_task_that_would_make_a_cycle_is_refused_with_the_cycle_named() {
    let mut run = Run::new(WORKFLOW);
    let err = run
        .replan(PlanChange::AddTask {
            task: new_task("fix", &["C"]),
            before: vec!["B".into()],
        })
        .expect_err("B -> C -> fix -> B is a cycle");
    assert!(err.contains("dependency cycle"), "{err}");
    assert!(
        err.contains("B -> C -> fix -> B"),
        "the cycle is named in the order work flows: {err}"
    );
    let err = run
        .replan(PlanChange::AddTask {
            task: new_task("A", &[]),
            before: Vec::new(),
        })
        .expect_err("A exists");
    assert!(err.contains("already exists"), "{err}");
    let err = run
        .replan(PlanChange::AddTask {
            task: new_task("late", &[]),
            before: vec!["A".into()],
        })
        .expect_err("A has started");
    assert!(err.contains("not started"), "{err}");
    assert!(run.user_changes().is_empty(), "nothing refused is recorded");
}

#[test]
fn an_added_task_with_nothing_to_wait_for_starts_at_once() {
    let mut run = Run::new(WORKFLOW);
    run.replan(PlanChange::AddTask {
        task: new_task("now", &[]),
        before: Vec::new(),
    })
    .expect("a free task can be added");
    assert_eq!(run.status("now"), TaskStatus::Running, "eng2 was free");
    run.finish();
    assert_eq!(run.summary_status(), RunStatus::Succeeded);
    run.assert_replays();
}
