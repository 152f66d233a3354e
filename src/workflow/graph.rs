//! Cycle detection over task dependencies: a depth-first search over indices answers whether
//! there is a cycle in time linear in the graph; only when there is one, petgraph finds it and
//! names it as a path people can read (`A -> C -> A`).

use super::model::{Gate, Task};
use petgraph::algo::tarjan_scc;
use petgraph::graphmap::DiGraphMap;
use std::collections::HashMap;

/// One cycle among the dependencies of `tasks` and the `after` lists of `gates`, if any.
pub fn dependency_cycle(tasks: &[Task], gates: &[Gate]) -> Option<Vec<String>> {
    let nodes: Vec<(&str, &[String])> = tasks
        .iter()
        .map(|t| (t.id.as_str(), t.depends_on.as_slice()))
        .chain(gates.iter().map(|g| (g.id.as_str(), g.after.as_slice())))
        .collect();
    if acyclic(&nodes) {
        return None;
    }
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, deps) in nodes {
        edges
            .entry(id)
            .or_default()
            .extend(deps.iter().map(String::as_str));
    }
    find_cycle(&edges)
}

/// Whether the graph of `(id, dependencies)` has no cycle. An id given twice is one node with
/// the dependencies of both; a dependency on no node's id leads nowhere.
fn acyclic(nodes: &[(&str, &[String])]) -> bool {
    let mut index: HashMap<&str, usize, foldhash::fast::RandomState> =
        HashMap::with_capacity_and_hasher(nodes.len(), Default::default());
    let of: Vec<usize> = nodes
        .iter()
        .map(|&(id, _)| {
            let next = index.len();
            *index.entry(id).or_insert(next)
        })
        .collect();
    // Each node's dependencies as one flat list: node `v`'s are `targets[first[v]..first[v + 1]]`.
    let mut first = vec![0; index.len() + 1];
    for (&v, (_, deps)) in of.iter().zip(nodes) {
        first[v + 1] += deps.len();
    }
    for v in 0..index.len() {
        first[v + 1] += first[v];
    }
    let mut filled = first.clone();
    let mut targets = vec![usize::MAX; first[index.len()]];
    for (&v, (_, deps)) in of.iter().zip(nodes) {
        for d in deps.iter() {
            targets[filled[v]] = index.get(d.as_str()).copied().unwrap_or(usize::MAX);
            filled[v] += 1;
        }
    }
    // Depth first: a dependency still on the path is a cycle.
    const NEW: u8 = 0;
    const ON_PATH: u8 = 1;
    const DONE: u8 = 2;
    let mut mark = vec![NEW; index.len()];
    let mut path: Vec<(usize, usize)> = Vec::new();
    for root in 0..index.len() {
        if mark[root] != NEW {
            continue;
        }
        mark[root] = ON_PATH;
        path.push((root, first[root]));
        while let Some((v, next)) = path.last_mut() {
            if *next == first[*v + 1] {
                mark[*v] = DONE;
                path.pop();
                continue;
            }
            let d = targets[*next];
            *next += 1;
            match mark.get(d) {
                Some(&NEW) => {
                    mark[d] = ON_PATH;
                    path.push((d, first[d]));
                }
                Some(&ON_PATH) => return false,
                _ => {}
            }
        }
    }
    true
}

/// One dependency cycle, as the ids along it with the first repeated at the end, or `None` when
/// the graph is acyclic. `edges` maps each id to the ids it depends on.
pub fn find_cycle(edges: &HashMap<&str, Vec<&str>>) -> Option<Vec<String>> {
    let mut graph: DiGraphMap<&str, ()> = DiGraphMap::new();
    let mut nodes: Vec<&str> = edges.keys().copied().collect();
    nodes.sort_unstable();
    for &n in &nodes {
        graph.add_node(n);
        let mut deps = edges[n].clone();
        deps.sort_unstable();
        for d in deps {
            graph.add_edge(n, d, ());
        }
    }
    let component = tarjan_scc(&graph)
        .into_iter()
        .filter(|c| c.len() > 1 || graph.contains_edge(c[0], c[0]))
        .min_by_key(|c| c.iter().min().copied())?;
    let start = *component.iter().min()?;
    // Walk inside the component from `start` until we come back to it (depth-first, in sorted
    // order, so the cycle named is always the same).
    let mut path = vec![start];
    let mut visited = vec![start];
    if walk_back(&graph, &component, start, &mut path, &mut visited) {
        // Edges point from a task to its dependency; show the flow of work instead.
        path.reverse();
        return Some(path.into_iter().map(String::from).collect());
    }
    None
}

fn walk_back<'a>(
    graph: &DiGraphMap<&'a str, ()>,
    component: &[&'a str],
    start: &'a str,
    path: &mut Vec<&'a str>,
    visited: &mut Vec<&'a str>,
) -> bool {
    let Some(&current) = path.last() else {
        return false;
    };
    let mut next: Vec<&str> = graph
        .neighbors(current)
        .filter(|n| component.contains(n))
        .collect();
    next.sort_unstable();
    for n in next {
        if n == start {
            path.push(n);
            return true;
        }
        if !visited.contains(&n) {
            visited.push(n);
            path.push(n);
            if walk_back(graph, component, start, path, visited) {
                return true;
            }
            path.pop();
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node<'a>(id: &'a str, deps: &'a [String]) -> (&'a str, &'a [String]) {
        (id, deps)
    }

    #[test]
    fn the_linear_check_finds_every_cycle_and_only_cycles() {
        let s = |ids: &[&str]| ids.iter().map(|i| i.to_string()).collect::<Vec<_>>();
        let (a_on_b, b_on_c, c_on_a) = (s(&["B"]), s(&["C"]), s(&["A"]));
        let (none, unknown, itself) = (s(&[]), s(&["nowhere"]), s(&["A"]));
        assert!(acyclic(&[
            node("A", &a_on_b),
            node("B", &b_on_c),
            node("C", &none)
        ]));
        assert!(!acyclic(&[
            node("A", &a_on_b),
            node("B", &b_on_c),
            node("C", &c_on_a)
        ]));
        assert!(
            !acyclic(&[node("A", &itself)]),
            "a task depending on itself"
        );
        assert!(
            acyclic(&[node("A", &unknown)]),
            "an unknown id leads nowhere"
        );
        // An id given twice is one node with both lists: C -> A, A -> C.
        assert!(!acyclic(&[
            node("A", &none),
            node("C", &c_on_a),
            node("A", &b_on_c)
        ]));
    }

    #[test]
    fn names_a_cycle_in_dependency_order() {
        // C depends on A, A depends on C.
        let edges = HashMap::from([("A", vec!["C"]), ("C", vec!["A"]), ("B", vec![])]);
        assert_eq!(find_cycle(&edges).unwrap(), vec!["A", "C", "A"]);
    }

    #[test]
    fn acyclic_graph_has_no_cycle() {
        let edges = HashMap::from([("A", vec![]), ("C", vec!["A", "B"]), ("B", vec![])]);
        assert_eq!(find_cycle(&edges), None);
    }

    #[test]
    fn longer_cycle_is_named_whole() {
        let edges = HashMap::from([("A", vec!["B"]), ("B", vec!["C"]), ("C", vec!["A"])]);
        let cycle = find_cycle(&edges).unwrap();
        assert_eq!(cycle.len(), 4);
        assert_eq!(cycle.first(), cycle.last());
    }
}
