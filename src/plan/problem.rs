//! The scheduling problem behind a workflow, in the compact form the planner searches over:
//! durations, predecessors, which agents may run each node, priorities and capacities. Gates
//! are nodes of zero duration that no agent runs.

use crate::engine::state::{State, TaskStatus};
use crate::workflow::model::{Priority, Workflow};
use std::collections::HashMap;
use std::sync::Arc;

/// What a task asks for: an agent by id, or a role.
type Wish<'a> = (Option<&'a str>, Option<&'a str>);

#[derive(Debug, Clone)]
pub struct Problem {
    pub ids: Vec<String>,
    pub durations: Vec<u64>,
    pub preds: Vec<Vec<usize>>,
    pub succs: Vec<Vec<usize>>,
    /// Agents that may run each node; empty for gates. Shared between nodes that ask for the
    /// same agent or role.
    pub eligible: Vec<Arc<[usize]>>,
    pub priority: Vec<Priority>,
    pub agents: usize,
    pub max_parallel: usize,
    pub capacities: Vec<u32>,
    /// Resource indices each node holds while it runs.
    pub holds: Vec<Vec<usize>>,
}

impl Problem {
    pub fn len(&self) -> usize {
        self.durations.len()
    }

    pub fn is_empty(&self) -> bool {
        self.durations.is_empty()
    }

    /// The problem of a workflow before it runs, with estimates as durations.
    pub fn from_workflow(workflow: &Arc<Workflow>) -> Problem {
        Problem::from_state(&State::new(workflow.clone()))
    }

    /// The problem as a state sees it: its nodes (including added ones) with their current
    /// expected durations and agent pins.
    pub fn from_state(state: &State) -> Problem {
        let workflow = &state.workflow;
        let resource_names: Vec<&String> = workflow.resources.keys().collect();
        // Nodes asking for the same agent or role share one list of eligible agents.
        let gate: Arc<[usize]> = Arc::from([]);
        let mut by_wish: HashMap<Wish, Arc<[usize]>> = HashMap::new();
        let eligible = state
            .nodes
            .iter()
            .map(|n| {
                if n.is_gate() {
                    return gate.clone();
                }
                let (pinned, role) = (n.task.agent.as_deref(), n.task.role.as_deref());
                let agents = by_wish.entry((pinned, role)).or_insert_with(|| {
                    state
                        .agents
                        .iter()
                        .enumerate()
                        .filter(|(_, a)| a.agent.can_take(&n.task))
                        .map(|(i, _)| i)
                        .collect()
                });
                agents.clone()
            })
            .collect();
        Problem {
            ids: state.nodes.iter().map(|n| n.task.id.clone()).collect(),
            durations: state.nodes.iter().map(|n| n.expected_ms).collect(),
            preds: state.nodes.iter().map(|n| n.deps.clone()).collect(),
            succs: state.nodes.iter().map(|n| n.dependants.clone()).collect(),
            eligible,
            priority: state.nodes.iter().map(|n| n.task.priority).collect(),
            agents: state.agents.len(),
            max_parallel: workflow.settings.max_parallel,
            capacities: workflow.resources.values().copied().collect(),
            holds: state
                .nodes
                .iter()
                .map(|n| {
                    n.task
                        .resources
                        .iter()
                        .filter_map(|r| resource_names.iter().position(|x| *x == r))
                        .collect()
                })
                .collect(),
        }
    }

    /// Nodes still to finish in `state` (not done, failed or skipped).
    pub fn unfinished(state: &State) -> impl Iterator<Item = usize> + '_ {
        state
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| !n.status.is_terminal() && n.status != TaskStatus::Done)
            .map(|(i, _)| i)
    }
}
