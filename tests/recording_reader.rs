//! Reading recordings back: a whole recording reads as written; a last line cut short (a crash
//! mid-write) is dropped with a warning; everything else wrong (a bad line in the middle, an
//! empty or missing file, a first line that is not JSON or not a header, an unknown format
//! version, a gap in `seq`, time going backwards) is an error that names the file and line and
//! says what is wrong, never a panic.

mod common;

use common::{assert_says, parse, run_events};
use orch_tui::engine::DecideMode;
use orch_tui::error::InputError;
use orch_tui::record::reader::parse_recording;
use orch_tui::record::{Header, Recording, read_recording};

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
"#;

/// A whole recording of the tiny workflow, one JSON value per line.
fn lines() -> Vec<String> {
    let header = Header::new(parse(WORKFLOW), 1, DecideMode::Recommended);
    let (_, events) = run_events(WORKFLOW, DecideMode::Recommended, None);
    std::iter::once(serde_json::to_string(&header).expect("header JSON"))
        .chain(
            events
                .iter()
                .map(|e| serde_json::to_string(e).expect("event JSON")),
        )
        .collect()
}

fn text(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn read(text: &str) -> Result<Recording, InputError> {
    parse_recording(text, "run.jsonl")
}

/// The error reading `text`, checked to sit on `line` of `run.jsonl` and to be one line.
fn error_at(text: &str, line: usize) -> String {
    let err = match read(text) {
        Ok(r) => panic!("read {} events, expected an error", r.events.len()),
        Err(e) => e,
    };
    assert_eq!(err.file, "run.jsonl");
    assert_eq!(err.position, Some((line, 1)), "{err}");
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!("run.jsonl:{line}:1: ")),
        "{shown}"
    );
    assert!(!shown.contains('\n'), "one line: {shown}");
    err.message
}

#[test]
fn a_whole_recording_reads_as_written() {
    let lines = lines();
    let recording = read(&text(&lines)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(recording.events.len(), lines.len() - 1);
    assert!(recording.warnings.is_empty());
    assert_eq!(recording.header.workflow, parse(WORKFLOW));
    assert_eq!(
        recording.events.last().map(|e| e.body.kind()),
        Some("run_finished")
    );
}

#[test]
fn a_last_line_cut_short_is_dropped_with_a_warning() {
    let lines = lines();
    let whole = text(&lines);
    let cut = &whole[..whole.len() - lines[lines.len() - 1].len() / 2];
    let recording = read(cut).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        recording.events.len(),
        lines.len() - 2,
        "all but the cut one"
    );
    assert_eq!(recording.warnings.len(), 1);
    let warning = &recording.warnings[0];
    assert!(
        warning.starts_with(&format!(
            "run.jsonl:{}: the last line is cut short",
            lines.len()
        )),
        "{warning}"
    );
}

#[test]
fn a_bad_line_in_the_middle_is_an_error_naming_its_line() {
    let mut lines = lines();
    let cut = lines[3].len() / 2;
    lines[3].truncate(cut);
    let message = error_at(&text(&lines), 4);
    assert_says(&message, "not a valid event");
}

#[test]
fn a_last_line_that_is_whole_but_wrong_is_an_error() {
    let mut lines = lines();
    lines.push(r#"{"seq":"eleven"}"#.into());
    let line = lines.len();
    let message = error_at(&text(&lines), line);
    assert_says(&message, "not a valid event");
}

#[test]
fn an_empty_file_says_it_is_empty() {
    let file = tempfile::NamedTempFile::new().expect("a temporary file");
    let err = read_recording(file.path()).expect_err("an error");
    assert_eq!(err.position, None);
    assert_eq!(err.file, file.path().display().to_string());
    assert_says(&err.message, "the recording is empty");
}

#[test]
fn a_missing_file_says_it_cannot_be_read() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let err = read_recording(&dir.path().join("none.jsonl")).expect_err("an error");
    assert_says(&err.message, "cannot read the recording");
}

#[test]
fn a_file_that_is_not_json_is_not_a_recording() {
    let message = error_at("[workflow]\nname = \"tiny\"\n", 1);
    assert_eq!(
        message,
        "not an orch-tui recording: the first line is not JSON"
    );
}

#[test]
fn json_without_the_format_name_is_not_a_recording() {
    let message = error_at("{\"seq\":1}\n", 1);
    assert_says(&message, r#"the header has no "format":"orch-tui-run""#);
}

#[test]
fn an_unknown_format_version_is_refused() {
    let mut lines = lines();
    let (now, next) = (orch_tui::record::VERSION, orch_tui::record::VERSION + 1);
    lines[0] = lines[0].replacen(
        &format!("\"version\":{now}"),
        &format!("\"version\":{next}"),
        1,
    );
    let message = error_at(&text(&lines), 1);
    assert_eq!(
        message,
        format!(
            "recording format version {next} is not supported; this orch-tui reads versions 1 to {now}"
        )
    );
}

#[test]
fn a_gap_in_seq_is_an_error_at_the_line_after_it() {
    let mut lines = lines();
    lines.remove(3); // seq 3
    let message = error_at(&text(&lines), 4);
    assert_says(&message, "event seq 4 where 3 was expected");
}

#[test]
fn time_going_backwards_is_an_error_at_the_line_where_it_does() {
    let lines = lines();
    let mut events: Vec<serde_json::Value> = lines[1..]
        .iter()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let later = events
        .iter()
        .position(|e| e["at_ms"].as_u64() > Some(0))
        .expect("time passes in the run");
    let earlier = events[later]["at_ms"].as_u64().unwrap_or(0) - 1;
    events[later + 1]["at_ms"] = earlier.into();
    let mut edited = vec![lines[0].clone()];
    edited.extend(events.iter().map(|e| e.to_string()));
    let message = error_at(&text(&edited), later + 3);
    assert_says(&message, "time goes backwards");
}

#[test]
fn blank_lines_between_events_are_ignored() {
    let lines = lines();
    let spaced = text(&lines).replace('\n', "\n\n");
    let recording = read(&spaced).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(recording.events.len(), lines.len() - 1);
}
