//! `plan` and `validate` on the analytics scenario through the real binary: the critical path
//! and the sequential sum as text and JSON (worked out here from the workflow's estimates),
//! the critical path marked in the Graphviz and Mermaid outputs, and `validate`'s one-line and
//! JSON answers.

mod common;

use common::{HOUR, config, finish_times, orch};
use orch_tui::workflow::Workflow;

const ANALYTICS: &str = "analytics-dashboard.toml";

fn plan(args: &[&str]) -> String {
    let file = config(ANALYTICS);
    let mut all = vec!["plan".as_ref(), file.as_os_str()];
    all.extend(args.iter().map(std::ffi::OsStr::new));
    let out = orch(&all);
    out.assert_no_panic();
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    out.stdout
}

fn analytics() -> Workflow {
    orch_tui::workflow::load(&config(ANALYTICS)).unwrap_or_else(|e| panic!("{e}"))
}

/// The critical path on estimates (every task has its own agent in this scenario), and the
/// sequential sum of the estimates.
fn expected() -> (Vec<&'static str>, u64, u64) {
    let w = analytics();
    let finish = finish_times(&w, |t| t.estimate_ms);
    let sequential = w.tasks.iter().map(|t| t.estimate_ms).sum();
    let length = finish.values().copied().max().unwrap_or(0);
    let estimate = |id: &str| w.tasks.iter().find(|t| t.id == id).map(|t| t.estimate_ms);
    // Each task of the path starts the moment the one before it ends, from 0 to the end.
    assert_eq!(finish["integration"], length);
    assert_eq!(Some(finish["C"]), length.checked_sub(2 * HOUR));
    assert_eq!(estimate("integration"), Some(2 * HOUR));
    assert_eq!(Some(finish["A"]), finish["C"].checked_sub(5 * HOUR));
    assert_eq!(estimate("C"), Some(5 * HOUR));
    assert_eq!(estimate("A"), Some(finish["A"]));
    (vec!["A", "C", "integration"], length, sequential)
}

/// The text after `label` on the line starting with it.
fn field<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find_map(|l| l.strip_prefix(label))
        .map(str::trim)
        .unwrap_or_else(|| panic!("a line starting {label:?} in:\n{text}"))
}

#[test]
fn plan_prints_the_critical_path_and_the_sequential_sum() {
    let (path, length, sequential) = expected();
    assert_eq!((length, sequential), (11 * HOUR, 16 * HOUR));
    let text = plan(&[]);
    assert_eq!(
        field(&text, "Critical path:"),
        format!("{} = 11h", path.join(" -> "))
    );
    assert_eq!(field(&text, "Sequential sum:"), "16h");
    assert_eq!(field(&text, "Estimated makespan:"), "11h");
    // (16 - 11) / 16 = 31.25%, shown to one decimal.
    assert_eq!(field(&text, "Time saved:"), "31.3%");
}

#[test]
fn plan_json_has_the_same_numbers() {
    let (path, length, sequential) = expected();
    let value: serde_json::Value =
        serde_json::from_str(&plan(&["--json"])).expect("plan --json prints JSON");
    assert_eq!(value["critical_path"], serde_json::json!(path));
    assert_eq!(value["critical_path_ms"], length);
    assert_eq!(value["sequential_ms"], sequential);
    assert_eq!(value["makespan_ms"], length);
    assert_eq!(
        value["waves"],
        serde_json::json!([["A", "B", "D"], ["C"], ["integration"]])
    );
    let schedule = value["schedule"].as_array().expect("a schedule");
    assert_eq!(schedule.len(), 5, "one slot per task");
}

#[test]
fn dot_output_marks_the_critical_path_and_nothing_else() {
    let dot = plan(&["--dot"]);
    assert!(dot.starts_with("digraph \"analytics-dashboard\" {"));
    assert!(dot.trim_end().ends_with('}'));
    let marked = |line: &str| line.contains("color=red");
    let line_of = |start: &str| {
        dot.lines()
            .map(str::trim)
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("a line starting {start:?} in:\n{dot}"))
    };
    for critical in [
        "\"A\" [",
        "\"C\" [",
        "\"integration\" [",
        "\"A\" -> \"C\"",
        "\"C\" -> \"integration\"",
    ] {
        assert!(marked(line_of(critical)), "{critical} is marked");
    }
    for other in [
        "\"B\" [",
        "\"D\" [",
        "\"B\" -> \"C\"",
        "\"A\" -> \"integration\"",
        "\"D\" -> \"integration\"",
    ] {
        assert!(!marked(line_of(other)), "{other} is not marked");
    }
}

