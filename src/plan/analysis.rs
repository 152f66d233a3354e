//! Static facts of a plan that need no schedule: a topological order, the parallel waves (nodes
//! grouped by dependency depth), each node's bottom level (the longest path from it to the end),
//! the critical path and the sequential sum of all estimates.

use super::problem::Problem;
use std::collections::VecDeque;

/// Nodes in dependency order (Kahn's algorithm; ties by index, so the order is stable).
pub fn topological_order(p: &Problem) -> Vec<usize> {
    let mut indegree: Vec<usize> = p.preds.iter().map(Vec::len).collect();
    let mut queue: VecDeque<usize> = (0..p.len()).filter(|&i| indegree[i] == 0).collect();
    let mut order = Vec::with_capacity(p.len());
    while let Some(i) = queue.pop_front() {
        order.push(i);
        for &s in &p.succs[i] {
            indegree[s] -= 1;
            if indegree[s] == 0 {
                queue.push_back(s);
            }
        }
    }
    order
}

/// Each node's wave: 0 for nodes with no dependencies, else one more than its deepest dependency.
pub fn depths(p: &Problem, order: &[usize]) -> Vec<usize> {
    let mut depth = vec![0; p.len()];
    for &i in order {
        depth[i] = p.preds[i].iter().map(|&d| depth[d] + 1).max().unwrap_or(0);
    }
    depth
}

/// The waves: nodes that could run side by side, in dependency order.
pub fn waves(p: &Problem) -> Vec<Vec<usize>> {
    let order = topological_order(p);
    let depth = depths(p, &order);
    let mut waves: Vec<Vec<usize>> = vec![Vec::new(); depth.iter().max().map_or(0, |d| d + 1)];
    for i in 0..p.len() {
        waves[depth[i]].push(i);
    }
    waves
}

/// The longest duration path from each node to the end, the node included.
pub fn bottom_levels(p: &Problem, order: &[usize]) -> Vec<u64> {
    let mut level = vec![0; p.len()];
    for &i in order.iter().rev() {
        level[i] = p.durations[i] + p.succs[i].iter().map(|&s| level[s]).max().unwrap_or(0);
    }
    level
}

/// The longest path from the start to each node, the node excluded (its earliest start).
pub fn top_levels(p: &Problem, order: &[usize]) -> Vec<u64> {
    let mut level = vec![0; p.len()];
    for &i in order {
        level[i] = p.preds[i]
            .iter()
            .map(|&d| level[d] + p.durations[d])
            .max()
            .unwrap_or(0);
    }
    level
}

/// The critical path (node indices, first to last) and its length.
pub fn critical_path(p: &Problem) -> (Vec<usize>, u64) {
    let order = topological_order(p);
    let bottom = bottom_levels(p, &order);
    let Some(mut node) = (0..p.len())
        .filter(|&i| p.preds[i].is_empty())
        .max_by_key(|&i| (bottom[i], std::cmp::Reverse(i)))
    else {
        return (Vec::new(), 0);
    };
    let length = bottom[node];
    let mut path = vec![node];
    while let Some(&next) = p.succs[node]
        .iter()
        .filter(|&&s| bottom[s] + p.durations[node] == bottom[node])
        .min()
    {
        path.push(next);
        node = next;
    }
    (path, length)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fixtures::chain_problem;

    #[test]
    fn critical_path_of_the_analytics_shape() {
        let p = chain_problem();
        let (path, length) = critical_path(&p);
        assert_eq!(path, vec![0, 3, 4]);
        assert_eq!(length, 11);
        assert_eq!(waves(&p), vec![vec![0, 1, 2], vec![3], vec![4]]);
    }
}
