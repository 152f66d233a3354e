//! What a frame is drawn from: the run's state plus how it is being watched (live, paused,
//! finished or replayed), the run clock and the speed.

use crate::engine::State;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Live,
    Paused,
    Finished,
    Replay,
}

impl Mode {
    pub fn label(self) -> &'static str {
        match self {
            Mode::Live => "LIVE",
            Mode::Paused => "PAUSED",
            Mode::Finished => "FINISHED",
            Mode::Replay => "REPLAY",
        }
    }
}

pub struct View<'a> {
    pub state: &'a State,
    pub mode: Mode,
    /// Run time shown on the clock (may run ahead of the last event while live).
    pub clock_ms: u64,
    /// The run's expected finish.
    pub estimate_ms: u64,
    /// Workflow units per wall-clock second.
    pub speed: f64,
}
