//! The dependency graph panel, in two views: a layered layout (boxes in dependency layers, left
//! to right) and a lane view (one task per row, dependencies as lanes on the left). Both are
//! computed once per plan change; their widgets draw only the visible window.

pub mod lane_nav;
pub mod lane_view;
pub mod lanes;
pub mod layout;
pub mod render;

pub use lane_view::LaneView;
pub use lanes::LaneLayout;
pub use layout::{GraphInput, GraphLayout};
pub use render::GraphView;

/// Which view the graph panel shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphMode {
    Layered,
    Lanes,
}

/// Whether the layered layout shows every node box whole in a panel of this size; when it
/// cannot, the lane view is the default.
pub fn layered_fits(layout: &GraphLayout, width: u16, height: u16) -> bool {
    let (w, h) = (u32::from(width), u32::from(height));
    layout
        .position
        .iter()
        .all(|&(x, y)| x + layout::NODE_W <= w && y + layout::NODE_H <= h)
}
