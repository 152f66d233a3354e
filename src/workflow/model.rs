//! The resolved workflow: what a workflow file means once parsed and checked. Durations are in
//! milliseconds, phases are expanded into dependencies, defaults are filled in. A recording's
//! header carries this form, so a replay needs nothing but the recording.

use crate::time::TimeUnit;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workflow {
    pub name: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub unit: TimeUnit,
    pub settings: Settings,
    #[serde(default)]
    pub resources: BTreeMap<String, u32>,
    pub agents: Vec<Agent>,
    #[serde(default)]
    pub phases: Vec<Phase>,
    pub tasks: Vec<Task>,
    #[serde(default)]
    pub blockers: Vec<Blocker>,
    #[serde(default)]
    pub gates: Vec<Gate>,
}

impl Workflow {
    /// Whether some agent runs real processes (and so the run goes on the wall clock).
    pub fn has_command_agents(&self) -> bool {
        self.agents.iter().any(|a| a.kind.command().is_some())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub max_parallel: usize,
    pub seed: u64,
    pub max_retries: u32,
    pub retry_backoff_ms: u64,
    pub progress_step: u8,
    pub escalation: Escalation,
    #[serde(default)]
    pub alerts: AlertSettings,
    /// `[[settings.permissions]]`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<super::permissions::PermissionRule>,
    /// US dollars per million tokens, by model.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub prices: BTreeMap<String, super::cost::Price>,
    #[serde(default)]
    pub budget: super::cost::Budget,
    /// `[settings.notify]`: run when a blocker waits for a person and nobody watches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify: Option<super::notify::Notify>,
}

/// Thresholds of the alert conditions the engine watches; see `engine::alerts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertSettings {
    /// An agent whose share of failed attempts goes over this (0..=1) raises an alert.
    pub failure_rate: f64,
    /// A task running longer than this many times its expected duration raises an alert
    /// (0: never).
    pub overrun: f64,
    /// This many blockers of one category raise an alert (0: never).
    pub repeated_escalations: u32,
    /// An agent idle while ready work it could take waits raises an alert.
    pub idle_with_ready_work: bool,
}

impl Default for AlertSettings {
    fn default() -> AlertSettings {
        AlertSettings {
            failure_rate: 0.2,
            overrun: 1.5,
            repeated_escalations: 2,
            idle_with_ready_work: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Escalation {
    /// Severities policy may decide on its own (taking the recommended option).
    pub policy_decides: Vec<Severity>,
    /// How long policy waits before deciding, so a person can step in first.
    pub decide_after_ms: u64,
    /// Who leads a blocker of a given category.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub routes: Vec<Route>,
    /// A blocker policy would decide that is open longer than this goes to a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocker_limit_ms: Option<u64>,
    /// Past this run time, policy decides nothing more: every blocker goes to a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_budget_ms: Option<u64>,
}

/// A blocker of this category is led by this agent (an agent id, or a role).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub category: String,
    pub lead: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Agent {
    pub id: String,
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub skills: Vec<String>,
    /// How the agent runs: `kind` and, for a command agent, its command's fields.
    #[serde(flatten)]
    pub kind: AgentKind,
    #[serde(default)]
    pub backups: Vec<String>,
}

impl Agent {
    /// Whether this agent can take work asked of `role`.
    pub fn has_role(&self, role: &str) -> bool {
        self.role == role || self.skills.iter().any(|s| s == role)
    }

    /// Whether this agent may take `task` over from another (a reassignment, a decision's
    /// `swap_agent`): it has the role the task needs, its own `role` or else `pinned_role`, the
    /// role of the agent it is pinned to. The one role check of every such move; the error says
    /// why not.
    pub fn may_take_over(&self, task: &Task, pinned_role: Option<&str>) -> Result<(), String> {
        match task.role.as_deref().or(pinned_role) {
            Some(role) if !self.has_role(role) => Err(format!(
                "`{}` has role `{}` and cannot take `{}`, which needs role `{role}`",
                self.id, self.role, task.id
            )),
            _ => Ok(()),
        }
    }

    /// Whether this agent may run `task`: the agent it is pinned to, or one with its role.
    pub fn can_take(&self, task: &Task) -> bool {
        match (&task.agent, &task.role) {
            (Some(id), _) => *id == self.id,
            (None, Some(role)) => self.has_role(role),
            (None, None) => false,
        }
    }
}

/// How an agent does its work.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AgentKind {
    /// Follows the workflow's `sim` settings on the run's clock.
    #[default]
    Simulated,
    /// A real process speaking the agent protocol (`docs/agent-protocol.md`).
    Command(CommandSpec),
    /// Claude Code, driven through its stream-json mode (`docs/agent-clis.md`).
    Claude(CodingSpec),
    /// Codex, driven through `codex app-server`.
    Codex(CodingSpec),
    /// Gemini CLI, driven through its stream-json output.
    Gemini(CodingSpec),
}

impl AgentKind {
    /// What a real agent's process runs and within which limits: a command agent's own
    /// command, or the one built for a coding-agent CLI.
    pub fn command(&self) -> Option<&CommandSpec> {
        match self {
            AgentKind::Command(spec) => Some(spec),
            AgentKind::Claude(c) | AgentKind::Codex(c) | AgentKind::Gemini(c) => Some(&c.run),
            AgentKind::Simulated => None,
        }
    }

    /// For a coding agent: which CLI, and how it is started.
    pub fn coding(&self) -> Option<(CodingCli, &CodingSpec)> {
        match self {
            AgentKind::Claude(c) => Some((CodingCli::Claude, c)),
            AgentKind::Codex(c) => Some((CodingCli::Codex, c)),
            AgentKind::Gemini(c) => Some((CodingCli::Gemini, c)),
            AgentKind::Simulated | AgentKind::Command(_) => None,
        }
    }
}

/// The coding-agent CLIs orch-tui drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodingCli {
    Claude,
    Codex,
    Gemini,
}

impl CodingCli {
    /// The agent `kind`, which is also the CLI's usual program name.
    pub fn kind(self) -> &'static str {
        match self {
            CodingCli::Claude => "claude",
            CodingCli::Codex => "codex",
            CodingCli::Gemini => "gemini",
        }
    }

