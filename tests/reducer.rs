//! The reducer on its own: hand-written events folded into a `State` for a small workflow (two
//! engineers, a shared database, A and B before C, a gate after C), checking the counts the
//! scheduler and the dashboard read: task statuses, unfinished dependencies, agent busy time,
//! peak parallelism, open blockers, resources in use, tasks added to the plan; and that an
//! event naming something unknown is refused without harm.

mod common;

use common::{HOUR, parse};
use orch_tui::engine::event::{Actor, Decider, PlanChange};
use orch_tui::engine::state::{State, TaskStatus};
use orch_tui::engine::{Event, EventBody};
use orch_tui::workflow::model::{GateOutcome, Task};
use std::sync::Arc;

const WORKFLOW: &str = r#"[workflow]
name = "reducer"

[resources]
db = 1

[[agents]]
id = "eng1"
role = "engineer"

[[agents]]
id = "eng2"
role = "engineer"

[[tasks]]
id = "A"
role = "engineer"
estimate = 2
resources = ["db"]

[[tasks]]
id = "B"
role = "engineer"
estimate = 1

[[tasks]]
id = "C"
role = "engineer"
estimate = 3
depends_on = ["A", "B"]

[[gates]]
id = "review"
after = ["C"]

[[blockers]]
id = "leak"
task = "A"
severity = "high"
title = "Memory leak"
options = [{ label = "Upgrade" }, { label = "Work around" }]
"#;

/// A state and the next sequence number, fed one event at a time.
struct Feed {
    state: State,
    seq: u64,
}

impl Feed {
    fn new() -> Feed {
        Feed {
            state: State::new(Arc::new(parse(WORKFLOW))),
            seq: 0,
        }
    }

    fn try_at(&mut self, at_ms: u64, body: EventBody) -> Result<(), String> {
        self.seq += 1;
        let event = Event {
            seq: self.seq,
            at_ms,
            body,
            wall_ms: None,
        };
        self.state.apply(&event).map_err(|e| e.to_string())
    }

    fn at(&mut self, at_ms: u64, body: EventBody) {
        if let Err(e) = self.try_at(at_ms, body) {
            panic!("the state refused an event: {e}");
        }
    }

    fn start(&mut self, at_ms: u64, task: &str, agent: &str) {
        self.at(at_ms, ready(task));
        self.at(at_ms, started(task, agent, 1));
    }

    fn complete(&mut self, at_ms: u64, task: &str, agent: &str) {
        self.at(
            at_ms,
            EventBody::TaskCompleted {
                task: task.into(),
                agent: agent.into(),
                output: None,
            },
        );
    }

    fn node(&self, id: &str) -> &orch_tui::engine::state::Node {
        let i = self.state.task_index(id).expect("a known task");
        &self.state.nodes[i]
    }

    fn agent(&self, id: &str) -> &orch_tui::engine::state::AgentState {
        let i = self.state.agent_index(id).expect("a known agent");
        &self.state.agents[i]
    }
}

fn ready(task: &str) -> EventBody {
    EventBody::TaskReady { task: task.into() }
}

fn started(task: &str, agent: &str, attempt: u32) -> EventBody {
    EventBody::TaskStarted {
        task: task.into(),
        agent: agent.into(),
        attempt,
    }
}

fn failed(task: &str, agent: &str, is_final: bool) -> EventBody {
    EventBody::TaskFailed {
        task: task.into(),
        agent: agent.into(),
        reason: "broke".into(),
        is_final,
    }
}

fn new_task(id: &str, depends_on: &[&str]) -> Task {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": id, "role": "engineer", "estimate_ms": HOUR, "depends_on": depends_on,
    }))
    .expect("a task")
}

#[test]
fn a_new_state_has_every_node_pending_with_its_dependencies_counted() {
    let feed = Feed::new();
    assert_eq!(feed.state.nodes.len(), 4, "three tasks and a gate");
    assert_eq!(feed.state.count(TaskStatus::Pending), 4);
    assert_eq!(feed.node("A").waiting_on, 0);
    assert_eq!(feed.node("C").waiting_on, 2);
    assert_eq!(feed.node("review").waiting_on, 1);
    assert!(feed.node("review").is_gate());
    assert!(!feed.state.all_terminal());
}

