//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod tmux;

use std::process::Command;

/// The real binary, with an empty user config so a developer's own settings never change what
/// a test sees.
pub fn orch_tui() -> Command {
    let mut command = Command::new(tmux::BIN);
    command.env("ORCH_TUI_CONFIG", "/dev/null");
    command
}

/// Stdout of a finished command, as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Stderr of a finished command, as text.
pub fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
