//! A genuine re-planned run verifies: the analytics scenario live in the real binary in tmux, a
//! person pauses and resumes an agent on the `:` command line and decides the blocker by key;
//! `replay --verify` then reproduces every event of the recording.

mod common;

use common::orch;
use common::tmux::{BIN, Tmux, quoted, recorded_events};
use std::time::Duration;

const CONFIG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/config/analytics-dashboard.toml"
);
const WAIT: Duration = Duration::from_secs(60);

fn command(tmux: &Tmux, words: &[&str]) {
    tmux.send(":");
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            tmux.send("Space");
        }
        tmux.send(word);
    }
    tmux.send("Enter");
}

#[test]
fn a_run_paused_and_resumed_by_a_person_verifies() {
    let tmux = Tmux::start("verify-replanned", 120, 40, |dir| {
        format!(
            "{BIN} run {CONFIG} --record {} --speed 1",
            quoted(&dir.join("run.jsonl"))
        )
    });
    tmux.wait_for("LIVE", WAIT);
    command(&tmux, &["pause", "eng3"]);
    tmux.wait_for("plan changed: pause eng3", WAIT);
    command(&tmux, &["resume", "eng3"]);
    tmux.wait_for("plan changed: resume eng3", WAIT);
    tmux.wait_for("waits for a person", WAIT);
    tmux.send("n");
    tmux.wait_for("Decision: ws-leak", WAIT);
    tmux.send("1");
    tmux.wait_for("Run succeeded", WAIT);
    tmux.send("q");
    assert_eq!(tmux.exit_code(WAIT), 0);
    let path = tmux.path("run.jsonl");
    let by_user = recorded_events(&path)
        .iter()
        .filter(|e| e["kind"] == "plan_changed" && e["by"] == "user")
        .map(|e| e["change"]["op"].as_str().unwrap_or_default().to_string())
        .collect::<Vec<_>>();
    assert!(
        by_user.starts_with(&["pause_agent".into(), "resume_agent".into()]),
        "{by_user:?}"
    );
    let out = orch(["replay".as_ref(), path.as_os_str(), "--verify".as_ref()]);
    out.assert_no_panic();
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    common::assert_says(&out.stdout, "reproduced");
}
