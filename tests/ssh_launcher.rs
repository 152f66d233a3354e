//! Launchers for real: a command agent whose argv starts with `ssh`, against a real sshd on
//! 127.0.0.1. Without a tty, sshd leaves the remote command running when the connection closes
//! (shown here, so the docs can say so); run through `assets/agents/orch-remote`, the remote
//! process ends with its attempt, whether that is a timeout, a cancel, `q` in the dashboard or a
//! SIGHUP to orch-tui, and a protocol agent speaks through it as it would here (a context line
//! longer than a pty's line included).

mod common;

use common::real::{gone, pids_in, workflow};
use common::sshd::Sshd;
use common::tmux::{BIN, Tmux, quoted, recorded_events};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);
const WRAPPER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/agents/orch-remote");

/// A remote script that appends its pid to `DIR/remote-pids` and sleeps.
const SLEEPER: &str = "echo $$ >> DIR/remote-pids\nexec sleep 300\n";

/// A folder `DIR` with the workflow `workflow.toml`: an agent `remote` that runs `script` (with
/// `DIR` in it replaced by the folder) over ssh, through the wrapper or not, with `agent` more
/// fields, and `tasks`.
fn remote_run(
    sshd: &Sshd,
    wrapped: bool,
    script: &str,
    agent: &str,
    tasks: &str,
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("remote.sh");
    let folder = dir.path().display().to_string();
    std::fs::write(&file, script.replace("DIR", &folder)).expect("the remote script is written");
    let file = file.display().to_string();
    let remote: Vec<&str> = match wrapped {
        true => vec![WRAPPER, "sh", &file],
        false => vec!["sh", &file],
    };
    let argv = serde_json::to_string(&sshd.ssh_argv(&remote)).expect("JSON");
    let text = workflow(&format!(
        "[settings]\nmax_retries = 0\n\n[[agents]]\nid = \"remote\"\nrole = \"remote\"\nkind = \"command\"\nargv = {argv}\nenv = [\"PATH\"]\n{agent}\n\n{tasks}"
    ));
    std::fs::write(dir.path().join("workflow.toml"), text).expect("the workflow is written");
    dir
}

/// Task `T` on the remote sleeper and `U` after it; `agent` adds fields to the agent, `more`
/// agents and tasks to the workflow.
fn remote_sleeper(sshd: &Sshd, wrapped: bool, agent: &str, more: &str) -> tempfile::TempDir {
    let tasks = format!(
        "[[tasks]]\nid = \"T\"\nrole = \"remote\"\nestimate = \"1s\"\n\n[[tasks]]\nid = \"U\"\nrole = \"remote\"\nestimate = \"1s\"\ndepends_on = [\"T\"]\n\n{more}"
    );
    remote_run(sshd, wrapped, SLEEPER, agent, &tasks)
}

