//! The one failure policy, for simulated and real agents alike: a failed attempt is retried on
//! the same agent (after the backoff) up to `max_retries` times, then the task moves to a backup
//! agent that has not failed it yet, and when none is left it fails for good: what depends on it
//! is skipped and, if its phase has rollback tasks, the rest of the phase is skipped and the
//! rollback runs.

use super::{Actor, Engine, EventBody, TaskStatus, Timer};

impl Engine {
    /// An attempt failed: retry on the same agent, then reassign to a backup, then give up.
    pub(super) fn fail(&mut self, t: usize, reason: String) {
        self.fail_with(t, reason, true);
    }

    /// An attempt failed in a way a retry on the same agent would only repeat: reassign to a
    /// backup, or give up.
    pub(super) fn fail_without_retry(&mut self, t: usize, reason: String) {
        self.fail_with(t, reason, false);
    }

    fn fail_with(&mut self, t: usize, reason: String, retry: bool) {
        self.scheduler.deviate();
        let node = &self.state.nodes[t];
        let task = node.task.id.clone();
        let Some(a) = node.agent else { return };
        let agent = self.state.agents[a].agent.clone();
        let failures = {
            let f = self.failures_on.entry((t, a)).or_default();
            *f += 1;
            *f
        };
        let settings = &self.state.workflow.settings;
        let backoff = settings.retry_backoff_ms;
        let max_retries = if retry { settings.max_retries } else { 0 };
        let backup = agent.backups.iter().find(|b| {
            self.state
                .agent_index(b)
                .is_some_and(|i| !self.failures_on.contains_key(&(t, i)))
        });
        if failures <= max_retries || backup.is_some() {
            self.emit(EventBody::TaskFailed {
                task: task.clone(),
                agent: agent.id.clone(),
                reason,
                is_final: false,
            });
            if let Some(to) = backup.filter(|_| failures > max_retries) {
                self.emit(EventBody::TaskReassigned {
                    task,
                    from: agent.id.clone(),
                    to: to.clone(),
                });
            }
            self.push_timer(self.clock + backoff, Timer::Retry { task: t });
            return;
        }
        self.emit(EventBody::TaskFailed {
            task: task.clone(),
            agent: agent.id,
            reason,
            is_final: true,
        });
        self.skip_dependants(t, &format!("dependency `{task}` failed"));
        self.roll_back(t);
    }

    pub(in crate::engine) fn skip_dependants(&mut self, t: usize, reason: &str) {
        let mut stack = self.state.nodes[t].dependants.clone();
        while let Some(d) = stack.pop() {
            if self.state.nodes[d].status.is_terminal() {
                continue;
            }
            let task = self.state.nodes[d].task.id.clone();
            self.emit(EventBody::TaskSkipped {
                task,
                reason: reason.to_string(),
            });
            stack.extend(self.state.nodes[d].dependants.iter().copied());
        }
    }

    /// A task of a phase with rollback tasks failed for good: skip what of the phase has not
    /// started, and run the rollback.
    fn roll_back(&mut self, t: usize) {
        let Some(phase_id) = self.state.nodes[t].task.phase.clone() else {
            return;
        };
        let Some(phase) = self
            .state
            .workflow
            .phases
            .iter()
            .find(|p| p.id == phase_id)
            .cloned()
        else {
            return;
        };
        if phase.rollback.is_empty() || self.rolled_back.contains(&phase.id) {
            return;
        }
        self.rolled_back.push(phase.id.clone());
        let reason = format!("phase `{}` rolled back", phase.id);
        let waiting: Vec<usize> = (0..self.state.nodes.len())
            .filter(|&i| {
                let n = &self.state.nodes[i];
                n.task.phase.as_deref() == Some(&phase.id)
                    && matches!(n.status, TaskStatus::Pending | TaskStatus::Ready)
            })
            .collect();
        for i in waiting {
            if !self.state.nodes[i].status.is_terminal() {
                let task = self.state.nodes[i].task.id.clone();
                self.emit(EventBody::TaskSkipped {
                    task,
                    reason: reason.clone(),
                });
                self.skip_dependants(i, &reason);
            }
        }
        for task in phase.rollback {
            self.add_task(task, Actor::Policy);
        }
    }
}
