//! The lane layout of the dependency graph: one task per row in topological order (a task's
//! dependencies always above it), with its dependencies drawn as lanes on the left, as
//! `git log --graph` draws history. Each task that has dependants opens a lane below its row;
//! the lane runs down until its last dependant's row, and every dependant's row joins it
//! horizontally. Rows are exactly one line each, so row i of the view is task i of the order,
//! whatever the shape of the graph. Critical edges are drawn in heavy lines. Like the layered
//! layout it is computed once per change of plan; a frame only reads the visible rows.

/// One cell of the lane area of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LaneCell {
    pub glyph: char,
    /// On a critical edge: drawn heavy, in the critical style.
    pub critical: bool,
}

/// Where the row's own task sits among its cells: drawn as its status symbol.
pub const NODE: char = '●';

#[derive(Debug, Clone, Default)]
pub struct LaneLayout {
    /// The task on each row.
    pub order: Vec<usize>,
    /// Each task's row.
    pub row_of: Vec<usize>,
    /// The lane cells of each row, left to right (two columns a lane).
    pub cells: Vec<Vec<LaneCell>>,
    /// The widest row's lane cells.
    pub width: usize,
}

impl LaneLayout {
    /// The layout of a graph given each node's dependencies and each critical edge as
    /// `critical_next[from] == Some(to)`. Dependencies that point nowhere or form a cycle are
    /// ignored (the plan is checked elsewhere; the view must still draw).
    pub fn new(deps: &[Vec<usize>], critical_next: &[Option<usize>]) -> LaneLayout {
        let n = deps.len();
        let deps: Vec<Vec<usize>> = deps
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let mut d: Vec<usize> = d.iter().copied().filter(|&x| x < n && x != i).collect();
                d.sort_unstable();
                d.dedup();
                d
            })
            .collect();
        let order = topological(&deps);
        let mut row_of = vec![usize::MAX; n];
        for (r, &v) in order.iter().enumerate() {
            row_of[v] = r;
        }
        // Only dependencies drawn above their dependant count (a cycle's are not drawn).
        let deps: Vec<Vec<usize>> = (0..n)
            .map(|v| {
                deps[v]
                    .iter()
                    .copied()
                    .filter(|&d| row_of[d] < row_of[v])
                    .collect()
            })
            .collect();
        // Ordered again on the reduced graph (the same reachability, so still topological).
        let deps = reduce(&order, &row_of, deps, critical_next);
        let order = topological(&deps);
        for (r, &v) in order.iter().enumerate() {
            row_of[v] = r;
        }
        let mut remaining = vec![0usize; n];
        for d in deps.iter().flatten() {
            remaining[*d] += 1;
        }
        let critical_of = |from: usize, to: usize| critical_next.get(from) == Some(&Some(to));
        // lanes[c]: the task whose lane column c carries, and whether it is heavy now.
        let mut lanes: Vec<Option<(usize, bool)>> = Vec::new();
        let mut lane_of = vec![usize::MAX; n];
        let mut cells = Vec::with_capacity(order.len());
        let mut width = 0;
        for &v in &order {
            let mut joins: Vec<(usize, bool, bool)> = Vec::new(); // (column, ends, critical)
            for &d in &deps[v] {
                remaining[d] -= 1;
                joins.push((lane_of[d], remaining[d] == 0, critical_of(d, v)));
            }
            joins.sort_unstable();
            let col = joins
                .iter()
                .find(|j| j.1)
                .map(|j| j.0)
                .or_else(|| lanes.iter().position(Option::is_none))
                .unwrap_or(lanes.len());
            let row = draw_row(&lanes, &joins, col);
            width = width.max(row.len());
            cells.push(row);
            for &(c, ends, critical) in &joins {
                if ends {
                    lanes[c] = None;
                } else if critical
                    && let Some((_, heavy)) = lanes.get_mut(c).and_then(|l| l.as_mut())
                {
                    *heavy = false;
                }
            }
            if remaining[v] > 0 {
                if col >= lanes.len() {
                    lanes.resize(col + 1, None);
                }
                let heavy = critical_next.get(v).copied().flatten().is_some();
                lanes[col] = Some((v, heavy));
                lane_of[v] = col;
            }
            while lanes.last() == Some(&None) {
                lanes.pop();
            }
        }
        LaneLayout {
            order,
            row_of,
            cells,
            width,
        }
    }

    /// The row above (`up`) or below the selected task's, or the first row.
    pub fn step(&self, selected: Option<usize>, up: bool) -> Option<usize> {
        let Some(row) = selected.and_then(|s| self.row_of.get(s)).copied() else {
            return self.order.first().copied();
        };
        let next = if up { row.checked_sub(1)? } else { row + 1 };
        self.order.get(next).copied()
    }

    /// The nearest dependency (`up`, from `deps`) or dependant (from `dependants`) of a task, by
    /// row.
    pub fn follow(&self, deps: &[usize], dependants: &[usize], up: bool) -> Option<usize> {
        let row = |t: &&usize| self.row_of.get(**t).copied().unwrap_or(usize::MAX);
        if up {
            deps.iter()
                .filter(|t| row(t) != usize::MAX)
                .max_by_key(row)
                .copied()
        } else {
            dependants.iter().min_by_key(row).copied()
        }
    }
}

