//! The dependency graph panel: a layered layout computed once per plan change, and a widget
//! that draws the visible window of it.

pub mod layout;
pub mod render;

pub use layout::{GraphInput, GraphLayout};
pub use render::GraphView;
