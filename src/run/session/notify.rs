//! Telling a person who is not watching that a blocker waits for them: when a blocker starts
//! waiting for a person and no viewer is attached, the workflow's `[settings.notify]` command
//! runs with the blocker as JSON on its stdin (the run, the blocker, its options and the
//! `orch-tui decide` line that answers it) and only its allowlisted environment. The run never
//! waits for it; one that takes longer than a minute is killed.

use super::Session;
use crate::engine::Event;
use crate::engine::event::{Decider, EventBody};
use crate::run::control::OpenBlocker;
use crate::workflow::notify::Notify;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a notify command may take.
const NOTIFY_TIMEOUT: Duration = Duration::from_secs(60);

impl Session {
    /// Runs the notify command for each blocker in `events` that now waits for a person, when
    /// nobody watches.
    pub(super) fn notify_waiting(&self, events: &[Event]) {
        let state = self.engine.state();
        let (Some(notify), Some(hub)) = (&state.workflow.settings.notify, &self.hub) else {
            return;
        };
        if hub.viewers() > 0 {
            return;
        }
        for event in events {
            let (EventBody::BlockerRaised { blocker, .. }
            | EventBody::BlockerEscalated { blocker, .. }) = &event.body
            else {
                continue;
            };
            let Some(b) = state.blocker_index(blocker).map(|b| &state.blockers[b]) else {
                continue;
            };
            if !b.is_open() || b.decides != Decider::Person {
                continue;
            }
            let run = hub.info();
            let message = serde_json::json!({
                "run": run.id,
                "workflow": run.workflow,
                "blocker": OpenBlocker::of(state, b),
                "severity": b.report.severity,
                "decide": format!("orch-tui decide {} {} {}", run.id, b.id, b.report.recommended),
            });
            if let Err(e) = start(notify, message.to_string()) {
                tracing::warn!("cannot run the notify command {:?}: {e}", notify.command);
            }
        }
    }
}

/// Starts the command with `input` on its stdin, and a thread that reaps it.
fn start(notify: &Notify, input: String) -> std::io::Result<()> {
    let Some((program, args)) = notify.command.split_first() else {
        return Ok(());
    };
    let mut child = Command::new(program)
        .args(args)
        .env_clear()
        .envs(
            notify
                .env
                .iter()
                .filter_map(|name| std::env::var_os(name).map(|v| (name, v))),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()?;
    let stdin = child.stdin.take();
    std::thread::Builder::new()
        .name("notify".into())
        .spawn(move || {
            if let Some(mut stdin) = stdin {
                let _ = stdin.write_all(input.as_bytes());
            }
            let until = Instant::now() + NOTIFY_TIMEOUT;
            while let Ok(None) = child.try_wait() {
                if Instant::now() > until {
                    let group = nix::unistd::Pid::from_raw(-(child.id() as i32));
                    let _ = nix::sys::signal::kill(group, nix::sys::signal::Signal::SIGKILL);
                    let _ = child.wait();
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        })?;
    Ok(())
}
