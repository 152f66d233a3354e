//! Bad workflow files given to the real binary: each mistake must be answered with exit code 2
//! and exactly one line on stderr, `orch-tui: <file>:<line>:<col>: <message>`, where the line
//! and column are those of the mistake in the file and the message says what to fix. Never a
//! panic. Most cases go through `validate`; `run` and `plan` load workflows the same way, which
//! one test checks.

mod common;

use common::{orch, workflow_file};
use std::path::Path;

/// Runs `orch-tui <command> FILE` on `text` and checks the answer is one line starting
/// `orch-tui: FILE:LINE:COL: `, with exit code 2 and nothing on stdout. Returns the message.
fn refused_by(command: &str, text: &str, line: usize, col: usize) -> String {
    let file = workflow_file(text);
    let out = orch([command.as_ref(), file.path().as_os_str()]);
    out.assert_no_panic();
    assert_eq!(out.code, 2, "exit code; stderr: {}", out.stderr);
    assert_eq!(out.stdout, "", "nothing on stdout");
    let prefix = format!("orch-tui: {}:{line}:{col}: ", file.path().display());
    message_after(&out.stderr, &prefix)
}

fn refused_at(text: &str, line: usize, col: usize) -> String {
    refused_by("validate", text, line, col)
}

/// The message of a one-line `stderr` that starts with `prefix`.
fn message_after(stderr: &str, prefix: &str) -> String {
    let line = stderr
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("stderr ends with a newline: {stderr:?}"));
    assert!(!line.contains('\n'), "one line on stderr, got:\n{stderr}");
    let message = line
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("stderr starts with {prefix:?}, got:\n{stderr}"));
    assert!(!message.trim().is_empty(), "a message follows the position");
    message.to_string()
}

fn assert_says(message: &str, expected: &str) {
    assert!(
        message.contains(expected),
        "the message {message:?} should contain {expected:?}"
    );
}

#[test]
fn a_cycle_is_named_by_its_path_at_the_first_task_of_it() {
    let message = refused_at(
        r#"[workflow]
name = "cycle"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 4
depends_on = ["C"]

[[tasks]]
id = "B"
agent = "eng1"
estimate = 3

[[tasks]]
id = "C"
agent = "eng1"
estimate = 5
depends_on = ["A", "B"]
"#,
        9,
        6,
    );
    assert_says(&message, "dependency cycle: A -> C -> A;");
    assert_says(&message, "remove one of these dependencies");
}

#[test]
fn a_longer_cycle_through_a_gate_is_named_in_the_order_work_flows() {
    // A needs the gate, the gate checks C, C needs A: work would flow A -> C -> check -> A.
    let message = refused_at(
        r#"[workflow]
name = "cycle"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
depends_on = ["check"]

[[tasks]]
id = "C"
agent = "eng1"
estimate = 1
depends_on = ["A"]

[[gates]]
id = "check"
after = ["C"]
"#,
        9,
        6,
    );
    assert_says(&message, "dependency cycle: A -> C -> check -> A;");
}

#[test]
fn a_task_depending_on_itself_is_a_cycle_of_one() {
    let message = refused_at(
        r#"[workflow]
name = "self"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
depends_on = ["A"]
"#,
        12,
        15,
    );
    assert_says(&message, "task `A` depends on itself: A -> A");
}

#[test]
fn an_unknown_dependency_is_placed_and_the_closest_id_suggested() {
    let message = refused_at(
        r#"[workflow]
name = "typo"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "Dashboard"
agent = "eng1"
estimate = 5

[[tasks]]
id = "integration"
agent = "eng1"
estimate = 2
depends_on = ["Backend", "Dashbord"]

[[tasks]]
id = "Backend"
agent = "eng1"
estimate = 4
"#,
        17,
        26,
    );
    assert_says(
        &message,
        "unknown dependency `Dashbord`; did you mean `Dashboard`?",
    );
}

#[test]
fn an_unknown_dependency_far_from_every_id_lists_the_known_ones() {
    let message = refused_at(
        r#"[workflow]
name = "typo"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
depends_on = ["zzzzzz"]
"#,
        12,
        15,
    );
    assert_says(&message, "unknown dependency `zzzzzz`; known: A");
}

