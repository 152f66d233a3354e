//! What the commands that start or show a run need first: the workflow (a file, or the
//! built-in example), the flags that pace simulated time refused for real agents, a terminal
//! for the dashboard, and the dashboard's own state as the user config themes and keys it.

use crate::cli::RunArgs;
use crate::command_error::{CommandError, Result};
use crate::config::UserConfig;
use crate::ui::app::App;
use crate::ui::theme::Theme;
use crate::workflow::{self, Workflow};
use std::path::Path;

/// Loads the named workflow, or the built-in one.
pub fn load_workflow(file: Option<&Path>) -> Result<Workflow> {
    Ok(match file {
        Some(path) => workflow::load(path)?,
        None => workflow::parse(workflow::BUILT_IN, workflow::BUILT_IN_NAME)?,
    })
}

/// The dashboard draws on stdout and reads keys on stdin: without a terminal on both it cannot
/// run, and the command stops before it starts or records anything.
pub fn require_terminal(command: &str, instead: &str) -> Result<()> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return Ok(());
    }
    Err(CommandError::Usage(format!(
        "the dashboard needs a terminal, and stdin or stdout is not one; use `orch-tui {command} {instead}` to run without it"
    )))
}

/// The dashboard's own state, themed and keyed as the user config says.
pub fn dashboard(config: &UserConfig, replay: bool) -> App {
    let mut app = App::new(Theme::from_env(config.palette), replay);
    app.keys = config.keys.clone();
    app
}

/// A workflow with command agents runs on the wall clock: a usage error for the flags that
/// pace simulated time.
pub fn check_wall_clock(args: &RunArgs, w: &Workflow) -> Result<()> {
    if !w.has_command_agents() {
        return Ok(());
    }
    if args.instant || args.speed.is_some() {
        return Err(CommandError::Usage(format!(
            "workflow `{}` has command agents, which run on the wall clock; drop --instant and --speed",
            w.name
        )));
    }
    Ok(())
}
