//! The user config through the real binary: `ORCH_TUI_CONFIG` names the file; its defaults
//! apply where no flag is given and flags win; a bad file stops the run with one line naming
//! the file, line and key, and exit code 2.

mod common;

use common::{stderr, stdout};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ANALYTICS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/config/analytics-dashboard.toml"
);

/// A config file with this text, in its own folder.
fn config(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("config.toml");
    std::fs::write(&file, text).expect("the config is written");
    (dir, file)
}

fn headless(config: &Path, flags: &[&str]) -> Output {
    Command::new(common::tmux::BIN)
        .env("ORCH_TUI_CONFIG", config)
        .args(["run", "--headless", "--instant"])
        .args(flags)
        .arg(ANALYTICS)
        .output()
        .expect("the binary runs")
}

#[test]
fn a_bad_config_is_one_line_naming_file_line_and_key_and_exit_2() {
    let (_dir, file) = config("theme = \"light\"\nthem = \"dark\"\n");
    let out = headless(&file, &["--no-record"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "orch-tui: {}:2:1: unknown key `them`; did you mean `theme`?\n",
            file.display()
        )
    );
    assert_eq!(stdout(&out), "", "nothing ran");
}

#[test]
fn a_bad_value_and_a_bad_key_mapping_are_errors_too() {
    for (text, expected) in [
        (
            "speed = \"fast\"\n",
            ":1:9: `speed`: invalid type: string \"fast\", expected f64",
        ),
        (
            "\n[keys]\nquit = \"n\"\n",
            ":3:8: `keys.quit`: `n` is already the key for `next_blocker`",
        ),
        (
            "decide = \"sometimes\"\n",
            ":1:10: `decide`: unknown variant `sometimes`",
        ),
        ("[keys\n", ":1:"),
    ] {
        let (_dir, file) = config(text);
        let out = headless(&file, &["--no-record"]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        let message = stderr(&out);
        assert!(
            message.starts_with(&format!("orch-tui: {}{expected}", file.display())),
            "{text}: {message}"
        );
        assert_eq!(message.lines().count(), 1, "{message}");
    }
}

#[test]
fn a_named_config_that_does_not_exist_is_an_error() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let missing = dir.path().join("nope.toml");
    let out = headless(&missing, &["--no-record"]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.contains("nope.toml") && message.contains("ORCH_TUI_CONFIG"),
        "{message}"
    );
}

#[test]
fn the_configured_decision_policy_applies_and_the_flag_wins() {
    // The analytics run raises a high-severity blocker that policy does not decide.
    let (_dir, file) = config("decide = \"none\"\n");
    let waits = headless(&file, &["--no-record"]);
    assert_eq!(waits.status.code(), Some(3), "{}", stderr(&waits));
    assert!(stderr(&waits).contains("ws-leak"), "{}", stderr(&waits));
    let decided = headless(&file, &["--no-record", "--decide", "recommended"]);
    assert_eq!(decided.status.code(), Some(0), "{}", stderr(&decided));
}

#[test]
fn recordings_go_to_the_configured_folder_unless_a_path_is_given() {
    let (dir, file) = config("recordings = \"runs\"\n");
    let out = headless(&file, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let runs = dir.path().join("runs");
    let recorded: Vec<PathBuf> = std::fs::read_dir(&runs)
        .expect("the folder next to the config was made")
        .map(|e| e.expect("an entry").path())
        .collect();
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    let name = recorded[0].file_name().expect("a file").to_string_lossy();
    assert!(name.starts_with("analytics-dashboard-") && name.ends_with(".jsonl"));
    assert!(stdout(&out).contains(&format!("Recorded to {}", recorded[0].display())));

    let explicit = dir.path().join("here.jsonl");
    let out = headless(&file, &["--record", &explicit.display().to_string()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(explicit.exists());
    assert_eq!(
        std::fs::read_dir(&runs).expect("still there").count(),
        1,
        "--record wins over the configured folder"
    );
}
