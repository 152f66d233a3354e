//! The dashboard as one of a run's front ends, driven in tmux as a person would: `D` detaches a
//! dashboard and the run goes on; `orch-tui attach` comes back to a screen equal to that of a
//! viewer that never left; a viewer killed with SIGKILL leaves the run going; a dashboard run
//! with `--detach-on-hangup` outlives its closed terminal; and `attach --ssh` reaches a run
//! through a real sshd on 127.0.0.1, deciding its blocker by key with who decided recorded.

mod common;

use common::config;
use common::runs::{Shell, wait_until};
use common::sshd::Sshd;
use common::tmux::{BIN, Tmux, quoted, recorded_events};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// `orch-tui ARGS` in tmux, in `shell`'s environment, with an empty user config.
fn dashboard(name: &str, shell: &Shell, args: &str) -> Tmux {
    let env = shell.env_words();
    let args = args.to_string();
    Tmux::start(name, 120, 40, move |_| format!("{env} {BIN} {args}"))
}

/// The one run going on in `shell`'s folder.
fn only_run(shell: &Shell) -> String {
    let runs = shell.json(["ls", "--json"]);
    let runs = runs.as_array().expect("a list");
    assert_eq!(runs.len(), 1, "{runs:?}");
    runs[0]["id"].as_str().expect("an id").to_string()
}

/// The screen without its last line (the footer, where toasts show).
fn body(tmux: &Tmux) -> String {
    let screen = tmux.screen();
    let lines: Vec<&str> = screen.lines().collect();
    lines[..lines.len().saturating_sub(1)].join("\n")
}

/// The dashboard of a new run of the built-in example, recorded to `run.jsonl`, with `flags`;
/// returns it once live, with the run's id.
fn own_dashboard(name: &str, shell: &Shell, flags: &str) -> (Tmux, String) {
    let analytics = config("analytics-dashboard.toml");
    let record = shell.path("run.jsonl");
    let owner = dashboard(
        name,
        shell,
        &format!(
            "run {} {flags} --record {}",
            quoted(&analytics),
            quoted(&record)
        ),
    );
    owner.wait_for("LIVE", WAIT);
    (owner, only_run(shell))
}

/// Who made the recorded decision, which a person made.
fn decided_by_a_person(recording: &std::path::Path) -> String {
    let events = recorded_events(recording);
    let decided = events
        .iter()
        .find(|e| e["kind"] == "decision_made")
        .expect("a decision is recorded");
    assert_eq!(decided["by"], "user");
    decided["who"].as_str().unwrap_or_default().to_string()
}

#[test]
fn detach_then_attach_shows_what_a_viewer_that_never_left_shows() {
    let shell = Shell::new();
    let record = shell.path("run.jsonl");
    let (owner, id) = own_dashboard("attach-owner", &shell, "--speed 2");
    owner.send("D");
    owner.wait_for("goes on in the background", WAIT);
    assert_eq!(owner.exit_code(WAIT), 0);
    assert_eq!(shell.listed(&id)["status"], "running");

    let stayed = dashboard("attach-stayed", &shell, &format!("attach {id}"));
    stayed.wait_for("LIVE", WAIT);
    shell.wait_for_blocker(&id, "ws-leak");
    let back = dashboard("attach-back", &shell, &format!("attach {id}"));
    back.wait_for("waits for a person", WAIT);
    // Paused, the run's clock stands still on every screen.
    back.send("Space");
    stayed.wait_for("PAUSED", WAIT);
    back.wait_for("PAUSED", WAIT);
    wait_until("both viewers show the same run", || {
        body(&stayed) == body(&back)
    });
    assert_eq!(shell.listed(&id)["viewers"], 2);

    // The run's own decision panel, from the viewer that came back.
    back.send("n");
    back.wait_for("Decision: ws-leak", WAIT);
    back.send("1");
    back.wait_for("chosen by", WAIT);
    wait_until("the other viewer sees the blocker decided", || {
        !stayed.screen().contains("waits for a person")
    });
    let who = decided_by_a_person(&record);
    assert!(who.contains("@pts/"), "{who}");
    // Quitting a viewer leaves the run going.
    back.send("q");
    back.wait_for("y leave", WAIT);
    back.send("y");
    assert_eq!(back.exit_code(WAIT), 0);
    assert_eq!(shell.listed(&id)["status"], "running");
    // X in the same prompt stops it.
    stayed.send("q");
    stayed.wait_for("X stop the run", WAIT);
    stayed.send("X");
    assert_eq!(stayed.exit_code(WAIT), 0);
    wait_until("the run is stopped", || {
        shell.listed(&id)["status"] == "stopped"
    });
}

