//! orch-tui: schedules simulated or real agents over a task dependency graph, shows the run
//! live in a terminal dashboard, records every run as JSON Lines and replays it.

pub mod agents;
pub mod attach;
pub mod cli;
pub mod command_error;
pub mod commands;
pub mod config;
pub mod control_commands;
pub mod detach;
pub mod engine;
pub mod error;
pub mod headless;
pub mod input_file;
pub mod launch;
pub mod plan;
pub mod record;
pub mod run;
pub mod sanitise;
pub mod starter;
pub mod stg;
pub mod time;
pub mod ui;
pub mod workflow;

/// The signals that stop a run as Ctrl-C does, headless or in the dashboard: every agent's
/// process group is ended and reaped, `run_finished` with status `stopped` is recorded, the
/// terminal is given back, and the command exits 1.
pub const STOP_SIGNALS: [i32; 4] = [
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGQUIT,
];
