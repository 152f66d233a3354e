//! Verifying a recording: re-run the simulated workflow from the recording's header (workflow,
//! seed, decision mode) with the person's recorded decisions, re-plans, acknowledgements and
//! stops injected where they happened, and compare event by event (the wall-clock field aside). A recording that
//! reproduces is evidence the engine is deterministic and the file untouched.

use super::Recording;
use super::versions::{VERSION, as_of};
use crate::engine::event::{Actor, Event, EventBody};
use crate::engine::{Engine, RunOptions, summary::RunStatus};
use std::sync::Arc;

/// The outcome of a verification.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Reproduced {
        events: usize,
    },
    /// The first event that differs: its number (1-based), what was recorded and what the
    /// re-run produced (`None` when one side ended first).
    Differs {
        seq: usize,
        recorded: Option<Box<Event>>,
        rerun: Option<Box<Event>>,
    },
}

pub fn verify(recording: &Recording) -> Result<Verdict, String> {
    let header = &recording.header;
    let options = RunOptions {
        seed: Some(header.seed),
        decide: header.decide,
        stamp_wall: false,
    };
    let mut engine = Engine::new(Arc::new(header.workflow.clone()), &options)?;
    let recorded = &recording.events;
    // The re-run's events so far all match; only the newest are kept, each compared once.
    let mut matched = 0;
    engine.start();
    let mut fresh = engine.drain();
    loop {
        if let Some(diff) = first_difference(recorded, &fresh, matched, header.version) {
            return Ok(diff);
        }
        matched += fresh.len();
        if matched >= recorded.len() {
            return Ok(Verdict::Reproduced { events: matched });
        }
        let next = &recorded[matched];
        match &next.body {
            EventBody::DecisionMade {
                blocker,
                option,
                by: by @ (Actor::User | Actor::Rule),
                who,
                ..
            } => {
                engine.advance_to(next.at_ms);
                engine.decide_as(blocker, *option, *by, who.as_deref())?;
            }
            EventBody::PlanChanged {
                change,
                by: Actor::User,
                who,
            } => {
                engine.advance_to(next.at_ms);
                engine.replan_as(change.clone(), Actor::User, who.as_deref())?;
            }
            EventBody::AlertAcknowledged {
                alert,
                by: Actor::User,
            } => {
                engine.advance_to(next.at_ms);
                engine.acknowledge(alert, Actor::User)?;
            }
            EventBody::RunFinished { summary } if summary.status == RunStatus::Stopped => {
                engine.advance_to(next.at_ms);
                engine.stop();
            }
            _ => {
                if !engine.step() {
                    return Ok(Verdict::Differs {
                        seq: matched + 1,
                        recorded: Some(Box::new(next.clone())),
                        rerun: None,
                    });
                }
            }
        }
        fresh = engine.drain();
    }
}

/// The first of the re-run's `fresh` events, which follow the `matched` ones, that differs from
/// the recording; a recording of an older format `version` is compared on the fields that
/// version has.
fn first_difference(
    recorded: &[Event],
    fresh: &[Event],
    matched: usize,
    version: u32,
) -> Option<Verdict> {
    let rest = recorded.get(matched..).unwrap_or_default();
    let same = |a: &Event, b: &Event| {
        if version == VERSION {
            a.seq == b.seq && a.at_ms == b.at_ms && a.body == b.body
        } else {
            as_of(version, a) == as_of(version, b)
        }
    };
    if let Some(i) = (0..rest.len().min(fresh.len())).find(|&i| !same(&rest[i], &fresh[i])) {
        return Some(Verdict::Differs {
            seq: matched + i + 1,
            recorded: Some(Box::new(rest[i].clone())),
            rerun: Some(Box::new(fresh[i].clone())),
        });
    }
    (fresh.len() > rest.len()).then(|| Verdict::Differs {
        seq: recorded.len() + 1,
        recorded: None,
        rerun: Some(Box::new(fresh[rest.len()].clone())),
    })
}
