//! End-to-end tests of the dashboard: the real binary in a real terminal (tmux). A person opens
//! the analytics scenario, waits for the blocker, opens the decision panel, chooses option 1,
//! waits for the summary and quits; the screen, the recording and the exit code say it went as
//! it should. Also: the terminal comes back intact after a panic, Ctrl-C, SIGTERM, SIGHUP and
//! SIGQUIT, and keys
//! remapped in the user config work and show in the footer and the help.

mod common;

use common::tmux::{BIN, Tmux, quoted, recorded_events};
use std::time::Duration;

const CONFIG: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/config/analytics-dashboard.toml"
);
const WAIT: Duration = Duration::from_secs(30);

/// The analytics dashboard in a 120x40 terminal, recording to `run.jsonl`, then `stty -a` into
/// `stty` so a test can see the terminal modes the program left behind. The user config is
/// empty unless `env` names one.
fn dashboard(name: &str, env: &str) -> Tmux {
    Tmux::start(name, 120, 40, |dir| {
        format!(
            "ORCH_TUI_CONFIG=/dev/null {env} {BIN} run {CONFIG} --record {} --speed 2; code=$?; stty -a > {}; (exit $code)",
            quoted(&dir.join("run.jsonl")),
            quoted(&dir.join("stty"))
        )
    })
}

fn last_event(tmux: &Tmux) -> serde_json::Value {
    recorded_events(&tmux.path("run.jsonl"))
        .pop()
        .expect("the recording has events")
}

/// Raw mode off (canonical input and echo back on) and the main screen back.
fn assert_terminal_restored(tmux: &Tmux) {
    let start = std::time::Instant::now();
    while !tmux.path("stty").exists() && start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(50));
    }
    let stty = std::fs::read_to_string(tmux.path("stty")).expect("stty ran after the program");
    let words: Vec<&str> = stty.split_whitespace().collect();
    assert!(
        words.contains(&"icanon") && words.contains(&"echo"),
        "raw mode is still on:\n{stty}"
    );
    assert_eq!(
        tmux.display("#{alternate_on}"),
        "0",
        "the alternate screen is still on"
    );
    assert_eq!(
        tmux.display("#{mouse_any_flag}"),
        "0",
        "mouse capture is still on"
    );
}

#[test]
fn a_person_decides_the_blocker_by_keystroke() {
    let tmux = dashboard("decide", "");
    let screen = tmux.wait_for("waits for a person", WAIT);
    assert!(
        screen.contains("ws-leak"),
        "the banner names the blocker:\n{screen}"
    );
    assert!(
        screen.contains("Agents") && screen.contains("Timeline"),
        "{screen}"
    );
    tmux.send("n");
    // The panel may be caught half drawn: wait for each part of it.
    for part in ["Decision: ws-leak", "Upgrade to ws v9.0.0", "recommended"] {
        tmux.wait_for(part, WAIT);
    }
    let panel = tmux.wait_for("run finishes at", WAIT);
    assert!(
        panel.contains("Upgrade to ws v9.0.0") && panel.contains("recommended"),
        "{panel}"
    );
    assert!(
        panel.contains("run finishes at"),
        "each option shows its projected finish:\n{panel}"
    );
    tmux.send("1");
    tmux.wait_for("option 1 \"Upgrade to ws v9.0.0\" chosen", WAIT);
    let summary = tmux.wait_for("Run succeeded", WAIT);
    assert!(summary.contains("FINISHED"), "{summary}");
    tmux.send("q");
    assert_eq!(tmux.exit_code(WAIT), 0);
    assert_terminal_restored(&tmux);
    let events = recorded_events(&tmux.path("run.jsonl"));
    let decision = events
        .iter()
        .find(|e| e["kind"] == "decision_made")
        .expect("the decision is recorded");
    assert_eq!(decision["blocker"], "ws-leak");
    assert_eq!(decision["option"], 1);
    assert_eq!(decision["by"], "user");
    assert_eq!(last_event(&tmux)["summary"]["status"], "succeeded");
}

