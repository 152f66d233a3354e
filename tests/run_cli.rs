//! Headless `run` through the real binary: how `--decide` settles blockers that need a person
//! (`none` stops with exit code 3, `first` and `recommended` choose different options when they
//! differ), where recordings go (`--record`, `--no-record`, the default data folder), and the
//! shape of a recording on disk: the header line, then events numbered from 1 without gaps, in
//! time order, ending with `run_finished`.

mod common;

use common::{HOUR, MINUTE, Output, config, orch, orch_with_data_home, workflow_file};
use orch_tui::engine::{DecideMode, RunStatus, Summary};
use orch_tui::record::{FORMAT, VERSION, read_recording};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// One 4h task that blocks halfway; option 1 costs 3h, option 2 (recommended) 30m.
const CHOICE: &str = r#"[workflow]
name = "choice"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "build"
agent = "eng1"
estimate = 4

[[blockers]]
id = "flaky"
task = "build"
at = 50
severity = "high"
title = "Flaky dependency"
recommended = 2

[[blockers.options]]
label = "Rewrite it"
effect = { delay = "3h" }

[[blockers.options]]
label = "Pin the version"
effect = { delay = "30m" }
"#;

/// `run FILE --headless --instant --no-record --json` plus `extra`.
fn run_json(file: &Path, extra: &[&str]) -> (Output, Summary) {
    let mut args: Vec<&OsStr> = vec![
        "run".as_ref(),
        file.as_os_str(),
        "--headless".as_ref(),
        "--instant".as_ref(),
        "--no-record".as_ref(),
        "--json".as_ref(),
    ];
    args.extend(extra.iter().map(OsStr::new));
    let out = orch(&args);
    out.assert_no_panic();
    let summary = out.summary();
    (out, summary)
}

/// Every file under `dir`, at any depth.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("a readable folder") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

#[test]
fn decide_none_stops_at_the_first_blocker_for_a_person_with_exit_code_3() {
    let file = config("analytics-dashboard.toml");
    let w = orch_tui::workflow::load(&file).unwrap_or_else(|e| panic!("{e}"));
    let blocker = &w.blockers[0];
    let task = w.tasks.iter().find(|t| t.id == blocker.task).expect("B");
    let actual = task.sim.actual_ms.unwrap_or(task.estimate_ms);

    let (out, summary) = run_json(&file, &["--decide", "none"]);
    assert_eq!(out.code, 3);
    assert_eq!(summary.status, RunStatus::AwaitingDecision);
    assert_eq!(
        out.stderr,
        "orch-tui: stopped at blocker `ws-leak` on task `B`: it needs a person; \
         run with --decide recommended, or open the dashboard\n"
    );
    assert_eq!(
        summary.makespan_ms,
        actual * u64::from(blocker.at_pct) / 100
    );
    assert_eq!(summary.blockers.len(), 1);
    assert_eq!(summary.blockers[0].option, None, "undecided");
    assert!(summary.tasks_done < w.tasks.len());
}

#[test]
fn decide_none_leaves_blockers_policy_may_decide_to_policy() {
    // The same run with the blocker's severity among those policy decides.
    let text = CHOICE.replace(
        "[[agents]]",
        "[settings.escalation]\npolicy_decides = [\"high\"]\n\n[[agents]]",
    );
    let file = workflow_file(&text);
    let (out, summary) = run_json(file.path(), &["--decide", "none"]);
    assert_eq!(out.code, 0);
    assert_eq!(
        summary.blockers[0].option,
        Some(2),
        "policy takes the recommended"
    );
}

#[test]
fn decide_first_and_recommended_choose_different_options() {
    let file = workflow_file(CHOICE);
    let (out, first) = run_json(file.path(), &["--decide", "first"]);
    assert_eq!(out.code, 0);
    assert_eq!(first.blockers[0].option, Some(1));
    assert_eq!(first.blockers[0].label.as_deref(), Some("Rewrite it"));
    assert_eq!(first.makespan_ms, 4 * HOUR + 3 * HOUR);

    let (_, recommended) = run_json(file.path(), &["--decide", "recommended"]);
    assert_eq!(recommended.blockers[0].option, Some(2));
    assert_eq!(
        recommended.blockers[0].label.as_deref(),
        Some("Pin the version")
    );
    assert_eq!(recommended.makespan_ms, 4 * HOUR + 30 * MINUTE);

    let (_, default) = run_json(file.path(), &[]);
    assert_eq!(default, recommended, "recommended is the default");
}

#[test]
fn record_writes_the_file_named_and_says_so() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("runs").join("analytics.jsonl");
    let file = config("analytics-dashboard.toml");
    let out = orch([
        "run".as_ref(),
        file.as_os_str(),
        "--headless".as_ref(),
        "--instant".as_ref(),
        "--record".as_ref(),
        path.as_os_str(),
    ]);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_eq!(
        out.stdout.lines().last(),
        Some(format!("Recorded to {}", path.display()).as_str())
    );
    assert_eq!(files_under(dir.path()), std::slice::from_ref(&path));
    let recording = read_recording(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(recording.warnings.is_empty());
}

