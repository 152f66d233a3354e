//! orch-tui: schedules simulated or real agents over a task dependency graph, shows the run
//! live in a terminal dashboard, records every run as JSON Lines and replays it.

pub mod agents;
pub mod cli;
pub mod commands;
pub mod config;
pub mod engine;
pub mod error;
pub mod headless;
pub mod input_file;
pub mod plan;
pub mod record;
pub mod sanitise;
pub mod starter;
pub mod stg;
pub mod time;
pub mod ui;
pub mod workflow;
