//! One run while it goes on, whatever shows it: the engine, its recorder, the agents' link and
//! the clock. A front end (the dashboard, the headless printer, the control socket's clients)
//! moves time with `advance`, asks for decisions, re-plans, acknowledgements and clock changes,
//! and reads back the events the run produced (`take_events`) and a one-line notice for each
//! request it made; the session records every event before anyone sees it. Reports from real
//! agents reach the engine only through here, and the expected finish is kept up to date here.
//! A session that serves its control socket publishes what it records to the socket's viewers
//! and takes their requests as it advances (`requests.rs`).

use super::clock::Clock;
use super::control::{Hub, Peer};
use super::wire::{ClockAction, ClockState, RunInfo};
use crate::agents::{Link, Wake};
use crate::engine::event::{Decider, EventBody, PlanChange};
use crate::engine::{Actor, Engine, Event, RunStatus, State};
use crate::record::{Header, Recorder};
use std::time::Instant;

mod notify;
mod requests;

pub struct Session {
    engine: Engine,
    recorder: Option<Recorder>,
    link: Option<Link>,
    clock: Clock,
    /// Recorded events no front end has taken yet.
    fresh: Vec<Event>,
    record_error: Option<String>,
    forecast_ms: Option<u64>,
    /// The last event and the run time the forecast was computed at.
    forecast_basis: Option<(u64, u64)>,
    wake: Wake,
    /// The control socket, when the session serves one.
    hub: Option<Hub>,
    /// Who decides through this session's own front end (`user@terminal`).
    person: String,
    /// What requests from the control socket did, for the front end to show.
    notices: Vec<String>,
}

impl Session {
    /// A session on `engine`, paced by `clock` (a workflow with command agents always runs on
    /// the wall clock). `wake` is called from other threads when agents' reports wait.
    pub fn new(
        engine: Engine,
        recorder: Option<Recorder>,
        clock: Clock,
        wake: Wake,
    ) -> std::io::Result<Session> {
        let unit_ms = engine.state().workflow.unit.ms();
        let (clock, link) = if engine.state().workflow.has_command_agents() {
            (
                Clock::wall_clock(unit_ms),
                Some(Link::start(Instant::now(), wake.clone())?),
            )
        } else {
            (clock, None)
        };
        Ok(Session {
            engine,
            recorder,
            link,
            clock,
            fresh: Vec::new(),
            record_error: None,
            forecast_ms: None,
            forecast_basis: None,
            wake,
            hub: None,
            person: Peer::local().label(),
            notices: Vec::new(),
        })
    }

    /// Opens the run's control socket (`docs/control.md`): from now on clients can watch the
    /// run and steer it. Returns where the socket is.
    pub fn serve(&mut self, info: RunInfo, header: &Header) -> std::io::Result<std::path::PathBuf> {
        let hub = Hub::open(info, header, self.wake.clone())?;
        let socket = hub.socket().to_path_buf();
        self.hub = Some(hub);
        self.publish_clock();
        Ok(socket)
    }

    /// Whether the run can wait for a person deciding through the control socket.
    pub fn awaits_remote_decision(&self) -> bool {
        self.hub.is_some()
            && self
                .engine
                .state()
                .open_blockers()
                .any(|b| b.decides == Decider::Person)
    }

    /// Whether the dashboard that started the run left without detaching it (its terminal
    /// closed, or it was killed): the run should stop.
    pub fn owner_lost(&self) -> bool {
        self.hub.as_ref().is_some_and(Hub::owner_lost)
    }

    /// What requests from the control socket did since the last call, one line each.
    pub fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    pub fn state(&self) -> &State {
        self.engine.state()
    }

    pub fn is_finished(&self) -> bool {
        self.engine.is_finished()
    }

    /// Whether real agents run (the wall clock, processes to end).
    pub fn has_agents(&self) -> bool {
        self.link.is_some()
    }

    /// The recording could not be written: why. The run went on unrecorded from then.
    pub fn record_error(&self) -> Option<&str> {
        self.record_error.as_deref()
    }

