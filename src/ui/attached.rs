//! The dashboard's driver of a run going on in another process (`orch-tui attach`, locally or
//! over ssh): it shows the run's state as the control socket sends it, extrapolates the run's
//! clock between messages, and turns the dashboard's requests — decisions (with projections),
//! changes of plan, acknowledgements, pause and speed, stop — into requests whose replies come
//! back as toasts. Quitting detaches: the run goes on unless the person asked to stop it.

use super::app::{App, Intent, Overlay};
use super::event_loop::{self, Driver};
use super::keys::KeyMode;
use super::run_log::RunLog;
use super::view::{Mode, View};
use crate::engine::event::{Decider, EventBody};
use crate::engine::{RunStatus, State};
use crate::run::clock::speed_label;
use crate::run::control::follow::{CaughtUp, Inbox};
use crate::run::wire::message_line;
use crate::run::wire::{ClientMessage, ClockAction, ClockState, ServerLine, ServerMessage};
use crate::sanitise::sanitise_line;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::Notify;

/// What a request waiting for its reply asked.
enum Asked {
    /// A decision, change of plan or acknowledgement: its reply is shown.
    Shown,
    /// A change of plan from the add-task form: a refusal is shown in the form.
    Form,
    /// The projections of blocker `b`'s options, for its open decision panel.
    Project(usize),
    /// Pause, speed or stop: only a refusal is shown.
    Quiet,
}

/// How an attached dashboard ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The person left; the run goes on.
    Detached,
    /// The run ended, as it did, and the person then closed the dashboard.
    RunEnded(RunStatus),
    /// The connection was lost.
    Lost(String),
}

pub struct Attached {
    state: State,
    to_run: Box<dyn Write + Send>,
    inbox: Arc<Mutex<Inbox>>,
    news: Arc<Notify>,
    /// The run's clock as last sent.
    clock: Option<ClockState>,
    asked: HashMap<u64, Asked>,
    last_id: u64,
    log: RunLog,
    /// A resync is under way: events refold the state without being logged again.
    resyncing: bool,
    ending: Option<Ending>,
    /// The person asked to stop the run: the dashboard closes when it has.
    stopping: bool,
    quit: bool,
}

impl Attached {
    /// The driver of a run caught up as `caught`; `inbox` is filled by the connection's reader,
    /// which notifies `news`; requests go to `to_run`.
    pub fn new(
        caught: CaughtUp,
        inbox: Arc<Mutex<Inbox>>,
        news: Arc<Notify>,
        to_run: Box<dyn Write + Send>,
    ) -> Attached {
        let mut log = RunLog::default();
        log.log(&caught.recent, &caught.state);
        Attached {
            state: caught.state,
            to_run,
            inbox,
            news,
            clock: None,
            asked: HashMap::new(),
            last_id: 0,
            log,
            resyncing: false,
            ending: None,
            stopping: false,
            quit: false,
        }
    }

    fn mode(&self) -> Mode {
        match &self.clock {
            _ if self.state.finished.is_some() => Mode::Finished,
            Some(clock) if clock.paused => Mode::Paused,
            _ if self.ending.is_some() => Mode::Paused,
            _ => Mode::Live,
        }
    }

    /// Sends a request; what it asked is kept for its reply.
    fn ask(&mut self, message: impl FnOnce(u64) -> ClientMessage, asked: Asked, app: &mut App) {
        if self.ending.is_some() {
            app.toast("✖ the run can no longer be reached");
            return;
        }
        self.last_id += 1;
        let id = self.last_id;
        let line = message_line(&message(id));
        match self
            .to_run
            .write_all(line.as_bytes())
            .and_then(|()| self.to_run.flush())
        {
            Ok(()) => {
                self.asked.insert(id, asked);
            }
            Err(e) => app.toast(format!("✖ cannot reach the run: {e}")),
        }
    }

