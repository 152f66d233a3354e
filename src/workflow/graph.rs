//! Cycle detection over task dependencies with petgraph: when the graph is not a DAG, name one
//! cycle as a path people can read (`A -> C -> A`).

use super::model::{Gate, Task};
use petgraph::algo::tarjan_scc;
use petgraph::graphmap::DiGraphMap;
use std::collections::HashMap;

/// One cycle among the dependencies of `tasks` and the `after` lists of `gates`, if any.
pub fn dependency_cycle(tasks: &[Task], gates: &[Gate]) -> Option<Vec<String>> {
    let mut edges: HashMap<&str, Vec<&str>> = HashMap::new();
    for t in tasks {
        edges
            .entry(&t.id)
            .or_default()
            .extend(t.depends_on.iter().map(String::as_str));
    }
    for g in gates {
        edges
            .entry(&g.id)
            .or_default()
            .extend(g.after.iter().map(String::as_str));
    }
    find_cycle(&edges)
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
