//! Small problems the planner's unit tests share: the analytics-dashboard shape, identical
//! agents over given durations and dependencies, and random graphs with roles, gates and a
//! shared resource, with a check that a schedule is feasible.

use super::list::Schedule;
use super::problem::Problem;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

fn successors(preds: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut succs = vec![vec![]; preds.len()];
    for (i, ps) in preds.iter().enumerate() {
        for &p in ps {
            succs[p].push(i);
        }
    }
    succs
}

/// A(4) B(3) D(2), then C(5) after A and B, then I(2) after all; one agent per node.
pub fn chain_problem() -> Problem {
    let preds = vec![vec![], vec![], vec![], vec![0, 1], vec![0, 1, 2, 3]];
    Problem {
        ids: ["A", "B", "D", "C", "I"].map(String::from).to_vec(),
        durations: vec![4, 3, 2, 5, 2],
        succs: successors(&preds),
        preds,
        eligible: (0..5).map(|i| Arc::from([i])).collect(),
        priority: vec![Default::default(); 5],
        agents: 5,
        max_parallel: 5,
        capacities: vec![],
        holds: vec![vec![]; 5],
    }
}

/// `agents` identical agents, any of which may run any node.
pub fn identical(durations: Vec<u64>, preds: Vec<Vec<usize>>, agents: usize) -> Problem {
    let n = durations.len();
    Problem {
        ids: (0..n).map(|i| i.to_string()).collect(),
        durations,
        succs: successors(&preds),
        preds,
        eligible: vec![(0..agents).collect(); n],
        priority: vec![Default::default(); n],
        agents,
        max_parallel: agents,
        capacities: vec![],
        holds: vec![vec![]; n],
    }
}

/// A random graph of `n` nodes on identical agents (edges only from lower to higher index).
pub fn random_identical(seed: u64, n: usize, agents: usize) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let durations = (0..n).map(|_| rng.random_range(1..=10)).collect();
    let preds = (0..n)
        .map(|i| (0..i).filter(|_| rng.random_bool(3.0 / n as f64)).collect())
        .collect();
    identical(durations, preds, agents)
}

/// A random graph with two roles, some gates, a parallel cap and a resource of capacity 1.
pub fn random_constrained(seed: u64, n: usize) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut p = random_identical(seed, n, 4);
    for i in 0..n {
        p.eligible[i] = match rng.random_range(0..10) {
            0 => Arc::from([]),
            1..=3 => Arc::from([0, 1]),
            _ => Arc::from([1, 2, 3]),
        };
        if p.eligible[i].is_empty() {
            p.durations[i] = 0;
        } else if rng.random_bool(0.2) {
            p.holds[i] = vec![0];
        }
    }
    p.capacities = vec![1];
    p.max_parallel = 3;
    p
}

/// Panics with the first broken constraint of `s` as a schedule of `p`.
pub fn assert_feasible(p: &Problem, s: &Schedule) {
    let end = |i: usize| s.start[i] + p.durations[i];
    for i in 0..p.len() {
        for &d in &p.preds[i] {
            assert!(end(d) <= s.start[i], "{i} starts before {d} ends");
        }
        match s.agent[i] {
            Some(a) => assert!(p.eligible[i].contains(&a), "{i} on ineligible agent {a}"),
            None => assert!(p.eligible[i].is_empty(), "{i} has no agent"),
        }
        assert!(end(i) <= s.makespan, "{i} ends after the makespan");
    }
    for (a, seq) in s.sequences(p).iter().enumerate() {
        for w in seq.windows(2) {
            assert!(
                end(w[0]) <= s.start[w[1]],
                "agent {a} runs {} and {}",
                w[0],
                w[1]
            );
        }
    }
    // Running tasks and resource use only change at starts; check each start.
    let running = |t: u64| {
        (0..p.len()).filter(move |&i| s.agent[i].is_some() && s.start[i] <= t && t < end(i))
    };
    for i in 0..p.len() {
        let t = s.start[i];
        assert!(
            running(t).count() <= p.max_parallel,
            "over max_parallel at {t}"
        );
        for (r, &cap) in p.capacities.iter().enumerate() {
            let used = running(t).filter(|&j| p.holds[j].contains(&r)).count();
            assert!(used <= cap as usize, "resource {r} over capacity at {t}");
        }
    }
}
