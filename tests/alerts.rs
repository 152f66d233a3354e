//! Alert conditions through the engine on small workflows: a task running past 150% of its
//! expected time, an agent failing more than 20% of its attempts, two blockers of one category;
//! each raised once per subject, with the thresholds of `[settings.alerts]` (0 turns one off);
//! acknowledging is recorded, and refused twice; the reducer folds both events. An estimate
//! lowered during a run is checked against the time already run at once.

mod common;

use common::{HOUR, parse, run_events};
use orch_tui::engine::event::{Actor, AlertCondition, PlanChange};
use orch_tui::engine::state::State;
use orch_tui::engine::{DecideMode, Engine, Event, EventBody, RunOptions};
use std::sync::Arc;

fn workflow(alerts: &str, tasks: &str) -> String {
    format!(
        r#"[workflow]
name = "alerts"

[settings]
max_retries = 1

[settings.alerts]
{alerts}

[[agents]]
id = "dev"
role = "engineer"

{tasks}"#
    )
}

/// (condition, subject, time) of every alert raised.
fn raised(events: &[Event]) -> Vec<(AlertCondition, String, u64)> {
    events
        .iter()
        .filter_map(|e| match &e.body {
            EventBody::AlertRaised {
                condition, subject, ..
            } => Some((*condition, subject.clone(), e.at_ms)),
            _ => None,
        })
        .collect()
}

const SLOW: &str = r#"[[tasks]]
id = "slow"
role = "engineer"
estimate = 2
[tasks.sim]
actual = 4
"#;

#[test]
fn a_task_past_its_overrun_factor_raises_one_alert() {
    let (_, events) = run_events(&workflow("", SLOW), DecideMode::Recommended, None);
    let alerts = raised(&events);
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let (condition, subject, at) = &alerts[0];
    assert_eq!(
        (*condition, subject.as_str()),
        (AlertCondition::Overrun, "slow")
    );
    assert!(
        *at > 3 * HOUR && *at <= 4 * HOUR,
        "noticed past 150% of 2h, at {at}"
    );
    let (_, events) = run_events(
        &workflow("overrun = 0", SLOW),
        DecideMode::Recommended,
        None,
    );
    assert!(raised(&events).is_empty(), "0 turns the condition off");
    let (_, events) = run_events(
        &workflow("overrun = 2.5", SLOW),
        DecideMode::Recommended,
        None,
    );
    assert!(raised(&events).is_empty(), "4h is not past 2.5 × 2h");
}

#[test]
fn an_agent_failing_too_often_raises_one_alert() {
    let tasks = r#"[[tasks]]
id = "flaky"
role = "engineer"
estimate = 1
[tasks.sim]
fail_at = 50

[[tasks]]
id = "after"
role = "engineer"
estimate = 1
depends_on = ["flaky"]
"#;
    let (engine, events) = run_events(&workflow("", tasks), DecideMode::Recommended, None);
    let alerts = raised(&events);
    assert_eq!(
        alerts
            .iter()
            .map(|(c, s, _)| (*c, s.as_str()))
            .collect::<Vec<_>>(),
        vec![(AlertCondition::FailureRate, "dev")],
        "one alert for the agent, however long its rate stays high"
    );
    assert_eq!(engine.state().alerts.len(), 1);
    let (_, events) = run_events(
        &workflow("failure_rate = 1", tasks),
        DecideMode::Recommended,
        None,
    );
    assert!(
        raised(&events).is_empty(),
        "no share of failures is over 100%"
    );
}

#[test]
fn blockers_of_one_category_raise_an_alert_and_acknowledging_is_recorded() {
    let tasks = r#"[[tasks]]
id = "A"
role = "engineer"
estimate = 2

[[blockers]]
id = "b1"
task = "A"
at = 20
severity = "low"
category = "SECURITY"
title = "First"
options = [{ label = "Go on" }]

[[blockers]]
id = "b2"
task = "A"
at = 60
severity = "low"
category = "SECURITY"
title = "Second"
options = [{ label = "Go on" }]
"#;
    let (mut engine, events) = run_events(&workflow("", tasks), DecideMode::Recommended, None);
    let alerts = raised(&events);
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(
        (alerts[0].0, alerts[0].1.as_str()),
        (AlertCondition::RepeatedEscalations, "SECURITY")
    );
    let id = engine.state().alerts[0].id.clone();
    let err = engine
        .acknowledge(&id, Actor::User)
        .expect_err("nothing is recorded after the run ended");
    assert!(err.contains("ended"), "{err}");
    let (_, events) = run_events(
        &workflow("repeated_escalations = 3", tasks),
        DecideMode::Recommended,
        None,
    );
    assert!(raised(&events).is_empty());
}

