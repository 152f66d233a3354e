//! How what real agents do and spend folds into the run's `State`: usage into the ledger of
//! tokens and dollars, activity into each task's doings (a todo list also gives the task its
//! progress, done of total), and a raised budget limit into the limits in force. Part of the
//! reducer, kept apart from the scheduling events.

use super::event::EventBody;
use super::state::{ApplyError, State};
use crate::engine::agent_io::Activity;

impl State {
    pub(super) fn apply_agent_work(
        &mut self,
        body: &EventBody,
        now: u64,
    ) -> Result<(), ApplyError> {
        match body {
            EventBody::AgentUsage {
                task,
                agent,
                attempt,
                usage,
            } => {
                let (t, a) = (self.task(task)?, self.agent(agent)?);
                self.spend.record(t, *attempt, a, usage);
            }
            EventBody::AgentActivity { task, activity, .. } => {
                let t = self.task(task)?;
                self.doings.apply(t, activity, now);
                if let Activity::Todo { done, total } = activity
                    && *total > 0
                {
                    let node = &mut self.nodes[t];
                    node.pct = (u64::from((*done).min(*total)) * 100 / u64::from(*total)) as u8;
                    node.progress_reported = true;
                }
            }
            EventBody::BudgetRaised { task, usd, .. } => match task {
                Some(id) => {
                    let t = self.task(id)?;
                    self.spend.task_limits_usd.insert(t, *usd);
                }
                None => self.spend.run_limit_usd = Some(*usd),
            },
            _ => {}
        }
        Ok(())
    }
}
