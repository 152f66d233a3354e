//! The replay driver: a recording played in the same dashboard as a live run, through the same
//! reducer. Time is paced like a live run (1x plays the run in about 40 seconds) and can be
//! paused, sped up to 1000x or "as fast as possible", stepped one event at a time, jumped by
//! 10%, to the ends, to the next or previous blocker or decision, or to a typed run time.
//! Decisions are shown, never made; nothing the recording names is ever run.

use super::app::{App, Intent};
use super::event_loop::{self, Driver};
use super::keys::KeyMode;
use super::view::{Mode, Scrubber, View};
use crate::engine::concerns::concerned_agents;
use crate::engine::describe::describe;
use crate::engine::event::{Event, EventBody};
use crate::record::player::Player;
use crate::run::clock::{self, Clock};
use crate::time::parse_duration;
use std::time::{Duration, Instant};

/// Speed multipliers + and - step through; past the last one is "as fast as possible".
const SPEEDS: [f64; 13] = [
    0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0,
];
const ONE_X: usize = 3;
/// "As fast as possible" moves this share of the recording each frame.
const MAX_STEP_SHARE: usize = 60;
const FRAME: Duration = Duration::from_millis(33);
/// Log lines kept for the log panel.
const LOG_LINES: usize = 200;

pub struct Replay {
    player: Player,
    clock: Clock,
    /// Units per second at 1x.
    base_speed: f64,
    /// Index into SPEEDS; SPEEDS.len() means as fast as possible.
    speed: usize,
    quit: bool,
}

impl Replay {
    pub fn new(player: Player) -> Replay {
        let unit = player.recording.header.workflow.unit;
        let base_speed = clock::speed_for(player.end_ms(), unit);
        let mut clock = Clock::new(unit.ms(), base_speed);
        clock.set_paused(false);
        Replay {
            player,
            clock,
            base_speed,
            speed: ONE_X,
            quit: false,
        }
    }

    fn playing(&self) -> bool {
        !self.clock.is_paused() && self.player.position() < self.player.len()
    }

    /// The run time shown: the paced clock while playing, else the last applied event's time.
    fn clock_ms(&self) -> u64 {
        if self.clock.is_paused() {
            return self.clock.now_ms();
        }
        self.clock.now_ms().min(self.player.end_ms())
    }

    fn set_speed(&mut self, index: usize) {
        self.speed = index.min(SPEEDS.len());
        if let Some(multiplier) = SPEEDS.get(self.speed) {
            self.clock.set_speed(self.base_speed * multiplier);
        }
    }

    /// Goes to a position, holds the clock at its time and pauses.
    fn go_to(&mut self, position: usize, app: &mut App) {
        self.player.seek(position);
        let at = match position {
            0 => 0,
            p => self.player.recording.events[p - 1].at_ms,
        };
        self.clock.hold_at(at);
        self.clock.set_paused(true);
        self.follow(app);
    }

    fn go_to_time(&mut self, at_ms: u64, app: &mut App) {
        self.player.seek_time(at_ms);
        self.clock.hold_at(at_ms.min(self.player.end_ms()));
        self.clock.set_paused(true);
        self.follow(app);
    }

    /// Keeps the dashboard in step with the position.
    fn follow(&self, app: &mut App) {
        app.refresh_graph(self.player.state(), false);
        if self.player.state().finished.is_some() {
            app.on_finished();
        }
    }

    /// The recorded events' lines up to the position, those `keep` accepts.
    fn log_lines(&self, keep: impl Fn(&Event) -> bool) -> Vec<String> {
        let state = self.player.state();
        let events = &self.player.recording.events[..self.player.position()];
        let mut lines: Vec<String> = events
            .iter()
            .rev()
            .filter(|e| keep(e))
            .filter_map(|e| describe(e, state))
            .map(|line| crate::sanitise::sanitise_line(&line))
            .take(LOG_LINES)
            .collect();
        lines.reverse();
        lines
    }
}

