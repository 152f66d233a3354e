//! One recording, one writer: a run recording to a file another run holds is refused with exit 2
//! before it starts an agent or changes the file; runs of one workflow started together with the
//! default location each get a file of their own.

mod common;

use common::real::{bash_agent, gone, pids_in, workflow};
use common::{orch_tui, stderr};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// A headless run of a one-agent workflow in `dir` whose agent appends its pid to `pids` and
/// sleeps, recording to `run.jsonl`.
fn sleeping_run(dir: &Path) -> std::process::Command {
    let text = workflow(&format!(
        "{}[[tasks]]\nid = \"T\"\nrole = \"sleeper\"\nestimate = \"1s\"\n",
        bash_agent("sleeper", "echo $$ >> pids; exec sleep 300", ""),
    ));
    std::fs::write(dir.join("workflow.toml"), text).expect("the workflow is written");
    let mut command = orch_tui();
    command
        .current_dir(dir)
        .args([
            "run",
            "workflow.toml",
            "--headless",
            "--record",
            "run.jsonl",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// A run stopped with SIGTERM (its agents ended with it) when the test is done with it.
struct Stopped(Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

#[test]
fn a_second_run_recording_to_the_same_file_is_refused_before_it_starts() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let first = Stopped(sleeping_run(dir.path()).spawn().expect("orch-tui starts"));
    let start = Instant::now();
    while pids_in(&dir.path().join("pids")).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the first agent started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let before = std::fs::read(dir.path().join("run.jsonl")).expect("the first run records");
    let second = sleeping_run(dir.path()).output().expect("orch-tui runs");
    let message = stderr(&second);
    assert_eq!(second.status.code(), Some(2), "{message}");
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    assert!(
        message.contains("run.jsonl: another run is recording to this file"),
        "{message}"
    );
    assert!(message.contains("--record"), "says how to go on: {message}");
    assert_eq!(
        pids_in(&dir.path().join("pids")).len(),
        1,
        "the second run started no agent"
    );
    let after = std::fs::read(dir.path().join("run.jsonl")).expect("still there");
    assert!(
        after.starts_with(&before),
        "the first run's recording is untouched"
    );
    drop(first);
    for pid in pids_in(&dir.path().join("pids")) {
        assert!(gone(pid), "the first run's agent {pid} ended with it");
    }
}

#[test]
fn runs_started_together_with_the_default_location_get_files_of_their_own() {
    let home = tempfile::tempdir().expect("a temporary folder");
    let file = format!("{}/config/jwt-auth.toml", env!("CARGO_MANIFEST_DIR"));
    let runs: Vec<Child> = (0..8)
        .map(|_| {
            orch_tui()
                .args(["run", &file, "--headless", "--instant"])
                .env("XDG_DATA_HOME", home.path())
                .env("HOME", home.path())
                .stdout(Stdio::null())
                .spawn()
                .expect("orch-tui starts")
        })
        .collect();
    for mut run in runs {
        assert!(run.wait().expect("orch-tui exits").success());
    }
    let folder = home.path().join("orch-tui/runs");
    let files: Vec<_> = std::fs::read_dir(&folder)
        .expect("the runs folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    assert_eq!(files.len(), 8, "{files:?}");
    for path in files {
        let recording = orch_tui::record::read_recording(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            recording.warnings.is_empty(),
            "{path:?}: {:?}",
            recording.warnings
        );
    }
}
