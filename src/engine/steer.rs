//! Re-planning a live run: a person reassigns, retries, cancels or re-estimates a task, pauses or
//! resumes an agent, or adds a task. Each change is checked first, like a workflow file (known
//! ids, an agent of the right role, no dependency cycle — the cycle is named), then recorded as
//! one `plan_changed` event, and the simulation follows it: a cancelled running task stops, a
//! reassigned running task moves (keeping the work done), a retried task becomes ready, and the
//! scheduler starts what can start.

use super::core::Engine;
use super::event::{Actor, EventBody, PlanChange};
use super::state::{State, TaskStatus};
use crate::error::closest;
use crate::workflow::graph::find_cycle;
use crate::workflow::model::Task;
use std::collections::HashMap;

impl Engine {
    /// Refuses a decision whose `swap_agent` moves task `t` to an agent that cannot take it.
    pub(super) fn check_swap(&self, t: usize, to: &str) -> Result<(), String> {
        may_take_over(&self.state, t, agent(&self.state, to)?)
    }

    /// Applies a change of plan made while the run goes on. Refuses, saying why, a change the
    /// run cannot take; nothing is recorded then.
    pub fn replan(&mut self, change: PlanChange, by: Actor) -> Result<(), String> {
        self.replan_as(change, by, None)
    }

    /// `replan`, recording who the person changing the plan is.
    pub fn replan_as(
        &mut self,
        change: PlanChange,
        by: Actor,
        who: Option<&str>,
    ) -> Result<(), String> {
        if self.is_finished() {
            return Err("the run has ended; its plan can no longer change".into());
        }
        check(&self.state, &change)?;
        let task = change
            .tasks()
            .first()
            .and_then(|id| self.state.task_index(id));
        if let (Some(t), PlanChange::Reassign { .. } | PlanChange::Cancel { .. }) = (task, &change)
            && self.state.nodes[t].status == TaskStatus::Running
        {
            self.sim.pause(t, self.clock);
            self.end_in_flight(t);
        }
        self.emit(EventBody::PlanChanged {
            change: change.clone(),
            by,
            who: who.map(str::to_string),
        });
        // An added task exists only now.
        let task = task.or_else(|| {
            change
                .tasks()
                .first()
                .and_then(|id| self.state.task_index(id))
        });
        match (&change, task) {
            (PlanChange::Cancel { task: id }, Some(t)) => {
                self.skip_dependants(t, &format!("dependency `{id}` was cancelled"));
            }
            (PlanChange::Retry { .. }, Some(t)) => {
                self.failures_on.retain(|&(task, _), _| task != t);
                self.make_ready(t);
            }
            (PlanChange::Reassign { .. } | PlanChange::AddTask { .. }, Some(t)) => {
                self.make_ready(t);
            }
            (PlanChange::Delay { by_ms, .. }, Some(t)) => self.sim.delay(t, *by_ms),
            (PlanChange::SetRemaining { remaining_ms, .. }, Some(t)) => {
                self.sim.set_remaining(t, *remaining_ms);
            }
            _ => {}
        }
        self.scheduler.deviate();
        self.schedule();
        self.check_alerts();
        self.check_end();
        Ok(())
    }
}

/// Whether `change` makes sense for the run as it stands; if not, why.
fn check(state: &State, change: &PlanChange) -> Result<(), String> {
    match change {
        PlanChange::AddTask { task, before } => check_new_task(state, task, before),
        PlanChange::Reassign { task, to } => {
            let t = open_task(state, task)?;
            let a = agent(state, to)?;
            let node = &state.nodes[t];
            if node.agent == Some(a) && node.status == TaskStatus::Running {
                return Err(format!("`{task}` already runs on `{to}`"));
            }
            may_take_over(state, t, a)
        }
        PlanChange::Retry { task } => {
            let t = task_of(state, task)?;
            if state.nodes[t].status != TaskStatus::Failed {
                return Err(format!(
                    "`{task}` has not failed (it is {}); only a failed task can be retried",
                    state.nodes[t].status.label()
                ));
            }
            Ok(())
        }
        PlanChange::Cancel { task }
        | PlanChange::SetEstimate { task, .. }
        | PlanChange::Delay { task, .. }
        | PlanChange::SetRemaining { task, .. } => open_task(state, task).map(|_| ()),
        PlanChange::PauseAgent { agent: id } => {
            if state.agents[agent(state, id)?].paused {
                return Err(format!("`{id}` is already paused"));
            }
            Ok(())
        }
        PlanChange::ResumeAgent { agent: id } => {
            if !state.agents[agent(state, id)?].paused {
                return Err(format!("`{id}` is not paused"));
            }
            Ok(())
        }
    }
}