impl Driver for Replay {
    fn view(&self) -> View<'_> {
        let state = self.player.state();
        let speed = match SPEEDS.get(self.speed) {
            Some(m) => format!("×{m}"),
            None => "×max".to_string(),
        };
        View {
            state,
            mode: Mode::Replay,
            clock_ms: self.clock_ms(),
            estimate_ms: state.estimated_makespan_ms,
            speed,
            scrubber: Some(Scrubber {
                position: self.player.position(),
                events: self.player.len(),
                end_ms: self.player.end_ms(),
                markers: &self.player.markers,
            }),
            log_lines: Some(self.log_lines(|_| true)),
        }
    }

    fn key_mode(&self) -> KeyMode {
        KeyMode::Replay
    }

    fn advance(&mut self, app: &mut App) {
        if !self.playing() {
            return;
        }
        if self.speed >= SPEEDS.len() {
            let step = (self.player.len() / MAX_STEP_SHARE).max(1);
            let target = (self.player.position() + step).min(self.player.len());
            self.player.seek(target);
            let at = self.player.recording.events[target - 1].at_ms;
            self.clock.hold_at(at);
        } else {
            self.player.seek_time(self.clock.now_ms());
        }
        if self.player.position() >= self.player.len() {
            self.clock.hold_at(self.player.end_ms());
            self.clock.set_paused(true);
        }
        self.follow(app);
    }

    fn moving(&self) -> bool {
        self.playing()
    }

    fn next_due(&self) -> Option<Instant> {
        if !self.playing() {
            return None;
        }
        if self.speed >= SPEEDS.len() {
            return Some(Instant::now() + FRAME);
        }
        let next = self.player.recording.events.get(self.player.position());
        next.and_then(|e| self.clock.wall_for(e.at_ms))
    }

    fn agent_log(&self, agent: usize) -> Vec<String> {
        let state = self.player.state();
        self.log_lines(|e| concerned_agents(e, state).contains(&agent))
    }

    fn act(&mut self, intent: Intent, app: &mut App) {
        let position = self.player.position();
        let end = self.player.end_ms();
        match intent {
            Intent::Quit | Intent::Detach => self.quit = true,
            Intent::TogglePause if self.clock.is_paused() && position >= self.player.len() => {
                self.go_to(0, app);
                self.clock.set_paused(false);
            }
            Intent::TogglePause => self.clock.set_paused(!self.clock.is_paused()),
            Intent::Faster => self.set_speed(self.speed + 1),
            Intent::Slower => self.set_speed(self.speed.saturating_sub(1)),
            Intent::Step(forward) => {
                let target = if forward {
                    position + 1
                } else {
                    position.saturating_sub(1)
                };
                self.go_to(target.min(self.player.len()), app);
            }
            Intent::Jump(forward) => {
                let tenth = end / 10;
                let now = self.clock_ms();
                self.go_to_time(
                    if forward {
                        now + tenth
                    } else {
                        now.saturating_sub(tenth)
                    },
                    app,
                );
            }
            Intent::Edge(to_end) => self.go_to(if to_end { self.player.len() } else { 0 }, app),
            Intent::Marker(forward) => match self.player.marker_after(forward) {
                Some(marker) => {
                    self.go_to(marker.position, app);
                    let event = &self.player.recording.events[marker.position - 1];
                    let blocker = match &event.body {
                        EventBody::BlockerRaised { blocker, .. }
                        | EventBody::DecisionMade { blocker, .. } => {
                            self.player.state().blocker_index(blocker)
                        }
                        _ => None,
                    };
                    match blocker {
                        Some(b) => app.open_decision(b, Vec::new()),
                        None => app.overlay = None,
                    }
                }
                None => app.toast(if forward {
                    "no blocker or decision after this point"
                } else {
                    "no blocker or decision before this point"
                }),
            },
            Intent::GoTo(text) => {
                let unit = self.player.recording.header.workflow.unit;
                match parse_duration(&text, unit) {
                    Ok(at) => self.go_to_time(at, app),
                    Err(e) => app.toast(format!("✖ {e}")),
                }
            }
            Intent::OpenDecision(b) => app.open_decision(b, Vec::new()),
            Intent::Nothing
            | Intent::Decide { .. }
            | Intent::Acknowledge(_)
            | Intent::Replan(_) => {}
        }
    }

    fn done(&self) -> bool {
        self.quit
    }
}

/// Opens a recording in the dashboard until the user quits.
pub fn run(player: Player, mut app: App) -> std::io::Result<()> {
    let mut replay = Replay::new(player);
    replay.follow(&mut app);
    event_loop::run(&mut replay, app)
}
