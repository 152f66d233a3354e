//! The live driver: owns the engine, paces its virtual time against the wall clock, records and
//! logs every event as it happens, and carries out the dashboard's requests — pause, speed,
//! decisions by keystroke (with each option's projected finish), quitting. With command agents
//! the run goes on the wall clock (no pause, no speed): it starts their processes, feeds their
//! reports to the engine, writes decisions to their stdin, and ends every process group when
//! the run ends or the dashboard quits (keystroke, a stop signal), before the terminal is given
//! back; a dashboard ended by an error (the terminal gone) still stops and records the run.

use super::app::{App, Intent, Overlay};
use super::event_loop::{self, Driver};
use super::keys::KeyMode;
use super::pacer::{Pacer, speed_label};
use super::view::{Mode, View};
use crate::agents::Link;
use crate::engine::concerns::concerned_agents;
use crate::engine::describe::{describe, plan_line};
use crate::engine::event::{Decider, EventBody, LogLevel, PlanChange};
use crate::engine::{Actor, Engine, RunStatus};
use crate::record::Recorder;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Notify;

/// Lines kept for the log filtered to one agent.
const AGENT_LOG_LINES: usize = 500;

/// Speeds + and - step through (workflow units per second).
const MIN_SPEED: f64 = 1.0 / 64.0;
const MAX_SPEED: f64 = 4096.0;

pub struct Live {
    engine: Engine,
    recorder: Option<Recorder>,
    pacer: Pacer,
    quit: bool,
    forecast_ms: Option<u64>,
    /// The last event and the run time the forecast was computed at.
    forecast_basis: Option<(u64, u64)>,
    record_error: Option<String>,
    /// The latest described events with the agents they concern, for the filtered log.
    agent_log: VecDeque<(Vec<usize>, String)>,
    /// The real agents' processes, when the workflow has command agents.
    link: Option<Link>,
    news: Arc<Notify>,
}

impl Live {
    pub fn new(engine: Engine, recorder: Option<Recorder>, speed: f64) -> std::io::Result<Live> {
        let unit_ms = engine.state().workflow.unit.ms();
        let news = Arc::new(Notify::new());
        let (pacer, link) = if engine.state().workflow.has_command_agents() {
            let pacer = Pacer::wall_clock(unit_ms);
            let wake = news.clone();
            let link = Link::start(Instant::now(), Arc::new(move || wake.notify_one()))?;
            (pacer, Some(link))
        } else {
            let pacer = Pacer::new(unit_ms, speed.clamp(MIN_SPEED, MAX_SPEED));
            (pacer, None)
        };
        Ok(Live {
            engine,
            recorder,
            pacer,
            quit: false,
            forecast_ms: None,
            forecast_basis: None,
            record_error: None,
            agent_log: VecDeque::new(),
            link,
            news,
        })
    }

    fn mode(&self) -> Mode {
        if self.engine.is_finished() {
            Mode::Finished
        } else if self.pacer.is_paused() {
            Mode::Paused
        } else {
            Mode::Live
        }
    }

    /// Processes everything due up to the paced clock.
    fn catch_up(&mut self) {
        self.engine.catch_up(self.pacer.now_ms());
    }

    /// Records, logs and shows the events the engine produced, after passing requests and
    /// reports between the engine and the real agents.
    fn absorb(&mut self, app: &mut App) {
        let events = self.settle();
        if events.is_empty() {
            return;
        }
        let mut relayout = false;
        let mut reforecast = false;
        for event in &events {
            if let Some(line) = describe(event, self.engine.state()) {
                let line = crate::sanitise::sanitise_line(&line);
                if self.agent_log.len() == AGENT_LOG_LINES {
                    self.agent_log.pop_front();
                }
                let agents = concerned_agents(event, self.engine.state());
                self.agent_log.push_back((agents, line.clone()));
                match &event.body {
                    EventBody::BlockerRaised { .. }
                    | EventBody::TaskFailed { .. }
                    | EventBody::TaskSkipped { .. } => {
                        tracing::warn!(target: "run", "{line}");
                    }
                    EventBody::Log {
                        level: LogLevel::Error,
                        ..
                    } => tracing::error!(target: "run", "{line}"),
                    EventBody::Message { .. } => tracing::info!(target: "agent", "{line}"),
                    _ => tracing::info!(target: "run", "{line}"),
                }
            }
            // A change of plan can move the critical path; anything that shifts the schedule
            // moves the expected finish.
            relayout |= matches!(event.body, EventBody::PlanChanged { .. });
            reforecast |= matches!(
                event.body,
                EventBody::PlanChanged { .. }
                    | EventBody::BlockerRaised { .. }
                    | EventBody::TaskFailed { .. }
                    | EventBody::RunStarted { .. }
                    | EventBody::DecisionMade { .. }
            );
        }
        if relayout {
            app.refresh_graph(self.engine.state(), true);
        }
        if reforecast {
            self.reforecast();
        }
        if self.engine.is_finished() {
            app.on_finished();
        }
    }

