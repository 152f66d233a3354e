//! Plays a recording back through the same reducer as a live run: the state at any position is
//! the fold of the events before it. Snapshots of the state, taken at fixed intervals while the
//! recording is first folded, make seeking cost one snapshot clone and at most one interval of
//! events, never a replay from the start. The player only folds events: nothing a recording
//! says is ever executed.

use super::Recording;
use crate::engine::event::{Event, EventBody};
use crate::engine::state::State;
use crate::error::InputError;
use std::sync::Arc;

/// At most this many snapshots are kept, whatever the recording's length.
const MAX_SNAPSHOTS: usize = 4;
const MIN_INTERVAL: usize = 64;

/// A moment worth jumping to: a blocker, a decision, a failure or a gate result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    Blocker,
    Decision,
    Failure,
    Gate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    /// Events applied once this marker's event is applied.
    pub position: usize,
    pub at_ms: u64,
    pub kind: MarkerKind,
}

pub struct Player {
    pub recording: Recording,
    initial: State,
    snapshots: Vec<(usize, State)>,
    interval: usize,
    state: State,
    position: usize,
    pub markers: Vec<Marker>,
}

impl Player {
    /// Folds the whole recording once, checking every event and keeping snapshots. `label`
    /// names the file in errors (an event the state refuses is reported at its line).
    pub fn new(recording: Recording, label: &str) -> Result<Player, InputError> {
        let initial = State::new(Arc::new(recording.header.workflow.clone()));
        let interval = (recording.events.len() / MAX_SNAPSHOTS).max(MIN_INTERVAL);
        let mut state = initial.clone();
        let mut snapshots = Vec::new();
        let mut markers = Vec::new();
        for (i, event) in recording.events.iter().enumerate() {
            state.apply(event).map_err(|e| {
                InputError::at_line(
                    label,
                    i + 2,
                    format!("{e}; the recording does not match its workflow"),
                )
            })?;
            if let Some(kind) = marker_kind(event) {
                markers.push(Marker {
                    position: i + 1,
                    at_ms: event.at_ms,
                    kind,
                });
            }
            if (i + 1) % interval == 0 {
                snapshots.push((i + 1, state.clone()));
            }
        }
        Ok(Player {
            recording,
            state: initial.clone(),
            initial,
            snapshots,
            interval,
            position: 0,
            markers,
        })
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    /// How many state snapshots seeking can start from.
    pub fn snapshot_count(&self) -> usize {
        self.snapshots.len()
    }

    /// Events applied so far.
    pub fn position(&self) -> usize {
        self.position
    }

    pub fn len(&self) -> usize {
        self.recording.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.recording.events.is_empty()
    }

    /// Run time of the last event: the recording's length in time.
    pub fn end_ms(&self) -> u64 {
        self.recording.events.last().map_or(0, |e| e.at_ms)
    }

    /// The state after the first `position` events.
    pub fn seek(&mut self, position: usize) {
        let target = position.min(self.len());
        if target < self.position || target - self.position > self.interval {
            let (base, state) = match self.snapshots.partition_point(|(p, _)| *p <= target) {
                0 => (0, self.initial.clone()),
                k => (self.snapshots[k - 1].0, self.snapshots[k - 1].1.clone()),
            };
            self.state = state;
            self.position = base;
        }
        for event in &self.recording.events[self.position..target] {
            // Every event was checked when the player was made.
            let _ = self.state.apply(event);
        }
        self.position = target;
    }

    /// The number of events at or before run time `at_ms`.
    pub fn position_at(&self, at_ms: u64) -> usize {
        self.recording.events.partition_point(|e| e.at_ms <= at_ms)
    }

    /// The state at run time `at_ms`: every event up to and including that time applied.
    pub fn seek_time(&mut self, at_ms: u64) {
        self.seek(self.position_at(at_ms));
    }

    /// The next marker after the current position (or the previous one before it).
    pub fn marker_after(&self, forward: bool) -> Option<Marker> {
        if forward {
            self.markers
                .iter()
                .find(|m| m.position > self.position)
                .copied()
        } else {
            self.markers
                .iter()
                .rev()
                .find(|m| m.position < self.position)
                .copied()
        }
    }

    /// The state a fresh fold reaches after `position` events (for checking seeks).
    pub fn fold_from_start(&self, position: usize) -> State {
        let mut state = self.initial.clone();
        for event in &self.recording.events[..position.min(self.len())] {
            let _ = state.apply(event);
        }
        state
    }
}

fn marker_kind(event: &Event) -> Option<MarkerKind> {
    Some(match &event.body {
        EventBody::BlockerRaised { .. } => MarkerKind::Blocker,
        EventBody::DecisionMade { .. } => MarkerKind::Decision,
        EventBody::TaskFailed { .. } => MarkerKind::Failure,
        EventBody::GateEvaluated { .. } => MarkerKind::Gate,
        _ => return None,
    })
}