#[test]
fn a_viewer_killed_with_sigkill_leaves_the_run_going() {
    let shell = Shell::new();
    let id = shell.detach_analytics("1");
    let viewer = dashboard("attach-killed", &shell, &format!("attach {id}"));
    viewer.wait_for("LIVE", WAIT);
    wait_until("the viewer is counted", || {
        shell.listed(&id)["viewers"] == 1
    });
    let pid = viewer.program_pid().expect("the viewer runs");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid as i32),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill -9");
    wait_until("the viewer is gone", || shell.listed(&id)["viewers"] == 0);
    assert_eq!(shell.listed(&id)["status"], "running");
    let events = shell.stop(&id);
    assert_eq!(
        events.last().expect("events")["summary"]["status"],
        "stopped"
    );
}

#[test]
fn a_dashboard_run_with_detach_on_hangup_outlives_its_terminal() {
    let shell = Shell::new();
    let (owner, id) = own_dashboard("attach-hangup", &shell, "--speed 1 --detach-on-hangup");
    owner.kill_session();
    let pid = owner.program_pid();
    wait_until("the dashboard is gone", || {
        pid.is_none_or(|p| !std::path::Path::new(&format!("/proc/{p}")).exists())
            || shell.listed(&id)["viewers"] == 0
    });
    wait_until("no viewer is left", || shell.listed(&id)["viewers"] == 0);
    assert_eq!(shell.listed(&id)["status"], "running");
    shell.stop(&id);
}

#[test]
fn attach_over_ssh_decides_by_key_and_records_who() {
    let sshd = Sshd::start();
    let shell = Shell::new();
    let id = shell.detach_analytics("2");
    // `ssh` as the user's own config would have it: this server's key and port.
    let argv = sshd.ssh_argv(&[]);
    let host = argv.last().expect("the host").clone();
    let options: Vec<String> = argv[1..argv.len() - 1]
        .iter()
        .map(|w| format!("'{w}'"))
        .collect();
    let bin = shell.path("bin");
    std::fs::create_dir_all(&bin).expect("a bin folder");
    let wrapper = bin.join("ssh");
    std::fs::write(
        &wrapper,
        format!(
            "#!/bin/sh\nexec /usr/bin/ssh {} \"$@\"\n",
            options.join(" ")
        ),
    )
    .expect("the ssh wrapper is written");
    std::fs::set_permissions(
        &wrapper,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    // The remote side runs in the same run folder, as one machine over loopback.
    let remote = format!("{} {BIN}", shell.env_words());
    let env = shell.env_words();
    let path = std::env::var("PATH").unwrap_or_default();
    let bin = quoted(&bin);
    let viewer = Tmux::start("attach-ssh", 120, 40, move |_| {
        format!("{env} PATH={bin}:{path} ORCH_TUI_REMOTE='{remote}' {BIN} attach --ssh {host} {id}")
    });
    viewer.wait_for("User Analytics Dashboard", WAIT);
    shell.wait_for_blocker(&only_run(&shell), "ws-leak");
    viewer.wait_for("waits for a person", WAIT);
    viewer.send("n");
    viewer.wait_for("Decision: ws-leak", WAIT);
    viewer.send("1");
    viewer.wait_for("chosen by", WAIT);
    let who = decided_by_a_person(&shell.path("run.jsonl"));
    assert!(who.starts_with("root@"), "{who}");
    viewer.send("D");
    assert_eq!(viewer.exit_code(WAIT), 0);
    let id = only_run(&shell);
    assert_eq!(shell.listed(&id)["status"], "running");
    shell.stop(&id);
}
