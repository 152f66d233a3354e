//! The `orch-tui` binary: parses the command line and runs the chosen command, turning errors
//! into one line on stderr and the documented exit code.

use clap::Parser;
use orch_tui::cli::{Cli, Command};
use orch_tui::{attach, commands, control_commands};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut out = std::io::stdout().lock();
    let result = match &cli.command {
        Some(Command::Validate(args)) => commands::validate(args, &mut out),
        Some(Command::Plan(args)) => commands::plan(args, &mut out),
        Some(Command::ImportStg(args)) => commands::import_stg(args, &mut out),
        Some(Command::Run(args)) => commands::run(args, &mut out),
        Some(Command::Replay(args)) => commands::replay(args, &mut out),
        Some(Command::Init(args)) => commands::init(args, &mut out),
        Some(Command::Schema) => commands::schema(&mut out),
        Some(Command::Completions { shell }) => commands::completions(*shell, &mut out),
        Some(Command::Man(args)) => commands::man(args, &mut out),
        Some(Command::Ls(args)) => control_commands::ls(args, &mut out),
        Some(Command::Status(args)) => control_commands::status(args, &mut out),
        Some(Command::Decide(args)) => control_commands::decide(args, &mut out),
        Some(Command::Stop(args)) => control_commands::stop(args, &mut out),
        Some(Command::Attach(args)) => attach::attach(args, &mut out),
        Some(Command::Bridge(args)) => control_commands::bridge(args),
        None => commands::run(&cli.run, &mut out),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // Output piped into something that stopped reading (`| head`) is no error.
        Err(orch_tui::command_error::CommandError::Io(e))
            if e.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            orch_tui::sanitise::to_stderr(&format!("orch-tui: {e}"));
            ExitCode::from(e.exit_code())
        }
    }
}
