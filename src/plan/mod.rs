//! Planning: the scheduling problem behind a workflow, its static analysis (waves, critical
//! path), list scheduling on estimates, and the search for a good plan that the live scheduler
//! then follows.

pub mod analysis;
#[cfg(test)]
mod fixtures;
pub mod improve;
pub mod list;
pub mod problem;
pub mod report;
pub mod rules;
pub mod scheme;
pub mod search;
pub mod serial;

pub use problem::Problem;
pub use search::{Plan, best_plan};