/// Kahn's order, greedy on lanes: of the tasks whose dependencies are all placed, the next is
/// the one that closes the most lanes (it is the last dependant of that many tasks) less the
/// one it opens, then the one made ready last (so chains stay together), then plan order.
/// Tasks in a cycle come last, in plan order.
fn topological(deps: &[Vec<usize>]) -> Vec<usize> {
    use std::collections::BinaryHeap;
    let n = deps.len();
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependants = vec![Vec::new(); n];
    for (v, ds) in deps.iter().enumerate() {
        for &d in ds {
            dependants[d].push(v);
        }
    }
    let mut remaining: Vec<usize> = dependants.iter().map(Vec::len).collect();
    let mut placed = vec![false; n];
    let mut ready = vec![false; n];
    // The score of a ready task: lanes it closes, less the one it opens.
    let score = |w: usize, remaining: &[usize]| -> isize {
        let closes = deps[w].iter().filter(|&&d| remaining[d] == 1).count() as isize;
        closes - isize::from(!dependants[w].is_empty())
    };
    let mut heap: BinaryHeap<(isize, usize, std::cmp::Reverse<usize>)> = BinaryHeap::new();
    let mut seq = 0;
    for v in (0..n).filter(|&v| waiting[v] == 0) {
        ready[v] = true;
        heap.push((score(v, &remaining), 0, std::cmp::Reverse(v)));
    }
    let mut order = Vec::with_capacity(n);
    while let Some((s, _, std::cmp::Reverse(v))) = heap.pop() {
        if placed[v] || s != score(v, &remaining) {
            continue;
        }
        placed[v] = true;
        order.push(v);
        seq += 1;
        for &d in &deps[v] {
            remaining[d] -= 1;
            if remaining[d] == 1
                && let Some(&w) = dependants[d].iter().find(|&&w| !placed[w] && w != v)
                && ready[w]
            {
                heap.push((score(w, &remaining), seq, std::cmp::Reverse(w)));
            }
        }
        for &w in &dependants[v] {
            waiting[w] -= 1;
            if waiting[w] == 0 {
                ready[w] = true;
                heap.push((score(w, &remaining), seq, std::cmp::Reverse(w)));
            }
        }
    }
    order.extend((0..n).filter(|&v| !placed[v]));
    order
}

/// Past this many tasks the transitive reduction is skipped (its memory grows with the square).
const REDUCE_UP_TO: usize = 16_384;

/// The dependencies worth a lane: those not implied through another dependency (if `a` needs
/// `b` and `b` needs `c`, `a`'s own edge from `c` is not drawn), except critical edges. The
/// task's details still list them all.
fn reduce(
    order: &[usize],
    row_of: &[usize],
    deps: Vec<Vec<usize>>,
    critical_next: &[Option<usize>],
) -> Vec<Vec<usize>> {
    let n = deps.len();
    if n > REDUCE_UP_TO {
        return deps;
    }
    let words = n.div_ceil(64);
    // ancestors[row]: the tasks each task depends on, directly or not, by row.
    let mut ancestors = vec![0u64; words * n];
    let mut reduced = deps.clone();
    for (r, &v) in order.iter().enumerate() {
        let mut covered = vec![0u64; words];
        for &d in &deps[v] {
            let base = row_of[d] * words;
            for (c, a) in covered.iter_mut().zip(&ancestors[base..base + words]) {
                *c |= a;
            }
        }
        reduced[v].retain(|&d| {
            let bit = covered[row_of[d] / 64] >> (row_of[d] % 64) & 1;
            bit == 0 || critical_next.get(d) == Some(&Some(v))
        });
        for &d in &deps[v] {
            covered[row_of[d] / 64] |= 1 << (row_of[d] % 64);
        }
        ancestors[r * words..(r + 1) * words].copy_from_slice(&covered);
    }
    reduced
}

