//! Helpers the integration tests share: running the real `orch-tui` binary and capturing what
//! it says (or driving it in tmux), writing workflow text to a temporary file, locating the scenario files under
//! `config/`, and driving the engine through the library on virtual time without wall-clock
//! stamps. Each test file uses only some of them, hence the `dead_code` allowance below.
#![allow(dead_code)]

use orch_tui::engine::{DecideMode, Engine, Event, RunOptions, Summary};
use orch_tui::record::{Recording, read_recording};
use orch_tui::workflow::model::{Task, Workflow};
use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

pub mod codex;
pub mod gemini_api;
pub mod loopback_http;
pub mod real;
pub mod refused;
pub mod responses_api;
pub mod runs;
pub mod scripted_api;
pub mod sshd;
pub mod tmux;

pub const MINUTE: u64 = 60_000;
pub const HOUR: u64 = 60 * MINUTE;

/// What one run of the binary did.
#[derive(Debug)]
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Fails the test if the process panicked (a panic is never an acceptable answer).
    pub fn assert_no_panic(&self) -> &Output {
        assert!(
            !self.stderr.contains("panicked"),
            "the binary panicked:\n{}",
            self.stderr
        );
        self
    }

    /// The run's summary, printed by `run --json` on stdout.
    pub fn summary(&self) -> Summary {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not a JSON summary ({e}):\n{}", self.stdout))
    }
}

/// Runs `orch-tui` with `args`.
pub fn orch<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = orch_tui();
    cmd.args(args);
    finish(cmd)
}

/// Runs `orch-tui` with `args` and the platform data folder (and home) moved to `data_home`.
pub fn orch_with_data_home<I, S>(data_home: &Path, args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = orch_tui();
    cmd.args(args)
        .env("XDG_DATA_HOME", data_home)
        .env("HOME", data_home);
    finish(cmd)
}

fn finish(mut cmd: Command) -> Output {
    let out = cmd.output().expect("the orch-tui binary starts");
    Output {
        code: out.status.code().expect("orch-tui exits with a code"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A scenario file under `config/`.
pub fn config(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("config")
        .join(name)
}

/// Workflow text written to a temporary `.toml` file, removed when dropped.
pub fn workflow_file(text: &str) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new()
        .suffix(".toml")
        .tempfile()
        .expect("a temporary file");
    std::fs::write(file.path(), text).expect("the workflow is written");
    file
}

/// Runs `file` headless on virtual time, recorded to a temporary path, with `extra` arguments;
/// returns what the binary said and the recording read back.
pub fn run_recorded(file: &Path, extra: &[&str]) -> (Output, Recording) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("run.jsonl");
    let mut args: Vec<&OsStr> = vec![
        "run".as_ref(),
        file.as_os_str(),
        "--headless".as_ref(),
        "--instant".as_ref(),
        "--json".as_ref(),
        "--record".as_ref(),
        path.as_os_str(),
    ];
    args.extend(extra.iter().map(OsStr::new));
    let out = orch(&args);
    out.assert_no_panic();
    let recording = read_recording(&path)
        .unwrap_or_else(|e| panic!("the recording of {} reads back: {e}", file.display()));
    (out, recording)
}

/// Parses workflow text, panicking with the error if it is not valid.
pub fn parse(text: &str) -> orch_tui::workflow::Workflow {
    orch_tui::workflow::parse(text, "test.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// Runs `text` through the library on virtual time, stamping no wall-clock time, to its end
/// (or until it waits for a person); returns the engine and every event.
pub fn run_events(text: &str, decide: DecideMode, seed: Option<u64>) -> (Engine, Vec<Event>) {
    let options = RunOptions {
        seed,
        decide,
        stamp_wall: false,
    };
    let mut engine = Engine::new(Arc::new(parse(text)), &options).unwrap_or_else(|e| panic!("{e}"));
    engine.start();
    engine.run_to_end();
    let events = engine.drain();
    (engine, events)
}

/// When each task of `w` would finish if every task started as soon as its dependencies were
/// done (no agent shared) and took `took`; tasks must come after their dependencies.
pub fn finish_times(w: &Workflow, took: impl Fn(&Task) -> u64) -> HashMap<String, u64> {
    let mut finish: HashMap<String, u64> = HashMap::new();
    for t in &w.tasks {
        let start = t.depends_on.iter().map(|d| finish[d]).max().unwrap_or(0);
        finish.insert(t.id.clone(), start + took(t));
    }
    finish
}

/// Fails the test unless `message` contains `expected`.
pub fn assert_says(message: &str, expected: &str) {
    assert!(
        message.contains(expected),
        "the message {message:?} should contain {expected:?}"
    );
}

/// The real binary, with an empty user config so a developer's own settings never change what
/// a test sees.
pub fn orch_tui() -> Command {
    let mut command = Command::new(tmux::BIN);
    command.env("ORCH_TUI_CONFIG", "/dev/null");
    command
}

/// Stdout of a finished command, as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Stderr of a finished command, as text.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