    /// Takes one line from the run.
    fn take(&mut self, line: ServerLine, app: &mut App) {
        match line {
            ServerLine::Event(event) => {
                if let Err(e) = self.state.apply(&event) {
                    tracing::warn!("the run sent an event this view cannot follow: {e}");
                    return;
                }
                if !self.resyncing && self.log.log(std::slice::from_ref(&event), &self.state) {
                    app.refresh_graph(&self.state, true);
                }
                if !self.resyncing
                    && let EventBody::BlockerRaised { blocker, .. }
                    | EventBody::BlockerEscalated { blocker, .. } = &event.body
                    && let Some(b) = self.state.blocker_index(blocker)
                    && self.state.blockers[b].is_open()
                    && self.state.blockers[b].decides == Decider::Person
                {
                    let task = &self.state.nodes[self.state.blockers[b].task].task.id;
                    app.notify = Some(format!("orch-tui: {blocker} on {task} waits for you"));
                }
                if self.state.finished.is_some() {
                    app.on_finished();
                    app.run_going = false;
                }
            }
            ServerLine::Message(message) => self.take_message(message, app),
        }
    }

    fn take_message(&mut self, message: ServerMessage, app: &mut App) {
        match message {
            ServerMessage::Resync => self.resyncing = true,
            ServerMessage::Header { header } => {
                self.state = State::new(Arc::new(header.workflow));
            }
            ServerMessage::Live => {
                self.resyncing = false;
                app.refresh_graph(&self.state, true);
            }
            ServerMessage::Clock(clock) => self.clock = Some(clock),
            ServerMessage::Reply {
                id,
                ok,
                result,
                error,
            } => self.replied(id, ok, result, error, app),
            ServerMessage::Notice { text } => app.toast(sanitise_line(&text)),
            ServerMessage::Error { error } => app.toast(format!("✖ {}", sanitise_line(&error))),
            ServerMessage::Bye { reason } => {
                app.run_going = false;
                let status = self
                    .state
                    .finished
                    .as_ref()
                    .map_or(RunStatus::Stopped, |s| s.status);
                self.ending = Some(match reason.as_str() {
                    "detached" => Ending::Detached,
                    _ => Ending::RunEnded(status),
                });
                // Leaving or stopping closes the dashboard once the run said so.
                self.quit |= reason == "detached" || self.stopping;
            }
            ServerMessage::Hello { .. } => {}
        }
    }

    fn replied(
        &mut self,
        id: u64,
        ok: bool,
        result: Option<serde_json::Value>,
        error: Option<String>,
        app: &mut App,
    ) {
        let error = error.map(|e| format!("✖ {}", sanitise_line(&e)));
        match (self.asked.remove(&id), ok) {
            (Some(Asked::Project(b)), true) => {
                let projections: Vec<Option<u64>> = result
                    .and_then(|r| serde_json::from_value(r).ok())
                    .unwrap_or_default();
                if let Some(Overlay::Decision(view)) = &mut app.overlay
                    && view.blocker == b
                {
                    view.projections = projections;
                }
            }
            (Some(Asked::Shown | Asked::Form), true) => {
                let text = result
                    .as_ref()
                    .and_then(|r| r["text"].as_str())
                    .map(sanitise_line);
                if matches!(app.overlay, Some(Overlay::AddTask(_))) {
                    app.overlay = None;
                }
                if let Some(text) = text {
                    app.toast(text);
                }
            }
            (Some(Asked::Form), false) => match &mut app.overlay {
                Some(Overlay::AddTask(form)) => form.error = error,
                _ => app.toast(error.unwrap_or_default()),
            },
            (Some(_), false) => app.toast(error.unwrap_or_default()),
            (Some(Asked::Quiet), true) | (None, _) => {}
        }
    }

    /// How the dashboard ended.
    pub fn ending(&self) -> Ending {
        self.ending.clone().unwrap_or(Ending::Detached)
    }
}

