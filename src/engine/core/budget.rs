//! Usage and budget, engine side. A real agent's usage report is priced (the cost it reported,
//! else its model's `[settings.prices]`, else none) and recorded as `agent_usage`. When a task's
//! or the run's dollars cross the limit in force (`[settings.budget]`, or as raised since), a
//! CRITICAL blocker of kind `BUDGET` goes to a person — never to policy — with three options:
//! raise the limit (by the workflow's limit, as many times as it takes to clear what was spent),
//! stop this task, or stop the run. A question the agent asks meanwhile (a permission) waits
//! and is raised once the limit is raised. The decision's effect is recorded like any other:
//! `budget_raised`, a cancelling `plan_changed`, or `run_finished` with status `stopped`.

use super::{Engine, EventBody, RunStatus, TaskStatus};
use crate::engine::FastMap;
use crate::engine::agent_io::Usage;
use crate::engine::event::{Actor, PlanChange};
use crate::engine::spend::{AttemptUsage, CostFrom};
use crate::workflow::model::{BlockerReport, DecisionOption, Severity};

/// The blocker kind of a crossed budget.
pub const BUDGET_KIND: &str = "BUDGET";

/// An open budget question: whose limit, and what raising it would make it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct BudgetAsk {
    /// The task whose own limit was crossed; `None` for the run's.
    task: Option<usize>,
    raise_to: f64,
}

/// The budget questions open, by blocker index.
pub(super) type BudgetAsks = FastMap<usize, BudgetAsk>;

impl Engine {
    /// Attempt `attempt` of task `t` has used `usage` so far: price it, record it, and ask a
    /// person if a limit is now crossed.
    pub(super) fn take_usage(&mut self, t: usize, attempt: u32, usage: Usage) {
        let reported = usage.cost_usd.filter(|c| c.is_finite() && *c >= 0.0);
        let price = usage
            .model
            .as_ref()
            .and_then(|m| self.state.workflow.settings.prices.get(m));
        let (cost_usd, cost_from) = match (reported, price) {
            (Some(c), _) => (Some(c), Some(CostFrom::Agent)),
            (None, Some(p)) => (
                Some(p.cost(usage.input_tokens, usage.cached_tokens, usage.output_tokens)),
                Some(CostFrom::Prices),
            ),
            (None, None) => (None, None),
        };
        let task = self.state.nodes[t].task.id.clone();
        let agent = self.holder(t);
        self.emit(EventBody::AgentUsage {
            task,
            agent,
            attempt,
            usage: AttemptUsage {
                input_tokens: usage.input_tokens,
                output_tokens: usage.output_tokens,
                cached_tokens: usage.cached_tokens,
                cost_usd,
                cost_from,
                model: usage.model,
            },
        });
        self.check_budget(t);
    }

    /// Asks a person about the first limit task `t`'s spending has crossed: its own, then the
    /// run's. Not while the task waits on another blocker, nor twice for one limit.
    pub(super) fn check_budget(&mut self, t: usize) {
        let node = &self.state.nodes[t];
        if node.blocker.is_some() || node.status != TaskStatus::Running || self.is_finished() {
            return;
        }
        let budget = self.state.workflow.settings.budget;
        let spend = &self.state.spend;
        let task_limit = spend.task_limits_usd.get(&t).copied().or(budget.task_usd);
        let run_limit = spend.run_limit_usd.or(budget.usd);
        let asked = |task: Option<usize>| self.budget_asks.values().any(|a| a.task == task);
        let crossed = |spent: Option<f64>, limit: Option<f64>| match (spent, limit) {
            (Some(s), Some(l)) => s > l,
            _ => false,
        };
        if crossed(spend.task(t).usd(), task_limit) && !asked(Some(t)) {
            let (spent, limit) = (spend.task(t).usd(), task_limit);
            self.ask_budget(t, Some(t), spent, limit, budget.task_usd);
        } else if crossed(spend.run().usd(), run_limit) && !asked(None) {
            let (spent, limit) = (spend.run().usd(), run_limit);
            self.ask_budget(t, None, spent, limit, budget.usd);
        }
    }

    /// Raises the budget blocker on task `t` about `whose` limit.
    fn ask_budget(
        &mut self,
        t: usize,
        whose: Option<usize>,
        spent: Option<f64>,
        limit: Option<f64>,
        step: Option<f64>,
    ) {
        let (Some(spent), Some(limit)) = (spent, limit) else {
            return;
        };
        let step = step.unwrap_or(limit).max(0.01);
        let steps = ((spent - limit) / step).floor() + 1.0;
        let raise_to = limit + step * steps.max(1.0);
        let task_id = self.state.nodes[t].task.id.clone();
        let (title, id, recommended) = match whose {
            Some(_) => (
                format!("{task_id} has spent ${spent:.2} of its ${limit:.2} budget"),
                format!("budget-{task_id}"),
                2,
            ),
            None => (
                format!("The run has spent ${spent:.2} of its ${limit:.2} budget"),
                "budget-run".to_string(),
                3,
            ),
        };
        let option = |label: String, pros: &str, cons: &str| DecisionOption {
            label,
            pros: pros.into(),
            cons: cons.into(),
            timeline: String::new(),
            resources: String::new(),
            effect: Default::default(),
        };
        let report = BlockerReport {
            kind: BUDGET_KIND.into(),
            severity: Severity::Critical,
            category: "budget".into(),
            title,
            issue: format!(
                "the {} limit is crossed",
                if whose.is_some() { "task's" } else { "run's" }
            ),
            impact: "the agent goes on working, and spending, until this is decided".into(),
            options: vec![
                option(
                    format!(
                        "Raise the limit by ${:.2} to ${raise_to:.2}",
                        raise_to - limit
                    ),
                    "the work goes on",
                    "more money is spent",
                ),
                option(
                    format!("Stop this task ({task_id})"),
                    "no more is spent on it",
                    "what depends on it is skipped",
                ),
                option(
                    "Stop the run".into(),
                    "nothing more is spent",
                    "the run ends now",
                ),
            ],
            recommended,
        };
        let id = self.unused_blocker_id(&id);
        let b = self.state.blockers.len();
        self.budget_asks.insert(
            b,
            BudgetAsk {
                task: whose,
                raise_to,
            },
        );
        self.raise(t, id, report, None);
    }

    /// Carries out the option chosen for blocker `b` if it is a budget question.
    pub(super) fn budget_decided(&mut self, b: usize, option: usize, by: Actor) {
        let Some(ask) = self.budget_asks.remove(&b) else {
            return;
        };
        let t = self.state.blockers[b].task;
        let task = self.state.nodes[t].task.id.clone();
        match option {
            1 => {
                self.emit(EventBody::BudgetRaised {
                    task: ask.task.map(|w| self.state.nodes[w].task.id.clone()),
                    usd: ask.raise_to,
                    by,
                });
                self.raise_held_blocker(t);
            }
            2 if !self.state.nodes[t].status.is_terminal() => {
                self.end_in_flight(t);
                self.emit(EventBody::PlanChanged {
                    change: PlanChange::Cancel { task: task.clone() },
                    by,
                    who: None,
                });
                self.skip_dependants(t, &format!("dependency `{task}` was stopped at its budget"));
            }
            2 => {}
            _ => self.finish(RunStatus::Stopped),
        }
    }
}
