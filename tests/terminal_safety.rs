//! Text from outside reaches a terminal shown, never obeyed: names, notes and reasons in a
//! workflow and its recording, and what an agent prints, hold escape sequences (a window title,
//! the alternate screen, colours), a bell, a NUL, a C1 control and a DEL. `run --headless`,
//! `replay --headless`, `replay --at`, `validate`, `plan --dot`, `plan --mermaid` and error
//! messages print them visibly (`^[`, `^G`, `^@`, `\u{9b}`, `^?`) and never as raw bytes; CSV
//! keeps them exact, and JSON keeps them exact as `\uXXXX` escapes.

mod common;

use common::real::{bash_agent, run_real, workflow};
use common::{Output, orch, workflow_file};

/// A window title, the alternate screen, red text, a NUL, a C1 "clear screen" and a DEL, as
/// TOML escapes.
const HOSTILE_TOML: &str = r"\u001b]0;pwned\u0007\u001b[?1049h\u001b[31mred\u0000\u009b2J\u007f";
/// The same text as it really is.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[?1049h\u{1b}[31mred\u{0}\u{9b}2J\u{7f}";
/// The same text as a terminal must show it.
const SHOWN: &str = r"^[]0;pwned^G^[[?1049h^[[31mred^@\u{9b}2J^?";

fn hostile_workflow() -> String {
    format!(
        r#"[workflow]
name = "hostile"
title = "{HOSTILE_TOML}"

[[agents]]
id = "eng1"
role = "engineer"

[[tasks]]
id = "A"
name = "{HOSTILE_TOML}"
agent = "eng1"
estimate = 2
sim = {{ fail_at = 50, fail_reason = "{HOSTILE_TOML}" }}

[[blockers]]
id = "B1"
task = "A"
severity = "low"
title = "{HOSTILE_TOML}"
options = [{{ label = "{HOSTILE_TOML}" }}]
"#
    )
}

/// Fails unless `text` holds no byte a terminal would obey.
fn assert_inert(what: &str, text: &str) {
    let obeyed = [
        ('\u{1b}', "ESC"),
        ('\u{0}', "NUL"),
        ('\u{7}', "BEL"),
        ('\u{9b}', "CSI"),
        ('\u{7f}', "DEL"),
    ];
    for (byte, name) in obeyed {
        assert!(!text.contains(byte), "{what} holds a raw {name}:\n{text:?}");
    }
}

fn assert_shown_and_inert(out: &Output) {
    assert_inert("stdout", &out.stdout);
    assert_inert("stderr", &out.stderr);
    assert!(
        out.stdout.contains(SHOWN),
        "stdout shows the hostile text visibly:\n{}",
        out.stdout
    );
}

/// Runs the hostile workflow headless, recorded; returns the output and the recording's folder.
fn recorded_run() -> (Output, tempfile::TempDir) {
    let file = workflow_file(&hostile_workflow());
    let dir = tempfile::tempdir().expect("a temporary folder");
    let record = dir.path().join("run.jsonl");
    let out = orch([
        "run".as_ref(),
        file.path().as_os_str(),
        "--headless".as_ref(),
        "--instant".as_ref(),
        "--record".as_ref(),
        record.as_os_str(),
    ]);
    out.assert_no_panic();
    (out, dir)
}

/// Whether some string in `value` is exactly `text`.
fn holds(value: &serde_json::Value, text: &str) -> bool {
    match value {
        serde_json::Value::String(s) => s == text,
        serde_json::Value::Array(items) => items.iter().any(|v| holds(v, text)),
        serde_json::Value::Object(map) => map.values().any(|v| holds(v, text)),
        _ => false,
    }
}

#[test]
fn a_headless_run_shows_escape_sequences_without_obeying_them() {
    let (out, _dir) = recorded_run();
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_shown_and_inert(&out);
}

