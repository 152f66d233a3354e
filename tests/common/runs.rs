//! Runs reached the way a user does from a second shell: `Shell` runs the real binary with a
//! run folder (`XDG_RUNTIME_DIR`) and a home of its own, polls a run's `status` until it is in
//! the state wanted, and on drop stops (or kills) whatever it started; plus readings of the
//! process table (a process's state, a pending SIGHUP, the processes carrying a marker).

use super::tmux::recorded_events;
use super::{Output, config, orch_tui};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::Value;
use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(30);

/// A second shell: its own run folder and home, and a marker no other test's process carries.
/// Dropped, it stops every run still going on in its folder (killing what does not stop) and
/// kills every process that carries its marker.
pub struct Shell {
    runtime: tempfile::TempDir,
    pub home: tempfile::TempDir,
    /// An argument for the processes a test starts, found by `marked`.
    pub marker: String,
}

impl Shell {
    pub fn new() -> Shell {
        let home = tempfile::tempdir().expect("a temporary home");
        let marker = format!("orch-e2e-control-{}", home.path().display()).replace('/', "-");
        Shell {
            runtime: tempfile::tempdir().expect("a temporary run folder"),
            home,
            marker,
        }
    }

    pub fn command<S: AsRef<OsStr>>(&self, args: impl IntoIterator<Item = S>) -> Command {
        let mut command = orch_tui();
        command
            .args(args)
            .env("XDG_RUNTIME_DIR", self.runtime.path())
            .env("HOME", self.home.path())
            .env("XDG_DATA_HOME", self.home.path())
            .stdin(Stdio::null());
        command
    }

