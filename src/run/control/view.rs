//! A run at a glance, folded from its events: what `info` answers, what `ls` and `status` show,
//! and what a finished run's `ls` entry keeps.

use crate::engine::spend::{Spend, brief};
use crate::engine::state::{BlockerState, State, TaskStatus};
use crate::run::wire::RunInfo;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    pub run: RunInfo,
    /// `running`, or the final status (`succeeded`, `failed`, `stopped`, `awaiting_decision`).
    pub status: String,
    pub now_ms: u64,
    /// Tasks and gates in all, and those that reached an end (done, failed or skipped).
    pub total: usize,
    pub finished: usize,
    /// Task and gate ids by status (`pending`, `ready`, `running`, `blocked`, `done`, ...).
    pub tasks: BTreeMap<String, Vec<String>>,
    pub blockers: Vec<OpenBlocker>,
    pub viewers: usize,
    pub spend: Spend,
    /// The spend as a short phrase, e.g. `$2.95 · 1.1M tok`.
    pub cost: String,
}

/// A blocker that waits for a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenBlocker {
    pub id: String,
    pub task: String,
    pub title: String,
    /// The options' labels; option N is `options[N - 1]`.
    pub options: Vec<String>,
    /// 1-based.
    pub recommended: usize,
}

impl OpenBlocker {
    pub fn of(state: &State, b: &BlockerState) -> OpenBlocker {
        OpenBlocker {
            id: b.id.clone(),
            task: state.nodes[b.task].task.id.clone(),
            title: b.report.title.clone(),
            options: b.report.options.iter().map(|o| o.label.clone()).collect(),
            recommended: b.report.recommended,
        }
    }
}

impl RunView {
    pub fn of(run: &RunInfo, state: &State, viewers: usize) -> RunView {
        let mut tasks: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for node in &state.nodes {
            tasks
                .entry(node.status.label().to_string())
                .or_default()
                .push(node.task.id.clone());
        }
        let finished = [TaskStatus::Done, TaskStatus::Failed, TaskStatus::Skipped]
            .iter()
            .map(|s| state.count(*s))
            .sum();
        let blockers = state
            .open_blockers()
            .map(|b| OpenBlocker::of(state, b))
            .collect();
        let status = match &state.finished {
            Some(summary) => serde_json::to_value(summary.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            None => "running".to_string(),
        };
        let run_spend = state.spend.run();
        RunView {
            run: run.clone(),
            status,
            now_ms: state.now_ms,
            total: state.nodes.len(),
            finished,
            tasks,
            blockers,
            viewers,
            spend: run_spend.figures(),
            cost: match run_spend.is_empty() {
                true => String::new(),
                false => brief(&run_spend),
            },
        }
    }

    /// Finished tasks as a whole percentage.
    pub fn percent(&self) -> usize {
        (self.finished * 100).checked_div(self.total).unwrap_or(100)
    }
}
