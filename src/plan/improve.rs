//! The improvement search: an iterated local search over activity lists. Each step moves one
//! node to another place within its dependency window (half the time a node of the chain that
//! sets the makespan, moved earlier), decodes the list, and keeps the change unless the
//! schedule got longer; each new best is packed by forward-backward justification, and after a
//! long run without progress the search restarts from the best list with a few random moves. It
//! runs a fixed number of evaluations with a fixed-seed generator, so the same problem always
//! gives the same result.

use super::list::Schedule;
use super::problem::Problem;
use super::scheme::{Scheme, positions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// An activity list and its schedule.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub list: Vec<usize>,
    pub schedule: Schedule,
}

const SEED: u64 = 0x5eed;
/// Steps without a new best before restarting from the best.
const PATIENCE: usize = 100;
/// Random moves that kick the best list when restarting.
const KICK: usize = 4;

/// The best list found with `evaluations` schedule evaluations from `start`; never worse than
/// `start`. Each new best is also justified (two more evaluations). A problem whose
/// dependencies form a cycle has no dependency order to search: `start` comes back.
pub fn improve(p: &Problem, scheme: Scheme, start: Candidate, evaluations: usize) -> Candidate {
    let order = super::analysis::topological_order(p);
    if p.len() < 2 || evaluations == 0 || order.len() < p.len() {
        return start;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mirror = Mirror::new(p, &order);
    let mut best = start.clone();
    let mut current = start;
    let mut since_best = 0;
    let mut spent = 0;
    while spent < evaluations {
        spent += 1;
        let kicked = since_best >= PATIENCE;
        let mut list = if kicked { &best } else { &current }.list.clone();
        if kicked {
            for _ in 0..KICK {
                shift_any(p, &mut list, &mut rng);
            }
            since_best = 0;
        } else if rng.random_bool(0.5) {
            shift_critical(p, &current.schedule, &mut list, &mut rng);
        } else {
            shift_any(p, &mut list, &mut rng);
        }
        let Some(schedule) = scheme.decode(p, &list) else {
            continue;
        };
        if kicked || schedule.makespan <= current.schedule.makespan {
            current = Candidate { list, schedule };
        }
        if current.schedule.makespan < best.schedule.makespan {
            spent += 2;
            if let Some(justified) = mirror.justify(scheme, &current)
                && justified.schedule.makespan <= current.schedule.makespan
            {
                current = justified;
            }
            best = current.clone();
            since_best = 0;
        } else {
            since_best += 1;
        }
    }
    best
}

/// The problem with every dependency reversed, for scheduling backwards from the end.
struct Mirror<'a> {
    forward: &'a Problem,
    backward: Problem,
    /// Each node's place in a topological order of `forward`.
    rank: Vec<u64>,
}

impl Mirror<'_> {
    /// `order` is a topological order of `p`.
    fn new<'a>(p: &'a Problem, order: &[usize]) -> Mirror<'a> {
        let mut backward = p.clone();
        std::mem::swap(&mut backward.preds, &mut backward.succs);
        Mirror {
            forward: p,
            backward,
            rank: positions(order),
        }
    }

    /// Forward-backward improvement: schedules the nodes backwards, latest-ending first, then
    /// forwards again in the order they start in the backward schedule. Both passes pack the
    /// schedule towards one end, which often shortens it.
    fn justify(&self, scheme: Scheme, c: &Candidate) -> Option<Candidate> {
        let by_end = |s: &Schedule, p: &Problem, rank: &dyn Fn(usize) -> u64| {
            let mut list: Vec<usize> = (0..p.len()).collect();
            list.sort_by_key(|&i| {
                (
                    std::cmp::Reverse(s.start[i] + p.durations[i]),
                    std::cmp::Reverse(rank(i)),
                )
            });
            list
        };
        let n = self.rank.len() as u64;
        let backward_list = by_end(&c.schedule, self.forward, &|i| self.rank[i]);
        let backward = scheme.decode(&self.backward, &backward_list)?;
        let list = by_end(&backward, &self.backward, &|i| n - self.rank[i]);
        let schedule = scheme.decode(self.forward, &list)?;
        Some(Candidate { list, schedule })
    }
}