    /// Run time now: the wall clock since the start with real agents, else the paced clock.
    pub fn now_ms(&self) -> u64 {
        match &self.link {
            Some(link) => link.now_ms(),
            None => self.clock.now_ms(),
        }
    }

    pub fn start(&mut self) {
        self.engine.start();
        self.settle();
    }

    /// The events recorded since the last call, in order.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.fresh)
    }

    /// Moves the run forward to now: real agents' reports first, each at the moment it
    /// happened, then whatever falls due. On the instant clock, one moment of run time.
    pub fn advance(&mut self) {
        self.answer_requests();
        if let Some(link) = &mut self.link {
            link.exchange(&mut self.engine);
            self.engine.catch_up(link.now_ms());
        } else if self.clock.is_instant() {
            self.engine.step();
        } else if !self.engine.is_finished() {
            let now = self.clock.now_ms();
            while let Some(t) = self.engine.next_time() {
                if t > now || self.engine.is_finished() {
                    break;
                }
                self.engine.step();
            }
        }
        self.settle();
        // While a blocker waits for a person, every moment of waiting moves the finish on.
        let state = self.engine.state();
        if state.finished.is_none() && state.open_blockers().any(|b| b.decides == Decider::Person) {
            self.refresh_waiting_forecast();
        }
    }

    /// When the run's next moment is due on the wall clock, if time moves toward one.
    pub fn next_due(&self) -> Option<Instant> {
        self.engine
            .next_time()
            .and_then(|t| self.clock.wall_for(t))
            .filter(|_| self.moving())
    }

    /// Whether a viewer paused the run's clock.
    pub fn is_paused(&self) -> bool {
        self.clock.is_paused()
    }

    /// Whether run time moves (not paused, not finished).
    pub fn moving(&self) -> bool {
        !self.engine.is_finished() && !self.clock.is_paused()
    }

    /// Brings the engine's clock to now before a person's request takes effect.
    fn catch_up(&mut self) {
        let now = self.now_ms();
        if !self.clock.is_instant() || self.link.is_some() {
            self.engine.catch_up(now);
        }
    }

    /// Chooses `option` of `blocker` for person `who`.
    fn decide_as(&mut self, blocker: &str, option: usize, who: &str) -> Result<String, String> {
        self.catch_up();
        self.engine
            .decide_as(blocker, option, Actor::User, Some(who))?;
        let state = self.engine.state();
        let label = state
            .blocker_index(blocker)
            .and_then(|b| state.blockers[b].decision.as_ref())
            .map(|d| d.label.clone())
            .unwrap_or_default();
        self.settle();
        let unit = self.engine.state().workflow.unit;
        let finish = self
            .forecast_ms
            .map(|f| format!(" — the run is now expected to finish at {}", unit.format(f)))
            .unwrap_or_default();
        let by = match who == self.person {
            true => String::new(),
            false => format!(" by {who}"),
        };
        Ok(format!(
            "✔ {blocker}: option {option} \"{label}\" chosen{by}{finish}"
        ))
    }

    /// Carries out a change of plan for person `who`.
    fn replan_as(&mut self, change: PlanChange, who: &str) -> Result<String, String> {
        self.catch_up();
        let what = crate::engine::describe::plan_line(&change, self.engine.state().workflow.unit);
        self.engine.replan_as(change, Actor::User, Some(who))?;
        self.settle();
        let what = what.trim_start_matches("plan").trim_start();
        Ok(format!("✔ plan changed: {what}"))
    }

    pub fn acknowledge(&mut self, alert: &str) -> Result<String, String> {
        self.catch_up();
        let result = self.engine.acknowledge(alert, Actor::User);
        self.settle();
        result.map(|()| format!("✔ {alert} acknowledged"))
    }

    /// The projected finish of each option of an open blocker (empty when it is not open).
    pub fn project(&self, blocker: &str) -> Vec<Option<u64>> {
        let state = self.engine.state();
        match state.blocker_index(blocker).map(|b| &state.blockers[b]) {
            Some(b) if b.is_open() => (1..=b.report.options.len())
                .map(|o| self.engine.project(blocker, o))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Pauses, resumes or changes the speed of a simulated run.
    pub fn clock_action(&mut self, action: ClockAction) -> Result<(), String> {
        if self.clock.is_wall_clock() {
            return Err("real agents run on the wall clock: no pause, no speed change".into());
        }
        match action {
            ClockAction::Pause => self.clock.set_paused(true),
            ClockAction::Resume => self.clock.set_paused(false),
            ClockAction::Faster => self.clock.faster(),
            ClockAction::Slower => self.clock.slower(),
        }
        self.publish_clock();
        Ok(())
    }

    /// Tells viewers how the clock goes now.
    fn publish_clock(&self) {
        if let Some(hub) = &self.hub {
            hub.publish_clock(ClockState {
                paused: self.clock.is_paused(),
                wall_clock: self.clock.is_wall_clock(),
                speed: self.clock.speed(),
                rate: self.clock.rate(),
                now_ms: self.now_ms(),
                wall_ms: crate::time::wall_ms(),
                forecast_ms: self.forecast_ms,
            });
        }
    }

    /// Stops the run where it is (recorded as `stopped`) and ends every agent's process group.
    pub fn stop(&mut self) {
        if !self.engine.is_finished() {
            self.catch_up();
            self.engine.stop();
            self.settle();
        }
        if let Some(link) = &mut self.link {
            link.shutdown();
        }
        if let Some(hub) = self.hub.take() {
            let status = self
                .engine
                .state()
                .finished
                .as_ref()
                .map_or(RunStatus::Stopped, |s| s.status);
            hub.close(status);
        }
    }

    /// Passes requests and reports between the engine and the real agents, then records the
    /// events the engine produced and keeps them for the front ends.
    fn settle(&mut self) {
        if let Some(link) = &mut self.link {
            link.exchange(&mut self.engine);
            if self.engine.is_finished() {
                link.shutdown();
            }
        }
        let events = self.engine.drain();
        if events.is_empty() {
            return;
        }
        if let Some(r) = &mut self.recorder
            && let Err(e) = r.write(&events)
        {
            self.record_error = Some(format!(
                "{}: cannot write the recording: {e}",
                r.path().display()
            ));
            self.recorder = None;
        }
        // Anything that shifts the schedule moves the expected finish (not on the instant
        // clock, where nobody watches it move).
        let reforecast = !self.clock.is_instant()
            && events.iter().any(|e| {
                matches!(
                    e.body,
                    EventBody::PlanChanged { .. }
                        | EventBody::BlockerRaised { .. }
                        | EventBody::TaskFailed { .. }
                        | EventBody::RunStarted { .. }
                        | EventBody::DecisionMade { .. }
                )
            });
        if let Some(hub) = &self.hub {
            hub.publish(&events);
        }
        self.notify_waiting(&events);
        self.fresh.extend(events);
        if reforecast {
            self.reforecast();
        }
    }

    /// Simulates the rest of the run again for the expected finish.
    fn reforecast(&mut self) {
        let now = self.now_ms();
        self.forecast_ms = self.engine.forecast_from(now);
        self.forecast_basis = Some((self.engine.state().last_seq, now));
        self.publish_clock();
    }

    /// The expected finish while a person is awaited: when nothing happened since the last
    /// forecast and nothing can happen on its own, the finish moves on by the time waited, and
    /// the rest of the run is not simulated again.
    fn refresh_waiting_forecast(&mut self) {
        let now = self.now_ms();
        let seq = self.engine.state().last_seq;
        match (self.forecast_basis, self.forecast_ms) {
            (Some((basis_seq, basis_now)), Some(finish))
                if basis_seq == seq && self.engine.forecast_moves_with_clock(basis_now) =>
            {
                self.forecast_ms = Some(finish + now.saturating_sub(basis_now));
                self.forecast_basis = Some((seq, now.max(basis_now)));
            }
            _ => self.reforecast(),
        }
    }
}
