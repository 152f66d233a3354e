//! How an activity list becomes a schedule: the serial scheme where nothing but agents and
//! dependencies limits work, else list scheduling with each node's place in the list as its key
//! (which honours `max_parallel` and resource capacities). Also what one such decoding costs,
//! so that the search can size its effort to the problem.

use super::list::{Schedule, list_schedule};
use super::problem::Problem;
use super::serial;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Serial,
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

/// A rough measure of the work of one schedule of `p`: nodes times the agents each may use,
/// plus dependencies.
pub fn decode_cost(p: &Problem) -> u64 {
    let placements: usize = p.eligible.iter().map(|e| e.len().max(1)).sum();
    let edges: usize = p.preds.iter().map(Vec::len).sum();
    (placements + edges) as u64
}
