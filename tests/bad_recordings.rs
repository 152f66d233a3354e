//! Recordings crafted from a good one to be wrong where a reader could trust them: a header
//! whose workflow breaks the rules of a workflow file (a cycle, `max_parallel = 0`, an estimate
//! of `u64::MAX`, unbounded retries or remediation), a decision for option 0, events after
//! `run_finished`, and a time beyond ten years. Each is a one-line error naming the line, from the reader and from
//! the binary (`replay --headless`, `--at`, `--verify`), and never a panic.

mod common;

use common::{assert_says, orch, parse, run_events};
use orch_tui::engine::DecideMode;
use orch_tui::record::reader::parse_recording;
use orch_tui::record::{Header, read_recording};
use serde_json::{Value, json};

const WORKFLOW: &str = r#"[workflow]
name = "tiny"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1

[[tasks]]
id = "B"
agent = "eng1"
estimate = 1
depends_on = ["A"]

[[blockers]]
id = "choice"
task = "A"
severity = "low"
title = "Pick one"
options = [{ label = "this" }, { label = "that" }]
"#;

/// A whole recording of the tiny workflow, one JSON value per line.
fn lines() -> Vec<Value> {
    let header = Header::new(parse(WORKFLOW), 1, DecideMode::Recommended);
    let (_, events) = run_events(WORKFLOW, DecideMode::Recommended, Some(1));
    std::iter::once(serde_json::to_value(&header).expect("header JSON"))
        .chain(
            events
                .iter()
                .map(|e| serde_json::to_value(e).expect("event JSON")),
        )
        .collect()
}