    /// Simulates the rest of the run again for the expected finish.
    fn reforecast(&mut self) {
        let now = self.pacer.now_ms();
        self.forecast_ms = self.engine.forecast_from(now);
        self.forecast_basis = Some((self.engine.state().last_seq, now));
    }

    /// The expected finish while a person is awaited: when nothing happened since the last
    /// forecast and nothing can happen on its own, the finish moves on by the time waited, and
    /// the rest of the run is not simulated again.
    fn refresh_waiting_forecast(&mut self) {
        let now = self.pacer.now_ms();
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

    /// Passes requests and reports between the engine and the real agents, then records the
    /// events the engine produced and returns them.
    fn settle(&mut self) -> Vec<crate::engine::Event> {
        if let Some(link) = &mut self.link {
            link.exchange(&mut self.engine);
            if self.engine.is_finished() {
                link.shutdown();
            }
        }
        let events = self.engine.drain();
        if !events.is_empty()
            && let Some(r) = &mut self.recorder
            && let Err(e) = r.write(&events)
        {
            self.record_error = Some(format!(
                "{}: cannot write the recording: {e}",
                r.path().display()
            ));
            self.recorder = None;
        }
        events
    }

    /// Ends the run however the dashboard closes (a key, a signal, a terminal gone): stopped
    /// and recorded if it still went on, every agent's process group ended.
    fn end(&mut self) {
        if !self.engine.is_finished() {
            self.catch_up();
            self.engine.stop();
            self.settle();
        }
        if let Some(link) = &mut self.link {
            link.shutdown();
        }
    }

    fn decide(&mut self, blocker: &str, option: usize, app: &mut App) {
        self.catch_up();
        if let Err(e) = self.engine.decide(blocker, option, Actor::User) {
            app.toast(format!("✖ {e}"));
            return;
        }
        let state = self.engine.state();
        let label = state
            .blocker_index(blocker)
            .and_then(|b| state.blockers[b].decision.as_ref())
            .map(|d| d.label.clone())
            .unwrap_or_default();
        self.absorb(app);
        let unit = self.engine.state().workflow.unit;
        let finish = self
            .forecast_ms
            .map(|f| format!(" — the run is now expected to finish at {}", unit.format(f)))
            .unwrap_or_default();
        app.toast(format!(
            "✔ {blocker}: option {option} \"{label}\" chosen{finish}"
        ));
    }
}

impl Live {
    /// Carries out a person's change of plan; a refusal shows in the add-task form when it is
    /// open, else as a toast.
    fn replan(&mut self, change: PlanChange, app: &mut App) {
        self.catch_up();
        let what = plan_line(&change, self.engine.state().workflow.unit);
        match self.engine.replan(change, Actor::User) {
            Ok(()) => {
                if matches!(app.overlay, Some(Overlay::AddTask(_))) {
                    app.overlay = None;
                }
                self.absorb(app);
                let what = what.trim_start_matches("plan").trim_start();
                app.toast(format!("✔ plan changed: {what}"));
            }
            Err(e) => match &mut app.overlay {
                Some(Overlay::AddTask(form)) => form.error = Some(e),
                _ => app.toast(format!("✖ {e}")),
            },
        }
    }
}

impl Driver for Live {
    fn view(&self) -> View<'_> {
        let state = self.engine.state();
        let clock_ms = match &state.finished {
            Some(summary) => summary.makespan_ms,
            None => self.pacer.now_ms().max(state.now_ms),
        };
        View {
            state,
            mode: self.mode(),
            clock_ms,
            estimate_ms: self.forecast_ms.unwrap_or(state.estimated_makespan_ms),
            speed: speed_label(self.pacer.speed(), state.workflow.unit),
            scrubber: None,
            log_lines: None,
        }
    }

