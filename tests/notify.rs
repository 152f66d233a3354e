//! `[settings.notify]`: a blocker that starts waiting for a person while nobody watches the run
//! runs the notify command with the blocker as JSON on its stdin; with a dashboard attached, the
//! command does not run (the dashboard rings instead). The real binary, a run in the background.

mod common;

use common::runs::{Shell, wait_until};
use common::tmux::{BIN, Tmux};
use std::time::Duration;

/// A run whose blocker `schema` on task A waits for a person about `delay` hours in, and whose
/// notify command writes what it gets to `notified.json` in `shell`'s home.
fn workflow(shell: &Shell, delay: u32) -> std::path::PathBuf {
    let out = shell.path("notified.json");
    let text = format!(
        r#"[workflow]
name = "notify"

[settings.notify]
command = ["sh", "-c", "cat > '{}'"]
env = ["PATH"]

[[agents]]
id = "dev"
role = "engineer"

[[tasks]]
id = "warmup"
role = "engineer"
estimate = {delay}

[[tasks]]
id = "A"
role = "engineer"
estimate = 2
depends_on = ["warmup"]

[[blockers]]
id = "schema"
task = "A"
severity = "high"
title = "Which schema?"
options = [{{ label = "Keep it" }}, {{ label = "Migrate" }}]
"#,
        out.display()
    );
    let file = shell.path("notify.toml");
    std::fs::write(&file, text).expect("the workflow is written");
    file
}

fn detach(shell: &Shell, file: &std::path::Path, speed: &str) -> String {
    let out = shell.run([
        "run".as_ref(),
        file.as_os_str(),
        "--detach".as_ref(),
        "--speed".as_ref(),
        speed.as_ref(),
        "--record".as_ref(),
        shell.path("run.jsonl").as_os_str(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout.trim().to_string()
}

#[test]
fn a_blocker_waiting_while_nobody_watches_runs_the_notify_command() {
    let shell = Shell::new();
    let file = workflow(&shell, 1);
    let id = detach(&shell, &file, "10");
    shell.wait_for_blocker(&id, "schema");
    let notified = shell.path("notified.json");
    wait_until("the notify command wrote the blocker", || {
        std::fs::read_to_string(&notified).is_ok_and(|t| t.ends_with('}'))
    });
    let message: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&notified).expect("read")).expect("json");
    assert_eq!(message["run"], id.as_str());
    assert_eq!(message["blocker"]["id"], "schema");
    assert_eq!(message["blocker"]["task"], "A");
    assert_eq!(message["blocker"]["options"][1], "Migrate");
    assert_eq!(
        message["decide"],
        format!("orch-tui decide {id} schema 1").as_str()
    );
    assert_eq!(shell.run(["decide", &id, "schema", "2"]).code, 0);
    wait_until("the run finishes", || {
        shell.listed(&id)["status"] == "succeeded"
    });
}

#[test]
fn with_a_dashboard_attached_the_notify_command_does_not_run() {
    let shell = Shell::new();
    let file = workflow(&shell, 4);
    let id = detach(&shell, &file, "1");
    let env = shell.env_words();
    let viewer = Tmux::start("notify-viewer", 120, 40, {
        let id = id.clone();
        move |_| format!("{env} {BIN} attach {id}")
    });
    viewer.wait_for("LIVE", Duration::from_secs(30));
    wait_until("the viewer is counted", || {
        shell.listed(&id)["viewers"] == 1
    });
    shell.wait_for_blocker(&id, "schema");
    viewer.wait_for("waits for a person", Duration::from_secs(30));
    assert!(
        !shell.path("notified.json").exists(),
        "the notify command ran with a viewer attached"
    );
    shell.stop(&id);
}
