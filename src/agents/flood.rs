//! A cap on how many output lines per second one process may put into the run: a program that
//! floods its output (think `yes`) gets its first lines of every second through and the rest
//! counted, and the count is reported once a second, so neither memory nor the recording grows
//! with the flood.

use std::time::{Duration, Instant};

/// Output lines of one process passed on per second.
pub const LINES_PER_SECOND: u32 = 200;

#[derive(Debug)]
pub struct FloodGate {
    window_start: Instant,
    passed: u32,
    dropped: u64,
}

impl FloodGate {
    pub fn new(now: Instant) -> FloodGate {
        FloodGate {
            window_start: now,
            passed: 0,
            dropped: 0,
        }
    }

    /// Whether a line arriving `now` gets through; if not, it is counted as dropped.
    pub fn admit(&mut self, now: Instant) -> bool {
        if now.duration_since(self.window_start) >= Duration::from_secs(1) {
            self.window_start = now;
            self.passed = 0;
        }
        if self.passed < LINES_PER_SECOND {
            self.passed += 1;
            true
        } else {
            self.dropped += 1;
            false
        }
    }

    /// Counts a line dropped for another reason (the run's queue was full).
    pub fn count_dropped(&mut self) {
        self.dropped += 1;
    }

    /// The lines dropped since the last call, once the second they were dropped in is over (or
    /// at once with `flush`).
    pub fn take_dropped(&mut self, now: Instant, flush: bool) -> Option<u64> {
        let window_over = now.duration_since(self.window_start) >= Duration::from_secs(1);
        (self.dropped > 0 && (flush || window_over)).then(|| std::mem::take(&mut self.dropped))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_a_second_s_worth_then_counts_the_rest() {
        let start = Instant::now();
        let mut gate = FloodGate::new(start);
        let passed = (0..1000).filter(|_| gate.admit(start)).count();
        assert_eq!(passed, LINES_PER_SECOND as usize);
        assert_eq!(
            gate.take_dropped(start, false),
            None,
            "reported after the second"
        );
        let later = start + Duration::from_secs(1);
        assert_eq!(gate.take_dropped(later, false), Some(800));
        assert!(gate.admit(later), "a new second lets lines through again");
        assert_eq!(gate.take_dropped(later, true), None);
    }
}
