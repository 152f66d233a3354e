//! `[settings.notify]`: the command a run starts when a blocker begins to wait for a person and
//! nobody is watching the run (no dashboard attached) — `notify-send`, or a `curl` to a chat
//! webhook. It gets the blocker as JSON on its stdin and only the environment variables its
//! `env` allowlist names. The file's shape, its check and the resolved value.

use super::resolve::{Result, Source};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// `[settings.notify]` as written.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NotifyFile {
    /// The program and its arguments, e.g. `["notify-send", "orch-tui"]`; the blocker comes as
    /// JSON on its stdin.
    #[schemars(with = "Vec<String>")]
    pub command: Option<Spanned<Vec<String>>>,
    /// The environment variables the command gets (default: `PATH` and `HOME`).
    #[serde(default)]
    pub env: Option<Vec<String>>,
}

/// The notify command, resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notify {
    pub command: Vec<String>,
    pub env: Vec<String>,
}

pub(super) fn resolve_notify(notify: &NotifyFile, src: &Source) -> Result<Option<Notify>> {
    let Some(command) = &notify.command else {
        return Ok(None);
    };
    if command
        .get_ref()
        .first()
        .is_none_or(|p| p.trim().is_empty())
    {
        return Err(src.err(
            command.span(),
            "`command` names no program; write it as a list, e.g. `command = [\"notify-send\", \"orch-tui\"]`",
        ));
    }
    Ok(Some(Notify {
        command: command.get_ref().clone(),
        env: notify
            .env
            .clone()
            .unwrap_or_else(|| vec!["PATH".into(), "HOME".into()]),
    }))
}
