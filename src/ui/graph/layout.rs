//! Lays the dependency graph out in layers, left to right: a node's layer is its dependency
//! depth, edges that skip layers pass through placeholder slots, and nodes within a layer are
//! ordered by the barycenter of their neighbours (a few sweeps down and up) to keep crossings
//! few. Edges are routed as box-drawing strokes into a sparse per-row cell map. The layout is
//! computed once per change of plan, never per frame; drawing only reads the visible window.

use std::collections::BTreeMap;

pub const NODE_W: u32 = 24;
pub const NODE_H: u32 = 3;
const GAP_X: u32 = 6;
const SLOT_H: u32 = NODE_H + 1;
const SWEEPS: usize = 4;
/// Placeholder slots for edges that skip layers, at most. The shortest such edges are routed in
/// full; longer ones beyond this budget are drawn as stubs (⇢) at both ends, so a graph of
/// thousands of tasks still lays out in well under a second.
const MAX_PASS_SLOTS: usize = 20_000;

pub const UP: u8 = 1;
pub const DOWN: u8 = 2;
pub const LEFT: u8 = 4;
pub const RIGHT: u8 = 8;

/// One cell of an edge stroke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EdgeCell {
    pub mask: u8,
    pub critical: bool,
    pub arrow: bool,
    /// The end of an edge too long to route: it continues far away (see the task's details).
    pub far: bool,
}

#[derive(Debug, Clone, Default)]
pub struct GraphLayout {
    /// Top-left corner of each node's box.
    pub position: Vec<(u32, u32)>,
    /// Real nodes per layer, top to bottom.
    pub layers: Vec<Vec<usize>>,
    pub layer_of: Vec<usize>,
    /// Edge strokes by row, then column.
    pub rows: Vec<BTreeMap<u32, EdgeCell>>,
    pub width: u32,
    pub height: u32,
}

/// Input to the layout: for each node its dependencies, and which nodes and edges are on the
/// critical path.
pub struct GraphInput<'a> {
    pub deps: &'a [Vec<usize>],
    pub critical: &'a [bool],
}

/// A real edge as a path of (layer, slot) steps between adjacent layers.
struct Chain {
    from: usize,
    to: usize,
    path: Vec<(usize, usize)>,
}

#[derive(Clone, Copy)]
enum Slot {
    Node(usize),
    /// A placeholder for an edge passing through this layer.
    Pass,
}

impl GraphLayout {
    pub fn new(input: &GraphInput) -> GraphLayout {
        GraphLayout::with_pass_budget(input, MAX_PASS_SLOTS)
    }

