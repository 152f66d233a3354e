//! What a frame is drawn from: the run's state plus how it is being watched (live, paused,
//! finished or replayed), the run clock and the speed.

use crate::engine::State;
use crate::record::player::Marker;

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
    /// How fast time goes, as shown in the header (`0.5h/s`, `×10`).
    pub speed: String,
    /// Where a replay is, when this is one.
    pub scrubber: Option<Scrubber<'a>>,
    /// Log lines to show instead of the live log (a replay shows its events up to the position).
    pub log_lines: Option<Vec<String>>,
}

/// The replay's position in the recording, with its markers.
pub struct Scrubber<'a> {
    pub position: usize,
    pub events: usize,
    pub end_ms: u64,
    pub markers: &'a [Marker],
}
