//! The workflow file as written: the TOML shapes, with the source position of every id and
//! reference kept (`Spanned`) so that a mistake can be reported at its line and column. Unknown
//! fields are refused. `resolve` turns this into the checked `model::Workflow`.

use crate::time::TimeUnit;
use crate::workflow::model::{GateOutcome, Priority, Severity};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub type Id = Spanned<String>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowFile {
    /// Required; optional here only so that its absence gets a clear message.
    pub workflow: Option<Spanned<Header>>,
    #[serde(default)]
    pub settings: SettingsFile,
    #[serde(default)]
    pub resources: BTreeMap<String, Spanned<u32>>,
    #[serde(default)]
    pub agents: Vec<AgentFile>,
    #[serde(default)]
    pub phases: Vec<PhaseFile>,
    #[serde(default)]
    pub tasks: Vec<TaskFile>,
    #[serde(default)]
    pub blockers: Vec<BlockerFile>,
    #[serde(default)]
    pub gates: Vec<GateFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub name: Id,
    pub title: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub unit: TimeUnit,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsFile {
    pub max_parallel: Option<Spanned<usize>>,
    pub seed: Option<u64>,
    pub max_retries: Option<u32>,
    pub retry_backoff: Option<DurationValue>,
    pub progress_step: Option<Spanned<u8>>,
    #[serde(default)]
    pub escalation: EscalationFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationFile {
    pub policy_decides: Option<Vec<Severity>>,
    pub decide_after: Option<DurationValue>,
}

/// A duration as written: a number in the workflow's unit or a string with a suffix.
pub type DurationValue = Spanned<DurationText>;

#[derive(Debug, Clone)]
pub enum DurationText {
    Number(f64),
    Text(String),
}

impl<'de> Deserialize<'de> for DurationText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DurationVisitor)
    }
}

/// Accepts a number or a string, and otherwise says what a duration looks like.
struct DurationVisitor;

impl serde::de::Visitor<'_> for DurationVisitor {
    type Value = DurationText;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(
            "a duration: a number in the workflow's unit or a string such as \"30m\", \"1.5h\", \"2d\"",
        )
    }

    fn visit_i64<E>(self, v: i64) -> Result<DurationText, E> {
        Ok(DurationText::Number(v as f64))
    }

    fn visit_u64<E>(self, v: u64) -> Result<DurationText, E> {
        Ok(DurationText::Number(v as f64))
    }

    fn visit_f64<E>(self, v: f64) -> Result<DurationText, E> {
        Ok(DurationText::Number(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<DurationText, E> {
        Ok(DurationText::Text(v.to_string()))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentFile {
    pub id: Id,
    pub name: Option<String>,
    pub role: Spanned<String>,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub kind: Option<Spanned<String>>,
    #[serde(default)]
    pub backups: Vec<Id>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseFile {
    pub id: Id,
    pub name: Option<String>,
    #[serde(default)]
    pub mode: PhaseMode,
    #[serde(default)]
    pub after: Vec<Id>,
    #[serde(default)]
    pub rollback: Vec<TaskFile>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PhaseMode {
    #[default]
    Parallel,
    Sequential,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskFile {
    pub id: Id,
    pub name: Option<String>,
    #[serde(default)]
    pub description: String,
    pub agent: Option<Id>,
    pub role: Option<Spanned<String>>,
    pub estimate: DurationValue,
    #[serde(default)]
    pub depends_on: Vec<Id>,
    #[serde(default)]
    pub priority: Priority,
    pub phase: Option<Id>,
    #[serde(default)]
    pub resources: Vec<Id>,
    #[serde(default)]
    pub context: toml::Table,
    pub output: Option<String>,
    #[serde(default)]
    pub sim: SimFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimFile {
    pub actual: Option<DurationValue>,
    pub jitter: Option<Spanned<(f64, f64)>>,
    pub fail_at: Option<Spanned<u8>>,
    pub fail_times: Option<u32>,
    pub fail_reason: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockerFile {
    pub id: Id,
    pub task: Id,
    pub at: Option<Spanned<u8>>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub severity: Severity,
    #[serde(default)]
    pub category: String,
    pub title: String,
    #[serde(default)]
    pub issue: String,
    #[serde(default)]
    pub impact: String,
    pub recommended: Option<Spanned<usize>>,
    pub options: Spanned<Vec<OptionFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionFile {
    pub label: String,
    #[serde(default)]
    pub pros: String,
    #[serde(default)]
    pub cons: String,
    #[serde(default)]
    pub timeline: String,
    #[serde(default)]
    pub resources: String,
    #[serde(default)]
    pub effect: EffectFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EffectFile {
    pub delay: Option<DurationValue>,
    pub remaining: Option<DurationValue>,
    pub swap_agent: Option<Id>,
    #[serde(default)]
    pub adjust: Vec<AdjustFile>,
    #[serde(default)]
    pub add_tasks: Vec<TaskFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdjustFile {
    pub task: Id,
    pub by: DurationValue,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateFile {
    pub id: Id,
    pub name: Option<String>,
    pub after: Spanned<Vec<Id>>,
    #[serde(default)]
    pub outcome: GateOutcome,
    #[serde(default)]
    pub remediation: Vec<TaskFile>,
}
