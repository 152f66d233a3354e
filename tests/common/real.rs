//! Runs workflows with real (command) agents through the binary: the workflow written into a
//! fresh folder (the agents' working directory), run headless and recorded there; and reads the
//! process table to check that processes are gone.

use super::{Output, orch_tui};
use std::path::{Path, PathBuf};

/// A finished real run: its folder, what the binary said and the recorded events.
pub struct RealRun {
    pub dir: tempfile::TempDir,
    pub out: Output,
    pub events: Vec<serde_json::Value>,
}

impl RealRun {
    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    pub fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.path(file)).unwrap_or_else(|e| {
            panic!(
                "{file} was written ({e}); the run said:\n{}",
                self.out.stdout
            )
        })
    }

    /// The events of one kind.
    pub fn events(&self, kind: &str) -> Vec<&serde_json::Value> {
        self.events.iter().filter(|e| e["kind"] == kind).collect()
    }

    /// The text of every log event.
    pub fn logs(&self) -> Vec<(String, String)> {
        self.events("log")
            .iter()
            .map(|e| {
                let level = e["level"].as_str().unwrap_or_default().to_string();
                (level, e["text"].as_str().unwrap_or_default().to_string())
            })
            .collect()
    }

    /// The status in the summary of the last event.
    pub fn status(&self) -> String {
        let last = self.events.last().expect("the run recorded events");
        last["summary"]["status"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// An agent script whose leader and child both ignore SIGTERM and append their pids to `pids`,
/// then wait for ever: only SIGKILL to the group ends it.
pub const STUBBORN: &str = r#"trap '' TERM; sleep 300 & echo $! >> pids; echo $$ >> pids; wait"#;

/// A workflow named `test` on minutes, with `body` (agents and tasks) after it.
pub fn workflow(body: &str) -> String {
    format!("[workflow]\nname = \"test\"\nunit = \"minutes\"\n\n{body}")
}

/// A command agent `id` running `script` with bash, with PATH passed and more fields.
pub fn bash_agent(id: &str, script: &str, more: &str) -> String {
    let script = script.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        "[[agents]]\nid = \"{id}\"\nrole = \"{id}\"\nkind = \"command\"\nargv = [\"bash\", \"-c\", \"{script}\"]\nenv = [\"PATH\"]\n{more}\n"
    )
}

/// Writes `text` as `workflow.toml` in a new folder and runs it headless, recorded to
/// `run.jsonl` there, with `extra` arguments and `env` set for orch-tui.
pub fn run_real(text: &str, extra: &[&str], env: &[(&str, &str)]) -> RealRun {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("workflow.toml");
    std::fs::write(&file, text).expect("the workflow is written");
    let mut command = orch_tui();
    command
        .arg("run")
        .arg(&file)
        .args(["--headless", "--record"])
        .arg(dir.path().join("run.jsonl"))
        .args(extra)
        .envs(env.iter().copied());
    let out = command.output().expect("orch-tui starts");
    let out = Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    out.assert_no_panic();
    let record = dir.path().join("run.jsonl");
    let events = match record.exists() {
        true => super::tmux::recorded_events(&record),
        false => Vec::new(),
    };
    RealRun { dir, out, events }
}

/// Whether process `pid` is gone: no such process, not even a zombie.
pub fn gone(pid: u32) -> bool {
    !Path::new(&format!("/proc/{pid}")).exists()
}

/// The pids written, one per line, into `file`.
pub fn pids_in(file: &Path) -> Vec<u32> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}
