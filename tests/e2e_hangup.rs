//! A run of real agents loses its terminal: `tmux kill-session` (the terminal closes under the
//! dashboard or a headless run) or a SIGHUP to the binary. Either way the run ends as on Ctrl-C: the
//! recording ends with `run_finished` `stopped` and no agent process is left.

mod common;

use common::real::{STUBBORN, bash_agent, gone, pids_in, workflow};
use common::tmux::{BIN, Tmux, quoted, recorded_events};
use std::path::Path;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

/// orch-tui in tmux on two agents that run until stopped (one ignores SIGTERM), recording to
/// `run.jsonl`, with `flags` (the dashboard unless `--headless`); returns once both agents wrote
/// their pids.
fn run_with_agents(name: &str, flags: &str) -> Tmux {
    let text = workflow(&format!(
        "{}{}[[tasks]]\nid = \"A\"\nrole = \"a\"\nestimate = \"1s\"\n\n[[tasks]]\nid = \"B\"\nrole = \"b\"\nestimate = \"1s\"\n",
        bash_agent("a", STUBBORN, ""),
        bash_agent(
            "b",
            "sleep 300 & echo $! >> pids; echo $$ >> pids; wait",
            ""
        ),
    ));
    let tmux = Tmux::start(name, 120, 40, |dir| {
        std::fs::write(dir.join("workflow.toml"), &text).expect("the workflow is written");
        format!(
            "cd {} && {BIN} run workflow.toml --record run.jsonl {flags}",
            quoted(dir)
        )
    });
    wait_until(WAIT, "the agents started", || {
        pids_in(&tmux.path("pids")).len() == 4
    });
    tmux
}

fn wait_until(timeout: Duration, what: &str, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < timeout, "waited {timeout:?}: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// After orch-tui (`pid`) is gone: the run is recorded as stopped and every agent is gone.
fn assert_stopped_and_nothing_left(dir: &Path, pid: u32) {
    wait_until(WAIT, "orch-tui exited", || gone(pid));
    let events = recorded_events(&dir.join("run.jsonl"));
    let last = events.last().expect("the recording has events");
    assert_eq!(last["kind"], "run_finished", "{last}");
    assert_eq!(last["summary"]["status"], "stopped");
    for agent in pids_in(&dir.join("pids")) {
        assert!(gone(agent), "agent process {agent} is left (or a zombie)");
    }
}

#[test]
fn killing_the_tmux_session_stops_the_run_and_its_agents() {
    let tmux = run_with_agents("hangup-kill-session", "");
    let pid = tmux.program_pid().expect("the program runs");
    tmux.kill_session();
    assert_stopped_and_nothing_left(tmux.dir.path(), pid);
}

#[test]
fn killing_the_tmux_session_of_a_headless_run_stops_it_and_its_agents() {
    let tmux = run_with_agents("hangup-headless", "--headless");
    let pid = tmux.program_pid().expect("the program runs");
    tmux.kill_session();
    assert_stopped_and_nothing_left(tmux.dir.path(), pid);
}

#[test]
fn sighup_to_the_dashboard_stops_the_run_and_its_agents() {
    let tmux = run_with_agents("hangup-signal", "");
    let pid = tmux.program_pid().expect("the program runs");
    let killed = std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    assert_eq!(tmux.exit_code(WAIT), 1, "a stopped run exits 1");
    assert_stopped_and_nothing_left(tmux.dir.path(), pid);
    assert_eq!(
        tmux.display("#{alternate_on}"),
        "0",
        "the main screen is back"
    );
}
