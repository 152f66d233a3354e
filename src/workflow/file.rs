//! The workflow file as written: the TOML shapes, with the source position of every id and
//! reference kept (`Spanned`) so that a mistake can be reported at its line and column. Unknown
//! fields are refused. `resolve` turns this into the checked `model::Workflow`. The same types
//! describe the file's JSON Schema (`orch-tui schema`), so editors check what the parser checks;
//! the doc comments below are the descriptions editors show.

use crate::time::TimeUnit;
use crate::workflow::model::{GateOutcome, Priority, Severity};
use schemars::JsonSchema;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub type Id = Spanned<String>;

/// An orch-tui workflow: agents, tasks and their dependencies, what can go wrong, and how the
/// run is steered.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "orch-tui workflow")]
pub struct WorkflowFile {
    /// What the workflow is called and the unit it counts time in.
    // Required (the schema says so); an `Option` here only so that its absence gets a clear
    // message rather than serde's.
    #[schemars(required, with = "Header")]
    pub workflow: Option<Spanned<Header>>,
    /// How the run is scheduled and escalated.
    #[serde(default)]
    pub settings: SettingsFile,
    /// Shared resources and their capacities: `database = 1` lets one running task hold it.
    #[serde(default)]
    #[schemars(schema_with = "capacities")]
    pub resources: BTreeMap<String, Spanned<u32>>,
    /// The agents that run the tasks.
    #[serde(default)]
    pub agents: Vec<AgentFile>,
    /// Groups of tasks that run in parallel or in sequence, after other phases.
    #[serde(default)]
    pub phases: Vec<PhaseFile>,
    /// The work: each task runs on one agent once its dependencies are done.
    #[serde(default)]
    pub tasks: Vec<TaskFile>,
    /// Exceptions a task raises while it runs; it pauses until one of the options is chosen.
    #[serde(default)]
    pub blockers: Vec<BlockerFile>,
    /// Quality gates evaluated when the tasks they follow are done.
    #[serde(default)]
    pub gates: Vec<GateFile>,
}

