//! Runs reached from a second shell, through the real binary: `run --detach` prints an id,
//! `ls` (text and `--json`) and `status` show the run, `decide` answers its blocker (exit 2 with
//! one line for no such option, an unknown blocker or one already decided, naming who), `stop`
//! ends it, and the recording says who decided and that the run was stopped. A detached run
//! shrugs off SIGHUP; stopping a run of command agents leaves no agent process and no zombie;
//! a headless `--decide person` run waits until `decide` comes from elsewhere; and bad input
//! (an unknown run, a finished run) is refused with exit 2. Each test has its own
//! `XDG_RUNTIME_DIR` and `HOME`; states are waited for by polling with a bound, never by the
//! clock; whatever a test started is stopped (or killed) when it ends, even on failure.

mod common;

use common::runs::{
    Reaped, Shell, exited, hangup_pending, marked, one_line, pid_of, row, state, wait_until,
};
use common::tmux::recorded_events;
use common::{Output, config};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::ffi::OsStr;
use std::io::Read;
use std::process::Stdio;

#[test]
fn a_detached_run_is_listed_shown_decided_and_stopped_from_a_second_shell() {
    let shell = Shell::new();
    let id = shell.detach_analytics("1");
    assert!(id.starts_with("analytics-dashboard-"), "{id}");

    let ls = shell.run(["ls"]);
    assert_eq!(ls.code, 0, "{}", ls.stderr);
    let line = row(&ls.stdout, &id);
    assert!(
        line.contains("analytics-dashboard") && line.contains("running"),
        "{line}"
    );
    let listed = shell.listed(&id);
    for field in ["id", "workflow", "started_at", "status", "cost"] {
        assert!(listed[field].is_string(), "{field} in {listed}");
    }
    for field in ["finished", "total", "viewers"] {
        assert!(listed[field].is_u64(), "{field} in {listed}");
    }
    assert!(listed["blockers"].is_array(), "{listed}");
    assert_eq!(listed["workflow"], "analytics-dashboard");
    assert_eq!(listed["status"], "running");
    assert_eq!(listed["total"], 5);

    let view = shell.wait_for_blocker(&id, "ws-leak");
    assert_eq!(view["run"]["id"], id.as_str());
    assert_eq!(
        shell.listed(&id)["blockers"],
        serde_json::json!(["ws-leak"])
    );
    let status = shell.run(["status", &id]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    let text = &status.stdout;
    // B waits on the blocker, so C and the integration tests that follow it wait too.
    let has = |start: &str, item: &str| {
        let line = text.lines().find(|l| l.trim_start().starts_with(start));
        line.is_some_and(|l| l.contains(item))
    };
    assert!(
        has("blocked", "B") && has("pending", "integration"),
        "{text}"
    );
    assert!(has("blocker ws-leak (task B)", "memory leak"), "{text}");
    assert!(has("1  Upgrade to ws v9.0.0", "recommended"), "{text}");
    assert!(
        text.contains(&format!("orch-tui decide {id} ws-leak 1")),
        "{text}"
    );

    let refused = |out: Output, says: &[&str]| {
        assert_eq!(out.code, 2, "{out:?}");
        let reason = one_line(&out.stderr);
        for part in says {
            assert!(reason.contains(part), "{reason:?} should say {part:?}");
        }
    };
    refused(shell.run(["decide", &id, "ws-leak", "9"]), &["9", "1 to 3"]);
    refused(shell.run(["decide", &id, "nope", "1"]), &["nope"]);
    let decided = shell.run(["decide", &id, "ws-leak", "1"]);
    assert_eq!(decided.code, 0, "{}", decided.stderr);
    assert!(
        decided.stdout.contains("Upgrade to ws v9.0.0"),
        "{decided:?}"
    );
    let again = shell.run(["decide", &id, "ws-leak", "2"]);

    let events = recorded_events(&shell.path("run.jsonl"));
    let decision = events
        .iter()
        .find(|e| e["kind"] == "decision_made" && e["blocker"] == "ws-leak")
        .expect("the decision is recorded");
    assert_eq!(decision["option"], 1, "{decision}");
    assert_eq!(decision["by"], "user", "{decision}");
    let who = decision["who"].as_str().expect("the decision says who");
    assert!(!who.is_empty(), "{decision}");
    refused(again, &["already decided", who]);

    let events = shell.stop(&id);
    assert_eq!(
        events
            .iter()
            .filter(|e| e["kind"] == "decision_made")
            .count(),
        1
    );
}

#[test]
fn a_detached_run_never_notices_a_hangup() {
    let shell = Shell::new();
    let id = shell.detach_analytics("1");
    // Waiting at the blocker for a person: the run has started and cannot end by itself.
    shell.wait_for_blocker(&id, "ws-leak");
    let pid = pid_of(&shell.listed(&id));
    kill(Pid::from_raw(pid as i32), Signal::SIGHUP).expect("SIGHUP is sent");
    wait_until("the hangup was delivered", || !hangup_pending(pid));
    assert!(!exited(pid), "the run died of SIGHUP");
    // It goes on: it takes a decision, and its work moves past the blocker.
    let decided = shell.run(["decide", &id, "ws-leak", "1"]);
    assert_eq!(decided.code, 0, "{}", decided.stderr);
    shell.wait_for(&id, "B done", |view| {
        view["tasks"]["done"]
            .as_array()
            .is_some_and(|d| d.contains(&"B".into()))
    });
    assert_eq!(shell.listed(&id)["status"], "running");
    shell.stop(&id);
}

#[test]
fn stopping_a_detached_run_of_command_agents_leaves_no_process_behind() {
    let shell = Shell::new();
    // Each agent's leader and its child carry the marker; the second ignores SIGTERM, so only
    // SIGKILL ends its group.
    let agent = |id: &str, script: &str| {
        format!(
            "[[agents]]\nid = \"{id}\"\nrole = \"{id}\"\nkind = \"command\"\nenv = [\"PATH\"]\n\
             argv = [\"bash\", \"-c\", \"{script}(exec -a \\\"$0\\\" sleep 300) & wait\", \"{}\"]\n\n\
             [[tasks]]\nid = \"{id}-task\"\nrole = \"{id}\"\nestimate = 5\n\n",
            shell.marker
        )
    };
    let text = format!(
        "[workflow]\nname = \"sleepers\"\nunit = \"seconds\"\n\n[settings]\nmax_parallel = 2\n\n{}{}",
        agent("calm", ""),
        agent("stubborn", "trap \\\"\\\" TERM; "),
    );
    let file = shell.path("sleepers.toml");
    std::fs::write(&file, text).expect("the workflow is written");
    let record = shell.path("run.jsonl");
    let out = shell.run([
        OsStr::new("run"),
        file.as_os_str(),
        "--detach".as_ref(),
        "--record".as_ref(),
        record.as_os_str(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let id = one_line(&out.stdout);

    wait_until("both agents and their children run", || {
        marked(&shell.marker).len() == 4
    });
    let agents = marked(&shell.marker);
    let run_pid = pid_of(&shell.listed(&id));
    assert!(!agents.contains(&run_pid));
    shell.stop(&id);
    assert_eq!(marked(&shell.marker), Vec::<u32>::new(), "agents are left");
    for pid in agents {
        assert_eq!(
            state(pid),
            None,
            "agent process {pid} is left (or a zombie)"
        );
    }
}

#[test]
fn a_headless_run_waits_for_a_decision_from_another_shell() {
    let shell = Shell::new();
    let (file, record) = (config("analytics-dashboard.toml"), shell.path("run.jsonl"));
    let mut command = shell.command([
        OsStr::new("run"),
        file.as_os_str(),
        "--headless".as_ref(),
        "--decide".as_ref(),
        "person".as_ref(),
        "--speed".as_ref(),
        "20".as_ref(),
        "--record".as_ref(),
        record.as_os_str(),
    ]);
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = Reaped(command.spawn().expect("orch-tui starts"));
    let mut stdout = child.0.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });

    wait_until("the run is listed", || {
        shell
            .json(["ls", "--json"])
            .as_array()
            .is_some_and(|r| r.len() == 1)
    });
    let id = shell.json(["ls", "--json"])[0]["id"]
        .as_str()
        .expect("an id")
        .to_string();
    shell.wait_for_blocker(&id, "ws-leak");
    assert!(
        child.0.try_wait().expect("the child").is_none(),
        "it did not wait"
    );

    let decided = shell.run(["decide", &id, "ws-leak", "1"]);
    assert_eq!(decided.code, 0, "{}", decided.stderr);
    wait_until("the run finished", || {
        matches!(child.0.try_wait(), Ok(Some(_)))
    });
    let status = child.0.wait().expect("the child exited");
    let mut stderr = String::new();
    let _ = child
        .0
        .stderr
        .take()
        .map(|mut e| e.read_to_string(&mut stderr));
    let stdout = reader.join().expect("stdout was read");
    assert_eq!(status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("ws-leak"), "{stdout}");
    assert_eq!(shell.listed(&id)["status"], "succeeded");
    let events = recorded_events(&record);
    assert!(
        events
            .iter()
            .any(|e| e["kind"] == "decision_made" && e["by"] == "user")
    );
}

#[test]
fn an_unknown_run_and_a_finished_run_are_refused() {
    let shell = Shell::new();
    let out = shell.run(["status", "no-such-run"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    assert!(one_line(&out.stderr).contains("no-such-run"), "{out:?}");

    let (file, record) = (config("analytics-dashboard.toml"), shell.path("run.jsonl"));
    let ran = shell.run([
        OsStr::new("run"),
        file.as_os_str(),
        "--headless".as_ref(),
        "--decide".as_ref(),
        "recommended".as_ref(),
        "--speed".as_ref(),
        "200".as_ref(),
        "--record".as_ref(),
        record.as_os_str(),
    ]);
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let runs = shell.json(["ls", "--json"]);
    let id = runs[0]["id"].as_str().expect("the run is listed");
    assert_eq!(runs[0]["status"], "succeeded", "{runs}");
    for args in [["decide", id, "ws-leak", "1"].as_slice(), &["stop", id]] {
        let out = shell.run(args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(one_line(&out.stderr).contains("finished"), "{out:?}");
    }
    let status = shell.run(["status", id]);
    assert_eq!(status.code, 0, "{}", status.stderr);
    assert!(status.stdout.contains("succeeded"), "{}", status.stdout);
}
