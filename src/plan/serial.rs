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
    let mut busy: Vec<Vec<(u64, u64)>> = vec![Vec::new(); p.agents];
    let mut makespan = 0;
    for &i in list {
        let ready = p.preds[i]
            .iter()
            .map(|&d| start[d] + p.durations[d])
            .max()
            .unwrap_or(0);
        let duration = p.durations[i];
        if !p.eligible[i].is_empty() {
            let (at, a, slot) = p.eligible[i]
                .iter()
                .map(|&a| {
                    let (at, slot) = earliest_fit(&busy[a], ready, duration);
                    (at, a, slot)
                })
                .min_by_key(|&(at, a, slot)| (at, idle_before(&busy[a], slot, at), a))?;
            busy[a].insert(slot, (at, at + duration));
            start[i] = at;
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

/// The earliest start at or after `ready` where `duration` fits between the busy intervals
/// (sorted, disjoint), and the index where the new interval goes.
fn earliest_fit(busy: &[(u64, u64)], ready: u64, duration: u64) -> (u64, usize) {
    let mut at = ready;
    let mut slot = busy.partition_point(|&(_, end)| end <= ready);
    while let Some(&(s, e)) = busy.get(slot) {
        if at + duration <= s {
            break;
        }
        at = at.max(e);
        slot += 1;
    }
    (at, slot)
}

/// The idle time on an agent just before a node placed at `at` in `slot`: placing where it
/// leaves the smallest gap keeps longer gaps free for later nodes.
fn idle_before(busy: &[(u64, u64)], slot: usize, at: u64) -> u64 {
    let previous_end = slot.checked_sub(1).map_or(0, |k| busy[k].1);
    at - previous_end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures::{assert_feasible, identical, random_identical};
    use crate::plan::list::list_schedule;

    #[test]
    fn fits_into_gaps() {
        let busy = [(0, 2), (5, 9)];
        assert_eq!(earliest_fit(&busy, 0, 3), (2, 1));
        assert_eq!(earliest_fit(&busy, 0, 4), (9, 2));
        assert_eq!(earliest_fit(&busy, 6, 1), (9, 2));
        assert_eq!(earliest_fit(&[], 4, 1), (4, 0));
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