fn wait_until(what: &str, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < WAIT, "waited {WAIT:?}: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The pid the remote script wrote, once it has.
fn remote_pid(dir: &Path) -> u32 {
    let file = dir.join("remote-pids");
    wait_until("the remote command started", || !pids_in(&file).is_empty());
    pids_in(&file)[0]
}

/// Waits until the remote process is gone.
fn assert_remote_ends(pid: u32) {
    wait_until(&format!("the remote process {pid} ended"), || gone(pid));
}

/// `orch-tui run workflow.toml --headless --record run.jsonl` in `dir`, with its own HOME.
fn headless(dir: &Path) -> std::process::Command {
    let mut command = common::orch_tui();
    command
        .current_dir(dir)
        .env("HOME", dir)
        .args([
            "run",
            "workflow.toml",
            "--headless",
            "--record",
            "run.jsonl",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn last_status(dir: &Path) -> serde_json::Value {
    let events = recorded_events(&dir.join("run.jsonl"));
    let last = events.last().expect("the run recorded events");
    assert_eq!(last["kind"], "run_finished", "{last}");
    last["summary"]["status"].clone()
}

/// The parent of process `pid`, from /proc.
fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after_name = &stat[stat.rfind(')')? + 2..];
    after_name.split_whitespace().nth(1)?.parse().ok()
}

fn name_of(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[test]
fn without_a_tty_ssh_leaves_the_remote_command_running() {
    let sshd = Sshd::start();
    let dir = remote_sleeper(&sshd, false, "timeout = \"2s\"", "");
    let status = headless(dir.path()).status().expect("orch-tui runs");
    assert_eq!(status.code(), Some(1), "the timed-out task fails the run");
    let pid = remote_pid(dir.path());
    // Once its ssh session is over, the remote command is an orphan: still running.
    wait_until("the remote session ended", || {
        parent_of(pid).is_none_or(|p| name_of(p) != "sshd")
    });
    let survived = !gone(pid);
    let _ = std::process::Command::new("kill")
        .arg(pid.to_string())
        .status();
    assert!(
        survived,
        "the remote command ended with its connection after all"
    );
}

#[test]
fn a_timeout_ends_the_remote_process() {
    let sshd = Sshd::start();
    let dir = remote_sleeper(&sshd, true, "timeout = \"2s\"", "");
    let status = headless(dir.path()).status().expect("orch-tui runs");
    assert_eq!(status.code(), Some(1), "the timed-out task fails the run");
    assert_eq!(last_status(dir.path()), "failed");
    assert_remote_ends(remote_pid(dir.path()));
}

#[test]
fn sighup_to_orch_tui_ends_the_remote_process() {
    let sshd = Sshd::start();
    let dir = remote_sleeper(&sshd, true, "", "");
    let mut child = headless(dir.path()).spawn().expect("orch-tui starts");
    let pid = remote_pid(dir.path());
    let sent = std::process::Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let exit = child.wait().expect("orch-tui exits");
    assert_eq!(exit.code(), Some(1), "a stopped run exits 1");
    assert_eq!(last_status(dir.path()), "stopped");
    assert_remote_ends(pid);
}

/// The dashboard on the workflow in `dir`, in tmux; returns it with the remote pid.
fn dashboard(name: &str, dir: &Path) -> (Tmux, u32) {
    let tmux = Tmux::start(name, 120, 40, |_| {
        format!(
            "cd {} && HOME={} {BIN} run workflow.toml --record run.jsonl",
            quoted(dir),
            quoted(dir)
        )
    });
    let pid = remote_pid(dir);
    tmux.wait_for("LIVE", WAIT);
    (tmux, pid)
}

#[test]
fn quitting_the_dashboard_ends_the_remote_process() {
    let sshd = Sshd::start();
    let dir = remote_sleeper(&sshd, true, "", "");
    let (tmux, pid) = dashboard("ssh-quit", dir.path());
    tmux.send("q");
    tmux.wait_for("Quit now?", WAIT);
    tmux.send("y");
    assert_eq!(tmux.exit_code(WAIT), 1, "a stopped run exits 1");
    assert_eq!(last_status(dir.path()), "stopped");
    assert_remote_ends(pid);
}

#[test]
fn cancelling_the_task_ends_the_remote_process() {
    let sshd = Sshd::start();
    // A local task that runs on, so the run goes on after the cancel.
    let keeper = common::real::bash_agent("keeper", "exec sleep 300", "");
    let keep = "[[tasks]]\nid = \"K\"\nrole = \"keeper\"\nestimate = \"1s\"\n";
    let dir = remote_sleeper(&sshd, true, "", &format!("{keeper}\n{keep}"));
    let (tmux, pid) = dashboard("ssh-cancel", dir.path());
    tmux.send(":");
    tmux.send("cancel T");
    tmux.send("Enter");
    assert_remote_ends(pid);
    assert!(tmux.screen().contains("LIVE"), "the run goes on");
    tmux.send("q");
    tmux.wait_for("Quit now?", WAIT);
    tmux.send("y");
    assert_eq!(tmux.exit_code(WAIT), 1, "a stopped run exits 1");
    let events = recorded_events(&dir.path().join("run.jsonl"));
    assert!(
        events
            .iter()
            .any(|e| e["kind"] == "plan_changed" && e["change"]["task"] == "T"),
        "the cancel is recorded"
    );
}

#[test]
fn through_the_wrapper_a_protocol_agent_works_as_it_does_here() {
    let sshd = Sshd::start();
    // A context line longer than a pty's 4095-byte line, which `ssh -tt` would cut.
    let long = "x".repeat(6000);
    let tasks = format!(
        "[[tasks]]\nid = \"T\"\nrole = \"remote\"\nestimate = \"1s\"\ncontext = {{ notes = \"{long}\" }}\n"
    );
    let script = r#"read -r ctx
echo '{"type":"progress","pct":50,"note":"half"}'
echo "{\"type\":\"result\",\"summary\":\"read ${#ctx} bytes\"}"
exit 0
"#;
    let dir = remote_run(&sshd, true, script, "", &tasks);
    let status = headless(dir.path()).status().expect("orch-tui runs");
    assert_eq!(status.code(), Some(0), "the run succeeds");
    assert_eq!(last_status(dir.path()), "succeeded");
    let events = recorded_events(&dir.path().join("run.jsonl"));
    let done = events
        .iter()
        .find(|e| e["kind"] == "task_completed")
        .expect("T completed");
    let bytes: usize = done["output"]
        .as_str()
        .and_then(|o| o.strip_prefix("read "))
        .and_then(|o| o.strip_suffix(" bytes"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the result: {done}"));
    assert!(
        bytes > 6000,
        "the whole context line arrived: {bytes} bytes"
    );
    assert!(
        events
            .iter()
            .any(|e| e["kind"] == "task_progress" && e["pct"] == 50),
        "progress came through"
    );
}
