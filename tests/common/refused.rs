//! How a bad workflow must be answered by the binary: exit code 2, nothing on stdout, exactly
//! one line on stderr, `orch-tui: FILE:LINE:COL: message`, where the line and column are those
//! of the mistake, and never a panic.

use super::{orch, workflow_file};

/// Runs `orch-tui <command> FILE` on `text` and checks the answer is one line starting
/// `orch-tui: FILE:LINE:COL: `, with exit code 2 and nothing on stdout. Returns the message.
pub fn refused_by(command: &str, text: &str, line: usize, col: usize) -> String {
    let file = workflow_file(text);
    let out = orch([command.as_ref(), file.path().as_os_str()]);
    out.assert_no_panic();
    assert_eq!(out.code, 2, "exit code; stderr: {}", out.stderr);
    assert_eq!(out.stdout, "", "nothing on stdout");
    let prefix = format!("orch-tui: {}:{line}:{col}: ", file.path().display());
    message_after(&out.stderr, &prefix)
}

/// `refused_by` with `validate`.
pub fn refused_at(text: &str, line: usize, col: usize) -> String {
    refused_by("validate", text, line, col)
}

/// The message of a one-line `stderr` that starts with `prefix`.
pub fn message_after(stderr: &str, prefix: &str) -> String {
    let line = stderr
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("stderr ends with a newline: {stderr:?}"));
    assert!(!line.contains('\n'), "one line on stderr, got:\n{stderr}");
    let message = line
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("stderr starts with {prefix:?}, got:\n{stderr}"));
    assert!(!message.trim().is_empty(), "a message follows the position");
    message.to_string()
}