#[test]
fn a_task_goes_from_ready_to_running_to_done() {
    let mut feed = Feed::new();
    feed.at(0, ready("A"));
    assert_eq!(feed.node("A").status, TaskStatus::Ready);
    feed.at(0, started("A", "eng1", 1));
    assert_eq!(feed.node("A").status, TaskStatus::Running);
    assert_eq!(feed.state.running, 1);
    feed.at(
        HOUR,
        EventBody::TaskProgress {
            task: "A".into(),
            pct: 50,
            note: None,
        },
    );
    assert_eq!(feed.node("A").pct, 50);
    feed.complete(2 * HOUR, "A", "eng1");
    let a = feed.node("A");
    assert_eq!(a.status, TaskStatus::Done);
    assert_eq!(
        (a.pct, a.started_ms, a.finished_ms),
        (100, Some(0), Some(2 * HOUR))
    );
    assert_eq!(feed.state.count(TaskStatus::Done), 1);
    assert_eq!(feed.state.count(TaskStatus::Pending), 3);
    assert_eq!(feed.state.running, 0);
    assert_eq!(feed.node("C").waiting_on, 1, "C still waits for B");
    assert_eq!(feed.state.now_ms, 2 * HOUR);
    assert_eq!(feed.state.last_seq, 4);
}

#[test]
fn agents_count_busy_time_and_the_tasks_they_finish() {
    let mut feed = Feed::new();
    feed.start(0, "A", "eng1");
    feed.start(0, "B", "eng2");
    assert_eq!(feed.state.peak_parallel, 2);
    feed.complete(HOUR, "B", "eng2");
    assert_eq!(feed.agent("eng2").busy_ms, HOUR);
    assert_eq!(feed.agent("eng2").task, None);
    // eng1 is still on A: its busy time runs on to "now".
    assert_eq!(feed.agent("eng1").busy_at(HOUR + HOUR / 2), HOUR + HOUR / 2);
    feed.complete(2 * HOUR, "A", "eng1");
    feed.start(2 * HOUR, "C", "eng2");
    feed.complete(5 * HOUR, "C", "eng2");
    assert_eq!(feed.agent("eng1").busy_ms, 2 * HOUR);
    assert_eq!(feed.agent("eng2").busy_ms, HOUR + 3 * HOUR);
    assert_eq!((feed.agent("eng1").done, feed.agent("eng2").done), (1, 2));
    assert_eq!(feed.state.peak_parallel, 2, "the peak stays");
    assert_eq!(feed.node("review").waiting_on, 0);
}

#[test]
fn a_blocker_pauses_its_task_until_decided() {
    let mut feed = Feed::new();
    feed.start(0, "A", "eng1");
    let report = feed.state.workflow.blockers[0].report.clone();
    feed.at(
        HOUR,
        EventBody::BlockerRaised {
            blocker: "leak".into(),
            task: "A".into(),
            agent: "eng1".into(),
            report: Box::new(report),
            decides: Decider::Policy,
            policy_at_ms: Some(2 * HOUR),
            led_by: Some("eng2".into()),
        },
    );
    assert_eq!(feed.node("A").status, TaskStatus::Blocked);
    assert_eq!(feed.state.open_blockers().count(), 1);
    assert_eq!(feed.state.blockers[0].led_by.as_deref(), Some("eng2"));
    feed.at(
        HOUR + HOUR / 8,
        EventBody::BlockerEscalated {
            blocker: "leak".into(),
            reason: "open longer than 0.1h".into(),
        },
    );
    let escalated = &feed.state.blockers[0];
    assert_eq!(
        (escalated.decides, escalated.policy_at_ms),
        (Decider::Person, None),
        "policy no longer decides it"
    );
    assert_eq!(
        escalated.escalated.as_deref(),
        Some("open longer than 0.1h")
    );
    assert_eq!(feed.agent("eng1").task, Some(0), "the agent keeps the task");
    feed.at(
        HOUR + HOUR / 4,
        EventBody::DecisionMade {
            blocker: "leak".into(),
            option: 2,
            label: "Work around".into(),
            by: Actor::User,
            who: None,
        },
    );
    assert_eq!(feed.state.open_blockers().count(), 0);
    assert_eq!(feed.node("A").status, TaskStatus::Running);
    assert_eq!(feed.node("A").blocker, None);
    let decision = feed.state.blockers[0].decision.as_ref().expect("decided");
    assert_eq!((decision.option, decision.by), (2, Actor::User));
    assert_eq!(decision.at_ms, HOUR + HOUR / 4);
}

