//! Real agents through the binary, with real processes: a protocol agent succeeds and hands its
//! result on; a failed attempt is retried, then moved to the backup, then fails for good with
//! its dependants skipped; a timeout ends the whole process group (no process or zombie left);
//! SIGTERM, SIGHUP or SIGQUIT to orch-tui ends every group; a flood and a huge line stay bounded; garbage and
//! half-written JSON become warnings; a blocker is decided by the headless policy and the agent
//! acts on the decision, its heartbeat and timeout paused while it waits; an agent gets only its own context, its dependencies' outputs and the
//! allowlisted environment; a real run replays without running anything.

mod common;

use common::real::{RealRun, STUBBORN, bash_agent, gone, pids_in, run_real, workflow};
use common::tmux::recorded_events;
use std::time::{Duration, Instant};

fn task(id: &str, role: &str, more: &str) -> String {
    format!("[[tasks]]\nid = \"{id}\"\nrole = \"{role}\"\nestimate = \"1s\"\n{more}\n")
}

fn assert_succeeded(run: &RealRun) {
    assert_eq!(
        run.status(),
        "succeeded",
        "stdout:\n{}\nstderr:\n{}",
        run.out.stdout,
        run.out.stderr
    );
    assert_eq!(run.out.code, 0);
}

#[test]
fn a_protocol_agent_succeeds_and_its_result_is_handed_on() {
    let text = workflow(&format!(
        "{}{}{}{}",
        bash_agent(
            "maker",
            r#"read -r ctx; echo '{"type":"progress","pct":50,"note":"half"}'; echo '{"type":"result","summary":"made 3 files"}'"#,
            ""
        ),
        bash_agent("user", r#"head -n 1 > input.json"#, ""),
        task("make", "maker", ""),
        task("use", "user", "depends_on = [\"make\"]"),
    ));
    let run = run_real(&text, &[], &[]);
    assert_succeeded(&run);
    let completed = run.events("task_completed");
    assert_eq!(completed[0]["output"], "made 3 files");
    let progress = run.events("task_progress");
    assert_eq!(progress[0]["pct"], 50);
    assert_eq!(progress[0]["note"], "half");
    let input: serde_json::Value =
        serde_json::from_str(&run.read("input.json")).expect("the context package is JSON");
    assert_eq!(input["inputs"]["make"], "made 3 files");
    assert_eq!(input["task"]["id"], "use");
    let started = run.events("agent_started");
    assert_eq!(started.len(), 2);
    assert_eq!(
        started[1]["input"], input,
        "the recording keeps what it was given"
    );
    assert_eq!(started[0]["argv"][0], "bash");
}

#[test]
fn a_failed_attempt_is_retried_then_succeeds() {
    let script = r#"n=$(( $(cat tries 2>/dev/null || echo 0) + 1 )); echo $n > tries; [ $n -ge 2 ] || exit 3"#;
    let text = workflow(&format!(
        "[settings]\nmax_retries = 1\n\n{}{}",
        bash_agent("flaky", script, ""),
        task("T", "flaky", ""),
    ));
    let run = run_real(&text, &[], &[]);
    assert_succeeded(&run);
    let failed = run.events("task_failed");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["reason"], "exit status 3");
    assert_eq!(failed[0]["final"], false);
    let attempts: Vec<&serde_json::Value> = run
        .events("agent_started")
        .iter()
        .map(|e| &e["attempt"])
        .collect();
    assert_eq!(attempts, [1, 2]);
    assert_eq!(run.read("tries").trim(), "2");
}

#[test]
fn a_task_that_keeps_failing_moves_to_the_backup_then_fails_and_skips_its_dependants() {
    let text = workflow(&format!(
        "[settings]\nmax_retries = 0\n\n{}{}{}{}{}",
        bash_agent(
            "main",
            "echo main >> ran; kill -9 $$",
            "backups = [\"spare\"]"
        ),
        bash_agent("spare", "echo spare >> ran; exit 1", "")
            .replace("role = \"spare\"", "role = \"main\""),
        bash_agent("after", "echo never >> ran", ""),
        task("T", "main", "agent = \"main\"").replace("role = \"main\"\n", ""),
        task("U", "after", "depends_on = [\"T\"]"),
    ));
    let run = run_real(&text, &[], &[]);
    assert_eq!(run.status(), "failed", "{}", run.out.stdout);
    assert_eq!(run.out.code, 1);
    assert_eq!(run.read("ran"), "main\nspare\n");
    let failed = run.events("task_failed");
    assert_eq!(failed[0]["reason"], "killed by signal 9 (SIGKILL)");
    assert_eq!(failed[1]["final"], true);
    assert_eq!(run.events("task_reassigned")[0]["to"], "spare");
    assert_eq!(run.events("task_skipped")[0]["task"], "U");
}