    pub fn run<S: AsRef<OsStr>>(&self, args: impl IntoIterator<Item = S>) -> Output {
        let out = self.command(args).output().expect("orch-tui starts");
        let out = Output {
            code: out.status.code().expect("orch-tui exits with a code"),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        out.assert_no_panic();
        out
    }

    /// What a command that must succeed printed as JSON.
    pub fn json<S: AsRef<OsStr>>(&self, args: impl IntoIterator<Item = S>) -> Value {
        let out = self.run(args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("{e}:\n{}", out.stdout))
    }

    /// The environment the shell's own `orch-tui` runs in, as shell words for a tmux command.
    pub fn env_words(&self) -> String {
        format!(
            "XDG_RUNTIME_DIR={} HOME={} XDG_DATA_HOME={}",
            self.runtime.path().display(),
            self.home.path().display(),
            self.home.path().display()
        )
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }

    /// Starts analytics-dashboard in the background, recorded to `run.jsonl`; returns its id.
    pub fn detach_analytics(&self, speed: &str) -> String {
        let (file, record) = (config("analytics-dashboard.toml"), self.path("run.jsonl"));
        let out = self.run([
            OsStr::new("run"),
            file.as_os_str(),
            "--detach".as_ref(),
            "--speed".as_ref(),
            speed.as_ref(),
            "--record".as_ref(),
            record.as_os_str(),
        ]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        one_line(&out.stdout)
    }

    /// The run's entry in `ls --json`.
    pub fn listed(&self, id: &str) -> Value {
        let runs = self.json(["ls", "--json"]);
        let runs = runs.as_array().expect("ls --json is a list");
        let found = runs.iter().find(|r| r["id"] == id);
        found
            .unwrap_or_else(|| panic!("{id} is not listed: {runs:?}"))
            .clone()
    }

    /// Polls `status RUN --json`, the run going on, until `done` says yes; returns that status.
    pub fn wait_for(&self, id: &str, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        loop {
            let view = self.json(["status", id, "--json"]);
            if done(&view) {
                return view;
            }
            assert_eq!(view["status"], "running", "the run ended first: {view}");
            assert!(start.elapsed() < WAIT, "waited {WAIT:?} for {what}: {view}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `blocker` waits for a decision.
    pub fn wait_for_blocker(&self, id: &str, blocker: &str) -> Value {
        self.wait_for(id, blocker, |view| {
            let open = view["blockers"].as_array().expect("blockers is a list");
            open.iter().any(|b| b["id"] == blocker)
        })
    }

    /// Stops the run, waits until its process is gone, and checks it is listed and recorded as
    /// stopped. Returns the recorded events.
    pub fn stop(&self, id: &str) -> Vec<Value> {
        let pid = pid_of(&self.listed(id));
        let out = self.run(["stop", id]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        wait_until("the stopped run's process exited", || exited(pid));
        assert_eq!(self.listed(id)["status"], "stopped");
        let ls = self.run(["ls"]);
        assert!(row(&ls.stdout, id).contains("stopped"), "{}", ls.stdout);
        let events = recorded_events(&self.path("run.jsonl"));
        let last = events.last().expect("the run was recorded");
        assert_eq!(last["kind"], "run_finished", "{last}");
        assert_eq!(last["summary"]["status"], "stopped", "{last}");
        events
    }
}

impl Drop for Shell {
    fn drop(&mut self) {
        let folder = self.runtime.path().join("orch-tui");
        let entries = std::fs::read_dir(&folder).into_iter().flatten().flatten();
        for entry in entries.filter(|e| e.path().extension().is_some_and(|x| x == "json")) {
            let Some(run) = std::fs::read_to_string(entry.path())
                .ok()
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            else {
                continue;
            };
            let (Some(id), Some(pid)) = (run["id"].as_str(), run["pid"].as_u64()) else {
                continue;
            };
            let pid = pid as u32;
            if run.get("status").is_none() && !exited(pid) {
                let _ = self.command(["stop", id]).output();
                let until = Instant::now() + Duration::from_secs(10);
                while !exited(pid) && Instant::now() < until {
                    std::thread::sleep(Duration::from_millis(50));
                }
                if !exited(pid) {
                    let _ = kill(Pid::from_raw(pid as i32), Signal::SIGKILL);
                }
            }
        }
        for pid in marked(&self.marker) {
            let _ = kill(Pid::from_raw(pid as i32), Signal::SIGKILL);
        }
    }
}

/// A child that is killed and reaped if the test ends before it does.
pub struct Reaped(pub Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

pub fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < WAIT, "waited {WAIT:?}: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The only line of `text`, trimmed.
pub fn one_line(text: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected: {text:?}");
    lines[0].trim().to_string()
}

/// The line of `ls` that starts with `id`.
pub fn row<'a>(ls: &'a str, id: &str) -> &'a str {
    let found = ls.lines().find(|l| l.starts_with(id));
    found.unwrap_or_else(|| panic!("{id} is not in `ls`:\n{ls}"))
}

pub fn pid_of(listed: &Value) -> u32 {
    let pid = listed["pid"].as_u64().expect("ls --json gives the pid");
    u32::try_from(pid).expect("a pid")
}

/// The state letter of process `pid` (`R`, `S`, `Z`, ...), or `None` when there is none.
pub fn state(pid: u32) -> Option<char> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?.1.trim_start().chars().next()
}

/// Whether `pid` has exited. A detached run's parent is init, which may not have reaped it
/// yet: a zombie counts as exited here (but never for an agent, checked with `state`).
pub fn exited(pid: u32) -> bool {
    matches!(state(pid), None | Some('Z' | 'X'))
}

/// Whether a SIGHUP waits to be delivered to `pid`.
pub fn hangup_pending(pid: u32) -> bool {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .filter(|l| l.starts_with("SigPnd:") || l.starts_with("ShdPnd:"))
        .filter_map(|l| u64::from_str_radix(l.split_whitespace().nth(1)?, 16).ok())
        .any(|mask| mask & 1 << (Signal::SIGHUP as u32 - 1) != 0)
}

/// The processes with `marker` as one of their arguments.
pub fn marked(marker: &str) -> Vec<u32> {
    let procs = std::fs::read_dir("/proc").into_iter().flatten().flatten();
    procs
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| c.split(|b| *b == 0).any(|arg| arg == marker.as_bytes()))
        })
        .collect()
}
