//! The real-agents example, `config/real-build.toml` with the agents of `assets/agents/`, copied
//! into a fresh folder and run for real: headless, it writes a C program, fails the first build
//! and retries it, takes the reviewer's recommended option, compiles and tests the program and
//! writes a report through the ssh stand-in; in the dashboard (tmux), a person chooses the other
//! option of the reviewer's blocker by keystroke, and the reviewer acts on that choice. Ctrl-C in
//! a dashboard with running agents ends every process group.

mod common;

use common::real::{RealRun, STUBBORN, bash_agent, gone, pids_in, workflow};
use common::tmux::{BIN, Tmux, quoted, recorded_events};
use std::path::Path;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(60);

/// Copies the example workflow and its agents into `root` (as `config/` and `assets/agents/`).
fn copy_example(root: &Path) -> std::path::PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let agents = root.join("assets/agents");
    std::fs::create_dir_all(&agents).expect("folders");
    std::fs::create_dir_all(root.join("config")).expect("folders");
    for entry in std::fs::read_dir(repo.join("assets/agents")).expect("the agents exist") {
        let entry = entry.expect("an entry");
        if entry.path().is_file() {
            std::fs::copy(entry.path(), agents.join(entry.file_name())).expect("copied");
        }
    }
    let workflow = root.join("config/real-build.toml");
    std::fs::copy(repo.join("config/real-build.toml"), &workflow).expect("copied");
    workflow
}

#[test]
fn the_example_builds_reviews_and_tests_a_real_program_headless() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let workflow = copy_example(dir.path());
    let record = dir.path().join("run.jsonl");
    let out = common::orch_tui()
        .arg("run")
        .arg(&workflow)
        .args(["--headless", "--decide", "recommended", "--record"])
        .arg(&record)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .expect("orch-tui runs");
    let run = RealRun {
        out: common::Output {
            code: out.status.code().unwrap_or(-1),
            stdout: common::stdout(&out),
            stderr: common::stderr(&out),
        },
        events: recorded_events(&record),
        dir,
    };
    assert_eq!(
        run.status(),
        "succeeded",
        "{}\n{}",
        run.out.stdout,
        run.out.stderr
    );
    let failed = run.events("task_failed");
    assert_eq!(failed.len(), 1, "the first build fails");
    assert_eq!(
        (failed[0]["task"].as_str(), failed[0]["reason"].as_str()),
        (Some("build"), Some("exit status 75"))
    );
    assert_eq!(run.events("decision_made")[0]["option"], 1);
    let report = run.read("target/real-build/REPORT.md");
    assert!(report.contains("- review: review: option 1"), "{report}");
    assert!(
        report.contains("- test: null") || report.contains("- test: None"),
        "{report}"
    );
    assert_eq!(run.read("target/real-build/actual.txt"), "3 9 44\n");
    let messages = run.events("message");
    assert!(
        messages
            .iter()
            .any(|m| m["from"] == "reporter" && m["to"] == "team"),
        "the reporter's own message: {messages:?}"
    );
}

#[test]
fn a_person_decides_a_real_agents_blocker_by_keystroke() {
    let tmux = Tmux::start("real", 120, 40, |dir| {
        let workflow = copy_example(dir);
        format!(
            "{BIN} run {} --record {}",
            quoted(&workflow),
            quoted(&dir.join("run.jsonl"))
        )
    });
    let screen = tmux.wait_for("waits for a person", WAIT);
    assert!(screen.contains("strip-symbols"), "{screen}");
    tmux.send("n");
    let panel = tmux.wait_for("Decision: strip-symbols", WAIT);
    assert!(panel.contains("Ship as built"), "{panel}");
    tmux.send("2");
    tmux.wait_for("option 2 \"Ship as built\" chosen", WAIT);
    tmux.wait_for("Run succeeded", WAIT);
    tmux.send("q");
    assert_eq!(tmux.exit_code(WAIT), 0);
    let events = recorded_events(&tmux.path("run.jsonl"));
    let decision = events
        .iter()
        .find(|e| e["kind"] == "decision_made")
        .expect("the decision is recorded");
    assert_eq!(decision["by"], "user");
    assert_eq!(decision["option"], 2);
    let review = events
        .iter()
        .find(|e| e["kind"] == "task_completed" && e["task"] == "review")
        .expect("the review completed");
    assert!(
        review["output"]
            .as_str()
            .is_some_and(|o| o.starts_with("review: option 2")),
        "the reviewer acted on the keystroke: {review}"
    );
}

#[test]
fn ctrl_c_in_the_dashboard_ends_every_agent() {
    let tmux = Tmux::start("real-ctrlc", 100, 30, |dir| {
        let text = workflow(&format!(
            "{}[[tasks]]\nid = \"T\"\nrole = \"stubborn\"\nestimate = \"1m\"\n",
            bash_agent("stubborn", STUBBORN, "")
        ));
        std::fs::write(dir.join("w.toml"), text).expect("written");
        format!(
            "{BIN} run {} --record {}",
            quoted(&dir.join("w.toml")),
            quoted(&dir.join("run.jsonl"))
        )
    });
    let start = std::time::Instant::now();
    while pids_in(&tmux.path("pids")).len() < 2 {
        assert!(start.elapsed() < WAIT, "the agent started");
        std::thread::sleep(Duration::from_millis(20));
    }
    tmux.wait_for("running", WAIT);
    tmux.send("C-c");
    assert_eq!(tmux.exit_code(WAIT), 1);
    for pid in pids_in(&tmux.path("pids")) {
        assert!(gone(pid), "process {pid} is left (or a zombie)");
    }
    let events = recorded_events(&tmux.path("run.jsonl"));
    assert_eq!(
        events.last().expect("events")["summary"]["status"],
        "stopped"
    );
}
