//! The expected finish while a person is awaited: when nothing can happen on its own, the
//! forecast made at a later moment is the forecast made now moved on by the time waited (the
//! dashboard then adds the time instead of simulating the rest of the run again); when work
//! is still running, or a run budget can run out, the engine says the shortcut does not hold.

mod common;

use common::{HOUR, parse, run_events};
use orch_tui::engine::{DecideMode, Engine, RunOptions};
use std::sync::Arc;

/// A (2h) raises a high-severity blocker half way, which waits for a person; B (3h) follows A;
/// C runs alongside for `c_hours` (0: no C).
fn workflow(c_hours: u64, escalation: &str) -> String {
    let c = if c_hours > 0 {
        format!("[[tasks]]\nid = \"C\"\nrole = \"engineer\"\nestimate = {c_hours}\n")
    } else {
        String::new()
    };
    format!(
        r#"[workflow]
name = "waiting"

[settings.escalation]
{escalation}

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

[[tasks]]
id = "B"
role = "engineer"
estimate = 3
depends_on = ["A"]

{c}
[[blockers]]
id = "schema"
task = "A"
at = 50
severity = "high"
title = "Which schema?"
recommended = 2
options = [{{ label = "The old one" }}, {{ label = "A new one", effect = {{ delay = 1 }} }}]
"#
    )
}

/// The engine once the run waits for the person and nothing else is left to happen.
fn waiting(text: &str) -> Engine {
    let (engine, _) = run_events(text, DecideMode::Person, None);
    assert!(
        engine.state().open_blockers().count() == 1 && !engine.is_finished(),
        "the run waits for a person"
    );
    engine
}

#[test]
fn with_nothing_else_to_happen_the_forecast_moves_on_one_for_one_with_the_clock() {
    let engine = waiting(&workflow(0, ""));
    let now = engine.state().now_ms;
    assert!(engine.forecast_moves_with_clock(now));
    let base = engine.forecast_from(now).expect("a forecast");
    assert!(base > now, "A and B are still to finish: {base} at {now}");
    for waited in [1, 60_000, 3 * HOUR, 40 * HOUR] {
        assert_eq!(
            engine.forecast_from(now + waited),
            Some(base + waited),
            "after waiting {waited} ms"
        );
    }
}

#[test]
fn work_running_alongside_makes_the_forecast_move_otherwise() {
    // C (10h) is still running when A blocks at 1h: deciding soon leaves C the last to end.
    let options = RunOptions {
        seed: None,
        decide: DecideMode::Person,
        stamp_wall: false,
    };
    let mut engine = Engine::new(Arc::new(parse(&workflow(10, ""))), &options).expect("plannable");
    engine.start();
    while engine.state().open_blockers().count() == 0 {
        assert!(engine.step(), "A blocks before the run ends");
    }
    let now = engine.state().now_ms;
    assert!(!engine.forecast_moves_with_clock(now), "C is still due");
    let base = engine.forecast_from(now).expect("a forecast");
    assert_ne!(engine.forecast_from(now + HOUR), Some(base + HOUR));
}

#[test]
fn a_run_budget_stops_the_shortcut() {
    let engine = waiting(&workflow(0, "run_budget = \"30h\""));
    assert!(!engine.forecast_moves_with_clock(engine.state().now_ms));
}
