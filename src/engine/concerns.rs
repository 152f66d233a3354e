//! Which agents an event concerns: the agent that started, finished or failed a task, both ends
//! of a reassignment or a message (a message to a role concerns every agent with that role),
//! the agent a blocker or its decision stopped, and the agent holding the task a log line or a
//! change of plan names. The log panel filters on it to show one agent's story.

use super::event::{AlertCondition, Event, EventBody, PlanChange};
use super::state::State;

/// The indices of the agents `event` concerns, in `state` (the state after the event).
pub fn concerned_agents(event: &Event, state: &State) -> Vec<usize> {
    let by_id = |id: &str| state.agent_index(id).into_iter().collect::<Vec<_>>();
    let holder = |task: &str| {
        state
            .task_index(task)
            .and_then(|t| state.nodes[t].agent)
            .into_iter()
            .collect::<Vec<_>>()
    };
    match &event.body {
        EventBody::TaskStarted { agent, .. }
        | EventBody::AgentStarted { agent, .. }
        | EventBody::TaskCompleted { agent, .. }
        | EventBody::TaskFailed { agent, .. }
        | EventBody::BlockerRaised { agent, .. }
        | EventBody::AgentUsage { agent, .. }
        | EventBody::AgentActivity { agent, .. } => by_id(agent),
        EventBody::BudgetRaised { task, .. } => task.as_deref().map(holder).unwrap_or_default(),
        EventBody::TaskReassigned { from, to, .. } => [by_id(from), by_id(to)].concat(),
        EventBody::Message { from, to, .. } => {
            let sender = by_id(from);
            let addressees = (0..state.agents.len()).filter(|&a| {
                let agent = &state.agents[a].agent;
                !sender.contains(&a) && (agent.id == *to || agent.has_role(to))
            });
            sender.iter().copied().chain(addressees).collect()
        }
        EventBody::DecisionMade { blocker, .. }
        | EventBody::BlockerEscalated { blocker, .. }
        | EventBody::BlockerWithdrawn { blocker, .. } => state
            .blocker_index(blocker)
            .map(|b| state.blockers[b].agent)
            .into_iter()
            .collect(),
        EventBody::TaskReady { task }
        | EventBody::TaskProgress { task, .. }
        | EventBody::TaskSkipped { task, .. }
        | EventBody::Log {
            task: Some(task), ..
        } => holder(task),
        EventBody::PlanChanged { change, .. } => match change {
            PlanChange::AddTask { task, .. } => {
                task.agent.as_deref().map(by_id).unwrap_or_default()
            }
            PlanChange::Reassign { task, to } => [holder(task), by_id(to)].concat(),
            PlanChange::PauseAgent { agent } | PlanChange::ResumeAgent { agent } => by_id(agent),
            PlanChange::Retry { task }
            | PlanChange::Cancel { task }
            | PlanChange::Delay { task, .. }
            | PlanChange::SetRemaining { task, .. }
            | PlanChange::SetEstimate { task, .. } => holder(task),
        },
        EventBody::AlertRaised {
            condition, subject, ..
        } => match condition {
            AlertCondition::FailureRate | AlertCondition::IdleWithReadyWork => by_id(subject),
            AlertCondition::Overrun => holder(subject),
            AlertCondition::RepeatedEscalations => Vec::new(),
        },
        EventBody::AlertAcknowledged { .. }
        | EventBody::RunStarted { .. }
        | EventBody::GateEvaluated { .. }
        | EventBody::Log { task: None, .. }
        | EventBody::RunFinished { .. } => Vec::new(),
    }
}
