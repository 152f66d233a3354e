//! Whether the CLI of each coding agent in a workflow is installed where its attempts will look
//! for it: the PATH the agent is given (orch-tui's own when `PATH` is in its `env`), or the path
//! its `program` names. `orch-tui validate` refuses a workflow whose CLI is missing, naming the
//! npm package that installs it.

use super::program::is_installed;
use crate::error::InputError;
use crate::workflow::model::Workflow;
use std::path::Path;

/// An error naming the first coding agent of `workflow` (read from `file`) whose CLI is missing.
pub fn check_clis(workflow: &Workflow, file: &str) -> Result<(), InputError> {
    for agent in &workflow.agents {
        let Some((cli, spec)) = agent.kind.coding() else {
            continue;
        };
        let path = spec
            .run
            .env
            .iter()
            .any(|name| name == "PATH")
            .then(|| std::env::var_os("PATH"))
            .flatten();
        let cwd = spec.run.cwd.as_deref().map(Path::new);
        if !is_installed(&spec.program, path.as_deref(), cwd) {
            return Err(InputError::new(
                file,
                format!(
                    "agent `{}` (kind `{}`): `{}` is not found in its PATH; install it with `npm install -g {}`, or set `program` to its path",
                    agent.id,
                    cli.kind(),
                    spec.program,
                    cli.npm_package()
                ),
            ));
        }
    }
    Ok(())
}
