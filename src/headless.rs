//! Headless runs: a run's session driven without a terminal UI, on the instant clock
//! (`--instant`) or paced against the wall clock (`--speed`; a workflow with command agents
//! always runs on the wall clock), printing one line per notable event and the summary. Ctrl-C,
//! SIGTERM, SIGHUP and SIGQUIT end the run cleanly: every process group is ended and the
//! recording gets a `run_finished` with status `stopped`.

use crate::agents::Doorbell;
use crate::engine::describe::{describe, summary_text};
use crate::engine::{Event, RunStatus, State};
use crate::run::session::Session;
use crate::sanitise::sanitise_line;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often a waiting run looks at the stop flag.
const STOP_CHECK: Duration = Duration::from_millis(50);

/// What a headless run prints.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// One line per notable event, then the summary.
    Lines,
    /// The summary as JSON only.
    Json,
}

/// The bell a headless session's `wake` rings: agents' reports wait.
pub fn doorbell() -> Arc<Doorbell> {
    Arc::new(Doorbell::default())
}

/// Runs the session to its end. `doorbell` must be what the session's wake rings. A run in the
/// background (`hangup_stops` false) has no terminal to lose and ignores SIGHUP. Returns the
/// final status.
pub fn run(
    session: &mut Session,
    doorbell: &Doorbell,
    hangup_stops: bool,
    output: Output,
    out: &mut dyn Write,
) -> std::io::Result<RunStatus> {
    let stop = Arc::new(AtomicBool::new(false));
    // A hangup in the background is caught into a flag nobody reads.
    let hangup = match hangup_stops {
        true => stop.clone(),
        false => Arc::new(AtomicBool::new(false)),
    };
    for signal in crate::STOP_SIGNALS {
        let flag = match signal == signal_hook::consts::SIGHUP {
            true => hangup.clone(),
            false => stop.clone(),
        };
        signal_hook::flag::register(signal, flag)?;
    }
    // Output that can no longer be written (the terminal closed, the pipe's reader left) stops
    // the run, which still records its end; the error is returned after.
    let mut lost_output = None;
    session.start();
    loop {
        let events = session.take_events();
        let notices = session.take_notices();
        if lost_output.is_none()
            && let Err(e) = print(session.state(), &events, &notices, output, out)
        {
            lost_output = Some(e);
            stop.store(true, Ordering::Relaxed);
        }
        if session.is_finished() {
            break;
        }
        // A run that can no longer be recorded stops rather than go on unrecorded, and so does
        // a run whose dashboard went away without detaching it.
        if stop.load(Ordering::Relaxed) || session.record_error().is_some() || session.owner_lost()
        {
            session.stop();
            continue;
        }
        match session.next_due() {
            None if !session.has_agents()
                && !session.awaits_remote_decision()
                && !session.is_paused() =>
            {
                // Nothing left to happen, no one to decide, no one to resume it: cannot go on.
                session.stop();
                continue;
            }
            Some(due) if due <= Instant::now() => {}
            due => {
                let soon = Instant::now() + STOP_CHECK;
                doorbell.wait_until(due.map_or(soon, |d| d.min(soon)));
            }
        }
        session.advance();
    }
    session.stop();
    if let Some(e) = session.record_error() {
        return Err(std::io::Error::other(e.to_string()));
    }
    if let Some(e) = lost_output {
        return Err(e);
    }
    let state = session.state();
    let Some(summary) = state.finished.as_ref() else {
        return Ok(RunStatus::Stopped);
    };
    match output {
        Output::Lines => write!(out, "{}", summary_text(summary, state.workflow.unit))?,
        Output::Json => writeln!(out, "{}", crate::sanitise::json(summary))?,
    }
    Ok(summary.status)
}

/// Prints the line of each notable event and what each request from the control socket did
/// (nothing for JSON output).
fn print(
    state: &State,
    events: &[Event],
    notices: &[String],
    output: Output,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if output == Output::Lines {
        for notice in notices {
            writeln!(out, "{}", sanitise_line(notice))?;
        }
        for e in events {
            if let Some(line) = describe(e, state) {
                writeln!(out, "{}", sanitise_line(&line))?;
            }
        }
    }
    Ok(())
}
