//! Bad values in workflows, as given to the real binary: negative, unparsable, mistyped or
//! oversized durations, impossible jitter, a recommended option that does not exist, unknown
//! enum values, numbers out of range (alert thresholds too) and a route led by no one. Each is
//! answered with exit code 2 and one line, `orch-tui: FILE:LINE:COL: message`, at the value,
//! saying what is allowed; `validate --json` gives the same position and message as JSON.

mod common;

use common::refused::refused_at;
use common::{assert_says, orch, workflow_file};
use std::path::Path;

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
fn steering_settings_out_of_range_are_refused_where_written() {
    let workflow = |settings: &str| {
        format!(
            "[workflow]\nname = \"steer\"\n\n{settings}\n\n[[agents]]\nid = \"eng1\"\nrole = \"engineer\"\n\n[[tasks]]\nid = \"A\"\nagent = \"eng1\"\nestimate = 1\n"
        )
    };
    let message = refused_at(&workflow("[settings.alerts]\nfailure_rate = 1.5"), 5, 16);
    assert_says(&message, "failure_rate is a fraction from 0 to 1");
    let message = refused_at(&workflow("[settings.alerts]\noverrun = -1.0"), 5, 11);
    assert_says(&message, "overrun is a factor of the expected duration");
    let message = refused_at(
        &workflow(
            "[settings.escalation]\nroutes = [{ category = \"SECURITY\", lead = \"secrity\" }]",
        ),
        5,
        43,
    );
    assert_says(
        &message,
        "route lead `secrity` is neither an agent nor a role of one",
    );
}

/// A one-task workflow with `settings` under `[settings]` (line 5) and `task` after the task's
/// estimate (line 15).
fn limited(settings: &str, task: &str) -> String {
    format!(
        "[workflow]\nname = \"limits\"\n\n[settings]\n{settings}\n\n[[agents]]\nid = \"eng1\"\nrole = \"engineer\"\n\n[[tasks]]\nid = \"A\"\nagent = \"eng1\"\nestimate = 1\n{task}\n"
    )
}

#[test]
fn retries_and_failures_past_their_limit_are_refused_where_written() {
    let message = refused_at(&limited("max_retries = 4000000000", ""), 5, 15);
    assert_says(&message, "max_retries may be at most 100");
    let message = refused_at(
        &limited("", "sim = { fail_at = 50, fail_times = 4000000000 }"),
        15,
        36,
    );
    assert_says(&message, "fail_times may be at most 100");
    let at_the_limit = workflow_file(&limited(
        "max_retries = 100",
        "sim = { fail_at = 50, fail_times = 100 }",
    ));
    let out = orch(["validate".as_ref(), at_the_limit.path().as_os_str()]);
    assert_eq!(out.code, 0, "the limit itself is allowed: {}", out.stderr);
}

#[test]
fn review_rounds_past_their_limit_are_refused_where_written() {
    let message = refused_at(&limited("", "review = { rounds = 1000000 }"), 15, 21);
    assert_says(&message, "rounds may be at most 20");
    let message = refused_at(&limited("", "review = { max_rounds = 1000000 }"), 15, 25);
    assert_says(&message, "max_rounds may be at most 20");
}

/// The one-task workflow of `limited` with a gate after it that adds `count` remediation tasks,
/// six lines each.
fn remediating(count: usize) -> String {
    let mut text = limited("", "");
    text.push_str(
        "\n[[gates]]\nid = \"check\"\nafter = [\"A\"]\noutcome = \"passed_with_remediation\"\n",
    );
    for i in 0..count {
        text.push_str(&format!(
            "\n[[gates.remediation]]\nid = \"fix{i}\"\nagent = \"eng1\"\nestimate = 1\n\n"
        ));
    }
    text
}

#[test]
fn remediation_past_its_limit_is_refused_at_the_first_task_too_many() {
    let first_id = remediating(1)
        .lines()
        .position(|l| l == "id = \"fix0\"")
        .expect("the remediation task's id")
        + 1;
    let message = refused_at(&remediating(101), first_id + 100 * 6, 6);
    assert_says(
        &message,
        "gate `check` may add at most 100 remediation tasks, not 101; remove 1 of them",
    );
    let at_the_limit = workflow_file(&remediating(100));
    let out = orch(["validate".as_ref(), at_the_limit.path().as_os_str()]);
    assert_eq!(out.code, 0, "the limit itself is allowed: {}", out.stderr);
}

/// Fails if `message` speaks Rust rather than saying what is allowed.
fn assert_plain(message: &str) {
    for word in [
        "usize",
        "u32",
        "u64",
        "u8",
        "i128",
        "expected",
        "invalid type",
    ] {
        assert!(!message.contains(word), "{message:?} says {word:?}");
    }
    assert!(message.len() < 200, "one short sentence: {message:?}");
}

#[test]
fn negative_numbers_say_what_is_allowed() {
    let message = refused_at(&limited("max_parallel = -1", ""), 5, 16);
    assert_plain(&message);
    assert_says(&message, "max_parallel is a whole number, 1 or more");
    let message = refused_at(&limited("max_retries = -1", ""), 5, 15);
    assert_plain(&message);
    assert_says(&message, "max_retries is a whole number from 0 to 100");
    let message = refused_at(&limited("seed = -1", ""), 5, 8);
    assert_plain(&message);
    assert_says(&message, "seed is a whole number, 0 or more");
    let message = refused_at(&limited("", "sim = { fail_times = -1 }"), 15, 22);
    assert_plain(&message);
    assert_says(&message, "fail_times is a whole number from 0 to 100");
    let message = refused_at(&limited("seed = 1\n[resources]\ndb = -1", ""), 7, 6);
    assert_plain(&message);
    assert_says(&message, "db is a capacity, a whole number of 1 or more");
}

#[test]
fn numbers_too_large_for_any_field_say_what_is_allowed() {
    let message = refused_at(&limited("max_retries = 99999999999999999999", ""), 5, 15);
    assert_plain(&message);
    assert_says(&message, "max_retries is a whole number from 0 to 100");
    let message = refused_at(&limited("max_parallel = 99999999999999999999", ""), 5, 16);
    assert_plain(&message);
    let message = refused_at(&limited("max_retries = 1e300", ""), 5, 15);
    assert_plain(&message);
    assert_says(&message, "`1e300`");
    let message = refused_at(&limited("seed = 1.5", ""), 5, 8);
    assert_plain(&message);
}

#[test]
fn a_huge_duration_is_not_printed_back_in_full() {
    let text = limited("", "").replace("estimate = 1\n", "estimate = 1e300\n");
    let message = refused_at(&text, 14, 12);
    assert_plain(&message);
    assert_says(&message, "longer than ten years");
    let text = limited("", "").replace("estimate = 1\n", "estimate = -99999999999999999999\n");
    let message = refused_at(&text, 14, 12);
    assert_plain(&message);
    assert_says(&message, "negative");
}
