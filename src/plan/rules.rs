//! Priority rules: ways to rank tasks before scheduling them (longest path to the end first,
//! longest path through the task, most successors, longest task, earliest possible start). Each
//! rule gives every node a key, lower first; the activity list of a key is the dependency order
//! that always takes the available node of lowest key, the form the serial scheme and the
//! improvement search work on.

use super::analysis::{bottom_levels, top_levels, topological_order};
use super::problem::Problem;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The static facts the rules rank by.
#[derive(Debug, Clone)]
pub struct Levels {
    /// A topological order of the nodes.
    pub order: Vec<usize>,
    /// Longest path from each node to the end, the node included.
    pub bottom: Vec<u64>,
    /// Longest path from the start to each node, the node excluded.
    pub top: Vec<u64>,
}

impl Levels {
    pub fn new(p: &Problem) -> Levels {
        let order = topological_order(p);
        let bottom = bottom_levels(p, &order);
        let top = top_levels(p, &order);
        Levels { order, bottom, top }
    }
}

/// A priority rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Longest path to the end first (critical-path list scheduling).
    BottomLevel,
    /// Longest path through the node first, then longest path to the end.
    PathLength,
    /// Most direct successors first, then longest path to the end.
    MostSuccessors,
    /// Longest path to the end first, then most direct successors.
    BottomLevelThenSuccessors,
    /// Longest task first, then longest path to the end.
    LongestTask,
    /// Earliest possible start first, then longest path to the end.
    EarliestStart,
}

impl Rule {
    /// Every rule, the plain critical-path rule first.
    pub const ALL: [Rule; 6] = [
        Rule::BottomLevel,
        Rule::PathLength,
        Rule::MostSuccessors,
        Rule::BottomLevelThenSuccessors,
        Rule::LongestTask,
        Rule::EarliestStart,
    ];

    /// The rule's key for every node: lower goes first.
    pub fn keys(self, p: &Problem, levels: &Levels) -> Vec<u64> {
        let (bottom, top) = (&levels.bottom, &levels.top);
        let succs = |i: usize| p.succs[i].len() as u64;
        match self {
            Rule::BottomLevel => bottom.iter().map(|b| u64::MAX - b).collect(),
            Rule::PathLength => ranks(p.len(), |i| {
                (Reverse(bottom[i] + top[i]), Reverse(bottom[i]))
            }),
            Rule::MostSuccessors => ranks(p.len(), |i| (Reverse(succs(i)), Reverse(bottom[i]))),
            Rule::BottomLevelThenSuccessors => {
                ranks(p.len(), |i| (Reverse(bottom[i]), Reverse(succs(i))))
            }
            Rule::LongestTask => ranks(p.len(), |i| (Reverse(p.durations[i]), Reverse(bottom[i]))),
            Rule::EarliestStart => ranks(p.len(), |i| (top[i], Reverse(bottom[i]))),
        }
    }
}

/// Each node's rank when sorted by `by` (ties by index).
fn ranks<K: Ord>(n: usize, by: impl Fn(usize) -> K) -> Vec<u64> {
    let mut nodes: Vec<usize> = (0..n).collect();
    nodes.sort_by_key(|&i| (by(i), i));
    let mut rank = vec![0; n];
    for (r, &i) in nodes.iter().enumerate() {
        rank[i] = r as u64;
    }
    rank
}

/// The dependency order that always takes the available node of lowest (priority class, key,
/// index). Nodes on a cycle are left out.
pub fn activity_list(p: &Problem, key: &[u64]) -> Vec<usize> {
    let mut waiting: Vec<usize> = p.preds.iter().map(Vec::len).collect();
    let entry = |i: usize| Reverse((Reverse(p.priority[i]), key[i], i));
    let mut available: BinaryHeap<_> = (0..p.len())
        .filter(|&i| waiting[i] == 0)
        .map(entry)
        .collect();
    let mut list = Vec::with_capacity(p.len());
    while let Some(Reverse((_, _, i))) = available.pop() {
        list.push(i);
        for &s in &p.succs[i] {
            waiting[s] -= 1;
            if waiting[s] == 0 {
                available.push(entry(s));
            }
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures::chain_problem;

    #[test]
    fn every_rule_ranks_every_node_once() {
        let p = chain_problem();
        let levels = Levels::new(&p);
        for rule in Rule::ALL.into_iter().skip(1) {
            let mut keys = rule.keys(&p, &levels);
            keys.sort();
            assert_eq!(keys, vec![0, 1, 2, 3, 4], "{rule:?}");
        }
    }

    #[test]
    fn the_activity_list_keeps_dependencies_and_follows_the_key() {
        let p = chain_problem();
        // Lowest key is node 4 (I), but it depends on everything, so it comes last.
        let list = activity_list(&p, &[3, 1, 2, 5, 0]);
        assert_eq!(list, vec![1, 2, 0, 3, 4]);
    }

    #[test]
    fn the_path_rule_puts_the_critical_chain_first() {
        let p = chain_problem();
        let keys = Rule::PathLength.keys(&p, &Levels::new(&p));
        // A (4) -> C (5) -> I (2) is the longest path: A, C, I share length 11, ranked by
        // bottom level.
        assert_eq!(&keys[..], &[0, 3, 4, 1, 2]);
    }
}