#[test]
fn mermaid_output_marks_the_critical_path_and_nothing_else() {
    let text = plan(&["--mermaid"]);
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    assert_eq!(lines.first(), Some(&"flowchart LR"));
    // Node ids by task id, from lines like `n0["A: Backend analytics service (4h)"]`.
    let node = |task: &str| -> String {
        lines
            .iter()
            .find_map(|l| {
                let (id, label) = l.split_once("[\"")?;
                label
                    .starts_with(&format!("{task}:"))
                    .then(|| id.to_string())
            })
            .unwrap_or_else(|| panic!("a node for {task} in:\n{text}"))
    };
    let mut classed: Vec<String> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("class ")?.strip_suffix(" critical"))
        .map(String::from)
        .collect();
    classed.sort();
    let mut critical = vec![node("A"), node("C"), node("integration")];
    critical.sort();
    assert_eq!(classed, critical);

    // linkStyle numbers edges in the order they are written.
    let edges: Vec<(&str, &str)> = lines.iter().filter_map(|l| l.split_once(" --> ")).collect();
    assert_eq!(edges.len(), 6);
    let styled: Vec<usize> = lines
        .iter()
        .find_map(|l| l.strip_prefix("linkStyle "))
        .and_then(|rest| rest.split_once(' '))
        .map(|(list, _)| list.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default();
    let expected: Vec<usize> = edges
        .iter()
        .enumerate()
        .filter(|(_, (from, to))| {
            (*from == node("A") && *to == node("C"))
                || (*from == node("C") && *to == node("integration"))
        })
        .map(|(i, _)| i)
        .collect();
    assert_eq!(expected.len(), 2);
    assert_eq!(styled, expected);
}

#[test]
fn validate_sums_up_a_good_workflow_in_one_line() {
    let w = analytics();
    let file = config(ANALYTICS);
    let out = orch(["validate".as_ref(), file.as_os_str()]);
    assert_eq!(out.code, 0);
    assert_eq!(out.stderr, "");
    let line = out.stdout.strip_suffix('\n').expect("a line");
    assert!(!line.contains('\n'), "one line: {:?}", out.stdout);
    let expected = format!(
        "{}: ok — {} tasks, {} agents, {} blockers, {} gates; critical path 11h, estimated makespan 11h",
        file.display(),
        w.tasks.len(),
        w.agents.len(),
        w.blockers.len(),
        w.gates.len()
    );
    assert_eq!(line, expected);
}

#[test]
fn validate_json_says_ok_with_the_counts() {
    let w = analytics();
    let file = config(ANALYTICS);
    let out = orch(["validate".as_ref(), "--json".as_ref(), file.as_os_str()]);
    assert_eq!(out.code, 0);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(value["ok"], true);
    assert_eq!(value["workflow"], "analytics-dashboard");
    assert_eq!(value["tasks"], w.tasks.len());
    assert_eq!(value["agents"], w.agents.len());
    assert_eq!(value["blockers"], w.blockers.len());
    assert_eq!(value["gates"], w.gates.len());
    assert_eq!(value["critical_path_ms"], 11 * HOUR);
}

#[test]
fn every_scenario_validates() {
    for name in [
        "analytics-dashboard.toml",
        "security-enhancement.toml",
        "jwt-auth.toml",
        "shopping-cart.toml",
        "inspection-collaboration.toml",
    ] {
        let file = config(name);
        let out = orch(["validate".as_ref(), "--json".as_ref(), file.as_os_str()]);
        assert_eq!(out.code, 0, "{name}: {}", out.stdout);
        let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        assert_eq!(value["ok"], true, "{name}");
    }
}
