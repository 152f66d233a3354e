//! Determinism: the same workflow, seed and decisions give the same event log, except the
//! wall-clock field. Checked through the library (two engines that stamp no wall time) and
//! through the binary (two recordings compared without `wall_ms` and the header's start
//! time, and a recording against the library run with its header's seed); and a different
//! seed on a workflow with `jitter` gives a different log.

mod common;

use common::{config, run_events, run_recorded};
use orch_tui::engine::{DecideMode, Event, EventBody};
use orch_tui::record::Header;
use std::path::Path;

fn scenario_text(name: &str) -> String {
    std::fs::read_to_string(config(name)).expect("the scenario file")
}

/// The recording of a headless run of `file`, without what depends on the wall clock: each
/// event's `wall_ms` (checked present first) and the header's `started_at`.
fn recording_without_wall_clock(file: &Path, extra: &[&str]) -> (Header, Vec<Event>) {
    let (_, mut recording) = run_recorded(file, extra);
    recording.header.started_at.clear();
    for e in &mut recording.events {
        assert!(e.wall_ms.take().is_some(), "event {} is stamped", e.seq);
    }
    (recording.header, recording.events)
}

#[test]
fn the_library_gives_the_same_events_for_the_same_seed() {
    for name in [
        "analytics-dashboard.toml",
        "security-enhancement.toml",
        "jwt-auth.toml",
        "shopping-cart.toml",
        "inspection-collaboration.toml",
    ] {
        let text = scenario_text(name);
        let (_, first) = run_events(&text, DecideMode::Recommended, None);
        let (_, second) = run_events(&text, DecideMode::Recommended, None);
        assert!(first.len() > 10, "{name}: a run has events");
        assert!(
            first.iter().all(|e| e.wall_ms.is_none()),
            "{name}: unstamped"
        );
        assert_eq!(first, second, "{name}");
    }
}

#[test]
fn two_recordings_of_the_same_run_differ_only_in_wall_clock_time() {
    for name in ["shopping-cart.toml", "jwt-auth.toml"] {
        let first = recording_without_wall_clock(&config(name), &["--seed", "11"]);
        let second = recording_without_wall_clock(&config(name), &["--seed", "11"]);
        assert!(first.1.len() > 10);
        assert_eq!(first, second, "{name}");
    }
}

#[test]
fn a_different_seed_changes_a_run_with_jitter() {
    let text = scenario_text("shopping-cart.toml");
    assert!(text.contains("jitter = "), "the scenario has jitter");
    let (_, seed_1) = run_events(&text, DecideMode::Recommended, Some(1));
    let (_, seed_2) = run_events(&text, DecideMode::Recommended, Some(2));
    assert_ne!(seed_1, seed_2);
    let finish = |events: &[Event]| {
        events.iter().find_map(|e| match &e.body {
            EventBody::RunFinished { summary } => Some(summary.makespan_ms),
            _ => None,
        })
    };
    assert_ne!(finish(&seed_1), finish(&seed_2), "jitter moves the finish");

    let first = recording_without_wall_clock(&config("shopping-cart.toml"), &["--seed", "1"]);
    let second = recording_without_wall_clock(&config("shopping-cart.toml"), &["--seed", "2"]);
    assert_ne!(first.1, second.1, "the events differ, not only the seed");
}

#[test]
fn the_seed_the_binary_records_replays_the_same_run_through_the_library() {
    let file = config("shopping-cart.toml");
    let (_, recording) = run_recorded(&file, &["--seed", "5"]);
    let (_, events) = run_events(
        &scenario_text("shopping-cart.toml"),
        recording.header.decide,
        Some(recording.header.seed),
    );
    let recorded: Vec<Event> = recording
        .events
        .into_iter()
        .map(|e| Event { wall_ms: None, ..e })
        .collect();
    assert_eq!(recorded, events);
}