    /// The npm package that installs the CLI.
    pub fn npm_package(self) -> &'static str {
        match self {
            CodingCli::Claude => "@anthropic-ai/claude-code",
            CodingCli::Codex => "@openai/codex",
            CodingCli::Gemini => "@google/gemini-cli",
        }
    }
}

/// How a coding agent's CLI is started: the fields as written, and the command built from them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodingSpec {
    /// The CLI to start: as written, or the kind's usual name (looked up in PATH).
    pub program: String,
    /// The model, passed to the CLI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Extra arguments, after orch-tui's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// The full argv in the CLI's headless, structured mode, and the attempt's limits.
    #[serde(flatten)]
    pub run: CommandSpec,
}

/// What a command agent runs and within which limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandSpec {
    /// The program and its arguments; no shell unless this names one.
    pub argv: Vec<String>,
    /// The working directory (absolute once resolved; the current one when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// Names of the environment variables passed through; all others are cleared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    /// An attempt running longer than this fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// An attempt silent (no output line) for this long fails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heartbeat_ms: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    pub id: String,
    pub name: String,
    pub sequential: bool,
    #[serde(default)]
    pub rollback: Vec<Task>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub estimate_ms: u64,
    #[serde(default)]
    pub depends_on: Vec<String>,
    #[serde(default)]
    pub priority: Priority,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub context: serde_json::Map<String, serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// The instruction to a coding agent (default: built from the task and its inputs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// Overrides of a command agent's argv and timeout for this task.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub argv: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    #[serde(default)]
    pub sim: SimBehaviour,
    /// When set, this task reviews the work of its first dependency and may send it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
}

/// A review loop: the simulated review sends the work back `rounds` times — a fix for the agent
/// that did the work, then a re-review — up to `max_rounds`, after which a person decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Rounds in which the simulated review requests changes before it approves.
    pub rounds: u32,
    /// The most rounds of fixes before a person decides.
    pub max_rounds: u32,
    /// The estimate of each fix (default: the reviewed task's estimate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix_estimate_ms: Option<u64>,
    /// The handoff of the re-review that approves (default: a line saying it approved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<String>,
    /// Which round a re-review added by the loop is (0 for the workflow's own review).
    #[serde(default)]
    pub round: u32,
}

impl Task {
    /// What the task asks for, as shown to people: the agent it is pinned to, or its role.
    pub fn wants(&self) -> &str {
        self.agent.as_deref().or(self.role.as_deref()).unwrap_or("")
    }
}

/// How a simulated agent behaves on a task.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SimBehaviour {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter: Option<(f64, f64)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_at: Option<u8>,
    #[serde(default)]
    pub fail_times: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_reason: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Low,
    #[default]
    Medium,
    High,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Low => "LOW",
            Severity::Medium => "MEDIUM",
            Severity::High => "HIGH",
            Severity::Critical => "CRITICAL",
        }
    }
}

/// An exception a task raises at some progress point: the task pauses until it is decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blocker {
    pub id: String,
    pub task: String,
    pub at_pct: u8,
    #[serde(flatten)]
    pub report: BlockerReport,
}

/// The exception report, as the decision panel shows it and the recording keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockerReport {
    #[serde(rename = "type")]
    pub kind: String,
    pub severity: Severity,
    #[serde(default)]
    pub category: String,
    pub title: String,
    #[serde(default)]
    pub issue: String,
    #[serde(default)]
    pub impact: String,
    pub options: Vec<DecisionOption>,
    /// 1-based option number.
    pub recommended: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionOption {
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
    pub effect: Effect,
}

/// What choosing an option does to the plan.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Effect {
    #[serde(default, skip_serializing_if = "is_zero")]
    pub delay_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swap_agent: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjust: Vec<Adjustment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub add_tasks: Vec<Task>,
}

fn is_zero(v: &u64) -> bool {
    *v == 0
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Adjustment {
    pub task: String,
    pub by_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gate {
    pub id: String,
    pub name: String,
    pub after: Vec<String>,
    pub outcome: GateOutcome,
    #[serde(default)]
    pub remediation: Vec<Task>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GateOutcome {
    #[default]
    Passed,
    PassedWithRemediation,
    Failed,
}

impl GateOutcome {
    pub fn passed(self) -> bool {
        self != GateOutcome::Failed
    }
}
