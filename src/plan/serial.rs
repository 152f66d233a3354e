//! The serial schedule-generation scheme: nodes are taken one by one in an activity list (a
//! dependency order) and each is placed at its earliest start on the eligible agent that can
//! start it soonest, filling an idle gap left earlier on that agent if it fits. Unlike list
//! scheduling it can keep an agent idle for a later, more urgent node, so it reaches schedules
//! list scheduling cannot. It knows agents and dependencies only: it is used when the problem
//! has no resources and no parallel cap below the number of agents.

use super::list::Schedule;
use super::problem::Problem;

/// Whether the serial scheme can schedule `p`: nothing limits work but agents and
/// dependencies.
pub fn applies_to(p: &Problem) -> bool {
    p.max_parallel >= p.agents && p.holds.iter().all(Vec::is_empty)
}

/// Schedules the nodes of `list`, which must be a dependency order of all of `p`'s nodes.
/// Returns `None` when some node has no agent that may run it.
pub fn serial_schedule(p: &Problem, list: &[usize]) -> Option<Schedule> {
    let n = p.len();
    let mut start = vec![0u64; n];
    let mut agent = vec![None; n];
    let mut timelines = vec![Timeline::default(); p.agents];
    let mut makespan = 0;
    for &i in list {
        let ready = p.preds[i]
            .iter()
            .map(|&d| start[d] + p.durations[d])
            .max()
            .unwrap_or(0);
        let duration = p.durations[i];
        if !p.eligible[i].is_empty() {
            let (fit, a) = p.eligible[i]
                .iter()
                .map(|&a| (timelines[a].earliest_fit(ready, duration), a))
                .min_by_key(|&(fit, a)| (fit.at, fit.idle_before, a))?;
            timelines[a].take(fit, duration);
            start[i] = fit.at;
            agent[i] = Some(a);
        } else {
            start[i] = ready;
        }
        makespan = makespan.max(start[i] + duration);
    }
    Some(Schedule {
        start,
        agent,
        makespan,
    })
}

/// One agent's time: the idle stretches left between the nodes placed so far, and when its
/// last node ends. Keeping the gaps rather than the busy stretches makes a placement cost the
/// number of gaps after the node's ready time, which stays small when the agent is kept busy.
#[derive(Debug, Clone, Default)]
struct Timeline {
    /// Idle stretches `[start, end)` before `end`, sorted and disjoint.
    gaps: Vec<(u64, u64)>,
    end: u64,
}

/// Where a node fits on a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fit {
    at: u64,
    /// The gap it goes into, or `None` after the last node.
    gap: Option<usize>,
    /// The idle time just before it: placing where it leaves the smallest gap keeps longer
    /// gaps free for later nodes.
    idle_before: u64,
}

impl Timeline {
    /// The earliest start at or after `ready` where `duration` fits.
    fn earliest_fit(&self, ready: u64, duration: u64) -> Fit {
        let first = self.gaps.partition_point(|&(_, end)| end <= ready);
        for (k, &(from, to)) in self.gaps.iter().enumerate().skip(first) {
            let at = from.max(ready);
            if at + duration <= to {
                return Fit {
                    at,
                    gap: Some(k),
                    idle_before: at - from,
                };
            }
        }
        let at = ready.max(self.end);
        Fit {
            at,
            gap: None,
            idle_before: at - self.end,
        }
    }

    /// Marks `[fit.at, fit.at + duration)` busy.
    fn take(&mut self, fit: Fit, duration: u64) {
        let end = fit.at + duration;
        match fit.gap {
            _ if duration == 0 => {}
            Some(k) => {
                let (from, to) = self.gaps[k];
                let parts = [(from, fit.at), (end, to)];
                let kept = parts.into_iter().filter(|(s, e)| s < e);
                self.gaps.splice(k..=k, kept);
            }
            None => {
                if fit.at > self.end {
                    self.gaps.push((self.end, fit.at));
                }
                self.end = end;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures::{assert_feasible, identical, random_identical};
    use crate::plan::list::list_schedule;

    #[test]
    fn fits_into_gaps() {
        // Busy [0, 2) and [5, 9).
        let mut t = Timeline::default();
        t.take(t.earliest_fit(0, 2), 2);
        t.take(t.earliest_fit(5, 4), 4);
        assert_eq!(t.gaps, vec![(2, 5)]);
        assert_eq!(t.earliest_fit(0, 3).at, 2);
        assert_eq!(t.earliest_fit(0, 4).at, 9);
        assert_eq!(t.earliest_fit(6, 1).at, 9);
        let middle = t.earliest_fit(3, 1);
        assert_eq!((middle.at, middle.idle_before), (3, 1));
        t.take(middle, 1);
        assert_eq!(t.gaps, vec![(2, 3), (4, 5)]);
        assert_eq!(Timeline::default().earliest_fit(4, 1).at, 4);
    }

    #[test]
    fn keeps_an_agent_free_for_the_longer_chain() {
        // 0 (1) -> 1 (5); 2 (3) and 3 (3) are independent. On two agents list scheduling in
        // the order 2, 3, 0, 1 starts 2 and 3 first and finishes at 9; the serial scheme with
        // the list 0, 1, 2, 3 runs the chain at once and finishes at 6.
        let p = identical(vec![1, 5, 3, 3], vec![vec![], vec![0], vec![], vec![]], 2);
        let list = list_schedule(&p, &[2, 3, 0, 1]).unwrap();
        assert_eq!(list.makespan, 9);
        let serial = serial_schedule(&p, &[0, 1, 2, 3]).unwrap();
        assert_eq!(serial.makespan, 6);
        assert_feasible(&p, &serial);
    }

    #[test]
    fn random_lists_give_feasible_semi_active_schedules() {
        for seed in 0..20 {
            let p = random_identical(seed, 40, 3);
            let list: Vec<usize> = (0..p.len()).collect();
            let s = serial_schedule(&p, &list).unwrap();
            assert_feasible(&p, &s);
            // Each node starts when its dependencies and its agent's previous node are done:
            // an agent that follows the sequences finishes exactly on time.
            for seq in s.sequences(&p) {
                for (k, &i) in seq.iter().enumerate() {
                    let deps = p.preds[i].iter().map(|&d| s.start[d] + p.durations[d]);
                    let before = k
                        .checked_sub(1)
                        .map(|j| s.start[seq[j]] + p.durations[seq[j]]);
                    let earliest = deps.chain(before).max().unwrap_or(0);
                    assert_eq!(
                        s.start[i], earliest,
                        "seed {seed}: node {i} waits for nothing"
                    );
                }
            }
        }
    }
}