#[test]
fn a_timeout_ends_the_whole_process_group() {
    let text = workflow(&format!(
        "[settings]\nmax_retries = 0\n\n{}{}",
        bash_agent("slow", STUBBORN, "timeout = \"1s\""),
        task("T", "slow", ""),
    ));
    let run = run_real(&text, &[], &[]);
    assert_eq!(run.status(), "failed");
    assert_eq!(run.events("task_failed")[0]["reason"], "timed out after 1s");
    let pids = pids_in(&run.path("pids"));
    assert_eq!(pids.len(), 2, "the agent and its child wrote their pids");
    for pid in pids {
        assert!(gone(pid), "process {pid} is left (or a zombie)");
    }
}

#[test]
fn a_silent_agent_fails_its_heartbeat() {
    let text = workflow(&format!(
        "[settings]\nmax_retries = 0\n\n{}{}",
        bash_agent("quiet", "echo started; sleep 300", "heartbeat = \"1s\""),
        task("T", "quiet", ""),
    ));
    let run = run_real(&text, &[], &[]);
    assert_eq!(
        run.events("task_failed")[0]["reason"],
        "no output for 1s (heartbeat)"
    );
}

#[test]
fn sigterm_to_orch_tui_ends_every_process_group() {
    assert_signal_ends_every_process_group("TERM");
}

#[test]
fn sighup_to_orch_tui_ends_every_process_group() {
    assert_signal_ends_every_process_group("HUP");
}

#[test]
fn sigquit_to_orch_tui_ends_every_process_group() {
    assert_signal_ends_every_process_group("QUIT");
}

/// Sends `signal` to a headless run with two agents: exit 1, every process gone, the run
/// recorded as stopped.
fn assert_signal_ends_every_process_group(signal: &str) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let text = workflow(&format!(
        "{}{}{}{}",
        bash_agent("a", STUBBORN, ""),
        bash_agent(
            "b",
            "sleep 300 & echo $! >> pids; echo $$ >> pids; wait",
            ""
        ),
        task("A", "a", ""),
        task("B", "b", ""),
    ));
    std::fs::write(dir.path().join("workflow.toml"), text).expect("written");
    let mut child = common::orch_tui()
        .arg("run")
        .arg(dir.path().join("workflow.toml"))
        .args(["--headless", "--record"])
        .arg(dir.path().join("run.jsonl"))
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("orch-tui starts");
    let pids_file = dir.path().join("pids");
    let start = Instant::now();
    while pids_in(&pids_file).len() < 4 {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the agents started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = child.wait().expect("orch-tui exits");
    assert_eq!(
        exit.code(),
        Some(1),
        "SIG{signal}: a stopped run did not succeed"
    );
    for pid in pids_in(&pids_file) {
        assert!(gone(pid), "process {pid} is left (or a zombie)");
    }
    let events = recorded_events(&dir.path().join("run.jsonl"));
    let last = events.last().expect("events were recorded");
    assert_eq!(last["summary"]["status"], "stopped");
}

#[test]
fn a_flood_and_a_huge_line_stay_bounded() {
    let text = workflow(&format!(
        "[settings]\nmax_retries = 0\n\n{}{}{}{}",
        bash_agent("flood", "exec yes", "timeout = \"2s\""),
        bash_agent(
            "wide",
            "head -c 100000000 /dev/zero | tr '\\0' x; echo; echo after",
            ""
        ),
        task("F", "flood", ""),
        task("W", "wide", ""),
    ));
    // The largest child of this wrapper is orch-tui (its own agents are small programs).
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("workflow.toml"), &text).expect("written");
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
            common::tmux::BIN,
            "run",
        ])
        .arg(dir.path().join("workflow.toml"))
        .args(["--headless", "--record"])
        .arg(dir.path().join("run.jsonl"))
        .env("ORCH_TUI_CONFIG", "/dev/null")
        .output()
        .expect("python3 runs");
    let peak_kib: u64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("the wrapper prints the peak memory");
    let events = recorded_events(&dir.path().join("run.jsonl"));
    let logs: Vec<&str> = events
        .iter()
        .filter(|e| e["kind"] == "log")
        .filter_map(|e| e["text"].as_str())
        .collect();
    assert!(
        logs.iter()
            .any(|t| t.starts_with("dropped ") && t.contains("output lines")),
        "the flood's dropped lines are counted"
    );
    assert!(
        logs.iter()
            .any(|t| t.contains("[line cut: 99991808 bytes dropped]")),
        "the 100 MB line is cut to 8 KiB of log text: {:?}",
        logs.iter().map(|t| t.len()).max()
    );
    assert!(
        logs.contains(&"after"),
        "output goes on after the long line"
    );
    let failed: Vec<&serde_json::Value> = events
        .iter()
        .filter(|e| e["kind"] == "task_failed")
        .collect();
    assert_eq!(failed[0]["reason"], "timed out after 2s");
    assert!(
        peak_kib < 80 * 1024,
        "orch-tui peaked at {peak_kib} KiB reading a 100 MB line and a flood"
    );
}