    fn key_mode(&self) -> KeyMode {
        KeyMode::Live
    }

    fn advance(&mut self, app: &mut App) {
        if let Some(link) = &mut self.link {
            // Reports first, each at the moment it happened; then the clock moves to now.
            link.exchange(&mut self.engine);
            self.catch_up();
        } else if !self.engine.is_finished() {
            let now = self.pacer.now_ms();
            while let Some(t) = self.engine.next_time() {
                if t > now || self.engine.is_finished() {
                    break;
                }
                self.engine.step();
            }
        }
        self.absorb(app);
        // While a blocker waits for a person, every moment of waiting moves the finish on.
        let state = self.engine.state();
        if state.finished.is_none() && state.open_blockers().any(|b| b.decides == Decider::Person) {
            self.refresh_waiting_forecast();
        }
    }

    fn moving(&self) -> bool {
        self.mode() == Mode::Live
    }

    fn next_due(&self) -> Option<Instant> {
        self.engine
            .next_time()
            .and_then(|t| self.pacer.wall_for(t))
            .filter(|_| self.moving())
    }

    fn agent_log(&self, agent: usize) -> Vec<String> {
        self.agent_log
            .iter()
            .filter(|(agents, _)| agents.contains(&agent))
            .map(|(_, line)| line.clone())
            .collect()
    }

    fn act(&mut self, intent: Intent, app: &mut App) {
        match intent {
            Intent::Quit => {
                self.end();
                self.quit = true;
            }
            Intent::TogglePause | Intent::Faster | Intent::Slower if self.link.is_some() => {
                app.toast("real agents run on the wall clock: no pause, no speed change");
            }
            Intent::TogglePause => self.pacer.set_paused(!self.pacer.is_paused()),
            Intent::Faster => self
                .pacer
                .set_speed((self.pacer.speed() * 2.0).min(MAX_SPEED)),
            Intent::Slower => self
                .pacer
                .set_speed((self.pacer.speed() / 2.0).max(MIN_SPEED)),
            Intent::OpenDecision(b) => {
                let state = self.engine.state();
                let projections = match state.blockers.get(b) {
                    Some(blocker) if blocker.is_open() => (1..=blocker.report.options.len())
                        .map(|o| self.engine.project(&blocker.id, o))
                        .collect(),
                    _ => Vec::new(),
                };
                app.open_decision(b, projections);
            }
            Intent::Decide { blocker, option } => self.decide(&blocker, option, app),
            Intent::Replan(change) => self.replan(change, app),
            Intent::Acknowledge(alert) => {
                self.catch_up();
                match self.engine.acknowledge(&alert, Actor::User) {
                    Ok(()) => app.toast(format!("✔ {alert} acknowledged")),
                    Err(e) => app.toast(format!("✖ {e}")),
                }
                self.absorb(app);
            }
            Intent::Nothing
            | Intent::Step(_)
            | Intent::Jump(_)
            | Intent::Edge(_)
            | Intent::Marker(_)
            | Intent::GoTo(_) => {}
        }
    }

    fn done(&self) -> bool {
        self.quit
    }

    fn news(&self) -> Option<Arc<Notify>> {
        self.link.as_ref().map(|_| self.news.clone())
    }
}

/// Runs the dashboard on a live engine until the user quits. Returns the run's status.
pub fn run(mut live: Live, mut app: App) -> std::io::Result<RunStatus> {
    live.engine.start();
    live.absorb(&mut app);
    let result = event_loop::run(&mut live, app);
    live.end();
    if let Some(e) = &live.record_error {
        eprintln!("orch-tui: {}", crate::sanitise::sanitise(&e.to_string()));
    }
    result?;
    Ok(live
        .engine
        .state()
        .finished
        .as_ref()
        .map_or(RunStatus::Stopped, |s| s.status))
}
