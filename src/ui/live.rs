//! The live dashboard loop: one task owns the engine and the screen and waits on whichever comes
//! first — a key or mouse event, the next moment the run has something to do (virtual time paced
//! against the wall clock), a signal, or a pending frame. It draws only after something changed,
//! at most 30 frames a second, and while paused or finished it sleeps until input: an idle
//! dashboard uses no CPU. Every event is recorded as it happens.

use super::app::{App, Intent};
use super::draw::draw;
use super::keys;
use super::pacer::Pacer;
use super::terminal::TerminalGuard;
use super::view::{Mode, View};
use crate::engine::describe::describe;
use crate::engine::event::{EventBody, LogLevel};
use crate::engine::{Actor, Engine, RunStatus};
use crate::record::Recorder;
use crossterm::event::{Event as TermEvent, EventStream};
use futures::StreamExt;
use std::time::{Duration, Instant};
use tokio::signal::unix::{SignalKind, signal};

const FRAME: Duration = Duration::from_millis(33);
/// How often the clock on screen moves while the run is live.
const CLOCK_TICK: Duration = Duration::from_millis(250);

pub struct Live {
    pub engine: Engine,
    pub recorder: Option<Recorder>,
    pub pacer: Pacer,
    quit: bool,
    forecast_ms: Option<u64>,
    record_error: Option<String>,
}

impl Live {
    pub fn new(engine: Engine, recorder: Option<Recorder>, speed: f64) -> Live {
        let unit_ms = engine.state().workflow.unit.ms();
        Live {
            engine,
            recorder,
            pacer: Pacer::new(unit_ms, speed),
            quit: false,
            forecast_ms: None,
            record_error: None,
        }
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

    fn clock_ms(&self) -> u64 {
        match &self.engine.state().finished {
            Some(summary) => summary.makespan_ms,
            None => self.pacer.now_ms().max(self.engine.state().now_ms),
        }
    }

    /// Processes everything due up to the paced clock.
    fn advance(&mut self) {
        let now = self.pacer.now_ms();
        while let Some(t) = self.engine.next_time() {
            if t > now || self.engine.is_finished() {
                break;
            }
            self.engine.step();
        }
    }

    /// When the loop must wake next without input.
    fn next_wake(&self, app: &App) -> Option<Instant> {
        let mut wake: Vec<Instant> = Vec::new();
        if self.mode() == Mode::Live {
            if let Some(at) = self.engine.next_time().and_then(|t| self.pacer.wall_for(t)) {
                wake.push(at);
            }
            wake.push(Instant::now() + CLOCK_TICK);
        }
        if let Some((_, at)) = &app.toast {
            wake.push(*at + super::app::TOAST_FOR);
        }
        wake.into_iter().min()
    }

    /// Records, logs and shows the events the engine produced.
    fn absorb(&mut self, app: &mut App) {
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
        let mut replan = false;
        for event in &events {
            if let Some(line) = describe(event, self.engine.state()) {
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
            replan |= matches!(
                event.body,
                EventBody::PlanChanged { .. }
                    | EventBody::BlockerRaised { .. }
                    | EventBody::TaskFailed { .. }
                    | EventBody::RunStarted { .. }
                    | EventBody::DecisionMade { .. }
            );
        }
        if replan {
            app.refresh_graph(self.engine.state(), true);
            self.forecast_ms = self.engine.forecast();
        }
        if self.engine.is_finished() {
            app.on_finished();
        }
    }

    fn act(&mut self, intent: Intent, app: &mut App) {
        match intent {
            Intent::Nothing => {}
            Intent::Quit => {
                self.advance();
                self.engine.advance_to(self.pacer.now_ms());
                self.engine.stop();
                self.quit = true;
            }
            Intent::TogglePause => self.pacer.set_paused(!self.pacer.is_paused()),
            Intent::Faster => self.pacer.faster(),
            Intent::Slower => self.pacer.slower(),
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
            Intent::Decide { blocker, option } => {
                self.advance();
                self.engine.advance_to(self.pacer.now_ms());
                match self.engine.decide(&blocker, option, Actor::User) {
                    Ok(()) => {
                        let label = self
                            .engine
                            .state()
                            .blocker_index(&blocker)
                            .and_then(|b| self.engine.state().blockers[b].decision.clone())
                            .map(|d| d.label)
                            .unwrap_or_default();
                        self.absorb(app);
                        let unit = self.engine.state().workflow.unit;
                        let finish = self
                            .forecast_ms
                            .map(|f| format!(" — run now expected to finish at {}", unit.format(f)))
                            .unwrap_or_default();
                        app.toast(format!(
                            "✔ {blocker}: option {option} \"{label}\" chosen{finish}"
                        ));
                    }
                    Err(e) => app.toast(format!("✖ {e}")),
                }
            }
        }
    }
}

/// Runs the dashboard on a live engine until the user quits. Returns the run's status.
pub fn run(live: Live, app: App) -> std::io::Result<RunStatus> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut guard = TerminalGuard::enter()?;
    let mut live = live;
    let result = runtime.block_on(drive(&mut guard, &mut live, app));
    drop(guard);
    if let Some(e) = &live.record_error {
        eprintln!("orch-tui: {e}");
    }
    result?;
    Ok(live
        .engine
        .state()
        .finished
        .as_ref()
        .map_or(RunStatus::Stopped, |s| s.status))
}

async fn drive(guard: &mut TerminalGuard, live: &mut Live, mut app: App) -> std::io::Result<()> {
    let mut input = EventStream::new();
    let mut terminate = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    live.engine.start();
    live.absorb(&mut app);
    let panic_for_test = std::env::var_os("ORCH_TUI_TEST_PANIC").is_some();
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    loop {
        if dirty && last_draw.elapsed() >= FRAME {
            let view = View {
                state: live.engine.state(),
                mode: live.mode(),
                clock_ms: live.clock_ms(),
                estimate_ms: live
                    .forecast_ms
                    .unwrap_or(live.engine.state().estimated_makespan_ms),
                speed: live.pacer.speed(),
            };
            guard.terminal.draw(|frame| draw(frame, &mut app, &view))?;
            last_draw = Instant::now();
            dirty = false;
            if panic_for_test {
                panic!("ORCH_TUI_TEST_PANIC is set: panicking inside the dashboard on purpose");
            }
        }
        if live.quit {
            return Ok(());
        }
        let mut wake = live.next_wake(&app);
        if dirty {
            wake = Some(wake.map_or(last_draw + FRAME, |w| w.min(last_draw + FRAME)));
        }
        let sleep = async {
            match wake {
                Some(at) => tokio::time::sleep_until(at.into()).await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            event = input.next() => match event {
                Some(Ok(TermEvent::Key(key))) => {
                    if let Some(action) = keys::from_key(key, &app.keys) {
                        let intent = app.handle(action, live.engine.state());
                        live.act(intent, &mut app);
                    }
                }
                Some(Ok(TermEvent::Mouse(mouse))) => {
                    if let Some(action) = keys::from_mouse(mouse) {
                        let intent = app.handle(action, live.engine.state());
                        live.act(intent, &mut app);
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(e),
                None => live.act(Intent::Quit, &mut app),
            },
            _ = sleep => live.advance(),
            _ = terminate.recv() => live.act(Intent::Quit, &mut app),
            _ = interrupt.recv() => live.act(Intent::Quit, &mut app),
        }
        live.absorb(&mut app);
        dirty = true;
    }
}