impl Driver for Attached {
    fn view(&self) -> View<'_> {
        let state = &self.state;
        let (clock_ms, estimate_ms, speed) = match &self.clock {
            Some(clock) => {
                // Run time moved on since the run read its clock: by the wall time since, at
                // the clock's rate.
                let ran = match self.mode() == Mode::Live {
                    true => {
                        (crate::time::wall_ms().saturating_sub(clock.wall_ms) as f64 * clock.rate)
                            as u64
                    }
                    false => 0,
                };
                // While a person is awaited, the finish moves on with the time waited.
                let waiting = state
                    .open_blockers()
                    .any(|b| b.decides == crate::engine::event::Decider::Person);
                let forecast = clock
                    .forecast_ms
                    .map(|f| if waiting { f.saturating_add(ran) } else { f });
                (
                    clock.now_ms.saturating_add(ran),
                    forecast,
                    speed_label(clock.speed, state.workflow.unit),
                )
            }
            None => (state.now_ms, None, String::new()),
        };
        let clock_ms = match &state.finished {
            Some(summary) => summary.makespan_ms,
            None => clock_ms.max(state.now_ms),
        };
        View {
            state,
            mode: self.mode(),
            clock_ms,
            estimate_ms: estimate_ms.unwrap_or(state.estimated_makespan_ms),
            speed,
            scrubber: None,
            log_lines: None,
        }
    }

    fn key_mode(&self) -> KeyMode {
        KeyMode::Live
    }

    fn advance(&mut self, app: &mut App) {
        let (lines, closed) = {
            let mut inbox = self.inbox.lock().unwrap_or_else(|p| p.into_inner());
            (std::mem::take(&mut inbox.lines), inbox.closed.take())
        };
        for line in lines {
            self.take(line, app);
        }
        if let Some(why) = closed
            && self.ending.is_none()
        {
            app.run_going = false;
            app.toast(format!("✖ {}", sanitise_line(&why)));
            self.ending = Some(Ending::Lost(why));
            self.quit |= self.stopping;
        }
    }

    fn moving(&self) -> bool {
        self.mode() == Mode::Live
    }

    fn next_due(&self) -> Option<Instant> {
        None
    }

    fn agent_log(&self, agent: usize) -> Vec<String> {
        self.log.for_agent(agent)
    }

    fn act(&mut self, intent: Intent, app: &mut App) {
        let paused = self.clock.as_ref().is_some_and(|c| c.paused);
        let clock = |action| move |id| ClientMessage::Clock { id, action };
        match intent {
            Intent::TogglePause if paused => {
                self.ask(clock(ClockAction::Resume), Asked::Quiet, app)
            }
            Intent::TogglePause => self.ask(clock(ClockAction::Pause), Asked::Quiet, app),
            Intent::Faster => self.ask(clock(ClockAction::Faster), Asked::Quiet, app),
            Intent::Slower => self.ask(clock(ClockAction::Slower), Asked::Quiet, app),
            Intent::Quit if self.ending.is_none() => {
                self.ask(|id| ClientMessage::Stop { id }, Asked::Quiet, app);
                self.stopping = true;
                app.toast("■ stopping the run…");
            }
            Intent::Quit => self.quit = true,
            Intent::Detach if self.ending.is_none() => {
                self.ask(|id| ClientMessage::Detach { id }, Asked::Quiet, app);
                self.ending = Some(Ending::Detached);
                self.quit = true;
            }
            Intent::Detach => self.quit = true,
            Intent::OpenDecision(b) => {
                app.open_decision(b, Vec::new());
                if let Some(blocker) = self.state.blockers.get(b).map(|b| b.id.clone()) {
                    self.ask(
                        |id| ClientMessage::Project { id, blocker },
                        Asked::Project(b),
                        app,
                    );
                }
            }
            Intent::Decide { blocker, option } => self.ask(
                |id| ClientMessage::Decide {
                    id,
                    blocker,
                    option,
                },
                Asked::Shown,
                app,
            ),
            Intent::Replan(change) => {
                let asked = match app.overlay {
                    Some(Overlay::AddTask(_)) => Asked::Form,
                    _ => Asked::Shown,
                };
                self.ask(|id| ClientMessage::Replan { id, change }, asked, app);
            }
            Intent::Acknowledge(alert) => self.ask(
                |id| ClientMessage::Acknowledge { id, alert },
                Asked::Shown,
                app,
            ),
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
        Some(self.news.clone())
    }
}

/// Runs the dashboard attached to a run until the person leaves. Returns how it ended.
pub fn run(mut attached: Attached, mut app: App) -> std::io::Result<Ending> {
    app.run_going = attached.state.finished.is_none();
    app.refresh_graph(&attached.state, true);
    event_loop::run(&mut attached, app)?;
    Ok(attached.ending())
}