#[test]
fn an_added_task_is_linked_to_its_dependencies() {
    let mut feed = Feed::new();
    feed.start(0, "A", "eng1");
    feed.complete(2 * HOUR, "A", "eng1");
    let add = |task: Task| EventBody::PlanChanged {
        change: PlanChange::AddTask {
            task: Box::new(task),
            before: Vec::new(),
        },
        by: Actor::Policy,
        who: None,
    };
    feed.at(2 * HOUR, add(new_task("X", &["A", "B"])));
    let x = feed.state.task_index("X").expect("X was added");
    assert_eq!(feed.node("X").waiting_on, 1, "A is done, B is not");
    assert_eq!(feed.node("X").status, TaskStatus::Pending);
    assert!(feed.node("B").dependants.contains(&x));
    feed.start(2 * HOUR, "B", "eng2");
    feed.complete(3 * HOUR, "B", "eng2");
    assert_eq!(feed.node("X").waiting_on, 0);

    let nodes = feed.state.nodes.len();
    let twice = feed.try_at(3 * HOUR, add(new_task("X", &[])));
    assert_eq!(twice, Err("task `X` already exists".into()));
    let dangling = feed.try_at(3 * HOUR, add(new_task("Y", &["nope"])));
    assert_eq!(dangling, Err("unknown dependency `nope`".into()));
    assert_eq!(feed.state.nodes.len(), nodes, "nothing added");
}

#[test]
fn plan_changes_move_a_tasks_expected_duration() {
    let mut feed = Feed::new();
    feed.start(0, "A", "eng1");
    let change = |change: PlanChange| EventBody::PlanChanged {
        change,
        by: Actor::User,
        who: None,
    };
    feed.at(
        0,
        change(PlanChange::Delay {
            task: "A".into(),
            by_ms: HOUR,
        }),
    );
    assert_eq!(feed.node("A").expected_ms, 3 * HOUR);
    feed.at(
        HOUR,
        EventBody::TaskProgress {
            task: "A".into(),
            pct: 50,
            note: None,
        },
    );
    // Half of 3h done; 30m remain.
    feed.at(
        HOUR,
        change(PlanChange::SetRemaining {
            task: "A".into(),
            remaining_ms: HOUR / 2,
        }),
    );
    assert_eq!(feed.node("A").expected_ms, 3 * HOUR / 2 + HOUR / 2);
    feed.at(
        HOUR,
        change(PlanChange::SetEstimate {
            task: "C".into(),
            estimate_ms: 4 * HOUR,
        }),
    );
    assert_eq!(feed.node("C").expected_ms, 4 * HOUR);
    assert_eq!(feed.node("C").task.estimate_ms, 4 * HOUR);
}

