//! End-to-end test of replay keys: the recorded analytics run in the real binary in tmux —
//! pause, go to the start, step, jump to the blocker and to the decision (its read-only
//! panel says who chose what), go to a typed time, jump 10%, go to the end, quit. SIGHUP and
//! SIGQUIT end a replay with the terminal restored.

mod common;

use common::tmux::{BIN, Tmux, quoted};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

#[test]
fn replay_keys_move_through_the_recording() {
    let recording =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/analytics-dashboard.jsonl");
    let tmux = Tmux::start("replay", 120, 40, |_| {
        format!("{BIN} replay {}", quoted(&recording))
    });
    tmux.wait_for("REPLAY", WAIT);
    tmux.send("Space");
    tmux.send("Home");
    tmux.wait_for("event 0/72", WAIT);
    tmux.send("Right");
    tmux.wait_for("event 1/72", WAIT);
    tmux.send("Right");
    tmux.wait_for("event 2/72", WAIT);
    tmux.send("Left");
    tmux.wait_for("event 1/72", WAIT);

    tmux.send("n");
    let blocker = tmux.wait_for("Decision: ws-leak", WAIT);
    assert!(
        blocker.contains("‼1"),
        "at the blocker, one task is blocked:\n{blocker}"
    );
    tmux.send("n");
    let decided = tmux.wait_for("Decided: option 1", WAIT);
    assert!(
        decided.contains("by a person"),
        "the read-only panel says who decided:\n{decided}"
    );
    tmux.send("Escape");
    let log = tmux.wait_for("decided   ws-leak", WAIT);
    assert!(
        log.contains("event 34/72"),
        "the log shows the events up to the position:\n{log}"
    );

    tmux.send("g");
    tmux.wait_for("Go to run time", WAIT);
    tmux.send("5h");
    tmux.send("Enter");
    let at_five = tmux.wait_for("t=5h", WAIT);
    assert!(at_five.contains("▶1"), "at 5h only C runs:\n{at_five}");

    tmux.send("]");
    tmux.wait_for("t=6.03h", WAIT);
    tmux.send("End");
    let end = tmux.wait_for("event 72/72", WAIT);
    assert!(
        end.contains("Run succeeded"),
        "the summary shows at the end:\n{end}"
    );
    tmux.send("q");
    assert_eq!(tmux.exit_code(WAIT), 0);
}

#[test]
fn sighup_and_sigquit_end_a_replay_with_the_terminal_restored() {
    let recording =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/analytics-dashboard.jsonl");
    for signal in ["HUP", "QUIT"] {
        let tmux = Tmux::start(&format!("replay-{signal}"), 120, 40, |dir| {
            format!(
                "{BIN} replay {}; code=$?; stty -a > {}; (exit $code)",
                quoted(&recording),
                quoted(&dir.join("stty"))
            )
        });
        tmux.wait_for("REPLAY", WAIT);
        let pid = tmux.program_pid().expect("the replay runs");
        let sent = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        assert_eq!(tmux.exit_code(WAIT), 0, "SIG{signal} ends the replay");
        let stty = std::fs::read_to_string(tmux.path("stty")).expect("stty ran after the replay");
        let words: Vec<&str> = stty.split_whitespace().collect();
        assert!(
            words.contains(&"icanon") && words.contains(&"echo"),
            "SIG{signal}: raw mode is still on:\n{stty}"
        );
        assert_eq!(tmux.display("#{alternate_on}"), "0", "SIG{signal}");
        assert_eq!(tmux.display("#{mouse_any_flag}"), "0", "SIG{signal}");
    }
}