#[test]
fn an_unknown_agent_is_placed_and_the_closest_id_suggested() {
    let message = refused_at(
        r#"[workflow]
name = "typo"

[[agents]]
id = "eng1"
role = "engineer"

[[agents]]
id = "qa"
role = "qa"

[[tasks]]
id = "A"
agent = "egn1"
estimate = 1
"#,
        14,
        9,
    );
    assert_says(&message, "unknown agent `egn1`; did you mean `eng1`?");
}

#[test]
fn an_unknown_backup_agent_is_placed_and_the_closest_id_suggested() {
    let message = refused_at(
        r#"[workflow]
name = "typo"

[[agents]]
id = "developer"
role = "developer"
backups = ["developer-3"]

[[agents]]
id = "developer-2"
role = "developer"

[[tasks]]
id = "A"
role = "developer"
estimate = 1
"#,
        7,
        12,
    );
    assert_says(
        &message,
        "unknown backup agent `developer-3`; did you mean `developer-2`?",
    );
}

#[test]
fn a_duplicate_task_id_is_reported_where_it_repeats() {
    let message = refused_at(
        r#"[workflow]
name = "dup"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1

[[tasks]]
id = "A"
agent = "eng1"
estimate = 2
"#,
        14,
        6,
    );
    assert_says(
        &message,
        "duplicate task or gate id `A`; ids must be unique",
    );
}

#[test]
fn a_gate_may_not_reuse_a_task_id() {
    let message = refused_at(
        r#"[workflow]
name = "dup"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "review"
agent = "eng1"
estimate = 1

[[gates]]
id = "review"
after = ["review"]
"#,
        14,
        6,
    );
    assert_says(&message, "duplicate task or gate id `review`");
}

#[test]
fn a_duplicate_agent_id_is_reported_where_it_repeats() {
    let message = refused_at(
        r#"[workflow]
name = "dup"

[[agents]]
id = "eng1"
role = "engineer"

[[agents]]
id = "eng1"
role = "qa"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
"#,
        9,
        6,
    );
    assert_says(&message, "duplicate agent id `eng1`; ids must be unique");
}

#[test]
fn a_workflow_without_tasks_is_reported_at_its_header() {
    let message = refused_at(
        r#"# Nothing to do yet.
[workflow]
name = "empty"

[[agents]]
id = "eng1"
role = "engineer"
"#,
        2,
        1,
    );
    assert_says(
        &message,
        "the workflow has no tasks; add at least one [[tasks]] table",
    );
}

#[test]
fn a_workflow_without_agents_is_reported_at_its_header() {
    let message = refused_at(
        r#"[workflow]
name = "nobody"

[[tasks]]
id = "A"
role = "engineer"
estimate = 1
"#,
        1,
        1,
    );
    assert_says(
        &message,
        "the workflow has no agents; add at least one [[agents]] table",
    );
}

#[test]
fn an_empty_file_says_how_to_start_a_workflow() {
    let message = refused_at("", 1, 1);
    assert_says(&message, "no [workflow] table; start it with [workflow]");
}

#[test]
fn a_task_no_agent_can_take_names_the_role_nobody_has() {
    let message = refused_at(
        r#"[workflow]
name = "roles"

[[agents]]
id = "eng1"
role = "engineer"
skills = ["backend"]

[[tasks]]
id = "A"
role = "backend"
estimate = 1

[[tasks]]
id = "B"
role = "designer"
estimate = 1
"#,
        16,
        8,
    );
    assert_says(
        &message,
        "no agent can take task `B`: no agent has role `designer`",
    );
}

#[test]
fn a_task_with_neither_agent_nor_role_says_to_add_one() {
    let message = refused_at(
        r#"[workflow]
name = "roles"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
estimate = 1
"#,
        9,
        6,
    );
    assert_says(
        &message,
        "task `A` names neither `agent` nor `role`; add one",
    );
}

#[test]
fn a_negative_number_duration_is_refused_where_written() {
    let message = refused_at(
        r#"[workflow]
name = "negative"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = -2
"#,
        11,
        12,
    );
    assert_says(&message, "`-2` is negative; durations are zero or more");
}

#[test]
fn a_negative_duration_with_a_unit_is_refused_where_written() {
    let message = refused_at(
        r#"[workflow]
name = "negative"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
sim = { actual = "-30m" }
"#,
        12,
        18,
    );
    assert_says(&message, "`-30m` is negative; durations are zero or more");
}

