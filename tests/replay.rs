//! Replay: the state a recording folds into equals the live run's final state for every
//! scenario; seeking to any position from any other equals folding from the start (a property
//! test); a run killed with SIGKILL while recording replays up to its last whole event; and
//! opening a recording never runs what it names.

mod common;

use common::{config, orch, run_events};
use orch_tui::engine::DecideMode;
use orch_tui::record::player::Player;
use orch_tui::record::{Header, Recording, read_recording};
use proptest::prelude::*;
use std::time::Duration;

fn recording_of(name: &str) -> (orch_tui::engine::Engine, Recording) {
    let text = std::fs::read_to_string(config(name)).expect("the scenario exists");
    let (engine, events) = run_events(&text, DecideMode::Recommended, None);
    let header = Header::new(
        engine.state().workflow.as_ref().clone(),
        engine.seed(),
        DecideMode::Recommended,
    );
    (
        engine,
        Recording {
            header,
            events,
            warnings: Vec::new(),
        },
    )
}

const SCENARIOS: [&str; 5] = [
    "analytics-dashboard.toml",
    "security-enhancement.toml",
    "jwt-auth.toml",
    "shopping-cart.toml",
    "inspection-collaboration.toml",
];

#[test]
fn replaying_every_scenario_ends_in_the_live_runs_state() {
    for name in SCENARIOS {
        let (engine, recording) = recording_of(name);
        let mut player = Player::new(recording, name).expect("the recording replays");
        player.seek(player.len());
        assert!(
            player.state() == engine.state(),
            "{name}: the replayed state differs from the live one"
        );
        assert!(
            player.state().finished.is_some(),
            "{name}: the replay reaches the end"
        );
    }
}

#[test]
fn seeking_by_time_shows_every_event_up_to_that_time() {
    let (_, recording) = recording_of("security-enhancement.toml");
    let mut player = Player::new(recording, "security").expect("the recording replays");
    let middle = player.end_ms() / 2;
    player.seek_time(middle);
    let position = player.position();
    assert!(position > 0 && position < player.len());
    assert!(player.recording.events[position - 1].at_ms <= middle);
    assert!(player.recording.events[position].at_ms > middle);
    assert!(player.state().now_ms <= middle);
}

fn security_player() -> Player {
    let (_, recording) = recording_of("security-enhancement.toml");
    Player::new(recording, "security").expect("the recording replays")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn seeking_anywhere_from_anywhere_equals_folding_from_the_start(
        jumps in proptest::collection::vec(0.0f64..=1.0, 1..12)
    ) {
        let mut player = security_player();
        prop_assert!(player.snapshot_count() >= 3, "seeks start from snapshots");
        for fraction in jumps {
            let position = (fraction * player.len() as f64) as usize;
            player.seek(position);
            prop_assert_eq!(player.position(), position);
            prop_assert!(player.state() == &player.fold_from_start(position));
        }
    }
}

#[test]
fn a_run_killed_while_recording_replays_up_to_its_last_event() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("killed.jsonl");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_orch-tui"))
        .arg("run")
        .arg(config("security-enhancement.toml"))
        .args(["--headless", "--speed", "1", "--record"])
        .arg(&path)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("the binary starts");
    // Wait until some events are on disk, then kill it without warning.
    let start = std::time::Instant::now();
    while std::fs::read_to_string(&path).map_or(0, |t| t.lines().count()) < 10 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the run recorded nothing"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().expect("SIGKILL is sent");
    child.wait().expect("the child is reaped");
    let recording = read_recording(&path).expect("a killed run's recording reads");
    let events = recording.events.len();
    assert!(events >= 9);
    assert!(
        recording
            .events
            .last()
            .is_some_and(|e| e.body.kind() != "run_finished")
    );
    let out = orch(["replay".as_ref(), path.as_os_str(), "--headless".as_ref()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("the recording ends before the run finished"),
        "{}",
        out.stdout
    );
    let mut player = Player::new(recording, "killed").expect("it replays");
    player.seek(player.len());
    assert_eq!(player.position(), events);
}

