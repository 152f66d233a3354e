//! Workflow files: reading a TOML workflow, checking it, and resolving it into the model the
//! engine, the planner and the dashboard share. Every problem comes back as one `InputError`
//! naming the file, line and column.

pub mod check;
mod coding_agents;
mod command_agents;
pub mod cost;
pub mod file;
pub mod graph;
pub mod model;
pub mod notify;
pub mod permissions;
pub mod resolve;
pub mod rules;

pub use model::Workflow;

use crate::error::InputError;
use std::path::Path;

/// The workflow that runs when none is named: the analytics dashboard scenario.
pub const BUILT_IN: &str = include_str!("../../config/analytics-dashboard.toml");
pub const BUILT_IN_NAME: &str = "built-in:analytics-dashboard.toml";

/// Reads and checks a workflow file.
pub fn load(path: &Path) -> Result<Workflow, InputError> {
    let text = crate::input_file::read_text(path, "workflow")?;
    parse(&text, &path.display().to_string())
}

/// Parses and checks workflow text; `label` names it in errors.
pub fn parse(text: &str, label: &str) -> Result<Workflow, InputError> {
    let file: file::WorkflowFile = toml::from_str(text).map_err(|e| {
        let mut error = InputError::from_toml(label, text, &e);
        if let Some(words) = e
            .span()
            .and_then(|span| rules::number_in_words(&error.message, text, span))
        {
            error.message = words;
        }
        error
    })?;
    resolve::resolve(file, &resolve::Source { path: label, text })
}
