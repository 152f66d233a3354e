//! The dashboard's handling of the graph's two views: which one shows (the lane view by
//! default once the layered view cannot show every node box whole in the panel; `v` pins the
//! other), and selection, scrolling and clicks in the lane view. Up and down move a row, left
//! and right to the nearest dependency and dependant; the rows scroll with the selection.

use super::lane_view::{scroll_to, visible_rows};
use super::{GraphMode, layered_fits};
use crate::engine::state::State;
use crate::ui::app::App;
use crate::ui::keys::Action;

impl App {
    /// Decides the view for this frame: the one chosen with `v`, else the layered view while it
    /// fits the panel.
    pub fn resolve_graph_mode(&mut self) {
        let inner = self.areas.graph_inner;
        self.graph_mode = self.graph_mode_chosen.unwrap_or(
            if layered_fits(&self.graph.layout, inner.width, inner.height) {
                GraphMode::Layered
            } else {
                GraphMode::Lanes
            },
        );
        if self.graph_mode == GraphMode::Lanes {
            self.lane_scroll = scroll_to(
                self.lane_scroll,
                None,
                self.graph.lanes.order.len(),
                inner.height,
            );
        }
    }

    /// `v`: switch to the other view and keep it.
    pub fn switch_graph_mode(&mut self) {
        let next = match self.graph_mode {
            GraphMode::Layered => GraphMode::Lanes,
            GraphMode::Lanes => GraphMode::Layered,
        };
        self.graph_mode_chosen = Some(next);
        self.graph_mode = next;
        self.reveal_selected();
        self.toast(match next {
            GraphMode::Lanes => "graph: lane view",
            GraphMode::Layered => "graph: layered view",
        });
    }

    /// Arrow keys in the lane view.
    pub(crate) fn move_in_lanes(&mut self, action: Action, state: &State) {
        let lanes = &self.graph.lanes;
        let current = self.selected_node.filter(|&n| n < lanes.row_of.len());
        let next = match (action, current.and_then(|n| state.nodes.get(n))) {
            (Action::Up | Action::Down, _) | (_, None) => lanes.step(current, action == Action::Up),
            (Action::Left, Some(node)) => lanes.follow(&node.deps, &node.dependants, true),
            (Action::Right, Some(node)) => lanes.follow(&node.deps, &node.dependants, false),
            _ => None,
        };
        if let Some(n) = next {
            self.selected_node = Some(n);
            self.reveal_selected();
        }
    }

    /// Scrolls the lane view so the selected task's row is in view.
    pub(crate) fn reveal_in_lanes(&mut self) {
        let row = self
            .selected_node
            .and_then(|n| self.graph.lanes.row_of.get(n))
            .copied();
        self.lane_scroll = scroll_to(
            self.lane_scroll,
            row,
            self.graph.lanes.order.len(),
            self.areas.graph_inner.height,
        );
    }

    /// The task on the lane view's screen row `y` (the header is row 0 of the panel).
    pub(crate) fn task_on_lane_row(&self, y: u16) -> Option<usize> {
        let inner = self.areas.graph_inner;
        let dy = usize::from(y.checked_sub(inner.y + 1)?);
        if dy >= visible_rows(inner.height) {
            return None;
        }
        self.graph.lanes.order.get(self.lane_scroll + dy).copied()
    }

    /// The mouse wheel over the lane view.
    pub(crate) fn scroll_lanes(&mut self, delta: i32) {
        let moved = self.lane_scroll.saturating_add_signed(delta as isize);
        let rows = self.graph.lanes.order.len();
        self.lane_scroll = scroll_to(moved, None, rows, self.areas.graph_inner.height);
    }
}