#[test]
fn quitting_a_running_run_asks_first_and_records_it_stopped() {
    let tmux = dashboard("quit", "");
    tmux.wait_for("LIVE", WAIT);
    tmux.send("q");
    tmux.wait_for("Quit now?", WAIT);
    tmux.send("Escape");
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !tmux.screen().contains("Quit now?"),
        "any other key goes back"
    );
    tmux.send("q");
    tmux.wait_for("Quit now?", WAIT);
    tmux.send("y");
    assert_eq!(tmux.exit_code(WAIT), 1, "a stopped run did not succeed");
    assert_terminal_restored(&tmux);
    assert_eq!(last_event(&tmux)["summary"]["status"], "stopped");
}

#[test]
fn ctrl_c_stops_and_restores_the_terminal() {
    let tmux = dashboard("ctrlc", "");
    tmux.wait_for("LIVE", WAIT);
    tmux.send("C-c");
    assert_eq!(tmux.exit_code(WAIT), 1);
    assert_terminal_restored(&tmux);
    assert_eq!(last_event(&tmux)["summary"]["status"], "stopped");
}

/// Sends `signal` to the dashboard: the run stops as with Ctrl-C, exit 1, recorded stopped, the
/// terminal restored.
fn assert_signal_stops_and_restores_the_terminal(signal: &str) {
    let tmux = dashboard(&signal.to_lowercase(), "");
    tmux.wait_for("LIVE", WAIT);
    let pid = tmux.program_pid().expect("the program runs");
    let killed = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    assert_eq!(tmux.exit_code(WAIT), 1, "SIG{signal} stops the run");
    assert_terminal_restored(&tmux);
    assert_eq!(last_event(&tmux)["summary"]["status"], "stopped");
}

#[test]
fn sigterm_stops_and_restores_the_terminal() {
    assert_signal_stops_and_restores_the_terminal("TERM");
}

#[test]
fn sighup_stops_and_restores_the_terminal() {
    assert_signal_stops_and_restores_the_terminal("HUP");
}

#[test]
fn sigquit_stops_and_restores_the_terminal() {
    assert_signal_stops_and_restores_the_terminal("QUIT");
}

#[test]
fn a_panic_inside_the_dashboard_restores_the_terminal() {
    let tmux = dashboard("panic", "ORCH_TUI_TEST_PANIC=1");
    assert_eq!(
        tmux.exit_code(WAIT),
        101,
        "a panic exits with Rust's panic status"
    );
    assert_terminal_restored(&tmux);
    assert!(
        tmux.history()
            .contains("panicking inside the dashboard on purpose"),
        "the panic message shows on the main screen"
    );
}

#[test]
fn keys_remapped_in_the_user_config_work_and_show_in_the_help() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "theme = \"high-contrast\"\n[keys]\nquit = \"x\"\nhelp = \"i\"\n",
    )
    .expect("the config is written");
    let tmux = dashboard("remap", &format!("ORCH_TUI_CONFIG={}", quoted(&config)));
    let screen = tmux.wait_for("LIVE", WAIT);
    assert!(
        screen.contains(" x quit "),
        "the footer shows the remapped key:\n{screen}"
    );
    tmux.send("i");
    let help = tmux.wait_for("Keys", WAIT);
    assert!(
        help.contains(" x    "),
        "the help lists x for quit:\n{help}"
    );
    tmux.send("Escape");
    tmux.send("q");
    std::thread::sleep(Duration::from_millis(300));
    assert!(!tmux.screen().contains("Quit now?"), "q no longer quits");
    tmux.send("x");
    tmux.wait_for("Quit now?", WAIT);
    tmux.send("y");
    assert_eq!(tmux.exit_code(WAIT), 1);
    assert_terminal_restored(&tmux);
}