#[test]
fn an_alert_is_acknowledged_once_and_the_recording_folds_it() {
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Recommended,
        stamp_wall: false,
    };
    let mut engine = Engine::new(Arc::new(parse(&workflow("", SLOW))), &options)
        .unwrap_or_else(|e| panic!("{e}"));
    engine.start();
    while engine.state().alerts.is_empty() && engine.step() {}
    let id = engine.state().alerts[0].id.clone();
    assert_eq!(id, "alert-1");
    engine
        .acknowledge(&id, Actor::User)
        .expect("an open alert can be acknowledged");
    let err = engine.acknowledge(&id, Actor::User).expect_err("only once");
    assert!(err.contains("already acknowledged"), "{err}");
    assert!(engine.acknowledge("alert-9", Actor::User).is_err());
    engine.run_to_end();
    let events = engine.drain();
    assert!(events.iter().any(|e| matches!(
        &e.body,
        EventBody::AlertAcknowledged { alert, by: Actor::User } if *alert == id
    )));
    let mut folded = State::new(engine.state().workflow.clone());
    for e in &events {
        folded.apply(e).unwrap_or_else(|err| panic!("{err}"));
    }
    assert_eq!(&folded, engine.state());
    assert!(folded.open_alerts().next().is_none());
    let mut bad = folded.clone();
    let ack = Event {
        seq: folded.last_seq + 1,
        at_ms: folded.now_ms,
        body: EventBody::AlertAcknowledged {
            alert: "alert-9".into(),
            by: Actor::User,
        },
        wall_ms: None,
    };
    assert!(bad.apply(&ack).is_err(), "an unknown alert is refused");
}

/// A 2h task whose blocker at half way waits 3h for a person.
const BLOCKED: &str = r#"[[tasks]]
id = "held"
role = "engineer"
estimate = 2
[tasks.sim]
actual = 2

[[blockers]]
id = "wait"
task = "held"
at = 50
severity = "high"
title = "Which way?"
[[blockers.options]]
label = "This way"
"#;

#[test]
fn time_blocked_waiting_for_a_person_is_not_overrun() {
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Person,
        stamp_wall: false,
    };
    let w = parse(&workflow("overrun = 1.5", BLOCKED));
    let mut engine = Engine::new(Arc::new(w), &options).expect("valid");
    engine.start();
    engine.run_to_end();
    assert_eq!(
        engine.state().open_blockers().count(),
        1,
        "waits for a person"
    );
    let raised_at = engine.state().now_ms;
    engine.advance_to(raised_at + 3 * HOUR);
    engine.decide("wait", 1, Actor::User).expect("decided");
    engine.run_to_end();
    let events = engine.drain();
    let decided = events
        .iter()
        .find(|e| matches!(e.body, EventBody::DecisionMade { .. }))
        .map(|e| e.at_ms);
    assert_eq!(decided, Some(raised_at + 3 * HOUR), "decided 3h later");
    assert!(engine.state().finished.is_some(), "the run ended");
    assert_eq!(
        raised(&events),
        Vec::new(),
        "2h of running and 3h of waiting on a person is not past 150% of 2h"
    );
}

#[test]
fn an_estimate_lowered_below_the_time_already_run_raises_the_overrun_at_once() {
    let long =
        "[[tasks]]\nid = \"long\"\nrole = \"engineer\"\nestimate = 10\n[tasks.sim]\nactual = 10\n";
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Recommended,
        stamp_wall: false,
    };
    let mut engine = Engine::new(Arc::new(parse(&workflow("", long))), &options)
        .unwrap_or_else(|e| panic!("{e}"));
    engine.start();
    while engine.state().now_ms < 2 * HOUR && engine.step() {}
    assert!(engine.state().alerts.is_empty(), "2h of 10h is no overrun");
    let lowered = PlanChange::SetEstimate {
        task: "long".into(),
        estimate_ms: HOUR,
    };
    engine
        .replan(lowered, Actor::User)
        .unwrap_or_else(|e| panic!("{e}"));
    let alerts = raised(&engine.drain());
    assert_eq!(
        alerts,
        [(AlertCondition::Overrun, "long".to_string(), 2 * HOUR)],
        "2h run is past 150% of the new 1h"
    );
}
