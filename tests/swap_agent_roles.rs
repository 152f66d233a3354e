//! A decision's `swap_agent` passes the same role check as `:reassign`: a workflow whose option
//! moves an engineer's task to the QA agent is refused at the `swap_agent` line, and a resolved
//! workflow carrying one (as a recording's header may) has the decision refused by the engine
//! with the words `:reassign` uses, the task staying where it was.

mod common;

use common::assert_says;
use common::refused::refused_at;
use orch_tui::engine::event::{Actor, PlanChange};
use orch_tui::engine::{DecideMode, Engine, RunOptions};
use std::sync::Arc;

const WORKFLOW: &str = r#"[workflow]
name = "swap"

[[agents]]
id = "eng1"
role = "engineer"

[[agents]]
id = "eng2"
role = "engineer"

[[agents]]
id = "qa"
role = "qa"

[[tasks]]
id = "B"
role = "engineer"
estimate = 2

[[blockers]]
id = "leak"
task = "B"
severity = "high"
title = "Memory leak"
[[blockers.options]]
label = "Hand it over"
effect = { swap_agent = "SWAP" }
"#;

#[test]
fn a_workflow_swapping_to_an_agent_of_the_wrong_role_is_refused_at_its_line() {
    let message = refused_at(&WORKFLOW.replace("SWAP", "qa"), 28, 25);
    assert_eq!(
        message,
        "`swap_agent`: `qa` has role `qa` and cannot take `B`, which needs role `engineer`"
    );
    common::parse(&WORKFLOW.replace("SWAP", "eng2"));
}

#[test]
fn the_engine_refuses_a_swap_that_reassign_refuses() {
    let mut w = common::parse(&WORKFLOW.replace("SWAP", "eng2"));
    w.blockers[0].report.options[0].effect.swap_agent = Some("qa".into());
    let options = RunOptions {
        seed: Some(1),
        decide: DecideMode::Person,
        stamp_wall: false,
    };
    let mut engine = Engine::new(Arc::new(w), &options).expect("valid");
    engine.start();
    engine.run_to_end();
    let refused = engine
        .decide("leak", 1, Actor::User)
        .expect_err("qa cannot take B");
    let reassign = PlanChange::Reassign {
        task: "B".into(),
        to: "qa".into(),
    };
    let by_reassign = Engine::new(
        Arc::new(common::parse(&WORKFLOW.replace("SWAP", "eng2"))),
        &options,
    )
    .map(|mut e| {
        e.start();
        e.replan(reassign, Actor::User)
            .expect_err("qa cannot take B")
    })
    .expect("valid");
    assert_eq!(refused, by_reassign, "one check, one message");
    assert_says(&refused, "which needs role `engineer`");
    assert!(engine.state().blockers[0].is_open(), "nothing was decided");
    assert!(
        engine
            .drain()
            .iter()
            .all(|e| e.body.kind() != "decision_made")
    );
}