/// Whether agent `a` may take task `t` over: the one role check of `:reassign` and of a
/// decision's `swap_agent`.
fn may_take_over(state: &State, t: usize, a: usize) -> Result<(), String> {
    let task = &state.nodes[t].task;
    let pinned = task.agent.as_deref().and_then(|p| state.agent_index(p));
    let pinned_role = pinned.map(|p| state.agents[p].agent.role.as_str());
    state.agents[a].agent.may_take_over(task, pinned_role)
}

/// A task, not a gate, that has not ended and is not waiting for a decision.
fn open_task(state: &State, id: &str) -> Result<usize, String> {
    let t = task_of(state, id)?;
    let node = &state.nodes[t];
    if node.status.is_terminal() {
        return Err(format!(
            "`{id}` is {}; it can no longer change",
            node.status.label()
        ));
    }
    if let Some(b) = node.blocker {
        return Err(format!(
            "`{id}` waits on blocker `{}`; decide it first",
            state.blockers[b].id
        ));
    }
    Ok(t)
}

fn task_of(state: &State, id: &str) -> Result<usize, String> {
    match state.task_index(id) {
        Some(t) if state.nodes[t].is_gate() => Err(format!("`{id}` is a gate, not a task")),
        Some(t) => Ok(t),
        None => Err(format!("unknown task `{id}`{}", hint(id, task_ids(state)))),
    }
}

fn agent(state: &State, id: &str) -> Result<usize, String> {
    state.agent_index(id).ok_or_else(|| {
        let ids: Vec<String> = state.agents.iter().map(|a| a.agent.id.clone()).collect();
        format!("unknown agent `{id}`{}", hint(id, ids))
    })
}

fn task_ids(state: &State) -> Vec<String> {
    state.nodes.iter().map(|n| n.task.id.clone()).collect()
}

fn hint(id: &str, candidates: Vec<String>) -> String {
    closest(id, &candidates).map_or_else(String::new, |c| format!("; did you mean `{c}`?"))
}

/// A task to add: a fresh valid id, an agent or a role some agent has, known dependencies and
/// resources, `before` tasks that have not started, and no dependency cycle.
fn check_new_task(state: &State, task: &Task, before: &[String]) -> Result<(), String> {
    let id = &task.id;
    if id.is_empty() || !id.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c)) {
        return Err(format!(
            "id `{id}` may only hold letters, digits, `-`, `_` and `.`"
        ));
    }
    if state.task_index(id).is_some() {
        return Err(format!("`{id}` already exists; choose another id"));
    }
    match (&task.agent, &task.role) {
        (Some(a), _) => {
            agent(state, a)?;
        }
        (None, Some(role)) if !state.agents.iter().any(|a| a.agent.has_role(role)) => {
            let roles: Vec<String> = state.agents.iter().map(|a| a.agent.role.clone()).collect();
            return Err(format!("no agent has role `{role}`{}", hint(role, roles)));
        }
        (None, Some(_)) => {}
        (None, None) => return Err(format!("`{id}` needs an agent or a role")),
    }
    for dep in &task.depends_on {
        if state.task_index(dep).is_none() {
            return Err(format!(
                "unknown task `{dep}`{}",
                hint(dep, task_ids(state))
            ));
        }
    }
    for b in before {
        let status = state.nodes[task_of(state, b)?].status;
        if !matches!(status, TaskStatus::Pending | TaskStatus::Ready) {
            return Err(format!(
                "`{b}` is {}; a new task can only come before one not started",
                status.label()
            ));
        }
    }
    if let Some(r) = task
        .resources
        .iter()
        .find(|r| !state.workflow.resources.contains_key(*r))
    {
        return Err(format!("unknown resource `{r}`"));
    }
    let mut edges: HashMap<&str, Vec<&str>> = state
        .nodes
        .iter()
        .map(|n| {
            (
                n.task.id.as_str(),
                n.task.depends_on.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    edges.insert(id, task.depends_on.iter().map(String::as_str).collect());
    for b in before {
        edges.entry(b.as_str()).or_default().push(id);
    }
    match find_cycle(&edges) {
        Some(cycle) => Err(format!(
            "adding `{id}` would make a dependency cycle: {}",
            cycle.join(" -> ")
        )),
        None => Ok(()),
    }
}