#[test]
fn an_unparsable_duration_says_what_a_duration_looks_like() {
    let message = refused_at(
        r#"[workflow]
name = "garbage"
unit = "days"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = "3 fortnights"
"#,
        12,
        12,
    );
    assert_says(&message, "`3 fortnights` is not a duration");
    assert_says(&message, r#"e.g. "30m", "1.5h", "2d", "1w""#);
}

#[test]
fn a_duration_of_the_wrong_type_says_what_a_duration_looks_like() {
    let message = refused_at(
        r#"[workflow]
name = "garbage"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = true
"#,
        11,
        12,
    );
    assert_says(
        &message,
        "invalid type: boolean `true`, expected a duration",
    );
    assert_says(&message, r#"a string such as "30m""#);
}

#[test]
fn a_duration_over_ten_years_is_refused() {
    let message = refused_at(
        r#"[workflow]
name = "forever"
unit = "weeks"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 600
"#,
        12,
        12,
    );
    assert_says(&message, "`600` is longer than ten years");
}

#[test]
fn a_jitter_range_upside_down_is_refused() {
    let message = refused_at(
        r#"[workflow]
name = "jitter"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1

[tasks.sim]
jitter = [1.3, 0.8]
"#,
        14,
        10,
    );
    assert_says(&message, "jitter must be [low, high] with 0 < low <= high");
}

/// A workflow with one blocker of two options, recommending `recommended`.
fn blocker_recommending(recommended: &str) -> String {
    format!(
        r#"[workflow]
name = "blocked"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1

[[blockers]]
id = "leak"
task = "A"
severity = "high"
title = "Memory leak"
recommended = {recommended}

[[blockers.options]]
label = "Upgrade"

[[blockers.options]]
label = "Work around"
"#
    )
}

#[test]
fn a_recommended_option_past_the_last_is_refused() {
    let message = refused_at(&blocker_recommending("3"), 18, 15);
    assert_says(
        &message,
        "recommended option 3 does not exist; blocker `leak` has options 1 to 2",
    );
}

#[test]
fn options_count_from_one_so_recommending_zero_is_refused() {
    let message = refused_at(&blocker_recommending("0"), 18, 15);
    assert_says(&message, "recommended option 0 does not exist");
}

#[test]
fn an_unknown_field_suggests_the_field_probably_meant() {
    let message = refused_at(
        r#"[workflow]
name = "typo"

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
depends_onn = ["A"]
"#,
        17,
        1,
    );
    assert_eq!(
        message,
        "unknown field `depends_onn`; did you mean `depends_on`?"
    );
}

#[test]
fn an_unknown_field_like_no_other_lists_the_allowed_ones() {
    let message = refused_at(
        r#"[workflow]
name = "typo"
colour = "blue"
"#,
        3,
        1,
    );
    assert_says(&message, "unknown field `colour`, expected one of `name`");
}

#[test]
fn an_unknown_value_lists_the_allowed_ones() {
    let message = refused_at(
        r#"[workflow]
name = "typo"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
priority = "urgent"
"#,
        12,
        12,
    );
    assert_says(
        &message,
        "unknown variant `urgent`, expected one of `low`, `medium`, `high`",
    );
}

#[test]
fn a_toml_syntax_error_is_placed_where_the_parser_stopped() {
    let message = refused_at(
        r#"[workflow]
name = "syntax"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate 1
"#,
        11,
        10,
    );
    assert_says(&message, "expected `=`");
}

#[test]
fn an_unclosed_string_is_placed_at_the_end_of_its_line() {
    let message = refused_at(
        r#"[workflow]
name = "syntax
"#,
        2,
        15,
    );
    assert_says(&message, "invalid basic string");
}

#[test]
fn a_missing_file_is_named_without_a_position() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("no-such-workflow.toml");
    let out = orch(["validate".as_ref(), path.as_os_str()]);
    out.assert_no_panic();
    assert_eq!(out.code, 2);
    let message = message_after(&out.stderr, &format!("orch-tui: {}: ", path.display()));
    assert_says(&message, "cannot read the workflow");
    assert_says(&message, "No such file or directory");
}

#[test]
fn an_unknown_phase_resource_or_blocker_task_is_placed() {
    let text = r#"[workflow]
name = "refs"

[resources]
staging-db = 1

[[phases]]
id = "build"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
phase = "biuld"
"#;
    let message = refused_at(text, 18, 9);
    assert_says(&message, "unknown phase `biuld`; did you mean `build`?");

    let text = text.replace(r#"phase = "biuld""#, r#"resources = ["staging_db"]"#);
    let message = refused_at(&text, 18, 14);
    assert_says(
        &message,
        "unknown resource `staging_db`; did you mean `staging-db`?",
    );

    let text = text.replace(r#"resources = ["staging_db"]"#, "")
        + r#"
[[blockers]]
id = "b"
task = "a"
severity = "low"
title = "t"
options = [{ label = "go" }]
"#;
    let message = refused_at(&text, 22, 8);
    assert_says(&message, "unknown task `a`; did you mean `A`?");
}

#[test]
fn an_added_task_may_not_depend_on_one_added_after_it() {
    let message = refused_at(
        r#"[workflow]
name = "remediation"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1

[[gates]]
id = "check"
after = ["A"]
outcome = "passed_with_remediation"

[[gates.remediation]]
id = "fix"
agent = "eng1"
estimate = 1
depends_on = ["retest"]

[[gates.remediation]]
id = "retest"
agent = "eng1"
estimate = 1
"#,
        22,
        15,
    );
    assert_says(
        &message,
        "task `fix` depends on `retest`, which may not exist when `fix` is added; list `retest` before it",
    );
}

#[test]
fn out_of_range_numbers_say_their_range() {
    let text = r#"[workflow]
name = "numbers"

[settings]
max_parallel = 0

[resources]
db = 1

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
sim = { fail_at = 100 }
"#;
    let message = refused_at(text, 18, 19);
    assert_says(&message, "fail_at is a percent from 1 to 99");

    let text = text.replace("fail_at = 100", "fail_at = 50");
    let message = refused_at(&text, 5, 16);
    assert_says(&message, "max_parallel must be 1 or more");

    let text = text
        .replace("max_parallel = 0", "max_parallel = 1")
        .replace("db = 1", "db = 0");
    let message = refused_at(&text, 8, 6);
    assert_says(&message, "resource `db` has capacity 0; give it 1 or more");
}

#[test]
fn run_and_plan_report_a_bad_workflow_as_validate_does() {
    let text = r#"[workflow]
name = "typo"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng2"
estimate = 1
"#;
    let expected = "unknown agent `eng2`; did you mean `eng1`?";
    assert_eq!(refused_by("validate", text, 10, 9), expected);
    assert_eq!(refused_by("plan", text, 10, 9), expected);
    let file = workflow_file(text);
    let out = orch([
        "run".as_ref(),
        file.path().as_os_str(),
        "--headless".as_ref(),
        "--instant".as_ref(),
        "--no-record".as_ref(),
    ]);
    out.assert_no_panic();
    assert_eq!(out.code, 2);
    let prefix = format!("orch-tui: {}:10:9: ", file.path().display());
    assert_eq!(message_after(&out.stderr, &prefix), expected);
}

#[test]
fn validate_json_reports_the_position_and_message() {
    let text = blocker_recommending("5");
    let file = workflow_file(&text);
    let out = orch([
        "validate".as_ref(),
        "--json".as_ref(),
        file.path().as_os_str(),
    ]);
    out.assert_no_panic();
    assert_eq!(out.code, 2);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON on stdout");
    assert_eq!(value["ok"], false);
    assert_eq!(value["line"], 18);
    assert_eq!(value["column"], 15);
    assert_eq!(
        value["file"].as_str().map(Path::new),
        Some(file.path()),
        "the file named"
    );
    assert_eq!(
        value["message"],
        "recommended option 5 does not exist; blocker `leak` has options 1 to 2"
    );
}

#[test]
fn a_phase_after_itself_is_named_as_such() {
    let message = refused_at(
        r#"[workflow]
name = "phases"

[[phases]]
id = "build"
after = ["build"]

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
agent = "eng1"
estimate = 1
phase = "build"
"#,
        6,
        10,
    );
    assert_eq!(
        message,
        "phase `build` comes after itself; remove it from `after`"
    );
}
