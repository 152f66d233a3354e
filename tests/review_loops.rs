//! Review loops through the engine: a review that requests changes adds a fix for the agent that
//! did the work (handed the findings) and a re-review that what followed the review waits for;
//! past its maximum rounds a person decides, with a blocker that holds the review open.

mod common;

use common::{HOUR, run_events};
use orch_tui::engine::state::{State, TaskStatus};
use orch_tui::engine::{DecideMode, EventBody, RunStatus};

fn workflow(review: &str) -> String {
    format!(
        r#"[workflow]
name = "review"

[[agents]]
id = "dev"
role = "engineer"

[[agents]]
id = "rev"
role = "reviewer"

[[tasks]]
id = "W"
role = "engineer"
estimate = 2

[[tasks]]
id = "R"
name = "Security review"
agent = "rev"
estimate = 1
depends_on = ["W"]
output = "score 85/100; 3 findings"

[tasks.review]
{review}

[[tasks]]
id = "D"
role = "engineer"
estimate = 1
depends_on = ["R"]
"#
    )
}

fn finished(state: &State, id: &str) -> Option<u64> {
    state.nodes[state.task_index(id)?].finished_ms
}

#[test]
fn a_review_sends_the_work_back_once_then_approves() {
    let (engine, events) = run_events(&workflow("rounds = 1"), DecideMode::Recommended, None);
    let state = engine.state();
    assert_eq!(finished(state, "R"), Some(3 * HOUR));
    assert_eq!(
        finished(state, "R-fix1"),
        Some(5 * HOUR),
        "the fix takes W's estimate"
    );
    assert_eq!(finished(state, "R-rereview1"), Some(6 * HOUR));
    assert_eq!(
        finished(state, "D"),
        Some(7 * HOUR),
        "D waited for the re-review"
    );
    let fix = &state.nodes[state.task_index("R-fix1").expect("added")];
    assert_eq!(
        fix.agent.map(|a| state.agents[a].agent.id.as_str()),
        Some("dev")
    );
    assert!(events.iter().any(|e| matches!(&e.body,
        EventBody::Message { from, to, text }
            if from == "rev" && to == "dev" && text.contains("R → R-fix1: score 85/100; 3 findings"))));
    assert!(state.task_index("R-fix2").is_none(), "one round only");
    assert_eq!(
        state.finished.as_ref().map(|s| s.status),
        Some(RunStatus::Succeeded)
    );
}

#[test]
fn past_its_maximum_rounds_a_person_decides() {
    let (engine, _) = run_events(
        &workflow("rounds = 3\nmax_rounds = 1\nfix_estimate = \"30m\""),
        DecideMode::Person,
        None,
    );
    let state = engine.state();
    assert_eq!(finished(state, "R-fix1"), Some(3 * HOUR + HOUR / 2));
    let b = state
        .blocker_index("R-review-limit")
        .expect("the review asks a person");
    let blocker = &state.blockers[b];
    assert!(blocker.is_open());
    assert_eq!(state.nodes[blocker.task].task.id, "R-rereview1");
    assert_eq!(state.nodes[blocker.task].status, TaskStatus::Blocked);
    assert!(state.finished.is_none(), "the run waits for the person");

    let (engine, events) = run_events(
        &workflow("rounds = 3\nmax_rounds = 1\nfix_estimate = \"30m\""),
        DecideMode::Recommended,
        None,
    );
    let state = engine.state();
    assert!(events.iter().any(|e| matches!(&e.body,
        EventBody::DecisionMade { blocker, option: 1, .. } if blocker == "R-review-limit")));
    assert_eq!(
        finished(state, "R-rereview1"),
        Some(4 * HOUR + HOUR / 2),
        "accepting ends the review at once"
    );
    assert!(state.task_index("R-fix2").is_none());
    assert_eq!(
        state.finished.as_ref().map(|s| s.status),
        Some(RunStatus::Succeeded)
    );
}
