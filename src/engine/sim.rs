//! Simulated agents on a virtual clock. Each running task has a list of checkpoints along its
//! work (progress reports, a blocker, a failure, the finish); only the next one is due at any
//! time, so a run of 100,000 tasks keeps one pending checkpoint per running task. A task that
//! blocks stops its clock until it is decided; delays stretch the work still to do.

use crate::engine::FastMap;
use crate::workflow::model::Task;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::VecDeque;

/// What happens when a task's work reaches a checkpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoint {
    Progress(u8),
    /// Index into the workflow's blockers.
    Blocker(usize),
    Fail,
    Finish,
}

#[derive(Debug, Clone)]
struct Work {
    total_ms: u64,
    done_ms: u64,
    /// When the clock last resumed; `None` while paused (blocked or waiting for an agent).
    resumed_at: Option<u64>,
    /// Bumped whenever the pending checkpoint is cancelled.
    epoch: u32,
    checkpoints: VecDeque<(u64, Checkpoint)>,
}

/// The simulated side of every task: how long it really takes and what goes wrong.
#[derive(Debug, Clone)]
pub struct Simulation {
    rng: ChaCha8Rng,
    progress_step: u8,
    work: FastMap<usize, Work>,
    /// Failed attempts so far, per task.
    failures: FastMap<usize, u32>,
    /// Extra work added before a task started.
    extra: FastMap<usize, u64>,
    /// Blockers (index) already raised.
    raised: Vec<bool>,
}

/// A checkpoint that became due: `(task, epoch)` must still match when it is handled.
pub type Due = (u64, usize, u32);

impl Simulation {
    pub fn new(rng: ChaCha8Rng, progress_step: u8, blockers: usize) -> Simulation {
        Simulation {
            rng,
            progress_step,
            work: FastMap::default(),
            failures: FastMap::default(),
            extra: FastMap::default(),
            raised: vec![false; blockers],
        }
    }

    /// Starts (or resumes, after a reassignment) task `t`; returns its first due checkpoint.
    /// `blockers` are the workflow blockers raised by this task, as (index, percent).
    pub fn start(&mut self, t: usize, task: &Task, blockers: &[(usize, u8)], now: u64) -> Due {
        if let Some(w) = self.work.get_mut(&t)
            && w.done_ms > 0
            && w.done_ms < w.total_ms
        {
            // Picked up where it was left (a new agent after a swap).
            w.resumed_at = Some(now);
            w.epoch += 1;
            return self.due(t, now);
        }
        let base = match (task.sim.actual_ms, task.sim.jitter) {
            (Some(actual), _) => actual,
            (None, Some((lo, hi))) => {
                let factor = if hi > lo {
                    self.rng.random_range(lo..=hi)
                } else {
                    lo
                };
                (task.estimate_ms as f64 * factor).round() as u64
            }
            (None, None) => task.estimate_ms,
        };
        let total = base + self.extra.get(&t).copied().unwrap_or(0);
        let mut checkpoints = Vec::new();
        let failures = self.failures.get(&t).copied().unwrap_or(0);
        if let Some(pct) = task.sim.fail_at
            && failures < task.sim.fail_times
        {
            checkpoints.push((point(total, pct), Checkpoint::Fail));
        }
        for &(b, pct) in blockers {
            if !self.raised[b] {
                checkpoints.push((point(total, pct), Checkpoint::Blocker(b)));
            }
        }
        let epoch = self.work.get(&t).map_or(0, |w| w.epoch + 1);
        let mut work = Work {
            total_ms: total,
            done_ms: 0,
            resumed_at: Some(now),
            epoch,
            checkpoints: VecDeque::new(),
        };
        work.checkpoints = merge(checkpoints, progress_points(0, total, self.progress_step));
        self.work.insert(t, work);
        self.due(t, now)
    }

    fn due(&self, t: usize, now: u64) -> Due {
        let w = &self.work[&t];
        let at = w.checkpoints.front().map_or(w.total_ms, |c| c.0);
        (now + at.saturating_sub(w.done_ms), t, w.epoch)
    }

    /// Handles a due checkpoint of task `t`. Returns what it is, or `None` if it was cancelled.
    pub fn reach(&mut self, t: usize, epoch: u32, now: u64) -> Option<Checkpoint> {
        let w = self.work.get_mut(&t)?;
        if w.epoch != epoch || w.resumed_at.is_none() {
            return None;
        }
        let (at, what) = w.checkpoints.pop_front()?;
        w.done_ms = at;
        w.resumed_at = Some(now);
        match what {
            Checkpoint::Blocker(b) => self.raised[b] = true,
            Checkpoint::Fail => {
                *self.failures.entry(t).or_default() += 1;
                self.work.remove(&t);
            }
            Checkpoint::Finish => {
                self.work.remove(&t);
            }
            Checkpoint::Progress(_) => {}
        }
        Some(what)
    }

    /// The next due checkpoint of a running task, if it has one.
    pub fn next_due(&self, t: usize, now: u64) -> Option<Due> {
        let w = self.work.get(&t)?;
        w.resumed_at?;
        Some(self.due(t, now))
    }

