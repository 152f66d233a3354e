//! What every driver of a run with command agents does between the engine and the process
//! runner: pass the engine's requests on, and feed the runner's reports back with the engine's
//! clock moved to the wall-clock moment each happened (run time is wall time since the start).

use super::runner::{Runner, Wake};
use crate::engine::Engine;
use std::time::Instant;

pub struct Link {
    runner: Runner,
    started: Instant,
}

impl Link {
    /// Starts the runner; run time counts from `started`. `wake` is called when reports wait.
    pub fn start(started: Instant, wake: Wake) -> std::io::Result<Link> {
        Ok(Link {
            runner: Runner::start(wake)?,
            started,
        })
    }

    /// Run time now, in milliseconds.
    pub fn now_ms(&self) -> u64 {
        self.ms_at(Instant::now())
    }

    fn ms_at(&self, at: Instant) -> u64 {
        at.saturating_duration_since(self.started).as_millis() as u64
    }

    /// Passes requests and reports both ways until neither side has anything more. Returns
    /// whether any report was taken.
    pub fn exchange(&mut self, engine: &mut Engine) -> bool {
        let mut took = false;
        loop {
            for request in engine.take_requests() {
                self.runner.request(request);
            }
            let Some(report) = self.runner.next_report() else {
                return took;
            };
            engine.catch_up(self.ms_at(report.at));
            engine.report(&report.task, report.attempt, report.report);
            took = true;
        }
    }

    /// Ends every process group and reaps it.
    pub fn shutdown(&mut self) {
        self.runner.shutdown();
    }
}
