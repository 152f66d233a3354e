//! The dashboard's driver of a live run: it moves the run's session forward as the dashboard's
//! clock ticks or agents report, logs and shows the events the session recorded, and carries
//! out the dashboard's requests — pause, speed, decisions by keystroke (with each option's
//! projected finish), changes of plan, quitting — as toasts of the session's notices. However
//! the dashboard closes (a key, a stop signal, the terminal gone), the run is stopped and
//! recorded and every agent's process group ended before the terminal is given back.

use super::app::{App, Intent, Overlay};
use super::event_loop::{self, Driver};
use super::keys::KeyMode;
use super::run_log::RunLog;
use super::view::{Mode, View};
use crate::engine::RunStatus;
use crate::run::clock::speed_label;
use crate::run::session::Session;
use crate::run::wire::ClockAction;
use std::sync::Arc;
use tokio::sync::Notify;

pub struct Live {
    session: Session,
    quit: bool,
    log: RunLog,
    news: Arc<Notify>,
}

impl Live {
    /// The dashboard's driver of `session`; `news` must be what the session's wake notifies.
    pub fn new(session: Session, news: Arc<Notify>) -> Live {
        Live {
            session,
            quit: false,
            log: RunLog::default(),
            news,
        }
    }

    fn mode(&self) -> Mode {
        if self.session.is_finished() {
            Mode::Finished
        } else if self.session.clock().is_paused() {
            Mode::Paused
        } else {
            Mode::Live
        }
    }

    /// Logs and shows the events the session recorded.
    fn absorb(&mut self, app: &mut App) {
        let events = self.session.take_events();
        if events.is_empty() {
            return;
        }
        let state = self.session.state();
        if self.log.log(&events, state) {
            app.refresh_graph(state, true);
        }
        if self.session.is_finished() {
            app.on_finished();
        }
    }

    /// Shows a request's outcome: a toast, or in the add-task form when a change of plan it
    /// holds was refused.
    fn show(&mut self, outcome: Result<String, String>, app: &mut App) {
        self.absorb(app);
        match outcome {
            Ok(done) => app.toast(done),
            Err(e) => match &mut app.overlay {
                Some(Overlay::AddTask(form)) => form.error = Some(e),
                _ => app.toast(format!("✖ {e}")),
            },
        }
    }
}

impl Driver for Live {
    fn view(&self) -> View<'_> {
        let state = self.session.state();
        let clock_ms = match &state.finished {
            Some(summary) => summary.makespan_ms,
            None => self.session.now_ms().max(state.now_ms),
        };
        View {
            state,
            mode: self.mode(),
            clock_ms,
            estimate_ms: self
                .session
                .forecast_ms()
                .unwrap_or(state.estimated_makespan_ms),
            speed: speed_label(self.session.clock().speed(), state.workflow.unit),
            scrubber: None,
            log_lines: None,
        }
    }

    fn key_mode(&self) -> KeyMode {
        KeyMode::Live
    }

    fn advance(&mut self, app: &mut App) {
        self.session.advance();
        self.absorb(app);
        for notice in self.session.take_notices() {
            app.toast(notice);
        }
    }

    fn moving(&self) -> bool {
        self.mode() == Mode::Live
    }

    fn next_due(&self) -> Option<std::time::Instant> {
        self.session.next_due()
    }

    fn agent_log(&self, agent: usize) -> Vec<String> {
        self.log.for_agent(agent)
    }

    fn act(&mut self, intent: Intent, app: &mut App) {
        let action = match intent {
            Intent::TogglePause if self.session.clock().is_paused() => Some(ClockAction::Resume),
            Intent::TogglePause => Some(ClockAction::Pause),
            Intent::Faster => Some(ClockAction::Faster),
            Intent::Slower => Some(ClockAction::Slower),
            _ => None,
        };
        if let Some(action) = action {
            if let Err(e) = self.session.clock_action(action) {
                app.toast(e);
            }
            return;
        }
        match intent {
            Intent::Quit => {
                self.session.stop();
                self.quit = true;
            }
            Intent::Detach => app.toast(
                "this run lives in this dashboard: start it with --detach to leave it going",
            ),
            Intent::OpenDecision(b) => {
                let projections = match self.session.state().blockers.get(b) {
                    Some(blocker) => self.session.project(&blocker.id.clone()),
                    None => Vec::new(),
                };
                app.open_decision(b, projections);
            }
            Intent::Decide { blocker, option } => {
                let outcome = self.session.decide(&blocker, option);
                self.show(outcome, app);
            }
            Intent::Replan(change) => {
                let outcome = self.session.replan(change);
                if outcome.is_ok() && matches!(app.overlay, Some(Overlay::AddTask(_))) {
                    app.overlay = None;
                }
                self.show(outcome, app);
            }
            Intent::Acknowledge(alert) => {
                let outcome = self.session.acknowledge(&alert);
                self.show(outcome, app);
            }
            Intent::TogglePause
            | Intent::Faster
            | Intent::Slower
            | Intent::Nothing
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
        self.session.wakes().then(|| self.news.clone())
    }
}

/// Runs the dashboard on a live session until the user quits. Returns the run's status.
pub fn run(mut live: Live, mut app: App) -> std::io::Result<RunStatus> {
    live.session.start();
    live.absorb(&mut app);
    let result = event_loop::run(&mut live, app);
    live.session.stop();
    if let Some(e) = live.session.record_error() {
        eprintln!("orch-tui: {}", crate::sanitise::sanitise(e));
    }
    result?;
    Ok(live
        .session
        .state()
        .finished
        .as_ref()
        .map_or(RunStatus::Stopped, |s| s.status))
}