#[test]
fn a_protocol_line_over_the_limit_fails_the_attempt_with_the_reason() {
    let text = workflow(&format!(
        "[settings]\nmax_retries = 0\n\n{}{}",
        bash_agent(
            "big",
            r#"printf '{"type":"result","summary":"'; head -c 70000 /dev/zero | tr '\0' x; echo '"}'; sleep 5"#,
            ""
        ),
        task("B", "big", ""),
    ));
    let run = run_real(&text, &[], &[]);
    assert_eq!(run.status(), "failed", "stdout:\n{}", run.out.stdout);
    assert_eq!(
        run.events("task_failed")[0]["reason"],
        "a stdout line of 70030 bytes is over the 64 KiB limit of a protocol message"
    );
}

#[test]
fn garbage_and_half_written_json_become_log_lines_with_a_warning() {
    let script = r#"echo 'plain words'; echo '{"type":"progress","pct":'; echo '{garbage'; echo '{"type":"dance"}'; echo oops >&2; printf '{"type":"result","summary":"ok"}'"#;
    let text = workflow(&format!(
        "{}{}",
        bash_agent("noisy", script, ""),
        task("T", "noisy", ""),
    ));
    let run = run_real(&text, &[], &[]);
    assert_succeeded(&run);
    let logs = run.logs();
    let warnings: Vec<&(String, String)> = logs
        .iter()
        .filter(|(level, text)| level == "warn" && text.starts_with("unreadable protocol line"))
        .collect();
    assert_eq!(warnings.len(), 3, "{logs:?}");
    assert!(logs.contains(&("info".into(), "plain words".into())));
    assert!(logs.contains(&("info".into(), "oops".into())));
    assert_eq!(
        run.events("task_completed")[0]["output"],
        "ok",
        "a last line without a newline is read"
    );
}

/// An agent `asker` (role `ask`) that raises a blocker with two options (the second
/// recommended), waits for the decision on stdin and acts on it; `more` adds fields.
fn asking_agent(more: &str) -> String {
    const PROGRAM: &str = r#"
import json, sys
sys.stdin.readline()
print(json.dumps({"type": "blocker", "id": "pick", "title": "Which way?", "severity": "high",
                  "options": [{"label": "Left"}, {"label": "Right", "pros": "shorter"}],
                  "recommended": 2}), flush=True)
for line in sys.stdin:
    decision = json.loads(line)
    if decision["type"] == "decision" and decision["blocker"] == "pick":
        open("chosen", "w").write(str(decision["option"]))
        print(json.dumps({"type": "result", "summary": "went %d" % decision["option"]}))
        break
"#;
    let program = PROGRAM
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!(
        "[[agents]]\nid = \"asker\"\nrole = \"ask\"\nkind = \"command\"\nargv = [\"python3\", \"-c\", \"{program}\"]\nenv = [\"PATH\"]\n{more}\n\n"
    )
}

#[test]
fn a_blocker_is_decided_by_the_headless_policy_and_the_agent_acts_on_it() {
    let text = workflow(&format!(
        "{}{}",
        asking_agent("heartbeat = \"5s\""),
        task("T", "ask", "")
    ));
    let run = run_real(&text, &["--decide", "recommended"], &[]);
    assert_succeeded(&run);
    assert_eq!(run.read("chosen"), "2");
    let raised = run.events("blocker_raised");
    assert_eq!(raised[0]["blocker"], "pick");
    assert_eq!(raised[0]["severity"], "high");
    let decided = run.events("decision_made");
    assert_eq!(decided[0]["option"], 2);
    assert_eq!(decided[0]["by"], "policy");
    assert_eq!(run.events("task_completed")[0]["output"], "went 2");
}

