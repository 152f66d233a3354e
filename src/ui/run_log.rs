//! The log of a run a dashboard follows as it happens, in its own process or attached from
//! another: each event described in one sanitised line, sent to the log panel at its level, and
//! the latest lines kept with the agents they concern for the log filtered to one agent.

use crate::engine::concerns::concerned_agents;
use crate::engine::describe::describe;
use crate::engine::event::{EventBody, LogLevel};
use crate::engine::{Event, State};
use std::collections::VecDeque;

/// Lines kept for the log filtered to one agent.
const AGENT_LOG_LINES: usize = 500;

#[derive(Default)]
pub struct RunLog {
    /// The latest described events with the agents they concern.
    agent_log: VecDeque<(Vec<usize>, String)>,
}

impl RunLog {
    /// Logs `events`, which `state` has applied. Returns whether one changed the plan (and so
    /// perhaps the critical path).
    pub fn log(&mut self, events: &[Event], state: &State) -> bool {
        let mut replanned = false;
        for event in events {
            if let Some(line) = describe(event, state) {
                let line = crate::sanitise::sanitise_line(&line);
                if self.agent_log.len() == AGENT_LOG_LINES {
                    self.agent_log.pop_front();
                }
                let agents = concerned_agents(event, state);
                self.agent_log.push_back((agents, line.clone()));
                match &event.body {
                    EventBody::BlockerRaised { .. }
                    | EventBody::TaskFailed { .. }
                    | EventBody::TaskSkipped { .. } => {
                        tracing::warn!(target: "run", "{line}");
                    }
                    EventBody::Log {
                        level: LogLevel::Error,
                        ..
                    } => tracing::error!(target: "run", "{line}"),
                    EventBody::Message { .. } => tracing::info!(target: "agent", "{line}"),
                    _ => tracing::info!(target: "run", "{line}"),
                }
            }
            replanned |= matches!(event.body, EventBody::PlanChanged { .. });
        }
        replanned
    }

    /// The latest lines concerning agent `agent` (its index), oldest first.
    pub fn for_agent(&self, agent: usize) -> Vec<String> {
        self.agent_log
            .iter()
            .filter(|(agents, _)| agents.contains(&agent))
            .map(|(_, line)| line.clone())
            .collect()
    }
}