fn text(lines: &[Value]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// The reader's error for `lines`, checked to sit on `line` and to be one line.
fn refused_at(lines: &[Value], line: usize) -> String {
    let err = match parse_recording(&text(lines), "run.jsonl") {
        Ok(r) => panic!("read {} events, expected an error", r.events.len()),
        Err(e) => e,
    };
    let shown = err.to_string();
    assert!(!shown.contains('\n'), "one line: {shown}");
    assert_eq!(err.position.map(|p| p.0), Some(line), "{shown}");
    shown
}

/// The line index of the first event of `kind`.
fn first(lines: &[Value], kind: &str) -> usize {
    lines
        .iter()
        .position(|l| l["kind"] == kind)
        .unwrap_or_else(|| panic!("the recording has a {kind} event"))
}

#[test]
fn the_good_recording_reads() {
    let lines = lines();
    let recording = parse_recording(&text(&lines), "run.jsonl").expect("it reads");
    assert_eq!(recording.events.len(), lines.len() - 1);
}

#[test]
fn a_header_whose_workflow_has_a_cycle_is_refused_at_the_header() {
    let mut lines = lines();
    lines[0]["workflow"]["tasks"][0]["depends_on"] = json!(["B"]);
    let message = refused_at(&lines, 1);
    assert_says(&message, "dependency cycle");
}

#[test]
fn a_header_with_max_parallel_zero_is_refused_at_the_header() {
    let mut lines = lines();
    lines[0]["workflow"]["settings"]["max_parallel"] = json!(0);
    assert_says(&refused_at(&lines, 1), "max_parallel must be 1 or more");
}

#[test]
fn a_header_with_an_endless_estimate_is_refused_at_the_header() {
    let mut lines = lines();
    lines[0]["workflow"]["tasks"][1]["estimate_ms"] = json!(u64::MAX);
    assert_says(&refused_at(&lines, 1), "longer than ten years");
}

#[test]
fn a_header_with_unbounded_retries_is_refused_at_the_header() {
    let mut lines = lines();
    lines[0]["workflow"]["settings"]["max_retries"] = json!(4_000_000_000u32);
    assert_says(&refused_at(&lines, 1), "max_retries may be at most 100");
}

#[test]
fn a_header_whose_gate_adds_too_many_remediation_tasks_is_refused_at_the_header() {
    let mut lines = lines();
    let fixes: Vec<Value> = (0..101)
        .map(|i| {
            let mut task = lines[0]["workflow"]["tasks"][0].clone();
            task["id"] = json!(format!("fix{i}"));
            task
        })
        .collect();
    let mut gate = json!({ "id": "check", "name": "check", "after": ["A"] });
    gate["outcome"] = json!("passed_with_remediation");
    gate["remediation"] = json!(fixes);
    lines[0]["workflow"]["gates"] = json!([gate]);
    assert_says(
        &refused_at(&lines, 1),
        "gate `check` may add at most 100 remediation tasks, not 101",
    );
}

#[test]
fn a_header_with_a_dangling_dependency_is_refused_at_the_header() {
    let mut lines = lines();
    lines[0]["workflow"]["tasks"][1]["depends_on"] = json!(["nowhere"]);
    assert_says(&refused_at(&lines, 1), "`nowhere`");
}

#[test]
fn a_decision_for_option_zero_is_refused_at_its_line() {
    let mut lines = lines();
    let at = first(&lines, "decision_made");
    lines[at]["option"] = json!(0);
    assert_says(&refused_at(&lines, at + 1), "option 0");
}

#[test]
fn events_after_run_finished_are_refused_at_the_first_of_them() {
    let mut lines = lines();
    let end = lines.len() - 1;
    assert_eq!(lines[end]["kind"], "run_finished");
    let mut extra = lines[first(&lines, "task_started")].clone();
    extra["seq"] = json!(end + 1);
    extra["at_ms"] = lines[end]["at_ms"].clone();
    lines.push(extra);
    assert_says(&refused_at(&lines, end + 2), "after `run_finished`");
}

#[test]
fn a_time_beyond_ten_years_is_refused_at_its_line() {
    let mut lines = lines();
    let end = lines.len() - 1;
    lines[end]["at_ms"] = json!(u64::MAX / 2);
    assert_says(&refused_at(&lines, end + 1), "ten years");
}

#[test]
fn the_binary_refuses_a_bad_header_with_one_line_and_no_panic() {
    let mut lines = lines();
    lines[0]["workflow"]["tasks"][0]["depends_on"] = json!(["B"]);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("run.jsonl");
    std::fs::write(&file, text(&lines)).expect("the recording is written");
    assert!(read_recording(&file).is_err());
    for extra in [&["--verify"][..], &["--headless"], &["--at", "1"]] {
        let mut args = vec!["replay", file.to_str().expect("a UTF-8 path")];
        args.extend(extra);
        let out = orch(&args);
        out.assert_no_panic();
        assert_eq!(out.code, 2, "{extra:?}: {}", out.stderr);
        let prefix = format!("orch-tui: {}:1:1: ", file.display());
        let message = common::refused::message_after(&out.stderr, &prefix);
        assert_says(&message, "dependency cycle");
    }
}

#[test]
fn a_device_is_refused_as_a_recording_before_it_is_read() {
    let out = orch(["replay", "/dev/zero", "--headless"]);
    out.assert_no_panic();
    assert_eq!(out.code, 2);
    let message = common::refused::message_after(&out.stderr, "orch-tui: /dev/zero: ");
    assert_says(&message, "not a regular file");
}

#[test]
fn a_decision_for_an_option_the_blocker_lacks_is_refused_at_its_line() {
    let mut lines = lines();
    let at = first(&lines, "decision_made");
    lines[at]["option"] = json!(3);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("run.jsonl");
    std::fs::write(&file, text(&lines)).expect("the recording is written");
    let out = orch(["replay", file.to_str().expect("a UTF-8 path"), "--headless"]);
    out.assert_no_panic();
    assert_eq!(out.code, 2, "{}", out.stderr);
    let prefix = format!("orch-tui: {}:{}:1: ", file.display(), at + 1);
    let message = common::refused::message_after(&out.stderr, &prefix);
    assert_says(&message, "blocker `choice` has options 1 to 2, not 3");
}
