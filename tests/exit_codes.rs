//! The documented exit codes, through the real binary: 0 ok, 1 the run failed, 2 bad input
//! (a workflow file, flags that do not go together), 3 a headless run waits for a decision.

mod common;

use common::{orch_tui, stderr};

fn config(name: &str) -> String {
    format!("{}/config/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn code(args: &[&str]) -> (Option<i32>, String) {
    let out = orch_tui().args(args).output().expect("the binary runs");
    (out.status.code(), stderr(&out))
}

/// A headless run, as fast as it goes, not recorded.
fn headless(args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["run", "--headless", "--instant", "--no-record"];
    all.extend_from_slice(args);
    code(&all)
}

#[test]
fn zero_when_all_is_well() {
    assert_eq!(code(&["validate", &config("jwt-auth.toml")]).0, Some(0));
    assert_eq!(headless(&[&config("jwt-auth.toml")]).0, Some(0));
}

#[test]
fn one_when_the_run_fails() {
    // This scenario's quality gate fails.
    assert_eq!(
        headless(&[&config("inspection-collaboration.toml")]).0,
        Some(1)
    );
}

#[test]
fn two_for_bad_input() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[workflow]\nname = \"x\"\ncolour = 1\n").expect("written");
    let (status, message) = code(&["validate", &bad.display().to_string()]);
    assert_eq!(status, Some(2));
    assert!(message.contains("bad.toml:3:1:"), "{message}");
    let (status, message) = code(&["run", "--speed", "0", &config("jwt-auth.toml")]);
    assert_eq!(status, Some(2), "{message}");
    assert!(message.contains("not a positive number"), "{message}");
    let (status, message) = code(&["run", "--instant", "--decide", "person"]);
    assert_eq!(status, Some(2), "{message}");
    assert_eq!(code(&["plan", "--no-such-flag"]).0, Some(2));
}

#[test]
fn three_when_a_headless_run_waits_for_a_person() {
    let analytics = config("analytics-dashboard.toml");
    let (status, message) = headless(&["--decide", "none", &analytics]);
    assert_eq!(status, Some(3));
    assert!(message.contains("ws-leak"), "{message}");
}

#[test]
fn two_for_an_stg_file_with_an_absurd_task_count() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let stg = dir.path().join("huge.stg");
    std::fs::write(&stg, "99999999999\n0 0 0\n").expect("written");
    let (status, message) = code(&["import-stg", &stg.display().to_string(), "--agents", "2"]);
    assert_eq!(status, Some(2), "{message}");
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("huge.stg:1:"), "{message}");
    assert!(message.contains("at most"), "{message}");
}

#[test]
fn two_when_the_dashboard_has_no_terminal_and_nothing_is_started_or_recorded() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let record = dir.path().join("run.jsonl");
    let recording = format!(
        "{}/assets/analytics-dashboard.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    for (args, instead) in [
        (
            vec![
                "run",
                &config("jwt-auth.toml"),
                "--record",
                record.to_str().unwrap_or_default(),
            ],
            "orch-tui run --headless",
        ),
        (vec!["replay", &recording], "orch-tui replay --headless"),
    ] {
        let out = orch_tui()
            .args(&args)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("the binary runs");
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {message}");
        assert!(message.contains(instead), "{args:?}: {message}");
        assert_eq!(message.lines().count(), 1, "one line: {message}");
        assert!(out.stdout.is_empty(), "nothing drawn");
    }
    assert!(!record.exists(), "nothing was recorded");
}
