//! Headless runs: the engine driven without a terminal UI, on virtual time (`--instant`) or
//! paced against the wall clock (`--speed`; a workflow with command agents always runs on the
//! wall clock, its processes started and fed back through the agents' runner), printing one
//! line per notable event and the summary, recording everything. Ctrl-C, SIGTERM, SIGHUP and
//! SIGQUIT end the run cleanly: every process group is ended and the recording gets a
//! `run_finished` with status `stopped`.

use crate::agents::{Doorbell, Link};
use crate::engine::describe::{describe, summary_text};
use crate::engine::{Engine, Event, RunStatus};
use crate::record::Recorder;
use crate::ui::text::printable;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often a waiting run looks at the stop flag.
const STOP_CHECK: Duration = Duration::from_millis(50);

pub struct Pace {
    /// Run on virtual time as fast as possible.
    pub instant: bool,
    /// Workflow time units per wall-clock second.
    pub speed: f64,
}

impl Pace {
    /// One millisecond of run time per wall-clock millisecond: how real agents run.
    pub fn wall_clock(unit_ms: u64) -> Pace {
        Pace {
            instant: false,
            speed: 1000.0 / unit_ms as f64,
        }
    }
}

/// What a headless run prints.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// One line per notable event, then the summary.
    Lines,
    /// The summary as JSON only.
    Json,
}

/// Runs the engine to its end. Returns the final status.
pub fn run(
    engine: &mut Engine,
    pace: &Pace,
    mut recorder: Option<&mut Recorder>,
    output: Output,
    out: &mut dyn Write,
) -> std::io::Result<RunStatus> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in crate::STOP_SIGNALS {
        signal_hook::flag::register(signal, stop.clone())?;
    }
    let unit_ms = engine.state().workflow.unit.ms() as f64;
    let started = Instant::now();
    let doorbell = Arc::new(Doorbell::default());
    let mut link = match engine.state().workflow.has_command_agents() {
        true => {
            let bell = doorbell.clone();
            Some(Link::start(started, Arc::new(move || bell.ring()))?)
        }
        false => None,
    };
    let wall_for =
        |t: u64| started + Duration::from_secs_f64(t as f64 / unit_ms / pace.speed.max(1e-9));
    // Output that can no longer be written (the terminal closed, the pipe's reader left) stops
    // the run, which still records its end; the error is returned after.
    let mut lost_output = None;
    engine.start();
    loop {
        if let Some(link) = &mut link {
            link.exchange(engine);
        }
        let events = engine.drain();
        if let Some(r) = recorder.as_deref_mut() {
            r.write(&events)?;
        }
        if lost_output.is_none()
            && let Err(e) = print(engine, &events, output, out)
        {
            lost_output = Some(e);
            stop.store(true, Ordering::Relaxed);
        }
        if engine.is_finished() {
            break;
        }
        if stop.load(Ordering::Relaxed) {
            engine.stop();
            continue;
        }
        let next = engine.next_time();
        let Some(link) = &mut link else {
            let Some(next) = next else {
                // Nothing left to happen and not finished: cannot occur without a person.
                engine.stop();
                continue;
            };
            if !pace.instant {
                let due = wall_for(next);
                while Instant::now() < due && !stop.load(Ordering::Relaxed) {
                    std::thread::sleep((due - Instant::now()).min(STOP_CHECK));
                }
                if stop.load(Ordering::Relaxed) {
                    continue;
                }
            }
            engine.step();
            continue;
        };
        let soon = Instant::now() + STOP_CHECK;
        doorbell.wait_until(next.map_or(soon, |t| wall_for(t).min(soon)));
        // Reports first, each at the moment it happened; then the clock moves to now.
        link.exchange(engine);
        engine.catch_up(link.now_ms());
    }
    if let Some(link) = &mut link {
        link.shutdown();
    }
    if let Some(e) = lost_output {
        return Err(e);
    }
    let state = engine.state();
    let Some(summary) = state.finished.as_ref() else {
        return Ok(RunStatus::Stopped);
    };
    match output {
        Output::Lines => write!(out, "{}", summary_text(summary, state.workflow.unit))?,
        Output::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(summary).unwrap_or_default()
        )?,
    }
    Ok(summary.status)
}

/// Prints the line of each notable event (nothing for JSON output).
fn print(
    engine: &Engine,
    events: &[Event],
    output: Output,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if output == Output::Lines {
        for e in events {
            if let Some(line) = describe(e, engine.state()) {
                writeln!(out, "{}", printable(&line))?;
            }
        }
    }
    Ok(())
}