#[test]
fn replay_headless_and_at_show_escape_sequences_without_obeying_them() {
    let (_, dir) = recorded_run();
    let file = dir.path().join("run.jsonl");
    let timeline = orch(["replay".as_ref(), file.as_os_str(), "--headless".as_ref()]);
    assert_eq!(timeline.code, 0, "stderr: {}", timeline.stderr);
    assert_shown_and_inert(&timeline);
    let at = orch([
        "replay".as_ref(),
        file.as_os_str(),
        "--at".as_ref(),
        "1".as_ref(),
    ]);
    assert_eq!(at.code, 0, "stderr: {}", at.stderr);
    assert_shown_and_inert(&at);
}

#[test]
fn csv_and_json_keep_the_text_exact() {
    let (_, dir) = recorded_run();
    let file = dir.path().join("run.jsonl");
    let csv = orch([
        "replay".as_ref(),
        file.as_os_str(),
        "--export".as_ref(),
        "csv".as_ref(),
    ]);
    assert_eq!(csv.code, 0, "stderr: {}", csv.stderr);
    let mut rows = csv::Reader::from_reader(csv.stdout.as_bytes());
    let names: Vec<String> = rows
        .records()
        .map(|r| r.expect("a CSV row")[1].to_string())
        .collect();
    assert_eq!(names, [HOSTILE]);
    let at = orch([
        "replay".as_ref(),
        file.as_os_str(),
        "--at".as_ref(),
        "1".as_ref(),
        "--json".as_ref(),
    ]);
    assert_eq!(at.code, 0, "stderr: {}", at.stderr);
    assert_inert("JSON stdout", &at.stdout);
    let snapshot: serde_json::Value = serde_json::from_str(&at.stdout).expect("JSON");
    assert!(
        holds(&snapshot, HOSTILE),
        "the JSON snapshot holds the exact text, escaped:\n{}",
        at.stdout
    );
}

#[test]
fn validate_shows_a_hostile_id_without_obeying_it() {
    let file = workflow_file(&format!(
        "[workflow]\nname = \"x{HOSTILE_TOML}\"\n\n[[agents]]\nid = \"eng1\"\nrole = \"engineer\"\n"
    ));
    let out = orch(["validate".as_ref(), file.path().as_os_str()]);
    assert_eq!(out.code, 2, "stderr: {}", out.stderr);
    assert_inert("stderr", &out.stderr);
    assert!(out.stderr.contains(SHOWN), "stderr: {}", out.stderr);
    let json = orch([
        "validate".as_ref(),
        file.path().as_os_str(),
        "--json".as_ref(),
    ]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let message = value["message"].as_str().expect("a message");
    assert!(
        message.contains(HOSTILE),
        "JSON keeps it exact: {message:?}"
    );
}

#[test]
fn what_an_agent_prints_is_shown_without_being_obeyed() {
    let agent = bash_agent(
        "eng",
        r"printf '\033]0;pwned\007\033[?1049h\033[31mred\000\n'",
        "",
    );
    let run = run_real(
        &workflow(&format!(
            "{agent}\n[[tasks]]\nid = \"A\"\nagent = \"eng\"\nestimate = 1\n"
        )),
        &[],
        &[],
    );
    assert_eq!(run.out.code, 0, "stderr: {}", run.out.stderr);
    assert_inert("stdout", &run.out.stdout);
    assert_inert("stderr", &run.out.stderr);
    assert!(
        run.out.stdout.contains("^[]0;pwned^G"),
        "stdout: {}",
        run.out.stdout
    );
}

#[test]
fn plan_as_dot_and_mermaid_shows_escape_sequences_without_obeying_them() {
    let file = workflow_file(&hostile_workflow());
    for (format, shown) in [
        ("--dot", SHOWN.replace('\\', "\\\\")),
        ("--mermaid", SHOWN.to_string()),
    ] {
        let out = orch(["plan".as_ref(), file.path().as_os_str(), format.as_ref()]);
        assert_eq!(out.code, 0, "{format} stderr: {}", out.stderr);
        assert_inert(format, &out.stdout);
        assert!(
            out.stdout.contains(&shown),
            "{format} shows the hostile name visibly:\n{}",
            out.stdout
        );
    }
}