    /// Stops task `t`'s clock (blocked, or moved to another agent).
    pub fn pause(&mut self, t: usize, now: u64) {
        if let Some(w) = self.work.get_mut(&t) {
            if let Some(since) = w.resumed_at.take() {
                w.done_ms = (w.done_ms + now.saturating_sub(since)).min(w.total_ms);
            }
            w.epoch += 1;
        }
    }

    /// Restarts task `t`'s clock; returns its next due checkpoint.
    pub fn resume(&mut self, t: usize, now: u64) -> Option<Due> {
        let w = self.work.get_mut(&t)?;
        w.resumed_at = Some(now);
        w.epoch += 1;
        Some(self.due(t, now))
    }

    /// Adds work to task `t` (before or during its run).
    pub fn delay(&mut self, t: usize, by_ms: u64) {
        match self.work.get_mut(&t) {
            Some(w) => {
                let remaining = w.total_ms - w.done_ms + by_ms;
                self.set_remaining_of(t, remaining);
            }
            None => *self.extra.entry(t).or_default() += by_ms,
        }
    }

    /// Sets the work still to do on a started task `t`.
    pub fn set_remaining(&mut self, t: usize, remaining_ms: u64) {
        self.set_remaining_of(t, remaining_ms);
    }

    fn set_remaining_of(&mut self, t: usize, remaining_ms: u64) {
        let step = self.progress_step;
        let Some(w) = self.work.get_mut(&t) else {
            return;
        };
        let old_total = w.total_ms.max(1);
        let new_total = w.done_ms + remaining_ms;
        // Keep pending blockers and failures at the same share of the work.
        let special: Vec<(u64, Checkpoint)> = w
            .checkpoints
            .iter()
            .filter(|(_, c)| matches!(c, Checkpoint::Blocker(_) | Checkpoint::Fail))
            .map(|&(at, c)| {
                let scaled = (at as u128 * new_total as u128 / old_total as u128) as u64;
                (scaled.max(w.done_ms), c)
            })
            .collect();
        w.total_ms = new_total;
        w.checkpoints = merge(special, progress_points(w.done_ms, new_total, step));
    }

    /// The share of task `t`'s work done at `now`, in percent.
    pub fn percent(&self, t: usize, now: u64) -> u8 {
        self.work.get(&t).map_or(0, |w| {
            let done = w.done_ms + w.resumed_at.map_or(0, |s| now.saturating_sub(s));
            (100 * done.min(w.total_ms) / w.total_ms.max(1)) as u8
        })
    }
}

fn point(total: u64, pct: u8) -> u64 {
    total * u64::from(pct) / 100
}

/// Progress reports at every `step` percent after `from`, then the finish.
fn progress_points(from: u64, total: u64, step: u8) -> Vec<(u64, Checkpoint)> {
    let mut points: Vec<(u64, Checkpoint)> = (1..)
        .map(|k| k * u32::from(step))
        .take_while(|&pct| pct < 100)
        .map(|pct| (point(total, pct as u8), Checkpoint::Progress(pct as u8)))
        .filter(|&(at, _)| at > from)
        .collect();
    points.push((total, Checkpoint::Finish));
    points
}

/// One queue in work order; at equal points a progress report comes before a blocker or a
/// failure, and the finish comes last.
fn merge(
    mut special: Vec<(u64, Checkpoint)>,
    progress: Vec<(u64, Checkpoint)>,
) -> VecDeque<(u64, Checkpoint)> {
    special.extend(progress);
    let rank = |c: &Checkpoint| match c {
        Checkpoint::Progress(_) => 0,
        Checkpoint::Fail => 1,
        Checkpoint::Blocker(_) => 2,
        Checkpoint::Finish => 3,
    };
    special.sort_by_key(|(at, c)| (*at, rank(c)));
    special.into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn task(estimate_ms: u64) -> Task {
        serde_json::from_value(serde_json::json!({
            "id": "T", "name": "T", "estimate_ms": estimate_ms, "role": "r"
        }))
        .unwrap()
    }

    #[test]
    fn reports_progress_then_finishes() {
        let mut sim = Simulation::new(ChaCha8Rng::seed_from_u64(1), 25, 0);
        let (at, t, epoch) = sim.start(0, &task(1000), &[], 0);
        assert_eq!((at, t), (250, 0));
        assert_eq!(sim.reach(0, epoch, 250), Some(Checkpoint::Progress(25)));
        let mut last = None;
        let mut now = 250;
        while let Some((at, _, e)) = sim.next_due(0, now) {
            now = at;
            last = sim.reach(0, e, now);
        }
        assert_eq!(last, Some(Checkpoint::Finish));
        assert_eq!(now, 1000);
    }

    #[test]
    fn pause_stops_the_clock_and_delay_stretches_the_rest() {
        let mut sim = Simulation::new(ChaCha8Rng::seed_from_u64(1), 50, 1);
        let (_, _, epoch) = sim.start(0, &task(1000), &[(0, 30)], 0);
        assert_eq!(sim.reach(0, epoch, 300), Some(Checkpoint::Blocker(0)));
        sim.pause(0, 300);
        sim.delay(0, 500);
        let (at, _, _) = sim.resume(0, 2000).unwrap();
        // 700 left + 500 delay: 1500 in all, 300 done; the 50% report falls at 750.
        assert_eq!(at, 2450);
        assert!(sim.reach(0, 0, at).is_none(), "old epochs are cancelled");
    }
}
