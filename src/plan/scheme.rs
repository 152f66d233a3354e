//! How an activity list becomes a schedule: the serial scheme where nothing but agents and
//! dependencies limits work, else list scheduling with each node's place in the list as its key
//! (which honours `max_parallel` and resource capacities). Also what one such decoding costs,
//! so that the search can size its effort to the problem.

use super::list::{Schedule, list_schedule};
use super::problem::Problem;
use super::serial;

/// A schedule-generation scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Each node at its earliest start on any eligible agent, filling gaps.
    Serial,
    /// List scheduling: whenever an agent is free, the ready node that comes first.
    List,
}

impl Scheme {
    /// The scheme that fits `p`.
    pub fn for_problem(p: &Problem) -> Scheme {
        if serial::applies_to(p) {
            Scheme::Serial
        } else {
            Scheme::List
        }
    }

    /// The schedule of an activity list (a dependency order of all nodes), or `None` when some
    /// node can never run.
    pub fn decode(self, p: &Problem, list: &[usize]) -> Option<Schedule> {
        match self {
            Scheme::Serial => serial::serial_schedule(p, list),
            Scheme::List => list_schedule(p, &positions(list)),
        }
    }
}

/// Each node's place in `list`.
pub fn positions(list: &[usize]) -> Vec<u64> {
    let mut position = vec![0; list.len()];
    for (k, &i) in list.iter().enumerate() {
        position[i] = k as u64;
    }
    position
}

/// A rough measure of the work of one evaluation in the search: a placement per node and
/// agent it may use, a look at each dependency, and the sorting the search does per step.
pub fn decode_cost(p: &Problem) -> u64 {
    let n = p.len() as u64;
    let placements: u64 = p.eligible.iter().map(|e| e.len().max(1) as u64).sum();
    let edges: u64 = p.preds.iter().map(|d| d.len() as u64).sum();
    placements + edges + n * u64::from(n.max(1).ilog2())
}
