//! `orch-tui init`: writes the commented starter workflow (two agents, three tasks, one blocker
//! with options), named after the file it goes to, and never over an existing file.

use crate::error::InputError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The starter workflow as shipped; `THIS_FILE` and its `name` are filled in when written.
pub const STARTER: &str = include_str!("../assets/starter.toml");

/// The file `init NAME` writes: NAME, with `.toml` added unless it ends so already.
pub fn starter_file(name: &Path) -> PathBuf {
    if name.extension().is_some_and(|e| e == "toml") {
        name.to_path_buf()
    } else {
        let mut file = name.as_os_str().to_owned();
        file.push(".toml");
        PathBuf::from(file)
    }
}

/// The starter text for `file`: the workflow is named after the file's stem.
pub fn starter_text(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let id = if id.is_empty() { "workflow".into() } else { id };
    STARTER
        .replace("THIS_FILE", &file.display().to_string())
        .replacen("name = \"starter\"", &format!("name = \"{id}\""), 1)
}

/// Writes the starter workflow to `file`, refusing to replace one that exists.
pub fn write_starter(file: &Path) -> Result<(), InputError> {
    let label = file.display().to_string();
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => InputError::new(
                &label,
                "already exists; init never overwrites a file: name another one, e.g. `orch-tui init my-flow`",
            ),
            _ => InputError::new(&label, format!("cannot write the starter workflow: {e}")),
        })?;
    out.write_all(starter_text(file).as_bytes())
        .map_err(|e| InputError::new(&label, format!("cannot write the starter workflow: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_gets_a_toml_extension_once() {
        assert_eq!(starter_file(Path::new("flow")), PathBuf::from("flow.toml"));
        assert_eq!(
            starter_file(Path::new("flow.toml")),
            PathBuf::from("flow.toml")
        );
        assert_eq!(starter_file(Path::new("v1.2")), PathBuf::from("v1.2.toml"));
    }

    #[test]
    fn the_workflow_is_named_after_the_file_and_is_valid() {
        let text = starter_text(Path::new("plans/my flow.toml"));
        assert!(text.contains("name = \"my-flow\""));
        assert!(text.contains("orch-tui validate plans/my flow.toml"));
        let w = crate::workflow::parse(&text, "my flow.toml").expect("the starter is valid");
        assert_eq!((w.agents.len(), w.tasks.len(), w.blockers.len()), (2, 3, 1));
        assert!(w.blockers[0].report.options.len() >= 2);
    }
}