#[test]
fn waiting_for_a_decision_pauses_the_heartbeat_and_the_timeout() {
    let text = workflow(&format!(
        "[settings.escalation]\npolicy_decides = [\"high\"]\ndecide_after = \"2s\"\n\n{}{}",
        asking_agent("heartbeat = \"1s\"\ntimeout = \"1.5s\""),
        task("T", "ask", ""),
    ));
    let run = run_real(&text, &["--decide", "none"], &[]);
    assert_succeeded(&run);
    let decided = run.events("decision_made");
    assert_eq!(decided[0]["by"], "policy");
    assert!(
        decided[0]["at_ms"].as_u64() >= Some(2_000),
        "the agent waited silently past its heartbeat and timeout: {decided:?}"
    );
    assert_eq!(run.read("chosen"), "2");
}

#[test]
fn an_agent_gets_only_its_context_its_inputs_and_the_allowlisted_environment() {
    let text = workflow(&format!(
        "{}{}{}{}{}",
        bash_agent(
            "giver",
            r#"read -r ctx; echo '{"type":"result","summary":"from A"}'"#,
            ""
        ),
        bash_agent(
            "taker",
            "head -n 1 > input.json; env > env.txt",
            "env = [\"PATH\", \"ALLOWED_VAR\"]"
        )
        .replace("env = [\"PATH\"]\n", ""),
        task("A", "giver", "context = { secret_a = \"alpha\" }"),
        task("B", "taker", "depends_on = [\"A\"]\ncontext = { mine = 1 }"),
        task("C", "giver", "context = { other = \"zzz\" }"),
    ));
    let run = run_real(
        &text,
        &[],
        &[("SECRET_TOKEN", "hunter2"), ("ALLOWED_VAR", "visible")],
    );
    assert_succeeded(&run);
    let input: serde_json::Value =
        serde_json::from_str(&run.read("input.json")).expect("the context package is JSON");
    assert_eq!(input["task"]["context"], serde_json::json!({ "mine": 1 }));
    assert_eq!(input["inputs"], serde_json::json!({ "A": "from A" }));
    let raw = run.read("input.json");
    assert!(!raw.contains("alpha") && !raw.contains("zzz"), "{raw}");
    let env = run.read("env.txt");
    assert!(env.contains("ALLOWED_VAR=visible"), "{env}");
    assert!(
        !env.contains("hunter2") && !env.contains("SECRET_TOKEN"),
        "{env}"
    );
    let started = run.events("agent_started");
    let b = started
        .iter()
        .find(|e| e["task"] == "B")
        .expect("B started");
    assert_eq!(b["env"], serde_json::json!(["PATH", "ALLOWED_VAR"]));
    assert!(
        !run.read("run.jsonl").contains("hunter2") && !run.read("run.jsonl").contains("visible"),
        "the recording names the variables, never their values"
    );
}

#[test]
fn a_real_run_replays_without_running_anything() {
    let text = workflow(&format!(
        "{}{}",
        bash_agent("once", "read -r ctx; echo ran >> count", ""),
        task("T", "once", ""),
    ));
    let run = run_real(&text, &[], &[]);
    assert_succeeded(&run);
    let recording = run.path("run.jsonl");
    let timeline = common::orch([
        "replay".as_ref(),
        recording.as_os_str(),
        "--headless".as_ref(),
    ]);
    assert_eq!(timeline.code, 0, "{}", timeline.stderr);
    assert!(
        timeline.stdout.contains("exec      T on once: bash -c"),
        "{}",
        timeline.stdout
    );
    let verify = common::orch([
        "replay".as_ref(),
        recording.as_os_str(),
        "--verify".as_ref(),
    ]);
    assert_eq!(verify.code, 2);
    common::assert_says(&verify.stderr, "--verify checks simulated runs only");
    assert_eq!(verify.stderr.lines().count(), 1);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(run.read("count"), "ran\n", "the replay ran nothing");
}

#[test]
fn pacing_flags_are_refused_for_real_agents() {
    let text = workflow(&format!(
        "{}{}",
        bash_agent("a", "true", ""),
        task("T", "a", "")
    ));
    let run = run_real(&text, &["--instant"], &[]);
    assert_eq!(run.out.code, 2);
    common::assert_says(&run.out.stderr, "drop --instant and --speed");
}
