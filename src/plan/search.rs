//! Finding a good plan: several priority rules are tried by list scheduling on estimates and the
//! shortest schedule wins. The live scheduler follows the winning plan while durations hold.

use super::analysis::{bottom_levels, topological_order};
use super::list::{Schedule, list_schedule};
use super::problem::Problem;

/// The plan a run follows: a priority key per node (lower first) and the schedule it gives.
#[derive(Debug, Clone)]
pub struct Plan {
    pub key: Vec<u64>,
    pub schedule: Schedule,
}

/// The best plan found for `p`, or `None` when some node can never run.
pub fn best_plan(p: &Problem) -> Option<Plan> {
    let order = topological_order(p);
    let bottom = bottom_levels(p, &order);
    let key: Vec<u64> = bottom.iter().map(|b| u64::MAX - b).collect();
    let schedule = list_schedule(p, &key)?;
    Some(Plan { key, schedule })
}
