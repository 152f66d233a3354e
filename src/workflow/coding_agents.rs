//! Checks the fields of coding agents (`kind = "claude"`, `"codex"` or `"gemini"`) and builds the
//! command that starts each CLI in its headless, structured mode: `program` (default the kind's
//! usual name), `model` and extra `args`, with the working directory, environment allowlist,
//! timeout and heartbeat checked as for command agents. It also refuses the coding agents'
//! fields on agents that cannot use them.

use super::command_agents::{env_names, positive, working_dir};
use super::file::AgentFile;
use super::model::{AgentKind, CodingCli, CodingSpec, CommandSpec};
use super::resolve::{Result, Source};
use crate::time::TimeUnit;
use std::ops::Range;

/// The coding agent of CLI `cli` that `a` describes.
pub(super) fn coding_kind(
    cli: CodingCli,
    a: &AgentFile,
    src: &Source,
    unit: TimeUnit,
) -> Result<AgentKind> {
    if let Some(argv) = &a.argv {
        return Err(src.err(
            argv.span(),
            format!(
                "agent `{}` is of kind `{}`, which starts its CLI itself; use `program` and `args` instead of `argv`",
                a.id.get_ref(),
                cli.kind()
            ),
        ));
    }
    let program = match &a.program {
        Some(p) if p.get_ref().trim().is_empty() => {
            return Err(src.err(
                p.span(),
                "`program` is empty; name the CLI, e.g. \"claude\"",
            ));
        }
        Some(p) => p.get_ref().clone(),
        None => cli.kind().to_string(),
    };
    let model = a.model.as_ref().map(|m| m.get_ref().clone());
    let args = a
        .args
        .as_ref()
        .map_or_else(Vec::new, |a| a.get_ref().clone());
    let spec = CodingSpec {
        run: CommandSpec {
            argv: headless_argv(cli, &program, model.as_deref(), &args),
            cwd: Some(working_dir(a.cwd.as_ref(), src)?),
            env: a
                .env
                .as_ref()
                .map_or(Ok(Vec::new()), |e| env_names(e, src))?,
            timeout_ms: positive(a.timeout.as_ref(), "timeout", src, unit)?,
            heartbeat_ms: positive(a.heartbeat.as_ref(), "heartbeat", src, unit)?,
        },
        program,
        model,
        args,
    };
    Ok(match cli {
        CodingCli::Claude => AgentKind::Claude(spec),
        CodingCli::Codex => AgentKind::Codex(spec),
        CodingCli::Gemini => AgentKind::Gemini(spec),
    })
}

/// The argv that starts `cli` in its headless, structured two-way mode.
fn headless_argv(
    cli: CodingCli,
    program: &str,
    model: Option<&str>,
    args: &[String],
) -> Vec<String> {
    let fixed: &[&str] = match cli {
        CodingCli::Claude => &[
            "-p",
            "--output-format",
            "stream-json",
            "--input-format",
            "stream-json",
            "--verbose",
            "--permission-prompt-tool",
            "stdio",
        ],
        CodingCli::Codex => &["app-server"],
        CodingCli::Gemini => &["--output-format", "stream-json"],
    };
    let model = model.into_iter().flat_map(|m| match cli {
        CodingCli::Codex => vec![
            "-c".to_string(),
            format!("model={}", serde_json::Value::from(m)),
        ],
        CodingCli::Claude | CodingCli::Gemini => vec!["--model".to_string(), m.to_string()],
    });
    std::iter::once(program.to_string())
        .chain(fixed.iter().map(|s| s.to_string()))
        .chain(model)
        .chain(args.iter().cloned())
        .collect()
}

/// The first of the coding agents' own fields set on `a`, with where it is written.
pub(super) fn stray_coding_field(a: &AgentFile) -> Option<(&'static str, Range<usize>)> {
    [
        ("program", a.program.as_ref().map(|v| v.span())),
        ("model", a.model.as_ref().map(|v| v.span())),
        ("args", a.args.as_ref().map(|v| v.span())),
    ]
    .into_iter()
    .find_map(|(field, span)| span.map(|span| (field, span)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cli_starts_in_its_structured_mode_with_the_model_and_extra_args() {
        let args = vec!["--max-turns".to_string(), "3".to_string()];
        assert_eq!(
            headless_argv(CodingCli::Claude, "claude", Some("opus"), &args).join(" "),
            "claude -p --output-format stream-json --input-format stream-json --verbose --permission-prompt-tool stdio --model opus --max-turns 3"
        );
        assert_eq!(
            headless_argv(CodingCli::Codex, "/opt/codex", Some("o3"), &[]),
            ["/opt/codex", "app-server", "-c", "model=\"o3\""]
        );
        assert_eq!(
            headless_argv(CodingCli::Gemini, "gemini", None, &[]).join(" "),
            "gemini --output-format stream-json"
        );
    }
}
