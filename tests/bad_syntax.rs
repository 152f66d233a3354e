//! Workflow files that are not workflows, as given to the real binary: TOML syntax errors, an
//! unknown field (with the field probably meant), an empty file, a missing file; and `run` and
//! `plan` refusing a bad workflow exactly as `validate` does. Always exit code 2 and one line
//! on stderr, with the position where one applies.

mod common;

use common::refused::{message_after, refused_at, refused_by};
use common::{assert_says, orch, workflow_file};

#[test]
fn an_empty_file_says_how_to_start_a_workflow() {
    let message = refused_at("", 1, 1);
    assert_says(&message, "no [workflow] table; start it with [workflow]");
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
fn bytes_that_are_not_utf8_are_placed_by_line_and_column() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("latin1.toml");
    std::fs::write(
        &path,
        b"[workflow]\nname = \"w\"\ntitle = \"caf\xe9\"\n".as_slice(),
    )
    .expect("written");
    let out = orch(["validate".as_ref(), path.as_os_str()]);
    out.assert_no_panic();
    assert_eq!(out.code, 2);
    let message = message_after(&out.stderr, &format!("orch-tui: {}:3:13: ", path.display()));
    assert_says(&message, "not UTF-8");
    let out = orch(["validate".as_ref(), "--json".as_ref(), path.as_os_str()]);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON on stdout");
    assert_eq!(value["line"], 3);
    assert_eq!(value["column"], 13);
}

#[test]
fn a_device_or_a_huge_file_is_refused_before_it_is_read() {
    let out = orch(["validate", "/dev/zero"]);
    out.assert_no_panic();
    assert_eq!(out.code, 2);
    let message = message_after(&out.stderr, "orch-tui: /dev/zero: ");
    assert_says(&message, "not a regular file");
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("huge.toml");
    let file = std::fs::File::create(&path).expect("created");
    file.set_len(17 << 20).expect("a sparse 17 MiB file");
    let out = orch(["validate".as_ref(), path.as_os_str()]);
    out.assert_no_panic();
    assert_eq!(out.code, 2);
    let message = message_after(&out.stderr, &format!("orch-tui: {}: ", path.display()));
    assert_says(&message, "larger than 16 MiB");
}