    /// The layout with at most `budget` placeholder slots for edges that skip layers.
    fn with_pass_budget(input: &GraphInput, budget: usize) -> GraphLayout {
        let n = input.deps.len();
        let layer_of = depths(input.deps);
        let layer_count = layer_of.iter().max().map_or(0, |m| m + 1);
        let mut slots: Vec<Vec<Slot>> = vec![Vec::new(); layer_count];
        let mut slot_of = vec![0; n];
        for (i, &l) in layer_of.iter().enumerate() {
            slot_of[i] = slots[l].len();
            slots[l].push(Slot::Node(i));
        }
        // Every edge as a path of slots between adjacent layers, shortest edges first while the
        // placeholder budget lasts.
        let mut edges: Vec<(usize, usize)> = input
            .deps
            .iter()
            .enumerate()
            .flat_map(|(to, deps)| deps.iter().map(move |&from| (from, to)))
            .collect();
        edges.sort_by_key(|&(from, to)| (layer_of[to] - layer_of[from], to, from));
        let mut budget = budget;
        let mut chains: Vec<Chain> = Vec::new();
        let mut stubs: Vec<(usize, usize)> = Vec::new();
        for (from, to) in edges {
            let passes = layer_of[to] - layer_of[from] - 1;
            if passes > budget {
                stubs.push((from, to));
                continue;
            }
            budget -= passes;
            let mut path = vec![(layer_of[from], slot_of[from])];
            let passed = slots
                .iter_mut()
                .enumerate()
                .take(layer_of[to])
                .skip(layer_of[from] + 1);
            for (l, layer) in passed {
                layer.push(Slot::Pass);
                path.push((l, layer.len() - 1));
            }
            path.push((layer_of[to], slot_of[to]));
            chains.push(Chain { from, to, path });
        }
        let order = order_layers(&slots, &chains);
        let row_of = |layer: usize, slot: usize| order[layer][slot] as u32;
        let mut layout = GraphLayout {
            position: vec![(0, 0); n],
            layers: vec![Vec::new(); layer_count],
            layer_of: layer_of.clone(),
            rows: Vec::new(),
            width: layer_count as u32 * (NODE_W + GAP_X),
            height: 0,
        };
        let mut by_row: Vec<Vec<(u32, usize)>> = vec![Vec::new(); layer_count];
        for (l, layer) in slots.iter().enumerate() {
            for (s, slot) in layer.iter().enumerate() {
                let y = row_of(l, s) * SLOT_H;
                layout.height = layout.height.max(y + SLOT_H);
                if let Slot::Node(i) = slot {
                    layout.position[*i] = (layer_x(l), y);
                    by_row[l].push((y, *i));
                }
            }
        }
        for (l, mut row) in by_row.into_iter().enumerate() {
            row.sort_unstable();
            layout.layers[l] = row.into_iter().map(|(_, i)| i).collect();
        }
        layout.rows = vec![BTreeMap::new(); layout.height as usize + 1];
        for Chain { from, to, path } in &chains {
            let critical = input.critical[*from] && input.critical[*to];
            for pair in path.windows(2) {
                let (l1, s1) = pair[0];
                let (l2, s2) = pair[1];
                let y1 = row_of(l1, s1) * SLOT_H + 1;
                let y2 = row_of(l2, s2) * SLOT_H + 1;
                let start = layer_x(l1) + NODE_W;
                let channel = start + GAP_X / 2;
                let end = layer_x(l2) - 1;
                layout.stroke_h(y1, start, channel, critical);
                layout.stroke_v(channel, y1, y2, critical);
                layout.stroke_h(y2, channel, end, critical);
                if matches!(slots[l1][s1], Slot::Pass) {
                    // The edge runs straight through the placeholder slot.
                    layout.stroke_h(y1, layer_x(l1) - 1, start, critical);
                }
                if matches!(slots[l2][s2], Slot::Node(_)) {
                    let cell = layout.rows[y2 as usize].entry(end).or_default();
                    cell.arrow = true;
                }
            }
        }
        for (from, to) in stubs {
            let (fx, fy) = layout.position[from];
            let (tx, ty) = layout.position[to];
            layout.rows[(fy + 1) as usize]
                .entry(fx + NODE_W)
                .or_default()
                .far = true;
            let cell = layout.rows[(ty + 1) as usize].entry(tx - 1).or_default();
            cell.far = true;
            cell.arrow = true;
        }
        layout
    }

    fn mark(&mut self, x: u32, y: u32, mask: u8, critical: bool) {
        let cell = self.rows[y as usize].entry(x).or_default();
        cell.mask |= mask;
        cell.critical |= critical;
    }

    fn stroke_h(&mut self, y: u32, x1: u32, x2: u32, critical: bool) {
        let (a, b) = (x1.min(x2), x1.max(x2));
        for x in a..=b {
            let mut mask = 0;
            if x > a {
                mask |= LEFT;
            }
            if x < b {
                mask |= RIGHT;
            }
            if a == b {
                mask = LEFT | RIGHT;
            }
            self.mark(x, y, mask, critical);
        }
    }

    fn stroke_v(&mut self, x: u32, y1: u32, y2: u32, critical: bool) {
        let (a, b) = (y1.min(y2), y1.max(y2));
        for y in a..=b {
            let mut mask = 0;
            if y > a {
                mask |= UP;
            }
            if y < b {
                mask |= DOWN;
            }
            if a != b {
                self.mark(x, y, mask, critical);
            }
        }
    }

    /// The node whose box covers canvas cell (x, y), if any.
    pub fn node_at(&self, x: u32, y: u32) -> Option<usize> {
        self.position
            .iter()
            .position(|&(nx, ny)| x >= nx && x < nx + NODE_W && y >= ny && y < ny + NODE_H)
    }
}

fn layer_x(layer: usize) -> u32 {
    layer as u32 * (NODE_W + GAP_X) + 1
}

