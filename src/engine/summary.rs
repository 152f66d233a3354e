//! The end-of-run summary: makespan against the sequential equivalent, time saved, peak
//! parallelism, how each blocker was decided, gate results and per-agent figures (see `metrics`). It is
//! computed from the `State` alone, carried in the `run_finished` event, printed by headless
//! runs and shown by the dashboard.

use crate::engine::event::Actor;
pub use crate::engine::metrics::AgentFigures;
use crate::engine::metrics::{SUMMARY_BUCKETS, agent_figures};
use crate::engine::spend::Spend;
use crate::engine::state::{State, TaskStatus};
use crate::workflow::model::{GateOutcome, Severity};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Succeeded,
    Failed,
    /// Stopped at a blocker that needs a person, with no one to decide it.
    AwaitingDecision,
    /// Stopped by the user before the end.
    Stopped,
}

impl RunStatus {
    /// The documented exit code.
    pub fn exit_code(self) -> i32 {
        match self {
            RunStatus::Succeeded => 0,
            RunStatus::Failed | RunStatus::Stopped => 1,
            RunStatus::AwaitingDecision => 3,
        }
    }

    /// How the run ended, in words.
    pub fn label(self) -> &'static str {
        match self {
            RunStatus::Succeeded => "succeeded",
            RunStatus::Failed => "FAILED",
            RunStatus::AwaitingDecision => "stopped: waiting for a decision",
            RunStatus::Stopped => "stopped",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub status: RunStatus,
    pub makespan_ms: u64,
    pub estimated_makespan_ms: u64,
    /// The sum of the time each task held an agent: what one agent doing everything would take.
    pub sequential_ms: u64,
    pub time_saved_pct: f64,
    pub peak_parallel: usize,
    pub tasks_done: usize,
    pub tasks_failed: usize,
    pub tasks_skipped: usize,
    pub blockers: Vec<BlockerOutcome>,
    pub gates: Vec<GateResult>,
    pub agents: Vec<AgentFigures>,
    /// Tokens and dollars real agents spent on the whole run.
    #[serde(default)]
    pub spend: Spend,
    /// The same per task, for the tasks that spent any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub task_spend: Vec<TaskSpend>,
}

/// What one task's attempts spent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSpend {
    pub task: String,
    #[serde(flatten)]
    pub spend: Spend,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockerOutcome {
    pub id: String,
    pub task: String,
    pub severity: Severity,
    pub option: Option<usize>,
    pub label: Option<String>,
    pub by: Option<Actor>,
    pub waited_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateResult {
    pub id: String,
    pub status: Option<GateOutcome>,
}

impl Summary {
    pub fn from_state(state: &State, status: RunStatus) -> Summary {
        let now = state.now_ms;
        let tasks = state.nodes.iter().filter(|n| !n.is_gate());
        let sequential_ms: u64 = tasks.clone().map(|n| n.held_ms(now)).sum();
        let time_saved_pct = if sequential_ms == 0 {
            0.0
        } else {
            round1(100.0 * (sequential_ms as f64 - now as f64) / sequential_ms as f64)
        };
        let count = |s: TaskStatus| tasks.clone().filter(|n| n.status == s).count();
        let blockers = state
            .blockers
            .iter()
            .map(|b| BlockerOutcome {
                id: b.id.clone(),
                task: state.nodes[b.task].task.id.clone(),
                severity: b.report.severity,
                option: b.decision.as_ref().map(|d| d.option),
                label: b.decision.as_ref().map(|d| d.label.clone()),
                by: b.decision.as_ref().map(|d| d.by),
                waited_ms: b.decision.as_ref().map_or(now, |d| d.at_ms) - b.raised_ms,
            })
            .collect();
        let gates = state
            .nodes
            .iter()
            .filter(|n| n.is_gate())
            .map(|n| GateResult {
                id: n.task.id.clone(),
                status: match n.status {
                    TaskStatus::Failed => Some(GateOutcome::Failed),
                    TaskStatus::Done => n.gate.map(|g| state.workflow.gates[g].outcome),
                    _ => None,
                },
            })
            .collect();
        let agents = agent_figures(state, now, SUMMARY_BUCKETS);
        Summary {
            status,
            makespan_ms: now,
            estimated_makespan_ms: state.estimated_makespan_ms,
            sequential_ms,
            time_saved_pct,
            peak_parallel: state.peak_parallel,
            tasks_done: count(TaskStatus::Done),
            tasks_failed: count(TaskStatus::Failed),
            tasks_skipped: count(TaskStatus::Skipped),
            blockers,
            gates,
            agents,
            spend: state.spend.run().figures(),
            task_spend: state
                .spend
                .tasks_used()
                .into_iter()
                .map(|t| TaskSpend {
                    task: state.nodes[t].task.id.clone(),
                    spend: state.spend.task(t).figures(),
                })
                .collect(),
        }
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