#[test]
fn with_json_the_recorded_to_line_goes_to_stderr() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("run.jsonl");
    let file = config("jwt-auth.toml");
    let out = orch([
        "run".as_ref(),
        file.as_os_str(),
        "--headless".as_ref(),
        "--instant".as_ref(),
        "--json".as_ref(),
        "--record".as_ref(),
        path.as_os_str(),
    ]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stderr, format!("Recorded to {}\n", path.display()));
    assert_eq!(out.summary().status, RunStatus::Succeeded);
    assert!(path.is_file());
}

#[test]
fn without_record_options_the_run_goes_to_the_data_folder() {
    let home = tempfile::tempdir().expect("a temporary folder");
    let file = config("analytics-dashboard.toml");
    let out = orch_with_data_home(
        home.path(),
        ["run".as_ref(), file.as_os_str(), "--instant".as_ref()],
    );
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    let written = files_under(home.path());
    assert_eq!(written.len(), 1, "{written:?}");
    let path = &written[0];
    assert_eq!(
        path.parent(),
        Some(home.path().join("orch-tui/runs").as_path())
    );
    let name = path.file_name().and_then(OsStr::to_str).unwrap_or("");
    assert!(name.starts_with("analytics-dashboard-") && name.ends_with(".jsonl"));
    assert_eq!(
        out.stdout.lines().last(),
        Some(format!("Recorded to {}", path.display()).as_str())
    );
}

#[test]
fn no_record_writes_nothing() {
    let home = tempfile::tempdir().expect("a temporary folder");
    let file = config("analytics-dashboard.toml");
    let out = orch_with_data_home(
        home.path(),
        [
            "run".as_ref(),
            file.as_os_str(),
            "--instant".as_ref(),
            "--no-record".as_ref(),
        ],
    );
    assert_eq!(out.code, 0);
    assert!(!out.stdout.contains("Recorded to") && !out.stderr.contains("Recorded to"));
    assert_eq!(files_under(home.path()), Vec::<PathBuf>::new());
}

#[test]
fn without_a_file_the_built_in_analytics_example_runs() {
    let home = tempfile::tempdir().expect("a temporary folder");
    let out = orch_with_data_home(
        home.path(),
        ["run", "--headless", "--instant", "--no-record", "--json"],
    );
    assert_eq!(out.code, 0);
    let (_, from_file) = run_json(&config("analytics-dashboard.toml"), &[]);
    assert_eq!(out.summary(), from_file);
}

#[test]
fn the_recording_header_carries_the_resolved_workflow_and_the_seed() {
    let file = config("analytics-dashboard.toml");
    let w = orch_tui::workflow::load(&file).unwrap_or_else(|e| panic!("{e}"));
    let (_, recording) = common::run_recorded(&file, &[]);
    let header = &recording.header;
    assert_eq!(header.format, FORMAT);
    assert_eq!(header.format, "orch-tui-run");
    assert_eq!(header.version, VERSION);
    assert_eq!(header.version, 3);
    assert_eq!(header.workflow, w);
    assert_eq!(header.seed, w.settings.seed);
    assert_eq!(header.decide, DecideMode::Recommended);

    let (_, recording) = common::run_recorded(&file, &["--seed", "7", "--decide", "first"]);
    assert_eq!(recording.header.seed, 7);
    assert_eq!(recording.header.decide, DecideMode::First);
}

#[test]
fn recorded_events_count_from_one_in_time_order_and_end_with_run_finished() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for (name, status, code) in [
        ("analytics-dashboard.toml", "succeeded", 0),
        ("inspection-collaboration.toml", "failed", 1),
    ] {
        let path = dir.path().join(name).with_extension("jsonl");
        let file = config(name);
        let out = orch([
            "run".as_ref(),
            file.as_os_str(),
            "--headless".as_ref(),
            "--instant".as_ref(),
            "--record".as_ref(),
            path.as_os_str(),
        ]);
        out.assert_no_panic();
        assert_eq!(out.code, code, "{name}");
        // Read the lines as plain JSON, independently of the recording reader.
        let text = std::fs::read_to_string(&path).expect("the recording");
        assert!(text.ends_with('\n'), "{name}: whole lines");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("every line is JSON"))
            .collect();
        assert_eq!(lines[0]["format"], "orch-tui-run", "{name}: header first");
        let events = &lines[1..];
        assert!(events.len() > 10, "{name}: a run has events");
        let mut last_at = 0;
        for (i, e) in events.iter().enumerate() {
            assert_eq!(e["seq"], i as u64 + 1, "{name}: seq without gaps");
            let at = e["at_ms"].as_u64().expect("at_ms");
            assert!(
                at >= last_at,
                "{name}: time never goes back (seq {})",
                i + 1
            );
            last_at = at;
            assert!(e["wall_ms"].is_u64(), "{name}: stamped with the wall clock");
        }
        assert_eq!(events[0]["kind"], "run_started");
        let last = &events[events.len() - 1];
        assert_eq!(last["kind"], "run_finished", "{name}");
        assert_eq!(last["summary"]["status"], status, "{name}");
        assert_eq!(last["summary"]["makespan_ms"], last["at_ms"], "{name}");
    }
}
