//! Alert conditions, checked by the engine after every step on the run's state, each against
//! its threshold in `[settings.alerts]`: an agent's share of failed attempts over the limit, a
//! task running past a multiple of its expected duration, several blockers of one category, and
//! an agent idle while ready work it could take waits. A task's running time leaves out the time
//! it waited on a blocker. Each holds once per condition and subject: it is recorded as
//! `alert_raised` and stays until a person acknowledges it (`alert_acknowledged`). What a check
//! may skip, because nothing it looks at changed since, is kept by `alert_watch`.

use super::alert_watch::{self, Found};
use super::core::Engine;
use super::event::{Actor, AlertCondition, EventBody};
use super::state::State;
use std::collections::BTreeMap;

impl Engine {
    /// Raises every alert whose condition now holds for the first time.
    pub(super) fn check_alerts(&mut self) {
        if self.is_finished() {
            return;
        }
        let mut found = Vec::new();
        let state = self.state();
        let watch = &self.alert_watch;
        if watch.failed {
            failure_rates(state, &mut found);
        }
        let overruns_checked = watch
            .overrun_due(state)
            .then(|| alert_watch::overruns(state, &mut found));
        let blockers = state.blockers.len();
        if blockers != watch.blockers {
            repeated_escalations(state, &mut found);
        }
        if state.workflow.settings.alerts.idle_with_ready_work {
            idle_with_ready_work(state, self.scheduler.ready(state), &mut found);
        }
        let watch = &mut self.alert_watch;
        watch.failed = false;
        watch.blockers = blockers;
        if let Some(deadline) = overruns_checked {
            watch.overruns_checked(deadline);
        }
        for (condition, subject, detail) in found {
            if self.state().alerted(condition, &subject) {
                continue;
            }
            let alert = format!("alert-{}", self.state().alerts.len() + 1);
            self.emit(EventBody::AlertRaised {
                alert,
                condition,
                subject,
                detail,
            });
        }
    }

    /// Marks an alert as seen.
    pub fn acknowledge(&mut self, alert: &str, by: Actor) -> Result<(), String> {
        if self.is_finished() {
            return Err("the run has ended; its alerts stay as they were".into());
        }
        let Some(a) = self.state().alerts.iter().find(|a| a.id == alert) else {
            return Err(format!("no alert `{alert}`"));
        };
        if a.acknowledged.is_some() {
            return Err(format!("alert `{alert}` is already acknowledged"));
        }
        self.emit(EventBody::AlertAcknowledged {
            alert: alert.to_string(),
            by,
        });
        Ok(())
    }
}

fn failure_rates(state: &State, found: &mut Found) {
    let limit = state.workflow.settings.alerts.failure_rate;
    for a in &state.agents {
        let attempts = a.done + a.failed;
        let over = a.failed > 0 && f64::from(a.failed) > limit * f64::from(attempts);
        if over && !state.alerted(AlertCondition::FailureRate, &a.agent.id) {
            found.push((
                AlertCondition::FailureRate,
                a.agent.id.clone(),
                format!(
                    "{}: {} of {} attempts failed ({:.0}%, limit {:.0}%)",
                    a.agent.id,
                    a.failed,
                    attempts,
                    100.0 * f64::from(a.failed) / f64::from(attempts),
                    100.0 * limit
                ),
            ));
        }
    }
}

fn repeated_escalations(state: &State, found: &mut Found) {
    let limit = state.workflow.settings.alerts.repeated_escalations as usize;
    if limit == 0 {
        return;
    }
    let mut by_category: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for b in &state.blockers {
        by_category
            .entry(category(&b.report))
            .or_default()
            .push(&b.id);
    }
    for (category, blockers) in by_category {
        if blockers.len() >= limit {
            found.push((
                AlertCondition::RepeatedEscalations,
                category.to_string(),
                format!(
                    "{} blockers of category {category}: {}",
                    blockers.len(),
                    blockers.join(", ")
                ),
            ));
        }
    }
}

/// The blocker's category, or its type when it has none.
pub fn category(report: &crate::workflow::model::BlockerReport) -> &str {
    if report.category.is_empty() {
        &report.kind
    } else {
        &report.category
    }
}

/// Free agents (not paused) for which a ready task they could start now waits: their role
/// matches, or it is pinned to them, and its resources are free.
fn idle_with_ready_work(
    state: &State,
    ready: impl Iterator<Item = usize> + Clone,
    found: &mut Found,
) {
    if state.running >= state.workflow.settings.max_parallel || ready.clone().next().is_none() {
        return;
    }
    for a in &state.agents {
        if a.task.is_some()
            || a.paused
            || state.alerted(AlertCondition::IdleWithReadyWork, &a.agent.id)
        {
            continue;
        }
        let waiting = ready.clone().find(|&t| {
            let task = &state.nodes[t].task;
            let fits = task.resources.iter().all(|r| {
                let cap = state.workflow.resources.get(r).copied().unwrap_or(0);
                state.resources_in_use.get(r).copied().unwrap_or(0) < cap
            });
            fits && a.agent.can_take(task)
        });
        if let Some(t) = waiting {
            found.push((
                AlertCondition::IdleWithReadyWork,
                a.agent.id.clone(),
                format!(
                    "{} is idle while {} ({}) is ready for it",
                    a.agent.id,
                    state.nodes[t].task.id,
                    state.nodes[t].task.wants()
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::event::{Event, EventBody};
    use std::sync::Arc;

    #[test]
    fn an_idle_agent_with_ready_work_for_its_role_is_found() {
        let w = crate::workflow::parse(
            r#"[workflow]
name = "idle"
[[agents]]
id = "eng1"
role = "engineer"
[[agents]]
id = "des"
role = "designer"
[[tasks]]
id = "A"
role = "engineer"
estimate = 1
"#,
            "idle.toml",
        )
        .expect("valid");
        let mut state = State::new(Arc::new(w));
        let ready = Event {
            seq: 1,
            at_ms: 0,
            body: EventBody::TaskReady { task: "A".into() },
            wall_ms: None,
        };
        state.apply(&ready).expect("A exists");
        let mut found = Vec::new();
        idle_with_ready_work(&state, [0].into_iter(), &mut found);
        let subjects: Vec<&str> = found.iter().map(|(_, s, _)| s.as_str()).collect();
        assert_eq!(subjects, vec!["eng1"], "the designer cannot take A");
        state.agents[0].paused = true;
        found.clear();
        idle_with_ready_work(&state, [0].into_iter(), &mut found);
        assert!(found.is_empty(), "a paused agent is not idle");
    }
}
