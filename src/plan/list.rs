//! List scheduling on estimates: whenever an agent is free, start the ready node that comes
//! first in a priority order (priority class, then the order's key) on the lowest-numbered free
//! agent that may run it, within `max_parallel` and resource capacities. This is the rule the
//! live scheduler follows, run here on estimates to judge a priority order quickly.

use super::analysis::topological_order;
use super::problem::Problem;
use super::scheme::positions;
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

/// When and where each node runs under one plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub start: Vec<u64>,
    /// The agent running each node (`None` for gates).
    pub agent: Vec<Option<usize>>,
    pub makespan: u64,
}

impl Schedule {
    /// Each agent's nodes in the order it runs them: by start, a zero-duration node before a
    /// longer one starting with it, and nodes that start and end together in dependency order.
    pub fn sequences(&self, p: &Problem) -> Vec<Vec<usize>> {
        let topological = positions(&topological_order(p));
        let mut seq: Vec<Vec<usize>> = vec![Vec::new(); p.agents];
        for (node, agent) in self.agent.iter().enumerate() {
            if let Some(a) = agent {
                seq[*a].push(node);
            }
        }
        for s in &mut seq {
            s.sort_by_key(|&n| (self.start[n], p.durations[n], topological[n]));
        }
        seq
    }
}

/// Schedules `p` by list scheduling with the given per-node keys (lower key starts first,
/// within a priority class). Returns `None` when some node can never run.
pub fn list_schedule(p: &Problem, key: &[u64]) -> Option<Schedule> {
    let n = p.len();
    let mut waiting: Vec<usize> = p.preds.iter().map(Vec::len).collect();
    let mut ready: BTreeSet<(Reverse<crate::workflow::model::Priority>, u64, usize)> =
        BTreeSet::new();
    let mut running: BinaryHeap<Reverse<(u64, usize)>> = BinaryHeap::new();
    let mut free: Vec<bool> = vec![true; p.agents];
    let mut in_use = vec![0u32; p.capacities.len()];
    let mut start = vec![0u64; n];
    let mut agent = vec![None; n];
    let mut done = 0usize;
    let mut now = 0u64;
    let mut busy = 0usize;
    let mut instant: Vec<usize> = Vec::new();

    let release = |i: usize, ready: &mut BTreeSet<_>, instant: &mut Vec<usize>| {
        if p.eligible[i].is_empty() {
            instant.push(i);
        } else {
            ready.insert((Reverse(p.priority[i]), key[i], i));
        }
    };
    for (i, _) in waiting.iter().enumerate().filter(|(_, w)| **w == 0) {
        release(i, &mut ready, &mut instant);
    }
    loop {
        // Gates (and other agent-less nodes) complete the moment they are ready.
        while let Some(g) = instant.pop() {
            start[g] = now;
            done += 1;
            for &s in &p.succs[g] {
                waiting[s] -= 1;
                if waiting[s] == 0 {
                    release(s, &mut ready, &mut instant);
                }
            }
        }
        if busy < p.max_parallel {
            let mut started = Vec::new();
            for &(_, _, i) in ready.iter() {
                if busy == p.max_parallel {
                    break;
                }
                if p.holds[i].iter().any(|&r| in_use[r] >= p.capacities[r]) {
                    continue;
                }
                if let Some(&a) = p.eligible[i].iter().find(|&&a| free[a]) {
                    free[a] = false;
                    busy += 1;
                    for &r in &p.holds[i] {
                        in_use[r] += 1;
                    }
                    start[i] = now;
                    agent[i] = Some(a);
                    running.push(Reverse((now + p.durations[i], i)));
                    started.push((Reverse(p.priority[i]), key[i], i));
                }
            }
            for s in started {
                ready.remove(&s);
            }
        }
        let Some(Reverse((t, _))) = running.peek().copied() else {
            break;
        };
        now = t;
        while let Some(&Reverse((t, i))) = running.peek() {
            if t != now {
                break;
            }
            running.pop();
            done += 1;
            busy -= 1;
            if let Some(a) = agent[i] {
                free[a] = true;
            }
            for &r in &p.holds[i] {
                in_use[r] -= 1;
            }
            for &s in &p.succs[i] {
                waiting[s] -= 1;
                if waiting[s] == 0 {
                    release(s, &mut ready, &mut instant);
                }
            }
        }
    }
    (done == n).then_some(Schedule {
        start,
        agent,
        makespan: now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::analysis::bottom_levels;
    use crate::plan::fixtures::identical;

    #[test]
    fn two_agents_share_independent_work() {
        let p = identical(vec![3, 3, 2, 2], vec![vec![], vec![], vec![], vec![]], 2);
        let order = topological_order(&p);
        let bl = bottom_levels(&p, &order);
        let key: Vec<u64> = bl.iter().map(|b| u64::MAX - b).collect();
        let s = list_schedule(&p, &key).unwrap();
        assert_eq!(s.makespan, 5);
        assert_eq!(s.sequences(&p).iter().map(Vec::len).sum::<usize>(), 4);
    }

    #[test]
    fn dependencies_wait() {
        let p = identical(vec![2, 2], vec![vec![], vec![0]], 2);
        let s = list_schedule(&p, &[0, 1]).unwrap();
        assert_eq!(s.start, vec![0, 2]);
        assert_eq!(s.makespan, 4);
    }

    #[test]
    fn an_agent_runs_instant_tasks_before_what_starts_with_them_and_in_dependency_order() {
        // 0 (5) and 1 (0) start together; 2 (0) depends on 3 (0), all on agent 0 at time 0.
        let p = identical(vec![5, 0, 0, 0], vec![vec![], vec![], vec![3], vec![]], 1);
        let s = Schedule {
            start: vec![0; 4],
            agent: vec![Some(0); 4],
            makespan: 5,
        };
        assert_eq!(s.sequences(&p), vec![vec![1, 3, 2, 0]]);
    }
}