/// Dependency depth of every node (0 for nodes without dependencies).
fn depths(deps: &[Vec<usize>]) -> Vec<usize> {
    let n = deps.len();
    let mut depth = vec![0usize; n];
    let mut indegree: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependants: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, ds) in deps.iter().enumerate() {
        for &d in ds {
            dependants[d].push(i);
        }
    }
    let mut queue: Vec<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    while let Some(i) = queue.pop() {
        for &s in &dependants[i] {
            depth[s] = depth[s].max(depth[i] + 1);
            indegree[s] -= 1;
            if indegree[s] == 0 {
                queue.push(s);
            }
        }
    }
    depth
}

/// The row of each slot in each layer, after barycenter sweeps.
fn order_layers(slots: &[Vec<Slot>], chains: &[Chain]) -> Vec<Vec<usize>> {
    let layers = slots.len();
    // Neighbours of each slot in the layer before and after.
    let mut up: Vec<Vec<Vec<usize>>> = slots.iter().map(|l| vec![Vec::new(); l.len()]).collect();
    let mut down = up.clone();
    for Chain { path, .. } in chains {
        for pair in path.windows(2) {
            let ((l1, s1), (l2, s2)) = (pair[0], pair[1]);
            down[l1][s1].push(s2);
            up[l2][s2].push(s1);
        }
    }
    let mut row: Vec<Vec<usize>> = slots.iter().map(|l| (0..l.len()).collect()).collect();
    for sweep in 0..SWEEPS {
        let downward = sweep % 2 == 0;
        let range: Vec<usize> = if downward {
            (1..layers).collect()
        } else {
            (0..layers.saturating_sub(1)).rev().collect()
        };
        for l in range {
            let (neighbours, other) = if downward {
                (&up[l], l - 1)
            } else {
                (&down[l], l + 1)
            };
            let mut keyed: Vec<(f64, usize)> = (0..slots[l].len())
                .map(|s| {
                    let ns = &neighbours[s];
                    let key = if ns.is_empty() {
                        row[l][s] as f64
                    } else {
                        ns.iter().map(|&o| row[other][o] as f64).sum::<f64>() / ns.len() as f64
                    };
                    (key, s)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(row[l][a.1].cmp(&row[l][b.1])));
            for (r, &(_, s)) in keyed.iter().enumerate() {
                row[l][s] = r;
            }
        }
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_follow_dependency_depth_and_long_edges_route_through() {
        // A, B, D; C after A and B; I after all four.
        let deps = vec![vec![], vec![], vec![], vec![0, 1], vec![0, 1, 2, 3]];
        let critical = vec![true, false, false, true, true];
        let g = GraphLayout::new(&GraphInput {
            deps: &deps,
            critical: &critical,
        });
        assert_eq!(g.layer_of, vec![0, 0, 0, 1, 2]);
        assert_eq!(g.layers[0].len(), 3);
        assert_eq!(g.layers[2], vec![4]);
        // Every edge ends in an arrow just left of its target.
        let (cx, cy) = g.position[3];
        assert!(
            g.rows[(cy + 1) as usize]
                .get(&(cx - 1))
                .is_some_and(|c| c.arrow)
        );
        // The critical stroke A -> C is marked.
        assert!(g.rows.iter().flat_map(|r| r.values()).any(|c| c.critical));
        // Nodes never overlap.
        for i in 0..5 {
            for j in 0..i {
                assert_ne!(g.position[i], g.position[j]);
            }
        }
        assert_eq!(g.node_at(g.position[4].0 + 2, g.position[4].1 + 1), Some(4));
    }

    #[test]
    fn edges_past_the_budget_become_stubs_at_both_ends() {
        // A chain 0 -> 1 -> 2 -> 3, and 0 -> 3 skipping two layers.
        let deps = vec![vec![], vec![0], vec![1], vec![2, 0]];
        let critical = vec![false; 4];
        let input = GraphInput {
            deps: &deps,
            critical: &critical,
        };
        let routed = GraphLayout::with_pass_budget(&input, 2);
        let stubbed = GraphLayout::with_pass_budget(&input, 1);
        let far = |g: &GraphLayout| {
            g.rows
                .iter()
                .flat_map(|r| r.values())
                .filter(|c| c.far)
                .count()
        };
        assert_eq!(far(&routed), 0);
        assert_eq!(
            far(&stubbed),
            2,
            "one stub where the edge leaves, one where it arrives"
        );
        let (x, y) = stubbed.position[3];
        assert!(stubbed.rows[(y + 1) as usize][&(x - 1)].arrow);
    }
}
