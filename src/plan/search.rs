//! Finding a good plan: several priority rules are tried by list scheduling on estimates and,
//! where only agents and dependencies limit the work, by the serial scheme; the shortest
//! schedule is then improved by a local search over activity lists. The effort is a fixed
//! number of schedule evaluations that shrinks as the problem grows (a graph of 100,000 nodes
//! gets one or two), so planning is deterministic and stays fast. The live scheduler follows the
//! winning plan while durations hold.

use super::improve::{Candidate, improve};
use super::list::{Schedule, list_schedule};
use super::problem::Problem;
use super::rules::{Levels, Rule, activity_list};
use super::scheme::{Scheme, decode_cost, positions};

/// The plan a run follows: a priority key per node (lower first: the planned start order) and
/// the schedule it gives.
#[derive(Debug, Clone)]
pub struct Plan {
    pub key: Vec<u64>,
    pub schedule: Schedule,
}

/// The work the search may spend on one plan, in units of `decode_cost`.
const WORK: u64 = 4_000_000;
/// The most schedule evaluations one plan gets, however small the problem.
const MAX_EVALUATIONS: u64 = 4_000;

/// The best plan found for `p`, or `None` when some node can never run.
pub fn best_plan(p: &Problem) -> Option<Plan> {
    // Dependencies in a cycle: no task of the cycle can ever start.
    if super::analysis::topological_order(p).len() < p.len() {
        return None;
    }
    let levels = Levels::new(p);
    let scheme = Scheme::for_problem(p);
    let budget = (WORK / decode_cost(p).max(1)).min(MAX_EVALUATIONS) as usize;
    let mut best = list_schedule(p, &Rule::BottomLevel.keys(p, &levels))?;
    let mut evaluations = budget.saturating_sub(1);
    for rule in Rule::ALL {
        if evaluations == 0 {
            break;
        }
        let key = rule.keys(p, &levels);
        if rule != Rule::BottomLevel {
            evaluations -= 1;
            keep_shorter(&mut best, list_schedule(p, &key));
        }
        if scheme == Scheme::Serial && evaluations > 0 {
            evaluations -= 1;
            keep_shorter(&mut best, scheme.decode(p, &activity_list(p, &key)));
        }
    }
    let start = Candidate {
        list: start_order(&best, &levels),
        schedule: best,
    };
    let found = improve(p, scheme, start, evaluations).schedule;
    Some(Plan {
        key: positions(&start_order(&found, &levels)),
        schedule: found,
    })
}

fn keep_shorter(best: &mut Schedule, other: Option<Schedule>) {
    if let Some(s) = other.filter(|s| s.makespan < best.makespan) {
        *best = s;
    }
}

/// The nodes by planned start (ties in dependency order): an activity list of the schedule.
fn start_order(s: &Schedule, levels: &Levels) -> Vec<usize> {
    let topological = positions(&levels.order);
    let mut list = levels.order.clone();
    list.sort_by_key(|&i| (s.start[i], topological[i]));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures::{assert_feasible, identical, random_constrained, random_identical};

    fn critical_path_rule(p: &Problem) -> u64 {
        let key = Rule::BottomLevel.keys(p, &Levels::new(p));
        list_schedule(p, &key).map_or(u64::MAX, |s| s.makespan)
    }

    #[test]
    fn plans_are_feasible_and_never_worse_than_the_critical_path_rule() {
        for seed in 0..12 {
            for p in [random_identical(seed, 30, 3), random_constrained(seed, 30)] {
                let plan = best_plan(&p).unwrap();
                assert_feasible(&p, &plan.schedule);
                assert!(
                    plan.schedule.makespan <= critical_path_rule(&p),
                    "seed {seed}"
                );
            }
        }
    }

    #[test]
    fn the_search_beats_the_critical_path_rule_where_it_is_known_to_fail() {
        // Critical-path list scheduling starts the chain 2 -> 3 and task 0 at once and leaves
        // the short task 4 for the end (8); running 4 first, then 3, while the other agent
        // does 2, 0 and 1 takes 7.
        let p = identical(
            vec![3, 3, 1, 5, 2],
            vec![vec![], vec![], vec![], vec![2], vec![]],
            2,
        );
        assert_eq!(critical_path_rule(&p), 8);
        let plan = best_plan(&p).unwrap();
        assert_eq!(plan.schedule.makespan, 7);
    }

    #[test]
    fn the_same_problem_gives_the_same_plan() {
        let p = random_identical(7, 60, 4);
        let (a, b) = (best_plan(&p).unwrap(), best_plan(&p).unwrap());
        assert_eq!(a.schedule, b.schedule);
        assert_eq!(a.key, b.key);
    }

    #[test]
    fn the_key_follows_the_planned_starts() {
        let p = random_constrained(3, 40);
        let plan = best_plan(&p).unwrap();
        let mut by_key: Vec<usize> = (0..p.len()).collect();
        by_key.sort_by_key(|&i| plan.key[i]);
        assert!(
            by_key
                .windows(2)
                .all(|w| plan.schedule.start[w[0]] <= plan.schedule.start[w[1]])
        );
    }

    #[test]
    fn a_node_no_agent_can_run_has_no_plan() {
        let mut p = random_identical(1, 5, 2);
        p.eligible[3] = std::sync::Arc::from([]);
        p.durations[3] = 0;
        assert!(best_plan(&p).is_some(), "a gate needs no agent");
        p.holds[2] = vec![0];
        p.capacities = vec![0];
        assert!(best_plan(&p).is_none());
    }
}
