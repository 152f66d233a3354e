//! A run's clock, the one pacing of every front end: virtual run time paced against the wall
//! clock at a chosen speed (workflow units per second), which can be paused, resumed and
//! changed at any moment without a jump in run time; the wall clock itself for real agents; or
//! no pacing at all (`--instant`), where everything is due at once.

use std::time::{Duration, Instant};

/// Speeds a person can step through with + and -.
pub const MIN_SPEED: f64 = 1.0 / 64.0;
pub const MAX_SPEED: f64 = 4096.0;

#[derive(Debug, Clone)]
pub struct Clock {
    unit_ms: f64,
    instant: bool,
    wall_clock: bool,
    speed: f64,
    anchor_wall: Instant,
    anchor_ms: u64,
    paused: bool,
}

impl Clock {
    /// `unit_ms`: milliseconds of run time in one workflow unit; `speed`: units per second.
    pub fn new(unit_ms: u64, speed: f64) -> Clock {
        Clock {
            unit_ms: unit_ms as f64,
            instant: false,
            wall_clock: false,
            speed: speed.clamp(MIN_SPEED, MAX_SPEED),
            anchor_wall: Instant::now(),
            anchor_ms: 0,
            paused: false,
        }
    }

    /// Run time as wall time: one millisecond a millisecond, whatever the workflow's unit (a
    /// run with real agents).
    pub fn wall_clock(unit_ms: u64) -> Clock {
        Clock {
            speed: 1000.0 / unit_ms.max(1) as f64,
            wall_clock: true,
            ..Clock::new(unit_ms, 1.0)
        }
    }

    /// No pacing: every moment of run time is due now (`--instant`).
    pub fn instant(unit_ms: u64) -> Clock {
        Clock {
            instant: true,
            ..Clock::new(unit_ms, 1.0)
        }
    }

    pub fn is_instant(&self) -> bool {
        self.instant
    }

    /// Whether run time is wall time (real agents): no pause, no speed change.
    pub fn is_wall_clock(&self) -> bool {
        self.wall_clock
    }

    /// Run milliseconds per wall millisecond (0 while paused).
    pub fn rate(&self) -> f64 {
        if self.paused {
            0.0
        } else {
            self.speed * self.unit_ms / 1000.0
        }
    }

    /// Run time now.
    pub fn now_ms(&self) -> u64 {
        self.at(Instant::now())
    }

    fn at(&self, wall: Instant) -> u64 {
        if self.instant {
            return u64::MAX;
        }
        if self.paused {
            return self.anchor_ms;
        }
        let elapsed = wall
            .saturating_duration_since(self.anchor_wall)
            .as_secs_f64();
        self.anchor_ms + (elapsed * self.speed * self.unit_ms) as u64
    }

    /// The wall-clock instant at which run time reaches `ms` (now if already past; `None` while
    /// paused).
    pub fn wall_for(&self, ms: u64) -> Option<Instant> {
        if self.paused {
            return None;
        }
        if self.instant {
            return Some(Instant::now());
        }
        let ahead = ms.saturating_sub(self.anchor_ms) as f64 / (self.speed * self.unit_ms);
        Some(self.anchor_wall + Duration::from_secs_f64(ahead.min(1e9)))
    }

    /// Holds run time at `ms` from now on (the clock never runs past what the engine knows).
    pub fn hold_at(&mut self, ms: u64) {
        self.anchor_ms = ms;
        self.anchor_wall = Instant::now();
    }

    fn reanchor(&mut self) {
        let now = Instant::now();
        self.anchor_ms = self.at(now);
        self.anchor_wall = now;
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }

    pub fn set_paused(&mut self, paused: bool) {
        self.reanchor();
        self.paused = paused;
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    pub fn set_speed(&mut self, speed: f64) {
        self.reanchor();
        self.speed = speed.clamp(MIN_SPEED, MAX_SPEED);
    }

    /// Twice as fast, up to `MAX_SPEED`.
    pub fn faster(&mut self) {
        self.set_speed(self.speed * 2.0);
    }

    /// Half as fast, down to `MIN_SPEED`.
    pub fn slower(&mut self) {
        self.set_speed(self.speed / 2.0);
    }
}

/// The speed that plays `ms` of run time in about 40 seconds: a power of two, so + and - step
/// through round values.
pub fn speed_for(ms: u64, unit: crate::time::TimeUnit) -> f64 {
    let units = unit.value(ms).max(1e-3);
    2f64.powi((units / 40.0).log2().round() as i32)
}

/// A speed in workflow units per second, as people read it: `2h/s`, or `1h/4s` below one.
pub fn speed_label(speed: f64, unit: crate::time::TimeUnit) -> String {
    let trim = |v: f64| {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    if speed >= 1.0 {
        format!("{}{}/s", trim(speed), unit.suffix())
    } else {
        format!("1{}/{}s", unit.suffix(), trim(1.0 / speed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paused_clock_stands_still_and_speed_is_bounded() {
        let mut p = Clock::new(3_600_000, 1.0);
        p.set_paused(true);
        let t = p.now_ms();
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(p.now_ms(), t);
        assert!(p.wall_for(t + 1).is_none());
        p.set_speed(1e9);
        assert_eq!(p.speed(), MAX_SPEED);
        p.set_speed(0.0);
        assert_eq!(p.speed(), MIN_SPEED);
    }

    #[test]
    fn speeds_read_naturally() {
        use crate::time::TimeUnit;
        assert_eq!(speed_label(2.0, TimeUnit::Hours), "2h/s");
        assert_eq!(speed_label(0.25, TimeUnit::Hours), "1h/4s");
        assert_eq!(speed_label(0.0625, TimeUnit::Weeks), "1w/16s");
    }

    #[test]
    fn wall_time_maps_to_run_time_at_speed() {
        let p = Clock::new(1000, 2.0);
        // 2 units (2000 ms of run time) per wall second: 4000 ms of run time is 2 s away.
        let due = p.wall_for(4000).unwrap();
        let secs = due.duration_since(p.anchor_wall).as_secs_f64();
        assert!((secs - 2.0).abs() < 1e-6);
    }
}