/// Resource capacities: each is how many running tasks may hold the resource at once.
fn capacities(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "additionalProperties": { "type": "integer", "minimum": 1, "maximum": u32::MAX }
    })
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Short name (letters, digits, `-`, `_`, `.`), used to name recordings.
    #[schemars(with = "String")]
    pub name: Id,
    /// Shown in the dashboard header (default: the name).
    pub title: Option<String>,
    #[serde(default)]
    pub description: String,
    /// Unit of plain-number durations and of the clock display (default: hours).
    #[serde(default)]
    pub unit: TimeUnit,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsFile {
    /// Most tasks running at once (default: the number of agents).
    #[schemars(with = "Option<usize>", range(min = 1))]
    pub max_parallel: Option<Spanned<usize>>,
    /// Randomness of simulated durations (default 1; `--seed` overrides it).
    pub seed: Option<u64>,
    /// Retries of a failed attempt on the same agent before it goes to a backup (default 1).
    #[schemars(with = "Option<u32>", range(max = 100))]
    pub max_retries: Option<Spanned<u32>>,
    /// Wait before a retry (default 0).
    #[schemars(with = "Option<DurationText>")]
    pub retry_backoff: Option<DurationValue>,
    /// Simulated agents report progress every this many percent (default 10).
    #[schemars(with = "Option<u8>", range(min = 1, max = 100))]
    pub progress_step: Option<Spanned<u8>>,
    /// Which blockers policy decides without a person, and when.
    #[serde(default)]
    pub escalation: EscalationFile,
    /// Thresholds of the alert conditions watched while the run goes on.
    #[serde(default)]
    pub alerts: AlertsFile,
    /// How coding agents' requests to use a tool are answered; first match wins, else ask.
    #[serde(default)]
    pub permissions: Vec<crate::workflow::permissions::PermissionRuleFile>,
    /// Per model, US dollars per million tokens: usage an agent reports without a cost is
    /// priced from here; without a price, tokens are shown alone.
    #[serde(default)]
    pub prices: BTreeMap<String, super::cost::PriceFile>,
    /// Spending limits: crossing one asks a person whether to go on.
    #[serde(default)]
    pub budget: super::cost::BudgetFile,
    /// A command to run when a blocker waits for a person and no dashboard is attached.
    #[serde(default)]
    pub notify: super::notify::NotifyFile,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertsFile {
    /// An agent whose share of failed attempts goes over this fraction raises an alert
    /// (default 0.2; 1 never).
    #[schemars(with = "Option<f64>", range(min = 0, max = 1))]
    pub failure_rate: Option<Spanned<f64>>,
    /// A task running longer than this many times its expected duration raises an alert
    /// (default 1.5; 0 never).
    #[schemars(with = "Option<f64>", range(min = 0))]
    pub overrun: Option<Spanned<f64>>,
    /// This many blockers of one category raise an alert (default 2; 0 never).
    pub repeated_escalations: Option<u32>,
    /// An agent idle while ready work it could take waits raises an alert (default true).
    pub idle_with_ready_work: Option<bool>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationFile {
    /// Blockers of these severities are decided by policy, taking the recommended option
    /// (default: `["low"]`); the others wait for a person.
    pub policy_decides: Option<Vec<Severity>>,
    /// How long policy waits before deciding, so a person can step in first (default 0).
    #[schemars(with = "Option<DurationText>")]
    pub decide_after: Option<DurationValue>,
    /// Who leads a blocker of a given category (e.g. SECURITY -> the security agent).
    #[serde(default)]
    pub routes: Vec<RouteFile>,
    /// A blocker policy would decide that stays open longer than this goes to a person.
    #[schemars(with = "Option<DurationText>")]
    pub blocker_limit: Option<DurationValue>,
    /// Past this run time a person decides every blocker, open or new.
    #[schemars(with = "Option<DurationText>")]
    pub run_budget: Option<DurationValue>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteFile {
    /// A blocker category, e.g. `SECURITY` (compared without regard to case).
    pub category: String,
    /// An agent id, or a role some agent has.
    #[schemars(with = "String")]
    pub lead: Spanned<String>,
}

/// A duration as written: a number in the workflow's unit or a string with a suffix.
pub type DurationValue = Spanned<DurationText>;

/// A duration: a number in the workflow's unit, or a string with a unit suffix such as
/// `"90s"`, `"30m"`, `"1.5h"`, `"2d"`, `"1w"`.
#[derive(Debug, Clone, JsonSchema)]
#[serde(untagged)]
pub enum DurationText {
    Number(#[schemars(range(min = 0))] f64),
    Text(#[schemars(regex(pattern = r"^\s*[0-9.+-]+\s*(s|sec|m|min|h|d|w)?\s*$"))] String),
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

    fn visit_i128<E>(self, v: i128) -> Result<DurationText, E> {
        Ok(DurationText::Number(v as f64))
    }

    fn visit_u128<E>(self, v: u128) -> Result<DurationText, E> {
        Ok(DurationText::Number(v as f64))
    }

    fn visit_str<E>(self, v: &str) -> Result<DurationText, E> {
        Ok(DurationText::Text(v.to_string()))
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentFile {
    #[schemars(with = "String")]
    pub id: Id,
    /// Shown in the dashboard (default: the id).
    pub name: Option<String>,
    /// What the agent does; tasks name a role or an agent.
    #[schemars(with = "String")]
    pub role: Spanned<String>,
    /// Further roles the agent can take.
    #[serde(default)]
    pub skills: Vec<String>,
    /// How the agent runs (default: simulated).
    #[serde(default)]
    #[schemars(schema_with = "agent_kinds")]
    pub kind: Option<Spanned<String>>,
    /// Agent ids a task goes to when this agent keeps failing it.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub backups: Vec<Id>,
    /// A coding agent's CLI (default: the kind's usual name, looked up in PATH).
    #[schemars(with = "Option<String>")]
    pub program: Option<Spanned<String>>,
    /// A coding agent's model, passed to its CLI.
    #[schemars(with = "Option<String>")]
    pub model: Option<Spanned<String>>,
    /// A coding agent's extra CLI arguments, after orch-tui's own.
    #[schemars(with = "Option<Vec<String>>")]
    pub args: Option<Spanned<Vec<String>>>,
    /// A command agent's program and arguments (no shell unless this names one).
    #[schemars(with = "Option<Vec<String>>", length(min = 1))]
    pub argv: Option<Spanned<Vec<String>>>,
    /// A real agent's working directory, relative to the workflow file's folder (default:
    /// that folder).
    #[schemars(with = "Option<String>")]
    pub cwd: Option<Spanned<String>>,
    /// Names of environment variables a real agent is given; all others are cleared.
    #[schemars(with = "Option<Vec<String>>")]
    pub env: Option<Spanned<Vec<String>>>,
    /// A real agent's attempt running longer than this fails.
    #[schemars(with = "Option<DurationText>")]
    pub timeout: Option<DurationValue>,
    /// A real agent's attempt silent (no output line) for this long fails.
    #[schemars(with = "Option<DurationText>")]
    pub heartbeat: Option<DurationValue>,
}

/// The kinds of agent: `simulated` follows the `sim` settings, `command` runs a real program
/// speaking the agent protocol, `claude`, `codex` and `gemini` run that coding-agent CLI.
fn agent_kinds(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "description": "How the agent runs (default: simulated).",
        "type": "string",
        "enum": ["simulated", "command", "claude", "codex", "gemini"]
    })
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PhaseFile {
    /// Tasks join the phase with `phase = "id"`.
    #[schemars(with = "String")]
    pub id: Id,
    pub name: Option<String>,
    /// `sequential`: each task of the phase depends on the one before it (file order).
    #[serde(default)]
    pub mode: PhaseMode,
    /// Every task of this phase depends on every task of these phases.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub after: Vec<Id>,
    /// Tasks added and run when a task of this phase fails for good.
    #[serde(default)]
    pub rollback: Vec<TaskFile>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PhaseMode {
    #[default]
    Parallel,
    Sequential,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskFile {
    /// Unique among tasks and gates.
    #[schemars(with = "String")]
    pub id: Id,
    pub name: Option<String>,
    #[serde(default)]
    pub description: String,
    /// The agent that runs it (or give a `role`).
    #[schemars(with = "Option<String>")]
    pub agent: Option<Id>,
    /// Any agent with this role or skill may run it (or give an `agent`).
    #[schemars(with = "Option<String>")]
    pub role: Option<Spanned<String>>,
    /// Planned duration.
    #[schemars(with = "DurationText")]
    pub estimate: DurationValue,
    /// Task or gate ids that must be done first.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub depends_on: Vec<Id>,
    /// The scheduler starts higher priorities first (default: medium).
    #[serde(default)]
    pub priority: Priority,
    /// The phase this task belongs to.
    #[schemars(with = "Option<String>")]
    pub phase: Option<Id>,
    /// Resource names held while the task runs.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub resources: Vec<Id>,
    /// What the task is given: handed to the agent, shown in the task details.
    #[serde(default)]
    #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
    pub context: toml::Table,
    /// The handoff summary the task passes to its dependants when done.
    pub output: Option<String>,
    /// For a coding agent: the instruction it is given (default: built from the task's name,
    /// description, context and the outputs of the tasks it depends on).
    pub prompt: Option<String>,
    /// For a command agent: the argv to run for this task instead of the agent's.
    #[schemars(with = "Option<Vec<String>>", length(min = 1))]
    pub argv: Option<Spanned<Vec<String>>>,
    /// For a command agent: this task's timeout instead of the agent's.
    #[schemars(with = "Option<DurationText>")]
    pub timeout: Option<DurationValue>,
    /// How a simulated agent behaves on this task.
    #[serde(default)]
    pub sim: SimFile,
    /// This task reviews the work of its first dependency and may send it back for fixes.
    pub review: Option<ReviewFile>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewFile {
    /// Rounds in which the simulated review requests changes before it approves (default 1).
    #[schemars(with = "Option<u32>", range(max = 20))]
    pub rounds: Option<Spanned<u32>>,
    /// The most rounds of fixes; past them a person decides (default 2).
    #[schemars(with = "Option<u32>", range(max = 20))]
    pub max_rounds: Option<Spanned<u32>>,
    /// The estimate of each fix (default: the estimate of the reviewed task).
    #[schemars(with = "Option<DurationText>")]
    pub fix_estimate: Option<DurationValue>,
    /// The handoff of the re-review that approves the work.
    pub approval: Option<String>,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SimFile {
    /// The real duration (default: the estimate).
    #[schemars(with = "Option<DurationText>")]
    pub actual: Option<DurationValue>,
    /// `[low, high]`: the real duration is the estimate times a random factor in this range.
    #[schemars(with = "Option<(f64, f64)>")]
    pub jitter: Option<Spanned<(f64, f64)>>,
    /// The attempt fails at this progress percent.
    #[schemars(with = "Option<u8>", range(min = 1, max = 99))]
    pub fail_at: Option<Spanned<u8>>,
    /// How many attempts fail before one succeeds (default 1 when `fail_at` is set).
    #[schemars(with = "Option<u32>", range(max = 100))]
    pub fail_times: Option<Spanned<u32>>,
    pub fail_reason: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockerFile {
    #[schemars(with = "String")]
    pub id: Id,
    /// The task that raises it.
    #[schemars(with = "String")]
    pub task: Id,
    /// Progress percent at which it is raised (default 50).
    #[schemars(with = "Option<u8>", range(max = 99))]
    pub at: Option<Spanned<u8>>,
    /// e.g. `TECHNICAL_BLOCKER` (the default), `CONFLICT`, `RESOURCE`, `SCOPE`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Blockers whose severity policy does not decide wait for a person.
    pub severity: Severity,
    /// e.g. `DEPENDENCY`, `SECURITY`.
    #[serde(default)]
    pub category: String,
    pub title: String,
    #[serde(default)]
    pub issue: String,
    #[serde(default)]
    pub impact: String,
    /// The recommended option's number, from 1 (default 1).
    #[schemars(with = "Option<usize>", range(min = 1))]
    pub recommended: Option<Spanned<usize>>,
    /// The choices offered; at least one.
    #[schemars(with = "Vec<OptionFile>")]
    pub options: Spanned<Vec<OptionFile>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
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
    /// What choosing this option does to the plan.
    #[serde(default)]
    pub effect: EffectFile,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EffectFile {
    /// Added to the blocked task's remaining work.
    #[schemars(with = "Option<DurationText>")]
    pub delay: Option<DurationValue>,
    /// The blocked task's remaining work becomes this.
    #[schemars(with = "Option<DurationText>")]
    pub remaining: Option<DurationValue>,
    /// The blocked task moves to this agent.
    #[schemars(with = "Option<String>")]
    pub swap_agent: Option<Id>,
    /// Other tasks whose estimates grow.
    #[serde(default)]
    pub adjust: Vec<AdjustFile>,
    /// Tasks added to the plan.
    #[serde(default)]
    pub add_tasks: Vec<TaskFile>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustFile {
    #[schemars(with = "String")]
    pub task: Id,
    /// How much the task's estimate grows.
    #[schemars(with = "DurationText")]
    pub by: DurationValue,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GateFile {
    /// Tasks may depend on it.
    #[schemars(with = "String")]
    pub id: Id,
    pub name: Option<String>,
    /// Task or gate ids; the gate is evaluated when they are done.
    #[schemars(with = "Vec<String>")]
    pub after: Spanned<Vec<Id>>,
    /// The simulated result (default: passed).
    #[serde(default)]
    pub outcome: GateOutcome,
    /// Tasks added when the outcome is `passed_with_remediation`.
    #[serde(default)]
    pub remediation: Vec<TaskFile>,
}

/// The JSON Schema of a workflow file (draft-07, which TOML editors such as Taplo read).
pub fn json_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<WorkflowFile>();
    drop_null(&mut schema);
    schema.to_value()
}

/// TOML has no null: an optional field is one that is left out, so `null` is taken out of
/// every type, alternative and default.
fn drop_null(schema: &mut schemars::Schema) {
    use serde_json::Value;
    if let Some(object) = schema.as_object_mut() {
        if let Some(Value::Array(types)) = object.get_mut("type") {
            types.retain(|t| t != "null");
            if let [only] = types.as_slice() {
                let only = only.clone();
                object.insert("type".into(), only);
            }
        }
        if let Some(Value::Array(alternatives)) = object.get_mut("anyOf") {
            alternatives.retain(|a| a != &serde_json::json!({ "type": "null" }));
        }
        if object.get("default") == Some(&Value::Null) {
            object.remove("default");
        }
    }
    schemars::transform::transform_subschemas(&mut drop_null, schema);
}
