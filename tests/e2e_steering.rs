//! End-to-end test of re-planning by keystroke: the analytics scenario live in the real binary
//! in tmux; a person adds a task through the form and reassigns another on the `:` command
//! line, then quits; the screen confirms each change and the recording holds both as
//! `plan_changed` by the user.

mod common;

use common::tmux::{BIN, Tmux, quoted, recorded_events};
use std::time::Duration;

const CONFIG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/config/analytics-dashboard.toml"
);
const WAIT: Duration = Duration::from_secs(30);

fn typed(tmux: &Tmux, text: &str) {
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            tmux.send("Space");
        }
        tmux.send(word);
    }
}

#[test]
fn a_person_adds_a_task_and_reassigns_another_by_keystroke() {
    let tmux = Tmux::start("steer", 120, 40, |dir| {
        format!(
            "{BIN} run {CONFIG} --record {} --speed 1",
            quoted(&dir.join("run.jsonl"))
        )
    });
    tmux.wait_for("LIVE", WAIT);
    tmux.send("o");
    tmux.wait_for("Add a task", WAIT);
    typed(&tmux, "fix");
    tmux.send("Tab");
    typed(&tmux, "Fix the build");
    tmux.send("Tab");
    typed(&tmux, "engineer");
    tmux.send("Tab");
    typed(&tmux, "1h");
    tmux.send("Enter");
    tmux.wait_for("plan changed: + task fix Fix the build", WAIT);
    tmux.send(":");
    typed(&tmux, "reassign C eng4");
    tmux.send("Enter");
    tmux.wait_for("plan changed: C → eng4", WAIT);
    tmux.send(":");
    typed(&tmux, "reassign C qa");
    tmux.send("Enter");
    tmux.wait_for("`qa` has role `qa` and cannot take `C`", WAIT);
    // The form filled `after` with the selected task, A: fix starts when A is done.
    tmux.wait_for("start     fix Fix the build", WAIT);
    tmux.send("q");
    tmux.wait_for("Quit now?", WAIT);
    tmux.send("y");
    assert_eq!(tmux.exit_code(WAIT), 1, "a stopped run did not succeed");
    let events = recorded_events(&tmux.path("run.jsonl"));
    let changes: Vec<&serde_json::Value> = events
        .iter()
        .filter(|e| e["kind"] == "plan_changed" && e["by"] == "user")
        .map(|e| &e["change"])
        .collect();
    assert_eq!(changes.len(), 2, "two changes by the user: {changes:?}");
    assert_eq!(changes[0]["op"], "add_task");
    assert_eq!(changes[0]["task"]["id"], "fix");
    assert_eq!(changes[0]["task"]["name"], "Fix the build");
    assert_eq!(changes[0]["task"]["role"], "engineer");
    assert_eq!(changes[0]["task"]["estimate_ms"], 3_600_000);
    assert_eq!(changes[0]["task"]["depends_on"], serde_json::json!(["A"]));
    assert_eq!(changes[1]["op"], "reassign");
    assert_eq!(changes[1]["task"], "C");
    assert_eq!(changes[1]["to"], "eng4");
    assert!(
        events
            .iter()
            .any(|e| e["kind"] == "task_started" && e["task"] == "fix"),
        "the added task ran"
    );
}
