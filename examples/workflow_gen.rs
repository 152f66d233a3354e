//! Writes a generated workflow file to stdout: the graphs the benchmarks run, for timing them
//! from the command line. `workflow_gen SHAPE TASKS AGENTS [SETTINGS]`, SHAPE one of chain,
//! fan, lattice, random; SETTINGS are TOML lines for `[settings]` (for example
//! `progress_step = 2`).

#[path = "../benches/common/mod.rs"]
mod common;

use common::Shape;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: workflow_gen chain|fan|lattice|random TASKS AGENTS [SETTINGS]";
    let (Some(shape), Some(tasks), Some(agents)) = (
        args.first().and_then(|s| Shape::parse(s)),
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
        args.get(2).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let settings = args.get(3).map_or("", String::as_str);
    let text = common::toml(shape, tasks, agents, settings);
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("workflow_gen: cannot write: {e}");
            ExitCode::FAILURE
        }
    }
}
