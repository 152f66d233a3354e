//! Escalation rules of `[settings.escalation]` through the engine: a blocker's category routes
//! it to its lead; a blocker policy would decide goes to a person when it stays open past
//! `blocker_limit`, or when the run passes its `run_budget` (and later blockers go straight to
//! a person); each escalation is recorded with its reason and folds into the state.

mod common;

use common::{HOUR, MINUTE, run_events};
use orch_tui::engine::event::Decider;
use orch_tui::engine::state::State;
use orch_tui::engine::{DecideMode, Event, EventBody};

/// A security agent and an engineer; A (4h) raises a low-severity SECURITY blocker at 50%.
fn workflow(escalation: &str) -> String {
    format!(
        r#"[workflow]
name = "escalation"

[settings.escalation]
policy_decides = ["low"]
decide_after = "2h"
routes = [{{ category = "security", lead = "sec" }}, {{ category = "DATA", lead = "engineer" }}]
{escalation}

[[agents]]
id = "sec"
role = "security"

[[agents]]
id = "dev"
role = "engineer"

[[tasks]]
id = "A"
role = "engineer"
estimate = 4

[[tasks]]
id = "B"
role = "engineer"
estimate = 1
depends_on = ["A"]

[[blockers]]
id = "token-leak"
task = "A"
severity = "low"
category = "SECURITY"
title = "Tokens in the logs"
options = [{{ label = "Scrub them" }}]

[[blockers]]
id = "late"
task = "B"
at = 50
severity = "low"
category = "QUALITY"
title = "Flaky test"
options = [{{ label = "Retry it" }}]
"#
    )
}

fn find<'a>(events: &'a [Event], kind: &str) -> Vec<&'a Event> {
    events.iter().filter(|e| e.body.kind() == kind).collect()
}

fn folds(events: &[Event], state: &State) {
    let mut folded = State::new(state.workflow.clone());
    for e in events {
        folded.apply(e).unwrap_or_else(|err| panic!("{err}"));
    }
    assert_eq!(&folded, state);
}

#[test]
fn a_blocker_is_led_by_its_category_route() {
    let (engine, events) = run_events(&workflow(""), DecideMode::Person, None);
    let raised = find(&events, "blocker_raised");
    let EventBody::BlockerRaised {
        led_by, decides, ..
    } = &raised[0].body
    else {
        unreachable!()
    };
    assert_eq!(
        led_by.as_deref(),
        Some("sec"),
        "SECURITY goes to the security agent"
    );
    assert_eq!(*decides, Decider::Policy);
    assert!(
        find(&events, "blocker_escalated").is_empty(),
        "no time rule"
    );
    let state = engine.state();
    assert_eq!(state.blockers[0].led_by.as_deref(), Some("sec"));
    assert_eq!(state.blockers[1].led_by, None, "QUALITY has no route");
    folds(&events, state);
}

#[test]
fn a_blocker_open_past_its_limit_goes_to_a_person() {
    let (engine, events) = run_events(
        &workflow("blocker_limit = \"30m\""),
        DecideMode::Person,
        None,
    );
    let escalated = find(&events, "blocker_escalated");
    assert_eq!(escalated.len(), 1, "the run stops at the first, waiting");
    assert_eq!(escalated[0].at_ms, 2 * HOUR + 30 * MINUTE);
    let EventBody::BlockerEscalated { blocker, reason } = &escalated[0].body else {
        unreachable!()
    };
    assert_eq!(blocker, "token-leak");
    assert_eq!(reason, "open longer than 0.5h");
    assert!(
        find(&events, "decision_made").is_empty(),
        "policy's decision is cancelled: a person decides"
    );
    let state = engine.state();
    assert!(state.finished.is_none(), "the run waits for the person");
    assert_eq!(state.blockers[0].decides, Decider::Person);
    folds(&events, state);
}

#[test]
fn past_the_run_budget_a_person_decides_every_blocker() {
    // The budget passes while token-leak is open (raised at 2h, policy at 4h).
    let (engine, events) = run_events(
        &workflow("run_budget = \"3h\""),
        DecideMode::Recommended,
        None,
    );
    let escalated = find(&events, "blocker_escalated");
    assert_eq!(escalated.len(), 1);
    assert_eq!(escalated[0].at_ms, 3 * HOUR + 1);
    let EventBody::BlockerEscalated { reason, .. } = &escalated[0].body else {
        unreachable!()
    };
    assert_eq!(reason, "the run is past its 3h budget");
    // `late`, raised after the budget, waits for a person from the start.
    let late = find(&events, "blocker_raised")
        .into_iter()
        .find(|e| matches!(&e.body, EventBody::BlockerRaised { blocker, .. } if blocker == "late"))
        .expect("late is raised");
    let EventBody::BlockerRaised {
        decides,
        policy_at_ms,
        ..
    } = &late.body
    else {
        unreachable!()
    };
    assert_eq!((*decides, *policy_at_ms), (Decider::Person, None));
    folds(&events, engine.state());
}