#[test]
fn opening_a_recording_never_runs_what_it_names() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let marker = dir.path().join("pwned");
    let (_, recording) = recording_of("analytics-dashboard.toml");
    let mut header = serde_json::to_value(&recording.header).expect("the header serializes");
    // A recording that names commands everywhere it could: an agent of kind `command` with an
    // argv, a task context, log and message text.
    let touch = format!("touch {}", marker.display());
    header["workflow"]["agents"][0]["kind"] = serde_json::json!("command");
    header["workflow"]["agents"][0]["argv"] = serde_json::json!(["sh", "-c", touch]);
    header["workflow"]["tasks"][0]["context"] = serde_json::json!({ "run": touch });
    let mut text = format!("{header}\n");
    for e in &recording.events {
        text.push_str(&serde_json::to_string(e).expect("events serialize"));
        text.push('\n');
    }
    let path = dir.path().join("hostile.jsonl");
    std::fs::write(&path, text).expect("written");
    for flags in [
        &["--headless"][..],
        &["--verify"],
        &["--at", "2h"],
        &["--export", "csv"],
    ] {
        let mut args: Vec<&std::ffi::OsStr> = vec!["replay".as_ref(), path.as_os_str()];
        args.extend(flags.iter().map(std::ffi::OsStr::new));
        let out = orch(&args);
        out.assert_no_panic();
        if flags == ["--verify"] {
            // A re-run would start the command: refused, in one line.
            assert_eq!(out.code, 2, "{}", out.stderr);
            assert_eq!(out.stderr.lines().count(), 1, "one line: {}", out.stderr);
            assert!(out.stderr.contains("command agents"), "{}", out.stderr);
        } else {
            assert_eq!(
                out.code, 0,
                "{flags:?}: the recording reads: {}",
                out.stderr
            );
        }
    }
    std::thread::sleep(Duration::from_millis(200));
    assert!(!marker.exists(), "replay ran a command from the recording");
}

#[test]
fn verify_names_the_first_difference_of_an_edited_recording() {
    let (_, recording) = recording_of("jwt-auth.toml");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("edited.jsonl");
    let mut lines = vec![serde_json::to_string(&recording.header).expect("serializes")];
    for e in &recording.events {
        let mut v = serde_json::to_value(e).expect("serializes");
        if e.seq == 5 {
            v["at_ms"] = serde_json::json!(e.at_ms);
            if v.get("agent").is_some() {
                v["agent"] = serde_json::json!("reviewer");
            } else {
                v["task"] = serde_json::json!("final-review");
            }
        }
        lines.push(v.to_string());
    }
    std::fs::write(&path, lines.join("\n") + "\n").expect("written");
    let out = orch(["replay".as_ref(), path.as_os_str(), "--verify".as_ref()]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("differs at event 5"), "{}", out.stdout);
    let fine = dir.path().join("fine.jsonl");
    let mut lines = vec![serde_json::to_string(&recording.header).expect("serializes")];
    lines.extend(
        recording
            .events
            .iter()
            .map(|e| serde_json::to_string(e).expect("serializes")),
    );
    std::fs::write(&fine, lines.join("\n") + "\n").expect("written");
    let out = orch(["replay".as_ref(), fine.as_os_str(), "--verify".as_ref()]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("reproduced"), "{}", out.stdout);
}

#[test]
fn state_at_a_time_and_csv_export() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/analytics-dashboard.jsonl");
    let out = orch([
        "replay".as_ref(),
        path.as_os_str(),
        "--at".as_ref(),
        "2h".as_ref(),
        "--json".as_ref(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let state: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(state["at_ms"], 7_200_000);
    let blockers = state["open_blockers"].as_array().expect("a list");
    assert_eq!(blockers.len(), 1, "at 2h the ws-leak blocker is open");
    assert_eq!(blockers[0]["id"], "ws-leak");
    let task = |id: &str| {
        state["tasks"]
            .as_array()
            .and_then(|t| t.iter().find(|x| x["id"] == id))
            .cloned()
            .expect("task")
    };
    assert_eq!(task("D")["status"], "done");
    assert_eq!(task("B")["status"], "blocked");
    assert_eq!(task("C")["status"], "pending");

    let out = orch([
        "replay".as_ref(),
        path.as_os_str(),
        "--export".as_ref(),
        "csv".as_ref(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut rows = csv::Reader::from_reader(out.stdout.as_bytes());
    let headers = rows.headers().expect("a header row").clone();
    assert_eq!(&headers[0], "task");
    assert_eq!(&headers[3], "start_hours");
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), 5);
    let a = rows.iter().find(|r| &r[0] == "A").expect("task A");
    assert_eq!(
        (&a[2], &a[3], &a[4], &a[5], &a[6], &a[7]),
        ("eng1", "0", "3.5", "done", "4", "3.5")
    );
}
