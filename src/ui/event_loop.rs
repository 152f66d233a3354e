//! The dashboard loop shared by live runs and replays: it waits on whichever comes first — a key
//! or mouse event, the driver's next moment, a stop signal (`STOP_SIGNALS`: Ctrl-C, SIGTERM,
//! SIGHUP, SIGQUIT, each handled as Ctrl-C), or a pending frame — and draws only after
//! something changed, at most 30 frames a second. While nothing moves (paused, finished) it
//! sleeps until input, so an idle dashboard uses no CPU.

use super::app::{App, Intent};
use super::draw::draw;
use super::keys::{self, KeyMode};
use super::terminal::TerminalGuard;
use super::view::View;
use crossterm::event::{Event as TermEvent, EventStream};
use futures::StreamExt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::Notify;

const FRAME: Duration = Duration::from_millis(33);
/// How often the clock on screen moves while time moves.
const CLOCK_TICK: Duration = Duration::from_millis(250);

/// What drives the dashboard: a live engine or a replayed recording.
pub trait Driver {
    /// Draws-from data for the next frame.
    fn view(&self) -> View<'_>;
    /// How keys are read (replays step through events with the arrow keys).
    fn key_mode(&self) -> KeyMode;
    /// Moves time forward to now.
    fn advance(&mut self, app: &mut App);
    /// Whether time is moving (the clock on screen must tick).
    fn moving(&self) -> bool;
    /// When the driver's next event is due, if time moves toward one.
    fn next_due(&self) -> Option<Instant>;
    /// The latest log lines concerning agent `agent` (its index), oldest first.
    fn agent_log(&self, agent: usize) -> Vec<String>;
    /// Carries out what the dashboard asked.
    fn act(&mut self, intent: Intent, app: &mut App);
    /// Whether the dashboard should close.
    fn done(&self) -> bool;
    /// Notified when news arrives from outside the loop (real agents' reports): the loop then
    /// calls `advance`.
    fn news(&self) -> Option<Arc<Notify>> {
        None
    }
}

/// Runs the dashboard until the driver is done, restoring the terminal on every way out.
pub fn run(driver: &mut dyn Driver, mut app: App) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut guard = TerminalGuard::enter()?;
    let result = runtime.block_on(drive(&mut guard, driver, &mut app));
    drop(guard);
    result
}

async fn drive(
    guard: &mut TerminalGuard,
    driver: &mut dyn Driver,
    app: &mut App,
) -> std::io::Result<()> {
    let mut input = EventStream::new();
    let mut stops = crate::STOP_SIGNALS
        .into_iter()
        .map(|s| signal(SignalKind::from_raw(s)))
        .collect::<std::io::Result<Vec<_>>>()?;
    let panic_for_test = std::env::var_os("ORCH_TUI_TEST_PANIC").is_some();
    let news = driver.news();
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    loop {
        if dirty && last_draw.elapsed() >= FRAME {
            let mut view = driver.view();
            if let Some(agent) = app.log_agent() {
                view.log_lines = Some(driver.agent_log(agent));
            }
            guard.draw(|frame| draw(frame, app, &view))?;
            if let Some(text) = app.notify.take() {
                guard.notify(&text);
            }
            last_draw = Instant::now();
            dirty = false;
            if panic_for_test {
                panic!("ORCH_TUI_TEST_PANIC is set: panicking inside the dashboard on purpose");
            }
        }
        if driver.done() {
            return Ok(());
        }
        let wake = [
            driver.next_due(),
            driver.moving().then(|| Instant::now() + CLOCK_TICK),
            // A toast still showing is wiped when it expires; one expired is no reason to wake.
            app.toast
                .as_ref()
                .map(|(_, at)| *at + super::app::TOAST_FOR)
                .filter(|expires| *expires > Instant::now()),
            dirty.then_some(last_draw + FRAME),
        ]
        .into_iter()
        .flatten()
        .min();
        let sleep = async {
            match wake {
                Some(at) => tokio::time::sleep_until(at.into()).await,
                None => std::future::pending().await,
            }
        };
        let mode = driver.key_mode();
        let action = tokio::select! {
            event = input.next() => match event {
                Some(Ok(TermEvent::Key(key))) => keys::from_key(key, &app.keys, mode, app.typing()),
                Some(Ok(TermEvent::Mouse(mouse))) => keys::from_mouse(mouse),
                Some(Ok(_)) => None,
                Some(Err(e)) => return Err(e),
                None => Some(keys::Action::Interrupt),
            },
            _ = sleep => {
                driver.advance(app);
                None
            }
            _ = async { match &news {
                Some(news) => news.notified().await,
                None => std::future::pending().await,
            } } => {
                driver.advance(app);
                None
            }
            (_, which, _) = futures::future::select_all(stops.iter_mut().map(|s| Box::pin(s.recv()))) => {
                match crate::STOP_SIGNALS.get(which) == Some(&signal_hook::consts::SIGHUP) {
                    true => Some(keys::Action::Hangup),
                    false => Some(keys::Action::Interrupt),
                }
            }
        };
        if let Some(action) = action {
            let intent = app.handle(action, driver.view().state);
            driver.act(intent, app);
        }
        dirty = true;
    }
}
