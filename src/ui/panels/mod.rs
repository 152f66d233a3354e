//! The dashboard's panels and overlays, each a function drawing one part of the screen from the
//! run's state.

pub mod agents;
pub mod alerts;
pub mod decision;
pub mod details;
pub mod header;
pub mod log;
pub mod metrics;
pub mod overlays;
pub mod popup;
pub mod scrubber;
pub mod task_form;
pub mod timeline;
