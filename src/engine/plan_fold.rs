//! How a change of plan folds into the run's `State`: tasks added (and linked before the tasks
//! that now wait for them), estimates and remaining work changed, a task moved to another agent
//! (leaving the one running it), a failed task and what was skipped after it pending again, a
//! task cancelled, an agent paused or resumed. Part of the reducer, kept apart from the events
//! of the run going by itself.

use super::event::PlanChange;
use super::state::{ApplyError, State, TaskStatus};
use std::sync::Arc;

impl State {
    pub(super) fn change_plan(&mut self, change: &PlanChange, now: u64) -> Result<(), ApplyError> {
        match change {
            PlanChange::AddTask { task, before } => {
                if self.task_index(&task.id).is_some() {
                    return Err(ApplyError(format!("task `{}` already exists", task.id)));
                }
                if let Some(d) = task
                    .depends_on
                    .iter()
                    .find(|d| self.task_index(d).is_none())
                {
                    return Err(ApplyError(format!("unknown dependency `{d}`")));
                }
                let later = before
                    .iter()
                    .map(|b| self.task(b))
                    .collect::<Result<Vec<usize>, _>>()?;
                if let Some(&b) = later.iter().find(|&&b| {
                    !matches!(
                        self.nodes[b].status,
                        TaskStatus::Pending | TaskStatus::Ready
                    )
                }) {
                    return Err(ApplyError(format!(
                        "`{}` has started; a new task cannot come before it",
                        self.nodes[b].task.id
                    )));
                }
                let i = self.push_node((**task).clone(), None);
                self.link(i);
                for b in later {
                    Arc::make_mut(&mut self.nodes[b].task)
                        .depends_on
                        .push(task.id.clone());
                    self.nodes[i].dependants.push(b);
                    let node = &mut self.nodes[b];
                    node.deps.push(i);
                    node.waiting_on += 1;
                    self.set_status(b, TaskStatus::Pending);
                }
            }
            PlanChange::Reassign { task, to } => {
                let (t, a) = (self.task(task)?, self.agent(to)?);
                if matches!(
                    self.nodes[t].status,
                    TaskStatus::Running | TaskStatus::Blocked
                ) {
                    self.release(t, now, false);
                    self.set_status(t, TaskStatus::Pending);
                    self.nodes[t].pct = 0;
                }
                Arc::make_mut(&mut self.nodes[t].task).agent =
                    Some(self.agents[a].agent.id.clone());
            }
            PlanChange::Retry { task } => {
                let t = self.task(task)?;
                let mut stack = vec![t];
                while let Some(i) = stack.pop() {
                    if i != t && self.nodes[i].status != TaskStatus::Skipped {
                        continue;
                    }
                    self.set_status(i, TaskStatus::Pending);
                    let node = &mut self.nodes[i];
                    node.reason = None;
                    node.finished_ms = None;
                    stack.extend(node.dependants.iter().copied());
                }
            }
            PlanChange::Cancel { task } => {
                let t = self.task(task)?;
                self.release(t, now, false);
                self.set_status(t, TaskStatus::Skipped);
                let node = &mut self.nodes[t];
                node.reason = Some("cancelled".into());
                node.finished_ms = Some(now);
            }
            PlanChange::PauseAgent { agent } | PlanChange::ResumeAgent { agent } => {
                let a = self.agent(agent)?;
                self.agents[a].paused = matches!(change, PlanChange::PauseAgent { .. });
            }
            PlanChange::Delay { task, by_ms } => {
                let t = self.task(task)?;
                self.nodes[t].expected_ms += by_ms;
            }
            PlanChange::SetRemaining { task, remaining_ms } => {
                let t = self.task(task)?;
                let done = self.nodes[t].expected_ms * u64::from(self.nodes[t].pct) / 100;
                self.nodes[t].expected_ms = done + remaining_ms;
            }
            PlanChange::SetEstimate { task, estimate_ms } => {
                let t = self.task(task)?;
                Arc::make_mut(&mut self.nodes[t].task).estimate_ms = *estimate_ms;
                self.nodes[t].expected_ms = *estimate_ms;
            }
        }
        Ok(())
    }
}
