//! `replay --verify` on genuine recordings: every recording shipped with the project (under
//! `assets/` and `tests/`) reproduces, the format version 1 ones included; a run a person
//! re-planned (pausing and resuming an agent, acknowledging an alert) reproduces; and an older
//! recording is still compared on every field its version has.

mod common;

use common::{HOUR, parse};
use orch_tui::engine::event::{Actor, PlanChange};
use orch_tui::engine::{DecideMode, Engine, EventBody, RunOptions};
use orch_tui::record::verify::{Verdict, verify};
use orch_tui::record::{Header, Recording, read_recording};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn recordings_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a folder entry").path();
        if path.is_dir() {
            recordings_under(&path, found);
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            found.push(path);
        }
    }
}

#[test]
fn every_shipped_recording_verifies() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    recordings_under(&root.join("assets"), &mut found);
    recordings_under(&root.join("tests"), &mut found);
    let versions: Vec<u32> = found
        .iter()
        .map(|path| {
            let recording =
                read_recording(path).unwrap_or_else(|e| panic!("{} reads: {e}", path.display()));
            let verdict = verify(&recording).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                matches!(verdict, Verdict::Reproduced { .. }),
                "{} does not verify: {verdict:?}",
                path.display()
            );
            recording.header.version
        })
        .collect();
    assert!(found.len() >= 2, "the shipped recordings: {found:?}");
    assert!(versions.contains(&1), "a version 1 recording is among them");
    assert!(versions.contains(&orch_tui::record::VERSION));
}

fn version_one() -> Recording {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/recordings/analytics-dashboard-v1.jsonl");
    read_recording(&path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn an_older_recording_is_still_compared_on_the_fields_it_has() {
    let mut recording = version_one();
    let last = recording.events.len() - 1;
    let EventBody::RunFinished { summary } = &mut recording.events[last].body else {
        panic!("the run ended");
    };
    summary.agents[0].busy_ms += 1;
    match verify(&recording).expect("verifies") {
        Verdict::Differs { seq, .. } => assert_eq!(seq, last + 1),
        other => panic!("an edited busy time must differ: {other:?}"),
    }
}

const WORKFLOW: &str = r#"[workflow]
name = "replanned"

[settings.alerts]
overrun = 1.1

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
sim = { actual = 3 }

[[tasks]]
id = "B"
role = "engineer"
estimate = 2

[[tasks]]
id = "C"
role = "engineer"
estimate = 2
depends_on = ["B"]
"#;

#[test]
fn a_run_a_person_replanned_verifies() {
    let workflow = parse(WORKFLOW);
    let options = RunOptions {
        seed: Some(7),
        decide: DecideMode::Recommended,
        stamp_wall: false,
    };
    let mut engine = Engine::new(Arc::new(workflow.clone()), &options).expect("valid");
    engine.start();
    engine.advance_to(HOUR);
    engine
        .replan(
            PlanChange::PauseAgent {
                agent: "eng2".into(),
            },
            Actor::User,
        )
        .expect("eng2 pauses");
    while engine.step() && engine.state().now_ms < 3 * HOUR {}
    engine
        .replan(
            PlanChange::ResumeAgent {
                agent: "eng2".into(),
            },
            Actor::User,
        )
        .expect("eng2 resumes");
    let alert = engine.state().alerts.first().map(|a| a.id.clone());
    let alert = alert.expect("A overran its estimate");
    engine
        .acknowledge(&alert, Actor::User)
        .expect("acknowledged");
    engine.run_to_end();
    let events = engine.drain();
    let by_user = events
        .iter()
        .filter(|e| {
            matches!(
                e.body,
                EventBody::PlanChanged {
                    by: Actor::User,
                    ..
                }
            )
        })
        .count();
    assert_eq!(by_user, 2, "the pause and the resume are recorded");
    let recording = Recording {
        header: Header::new(workflow, 7, DecideMode::Recommended),
        events,
        warnings: Vec::new(),
    };
    match verify(&recording).expect("verifies") {
        Verdict::Reproduced { events } => assert_eq!(events, recording.events.len()),
        other => panic!("a re-planned run must reproduce: {other:?}"),
    }
}