#[test]
fn a_failed_attempt_releases_the_agent_and_the_resources() {
    let mut feed = Feed::new();
    feed.start(0, "A", "eng1");
    assert_eq!(feed.state.resources_in_use.get("db"), Some(&1));
    feed.at(HOUR, failed("A", "eng1", false));
    assert_eq!(feed.state.resources_in_use.get("db"), Some(&0));
    assert_eq!(feed.state.running, 0);
    let a = feed.node("A");
    assert_eq!(a.status, TaskStatus::Pending, "waits for its retry");
    assert_eq!(a.reason.as_deref(), Some("broke"));
    assert_eq!(a.stints.len(), 1);
    assert!(a.stints[0].failed);
    assert_eq!(feed.agent("eng1").failed, 1);
    assert_eq!(feed.agent("eng1").busy_ms, HOUR);

    feed.at(HOUR, started("A", "eng2", 2));
    assert_eq!(feed.state.resources_in_use.get("db"), Some(&1));
    feed.at(2 * HOUR, failed("A", "eng2", true));
    assert_eq!(feed.state.resources_in_use.get("db"), Some(&0));
    assert_eq!(feed.node("A").status, TaskStatus::Failed);
    assert_eq!(feed.node("A").finished_ms, Some(2 * HOUR));
    assert_eq!(feed.node("A").held_ms(2 * HOUR), 2 * HOUR, "both attempts");
    assert_eq!(feed.node("C").waiting_on, 2, "a failed task is not done");
}

#[test]
fn reassigning_a_running_task_frees_its_agent_and_pins_the_new_one() {
    let mut feed = Feed::new();
    feed.start(0, "A", "eng1");
    feed.at(
        HOUR,
        EventBody::TaskReassigned {
            task: "A".into(),
            from: "eng1".into(),
            to: "eng2".into(),
        },
    );
    assert_eq!(feed.agent("eng1").task, None);
    assert_eq!(feed.state.resources_in_use.get("db"), Some(&0));
    assert_eq!(feed.node("A").status, TaskStatus::Pending);
    assert_eq!(feed.node("A").task.agent.as_deref(), Some("eng2"));
}

#[test]
fn gates_pass_to_their_dependants_or_fail() {
    let mut feed = Feed::new();
    feed.start(0, "A", "eng1");
    feed.start(0, "B", "eng2");
    feed.complete(HOUR, "B", "eng2");
    feed.complete(2 * HOUR, "A", "eng1");
    feed.start(2 * HOUR, "C", "eng1");
    feed.complete(5 * HOUR, "C", "eng1");
    let mut passed = Feed {
        state: feed.state.clone(),
        seq: feed.seq,
    };
    let gate = |status| EventBody::GateEvaluated {
        gate: "review".into(),
        status,
        remediation: Vec::new(),
    };
    passed.at(5 * HOUR, gate(GateOutcome::PassedWithRemediation));
    assert_eq!(passed.node("review").status, TaskStatus::Done);
    assert!(passed.state.all_terminal());

    feed.at(5 * HOUR, gate(GateOutcome::Failed));
    assert_eq!(feed.node("review").status, TaskStatus::Failed);
    assert_eq!(feed.node("review").reason.as_deref(), Some("gate failed"));
}

#[test]
fn a_skipped_task_ends_with_its_reason() {
    let mut feed = Feed::new();
    feed.at(
        0,
        EventBody::TaskSkipped {
            task: "C".into(),
            reason: "dependency `A` failed".into(),
        },
    );
    assert_eq!(feed.node("C").status, TaskStatus::Skipped);
    assert!(feed.node("C").status.is_terminal());
    assert_eq!(
        feed.node("C").reason.as_deref(),
        Some("dependency `A` failed")
    );
}

#[test]
fn events_naming_unknown_things_are_refused() {
    let mut feed = Feed::new();
    assert_eq!(
        feed.try_at(0, ready("Z")),
        Err("unknown task `Z`".to_string())
    );
    assert_eq!(
        feed.try_at(0, started("A", "eng9", 1)),
        Err("unknown agent `eng9`".to_string())
    );
    let decision = EventBody::DecisionMade {
        blocker: "nope".into(),
        option: 1,
        label: "x".into(),
        by: Actor::User,
        who: None,
    };
    assert_eq!(
        feed.try_at(0, decision),
        Err("unknown blocker `nope`".to_string())
    );
    assert_eq!(feed.node("A").status, TaskStatus::Pending, "unchanged");
    assert_eq!(feed.state.running, 0);
}
