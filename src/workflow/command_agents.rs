//! Checks the fields of command agents (real programs speaking the agent protocol) and of the
//! tasks that override them: a non-empty argv, an existing working directory made absolute
//! against the workflow file's folder, environment variable names, positive timeouts; and that
//! these fields only appear where a command agent can use them. Coding agents (`coding_agents`)
//! reuse these checks.

use super::coding_agents::{coding_kind, stray_coding_field};
use super::file::{AgentFile, DurationValue, TaskFile};
use super::model::{Agent, AgentKind, CodingCli, CommandSpec};
use super::resolve::{Result, Source, duration};
use crate::time::TimeUnit;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The agent's kind, with its command when it is a command agent.
pub(super) fn agent_kind(a: &AgentFile, src: &Source, unit: TimeUnit) -> Result<AgentKind> {
    let id = a.id.get_ref();
    let kind = a
        .kind
        .as_ref()
        .map_or("simulated", |k| k.get_ref().as_str());
    match kind {
        "simulated" => {
            let stray = [
                ("argv", a.argv.as_ref().map(|v| v.span())),
                ("cwd", a.cwd.as_ref().map(|v| v.span())),
                ("env", a.env.as_ref().map(|v| v.span())),
                ("timeout", a.timeout.as_ref().map(|v| v.span())),
                ("heartbeat", a.heartbeat.as_ref().map(|v| v.span())),
            ];
            let stray = stray
                .into_iter()
                .find_map(|(field, span)| span.map(|span| (field, span)))
                .or_else(|| stray_coding_field(a));
            if let Some((field, span)) = stray {
                return Err(src.err(
                    span,
                    format!(
                        "agent `{id}` is simulated, so `{field}` does nothing; add kind = \"command\" to run a program"
                    ),
                ));
            }
            Ok(AgentKind::Simulated)
        }
        "command" => {
            if let Some((field, span)) = stray_coding_field(a) {
                return Err(src.err(
                    span,
                    format!(
                        "agent `{id}` is of kind `command`, so `{field}` does nothing; put the program and its arguments in `argv`"
                    ),
                ));
            }
            let Some(argv) = &a.argv else {
                return Err(src.err(
                    a.id.span(),
                    format!(
                        "agent `{id}` is of kind `command` but has no `argv`; add e.g. argv = [\"./agent.sh\"]"
                    ),
                ));
            };
            let env = a
                .env
                .as_ref()
                .map_or(Ok(Vec::new()), |e| env_names(e, src))?;
            Ok(AgentKind::Command(CommandSpec {
                argv: checked_argv(argv, src)?,
                cwd: Some(working_dir(a.cwd.as_ref(), src)?),
                env,
                timeout_ms: positive(a.timeout.as_ref(), "timeout", src, unit)?,
                heartbeat_ms: positive(a.heartbeat.as_ref(), "heartbeat", src, unit)?,
            }))
        }
        "claude" => coding_kind(CodingCli::Claude, a, src, unit),
        "codex" => coding_kind(CodingCli::Codex, a, src, unit),
        "gemini" => coding_kind(CodingCli::Gemini, a, src, unit),
        other => Err(src.err(
            a.kind.as_ref().map_or(a.id.span(), |k| k.span()),
            format!(
                "unknown agent kind `{other}`; use `simulated`, `command`, `claude`, `codex` or `gemini`"
            ),
        )),
    }
}

/// A task's own argv and timeout, for the command agent that runs it.
pub(super) fn task_overrides(
    t: &TaskFile,
    agents: &[Agent],
    src: &Source,
    unit: TimeUnit,
) -> Result<(Option<Vec<String>>, Option<u64>)> {
    let overrides = t
        .argv
        .as_ref()
        .map(|a| a.span())
        .or(t.timeout.as_ref().map(|v| v.span()));
    if let Some(span) = overrides {
        let command_can_run_it = agents.iter().any(|a| {
            a.kind.command().is_some()
                && match (&t.agent, &t.role) {
                    (Some(id), _) => a.id == *id.get_ref(),
                    (None, Some(role)) => a.has_role(role.get_ref()),
                    (None, None) => false,
                }
        });
        if !command_can_run_it {
            return Err(src.err(
                span,
                format!(
                    "task `{}` sets `argv` or `timeout`, but no agent of kind `command` can run it",
                    t.id.get_ref()
                ),
            ));
        }
    }
    let argv = t.argv.as_ref().map(|a| checked_argv(a, src)).transpose()?;
    Ok((argv, positive(t.timeout.as_ref(), "timeout", src, unit)?))
}

fn checked_argv(argv: &Spanned<Vec<String>>, src: &Source) -> Result<Vec<String>> {
    match argv.get_ref().first() {
        Some(program) if !program.is_empty() => Ok(argv.get_ref().clone()),
        _ => Err(src.err(
            argv.span(),
            "`argv` needs the program to run first, e.g. [\"python3\", \"agent.py\"]",
        )),
    }
}

pub(super) fn env_names(env: &Spanned<Vec<String>>, src: &Source) -> Result<Vec<String>> {
    let valid = |name: &str| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    match env.get_ref().iter().find(|n| !valid(n)) {
        Some(bad) => Err(src.err(
            env.span(),
            format!(
                "`{bad}` is not an environment variable name; `env` lists names such as \"PATH\", not values"
            ),
        )),
        None => Ok(env.get_ref().clone()),
    }
}

pub(super) fn positive(
    value: Option<&DurationValue>,
    field: &str,
    src: &Source,
    unit: TimeUnit,
) -> Result<Option<u64>> {
    let Some(value) = value else {
        return Ok(None);
    };
    match duration(src, unit, value)? {
        0 => Err(src.err(value.span(), format!("`{field}` must be longer than 0"))),
        ms => Ok(Some(ms)),
    }
}

/// The working directory, absolute: relative paths start at the workflow file's folder. A
/// `cwd` that names no folder is refused here, naming the folder, rather than when an attempt
/// starts.
pub(super) fn working_dir(cwd: Option<&Spanned<String>>, src: &Source) -> Result<String> {
    let folder = Path::new(src.path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir: PathBuf = folder.join(cwd.map_or(".", |c| c.get_ref().as_str()));
    let dir = std::path::absolute(&dir).unwrap_or(dir);
    match cwd {
        Some(c) if !dir.is_dir() => Err(src.err(
            c.span(),
            format!(
                "`cwd` folder {} does not exist; create it or correct `cwd` (relative paths start at the workflow file's folder)",
                dir.display()
            ),
        )),
        _ => Ok(dir.display().to_string()),
    }
}