/// The lane cells of one row: the open lanes, the task at `col`, and a horizontal join from
/// each dependency's lane to it.
fn draw_row(
    lanes: &[Option<(usize, bool)>],
    joins: &[(usize, bool, bool)],
    col: usize,
) -> Vec<LaneCell> {
    let len = 2 * lanes.len().max(col + 1) - 1;
    let cell = |glyph, critical| LaneCell { glyph, critical };
    let mut row: Vec<LaneCell> = vec![cell(' ', false); len];
    for (c, lane) in lanes.iter().enumerate() {
        if let Some((_, heavy)) = lane {
            row[2 * c] = cell(if *heavy { '┃' } else { '│' }, *heavy);
        }
    }
    let lo = joins.iter().map(|j| j.0).chain([col]).min().unwrap_or(col);
    let hi = joins.iter().map(|j| j.0).chain([col]).max().unwrap_or(col);
    // The stretch of the critical join, if any, is heavy.
    let heavy = joins
        .iter()
        .find(|j| j.2)
        .map(|j| (j.0.min(col), j.0.max(col)));
    let in_heavy = |x: usize| heavy.is_some_and(|(a, b)| x >= 2 * a && x <= 2 * b);
    for (x, at) in row.iter_mut().enumerate().take(2 * hi + 1).skip(2 * lo) {
        let crossing = x % 2 == 0 && lanes.get(x / 2).is_some_and(Option::is_some);
        *at = match (crossing, in_heavy(x)) {
            (true, true) => cell('┿', true),
            (true, false) => cell('┼', at.critical),
            (false, true) => cell('━', true),
            (false, false) => cell('─', false),
        };
    }
    for &(c, ends, critical) in joins.iter().filter(|j| j.0 != col) {
        let (left, right) = (c == lo, c == hi);
        // A lane still heavy below this row: the critical edge goes on past it.
        let heavy_lane = !ends && lanes.get(c).copied().flatten().is_some_and(|l| l.1);
        let glyph = match (ends, left, right, critical) {
            (false, true, _, false) if heavy_lane => '┠',
            (false, _, true, false) if heavy_lane => '┨',
            (false, ..) if heavy_lane && !critical => '╂',
            (true, true, _, false) => '╰',
            (true, _, true, false) => '╯',
            (true, ..) if critical && c < col => '┗',
            (true, ..) if critical => '┛',
            (true, ..) => '┴',
            (false, true, _, false) => '├',
            (false, _, true, false) => '┤',
            (false, ..) if critical && c < col => '┣',
            (false, ..) if critical => '┫',
            (false, ..) => '┼',
        };
        row[2 * c] = cell(glyph, critical || heavy_lane);
    }
    row[2 * col] = cell(NODE, false);
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(l: &LaneLayout) -> Vec<String> {
        l.cells
            .iter()
            .zip(&l.order)
            .map(|(r, v)| format!("{}  {v}", r.iter().map(|c| c.glyph).collect::<String>()))
            .collect()
    }

    #[test]
    fn a_diamond_forks_and_joins() {
        // 0 → 1, 0 → 2, 1 and 2 → 3.
        let deps = vec![vec![], vec![0], vec![0], vec![1, 2]];
        let l = LaneLayout::new(&deps, &[None; 4]);
        assert_eq!(l.order, vec![0, 1, 2, 3]);
        assert_eq!(text(&l), ["●  0", "├─●  1", "● │  2", "●─╯  3"]);
    }

    #[test]
    fn critical_edges_are_heavy_and_cycles_still_draw() {
        // The diamond with 0 → 2 → 3 critical; 0 → 3 is implied, so it gets no lane.
        let deps = vec![vec![], vec![0], vec![0], vec![1, 2, 0]];
        let l = LaneLayout::new(&deps, &[Some(2), None, Some(3), None]);
        assert_eq!(text(&l), ["●  0", "┠─●  1", "● │  2", "●─╯  3"]);
        assert!(l.cells[1][0].critical && !l.cells[3][2].critical);
        let cyclic = LaneLayout::new(&[vec![1], vec![0], vec![9]], &[]);
        assert_eq!(cyclic.order.len(), 3);
    }
}
