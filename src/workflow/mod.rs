//! Workflow files: reading a TOML workflow, checking it, and resolving it into the model the
//! engine, the planner and the dashboard share. Every problem comes back as one `InputError`
//! naming the file, line and column.

pub mod file;
pub mod graph;
pub mod model;
pub mod resolve;

pub use model::Workflow;

use crate::error::InputError;
use std::path::Path;

/// The workflow that runs when none is named: the analytics dashboard scenario.
pub const BUILT_IN: &str = include_str!("../../config/analytics-dashboard.toml");
pub const BUILT_IN_NAME: &str = "built-in:analytics-dashboard.toml";

/// Reads and checks a workflow file.
pub fn load(path: &Path) -> Result<Workflow, InputError> {
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::new(&label, format!("cannot read the workflow: {e}")))?;
    parse(&text, &label)
}

/// Parses and checks workflow text; `label` names it in errors.
pub fn parse(text: &str, label: &str) -> Result<Workflow, InputError> {
    let file: file::WorkflowFile = toml::from_str(text).map_err(|e| {
        let message = suggest_field(e.message().trim().replace('\n', " "));
        match e.span() {
            Some(span) => InputError::at(label, text, span.start, message),
            None => InputError::new(label, message),
        }
    })?;
    resolve::resolve(file, &resolve::Source { path: label, text })
}

/// Serde names an unknown field and lists the known ones; name the one probably meant instead
/// (a typo such as `depends_onn`), or keep the list when none is close.
fn suggest_field(message: String) -> String {
    let Some((field, expected)) = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split_once("`, expected "))
    else {
        return message;
    };
    let known: Vec<String> = expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(String::from)
        .collect();
    match resolve::closest(field, &known) {
        Some(close) => format!("unknown field `{field}`; did you mean `{close}`?"),
        None => message,
    }
}