/// Moves a random node to a random place within its dependency window (none when the
/// dependencies leave it no place, as a cycle would).
fn shift_any(p: &Problem, list: &mut Vec<usize>, rng: &mut ChaCha8Rng) {
    let node = list[rng.random_range(0..list.len())];
    let (low, high) = window(p, list, node);
    if low <= high {
        move_node(list, node, rng.random_range(low..=high));
    }
}

/// Moves a random node of the chain that sets the makespan earlier within its window.
fn shift_critical(p: &Problem, s: &Schedule, list: &mut Vec<usize>, rng: &mut ChaCha8Rng) {
    let chain = critical_chain(p, s);
    if chain.is_empty() {
        return;
    }
    let node = chain[rng.random_range(0..chain.len())];
    let (low, _) = window(p, list, node);
    let at = positions(list)[node] as usize;
    if low < at {
        move_node(list, node, rng.random_range(low..at));
    }
}

/// The places `node` may take in `list` without passing a dependency or a dependant.
fn window(p: &Problem, list: &[usize], node: usize) -> (usize, usize) {
    let position = positions(list);
    let low = p.preds[node]
        .iter()
        .map(|&d| position[d] as usize + 1)
        .max()
        .unwrap_or(0);
    let high = p.succs[node]
        .iter()
        .map(|&s| (position[s] as usize).saturating_sub(1))
        .min()
        .unwrap_or(list.len() - 1);
    (low, high)
}

fn move_node(list: &mut Vec<usize>, node: usize, to: usize) {
    if let Some(from) = list.iter().position(|&i| i == node) {
        list.remove(from);
        list.insert(to, node);
    }
}

/// The nodes that set the makespan: from a node that ends last, back through whatever it
/// waited for (a dependency or its agent's previous node ending just as it starts).
pub fn critical_chain(p: &Problem, s: &Schedule) -> Vec<usize> {
    let end = |i: usize| s.start[i] + p.durations[i];
    let Some(mut node) = (0..p.len()).max_by_key(|&i| (end(i), std::cmp::Reverse(i))) else {
        return Vec::new();
    };
    // The node each node's agent ran just before it.
    let mut previous_on_agent = vec![None; p.len()];
    for seq in s.sequences(p) {
        for pair in seq.windows(2) {
            previous_on_agent[pair[1]] = Some(pair[0]);
        }
    }
    let mut chain = vec![node];
    // Each step goes to a node that ends no later; the bound only matters for zero durations.
    while chain.len() <= p.len() {
        let by_dependency = p.preds[node]
            .iter()
            .copied()
            .find(|&d| end(d) == s.start[node]);
        let by_agent = previous_on_agent[node].filter(|&previous| end(previous) == s.start[node]);
        let Some(next) = by_dependency.or(by_agent) else {
            break;
        };
        chain.push(next);
        node = next;
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures::identical;

    #[test]
    fn the_critical_chain_goes_back_through_dependencies_and_agents() {
        // Agent 0 runs 0 then 2; 2 also waits for 1 on agent 1, which ends earlier.
        let p = identical(vec![2, 1, 3], vec![vec![], vec![], vec![1]], 2);
        let s = Schedule {
            start: vec![0, 0, 2],
            agent: vec![Some(0), Some(1), Some(0)],
            makespan: 5,
        };
        assert_eq!(critical_chain(&p, &s), vec![2, 0]);
    }

    #[test]
    fn the_search_keeps_its_start_when_nothing_is_better() {
        let p = identical(vec![2, 2], vec![vec![], vec![0]], 2);
        let start = Candidate {
            list: vec![0, 1],
            schedule: Scheme::Serial.decode(&p, &[0, 1]).unwrap(),
        };
        let found = improve(&p, Scheme::Serial, start.clone(), 50);
        assert_eq!(found.schedule, start.schedule);
    }

    #[test]
    fn a_cycle_leaves_the_search_nothing_to_move_and_no_panic() {
        // 0 and 1 wait for each other: no node has a place between its dependencies.
        let p = identical(vec![1, 1, 1], vec![vec![1], vec![0], vec![]], 2);
        let start = Candidate {
            list: vec![0, 1, 2],
            schedule: Schedule {
                start: vec![0, 1, 0],
                agent: vec![Some(0), Some(0), Some(1)],
                makespan: 2,
            },
        };
        let found = improve(&p, Scheme::Serial, start.clone(), 500);
        assert_eq!(found.schedule, start.schedule);
        assert!(crate::plan::best_plan(&p).is_none(), "a cycle has no plan");
    }
}
