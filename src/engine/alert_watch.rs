//! What the alert checks after each step may skip, so that a step costs little however many
//! agents and tasks the run has. Failure rates only rise when an attempt fails; the blockers of
//! a category only grow when one is raised; and no task an agent holds can overrun before its
//! deadline: the attempt's start, plus the time it waited on blockers, plus the overrun factor
//! times its expected duration. The watch follows every event the engine applies and keeps the
//! earliest deadline (a lower bound: time blocked only moves deadlines on); only a change of
//! plan, which may shorten an expected duration, makes the next check look at every task again.

use super::event::{AlertCondition, Event, EventBody};
use super::state::{State, TaskStatus};

/// The conditions found to hold: (condition, subject, detail).
pub(super) type Found = Vec<(AlertCondition, String, String)>;

#[derive(Debug, Clone, Default)]
pub(super) struct AlertWatch {
    /// No task an agent holds can have overrun at or before this run time.
    overrun_after: u64,
    /// An attempt failed since failure rates were last checked.
    pub(super) failed: bool,
    /// How many blockers there were when repeated escalations were last counted.
    pub(super) blockers: usize,
}

impl AlertWatch {
    /// Follows `event`, just applied to `state`; `about` is the node it is about, when known.
    pub(super) fn observe(&mut self, event: &Event, state: &State, about: Option<usize>) {
        match &event.body {
            EventBody::TaskFailed { .. } => self.failed = true,
            EventBody::TaskStarted { task, .. } => {
                if let Some(t) = state.task_index_about(task, about) {
                    let deadline = event.at_ms.saturating_add(overrun_limit(state, t));
                    self.overrun_after = self.overrun_after.min(deadline);
                }
            }
            EventBody::PlanChanged { .. } => self.overrun_after = 0,
            _ => {}
        }
    }

    /// Whether some task may have overrun by now.
    pub(super) fn overrun_due(&self, state: &State) -> bool {
        state.now_ms > self.overrun_after
    }

    /// After a look at every task: none can overrun at or before `deadline`.
    pub(super) fn overruns_checked(&mut self, deadline: u64) {
        self.overrun_after = deadline;
    }
}

/// How long task `t`'s attempt may run before it overruns: the overrun factor times its
/// expected duration, rounded down (a whole number of ms is over it exactly when it is over
/// the product).
fn overrun_limit(state: &State, t: usize) -> u64 {
    let factor = state.workflow.settings.alerts.overrun;
    (factor * state.nodes[t].expected_ms.max(1) as f64).floor() as u64
}

/// Finds every task that runs past `overrun` times its expected duration, leaving out the time
/// it waited on blockers, and not alerted yet. Returns the earliest deadline of the others.
pub(super) fn overruns(state: &State, found: &mut Found) -> u64 {
    let factor = state.workflow.settings.alerts.overrun;
    if factor <= 0.0 {
        return u64::MAX;
    }
    let unit = state.workflow.unit;
    let now = state.now_ms;
    let mut earliest = u64::MAX;
    for t in state.agents.iter().filter_map(|a| a.task) {
        let node = &state.nodes[t];
        if state.alerted(AlertCondition::Overrun, &node.task.id) {
            continue;
        }
        let started = node.attempt_started_ms.unwrap_or(now);
        let mut deadline = started.saturating_add(overrun_limit(state, t));
        // Time blocked only moves the deadline on: look it up once the task is past it.
        let mut blocked = 0;
        if now > deadline {
            blocked = time_blocked(state, t, started);
            deadline = deadline.saturating_add(blocked);
        }
        if node.status != TaskStatus::Running || now <= deadline {
            earliest = earliest.min(deadline);
            continue;
        }
        let elapsed = now - started - blocked;
        let expected = node.expected_ms.max(1);
        found.push((
            AlertCondition::Overrun,
            node.task.id.clone(),
            format!(
                "{} has run {}, {}% of its expected {}",
                node.task.id,
                unit.format(elapsed),
                100 * elapsed / expected,
                unit.format(expected)
            ),
        ));
    }
    earliest
}

/// How long task `t` has waited on blockers raised since `since` (its attempt's start): time
/// waiting for a person is not running time.
fn time_blocked(state: &State, t: usize, since: u64) -> u64 {
    let now = state.now_ms;
    state
        .blockers
        .iter()
        .filter(|b| b.task == t && b.raised_ms >= since)
        .map(|b| {
            let until = b.decision.as_ref().map_or(now, |d| d.at_ms);
            until.saturating_sub(b.raised_ms)
        })
        .sum()
}
