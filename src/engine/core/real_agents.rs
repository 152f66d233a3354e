//! Real (command) agents, engine side. When the scheduler gives a task to a command agent the
//! engine records what the process is given (`agent_started`) and queues a `Launch` for the
//! driver instead of simulating the work; the driver feeds back what the process did through
//! `report`, which turns it into the usual events and applies the same blocker and failure
//! handling as for simulated agents; a permission request the workflow's rules answer is
//! decided at once (`by: "rule"`). Decisions on a real agent's blocker are queued for the
//! driver too. Look-ahead copies of the
//! engine (forecasts, projections) simulate the work still in flight from the estimates.

use super::{Engine, EventBody, TaskStatus};
use crate::engine::agent_io::{
    AgentReport, AgentRequest, Exit, Launch, RaisedBlocker, Speaks, context_package,
};
use crate::engine::event::{AgentInput, LogLevel};
use crate::engine::prompt::prompt;
use crate::workflow::model::CodingCli;
use crate::workflow::permissions::{self, PermissionDecision};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// The engine's bookkeeping of real processes.
#[derive(Debug, Clone, Default)]
pub(super) struct RealAgents {
    requests: Vec<AgentRequest>,
    /// The attempt running as a process, by task.
    in_flight: BTreeMap<usize, InFlight>,
    /// The id each real agent gave its blocker and the attempt that raised it, by blocker index
    /// (the recorded id may differ when it had to be made unique).
    blocker_ids: HashMap<usize, (String, u32)>,
    /// Look-ahead copies simulate command agents instead of starting processes.
    simulate: bool,
}

#[derive(Debug, Clone)]
struct InFlight {
    attempt: u32,
    result: Option<String>,
}

impl Engine {
    /// The requests queued for the driver since the last call, in order.
    pub fn take_requests(&mut self) -> Vec<AgentRequest> {
        std::mem::take(&mut self.real.requests)
    }

    /// The option the workflow's permission rules choose for a permission request: 1 (allow
    /// once) or 3 (deny); none when they ask, or the request is not one.
    fn ruled_option(&self, raised: &RaisedBlocker) -> Option<usize> {
        let ask = raised.permission.as_ref()?;
        let rules = &self.state.workflow.settings.permissions;
        match permissions::decide(rules, &ask.tool, &ask.input) {
            PermissionDecision::Allow => Some(1),
            PermissionDecision::Deny => Some(3).filter(|_| raised.report.options.len() >= 3),
            PermissionDecision::Ask => None,
        }
    }

    /// Whether any attempt is running as a real process.
    pub fn has_processes(&self) -> bool {
        !self.real.in_flight.is_empty()
    }

    /// Processes every timer due by `now_ms`, then moves the clock there: a driver on the wall
    /// clock calls this before each report.
    pub fn catch_up(&mut self, now_ms: u64) {
        while let Some(t) = self.next_time() {
            if t > now_ms || self.is_finished() {
                break;
            }
            self.step();
        }
        self.advance_to(now_ms);
    }

    /// What attempt `attempt` of `task` did. Reports of attempts no longer running (ended,
    /// cancelled, or the run is over) are ignored; returns whether it was taken.
    pub fn report(&mut self, task: &str, attempt: u32, report: AgentReport) -> bool {
        let Some(t) = self.state.task_index(task) else {
            return false;
        };
        if self.is_finished() || self.real.in_flight.get(&t).map(|f| f.attempt) != Some(attempt) {
            return false;
        }
        let task = task.to_string();
        match report {
            AgentReport::Progress { pct, note } => self.emit(EventBody::TaskProgress {
                task,
                pct: pct.min(100),
                note,
            }),
            AgentReport::Log { level, text } => self.emit(EventBody::Log {
                level,
                text,
                task: Some(task),
            }),
            AgentReport::Message { to, text } => {
                let from = self.holder(t);
                self.emit(EventBody::Message { from, to, text });
            }
            AgentReport::Result { summary } => {
                if let Some(f) = self.real.in_flight.get_mut(&t) {
                    f.result = Some(summary);
                }
            }
            AgentReport::Usage(usage) => self.take_usage(t, attempt, usage),
            AgentReport::Activity(activity) => {
                let agent = self.holder(t);
                self.emit(EventBody::AgentActivity {
                    task,
                    agent,
                    attempt,
                    activity,
                });
            }
            AgentReport::Withdrawn { blocker } => self.withdraw(t, attempt, &blocker),
            AgentReport::Blocker(raised) => {
                if let Some(open) = self.state.nodes[t].blocker {
                    let text = format!(
                        "ignored blocker `{}`: blocker `{}` is still open",
                        raised.id, self.state.blockers[open].id
                    );
                    self.emit(EventBody::Log {
                        level: LogLevel::Warn,
                        text,
                        task: Some(task),
                    });
                } else {
                    let id = self.unused_blocker_id(&raised.id);
                    let b = self.state.blockers.len();
                    let ruled = self.ruled_option(&raised);
                    self.real.blocker_ids.insert(b, (raised.id, attempt));
                    self.raise(t, id, raised.report, ruled);
                }
            }
            AgentReport::Exited(exit) => {
                let ended = self.real.in_flight.remove(&t);
                self.note_undecided_blocker(t);
                match exit {
                    Exit::Succeeded => {
                        let result = ended.and_then(|f| f.result);
                        let output = result.or_else(|| self.state.nodes[t].task.output.clone());
                        self.complete(t, output);
                    }
                    Exit::Failed(reason) => self.fail(t, reason),
                    Exit::FailedForGood(reason) => self.fail_without_retry(t, reason),
                }
            }
        }
        if !self.is_finished() {
            self.schedule();
            self.check_end();
        }
        true
    }

    /// Whether tasks given to agent `a` run as a real process.
    pub(super) fn launches_process(&self, a: usize) -> bool {
        !self.real.simulate && self.state.agents[a].agent.kind.command().is_some()
    }

    /// Records what the process of task `t`'s attempt is given and queues it to start.
    pub(super) fn launch(&mut self, t: usize, a: usize, attempt: u32) {
        let agent = &self.state.agents[a].agent;
        let Some(spec) = agent.kind.command() else {
            return;
        };
        let task = &self.state.nodes[t].task;
        let mut input = context_package(&self.state, t, a, attempt);
        let mut argv = task.argv.clone().unwrap_or_else(|| spec.argv.clone());
        let speaks = match agent.kind.coding() {
            None => Speaks::Protocol,
            Some((cli, _)) => {
                let prompt = prompt(task.prompt.as_deref(), &input);
                if cli == CodingCli::Gemini {
                    argv.extend(["-p".to_string(), prompt.clone()]);
                }
                input["prompt"] = prompt.into();
                speaks(cli)
            }
        };
        let launch = Launch {
            task: task.id.clone(),
            agent: agent.id.clone(),
            attempt,
            argv,
            cwd: spec.cwd.as_ref().map(PathBuf::from),
            env: spec.env.clone(),
            timeout_ms: task.timeout_ms.or(spec.timeout_ms),
            heartbeat_ms: spec.heartbeat_ms,
            input,
            speaks,
        };
        self.emit(EventBody::AgentStarted {
            task: launch.task.clone(),
            agent: launch.agent.clone(),
            attempt,
            given: Box::new(AgentInput {
                argv: launch.argv.clone(),
                cwd: spec.cwd.clone(),
                env: launch.env.clone(),
                input: launch.input.clone(),
            }),
        });
        self.real.in_flight.insert(
            t,
            InFlight {
                attempt,
                result: None,
            },
        );
        self.real
            .requests
            .push(AgentRequest::Launch(Box::new(launch)));
    }

    /// Ends the process running task `t`, if one does: nothing it reports later is taken.
    pub(crate) fn end_in_flight(&mut self, t: usize) {
        if let Some(f) = self.real.in_flight.remove(&t) {
            self.real.requests.push(AgentRequest::End {
                task: self.state.nodes[t].task.id.clone(),
                attempt: f.attempt,
            });
        }
    }

    /// Queues the option chosen for blocker `b` for the process that raised it, if it still runs.
    pub(super) fn forward_decision(&mut self, b: usize, option: usize) {
        let Some((blocker, raised_by)) = self.real.blocker_ids.get(&b) else {
            return;
        };
        let t = self.state.blockers[b].task;
        if let Some(f) = self
            .real
            .in_flight
            .get(&t)
            .filter(|f| f.attempt == *raised_by)
        {
            self.real.requests.push(AgentRequest::Decide {
                task: self.state.nodes[t].task.id.clone(),
                attempt: f.attempt,
                blocker: blocker.clone(),
                option,
            });
        }
    }

    /// Turns this engine into a look-ahead copy: the processes in flight become simulated work
    /// for what remains of their expected duration, and later command tasks are simulated.
    pub(super) fn simulate_in_flight(&mut self) {
        self.real.simulate = true;
        self.real.requests.clear();
        for (t, _) in std::mem::take(&mut self.real.in_flight) {
            let node = &self.state.nodes[t];
            let elapsed = self
                .clock
                .saturating_sub(node.attempt_started_ms.unwrap_or(self.clock));
            let remaining = node.expected_ms.saturating_sub(elapsed).max(1);
            let blocked = node.status == TaskStatus::Blocked;
            let task = node.task.clone();
            self.sim.start(t, &task, &[], self.clock);
            self.sim.set_remaining(t, remaining);
            if blocked {
                self.sim.pause(t, self.clock);
            } else if let Some(due) = self.sim.next_due(t, self.clock) {
                self.push_work(due);
            }
        }
    }

    /// Closes task `t`'s open blocker when it is the one attempt `attempt` raised as `raised`.
    fn withdraw(&mut self, t: usize, attempt: u32, raised: &str) {
        let Some(b) = self.state.nodes[t].blocker else {
            return;
        };
        if self.real.blocker_ids.get(&b) != Some(&(raised.to_string(), attempt)) {
            return;
        }
        self.emit(EventBody::BlockerWithdrawn {
            blocker: self.state.blockers[b].id.clone(),
            reason: "the agent took its question back".into(),
        });
    }

    /// Says so when an attempt ends before its blocker was decided: the blocker stays open,
    /// but a later decision reaches no process, and the next attempt starts unblocked.
    fn note_undecided_blocker(&mut self, t: usize) {
        let Some(b) = self.state.nodes[t].blocker else {
            return;
        };
        let text = format!(
            "the attempt ended before blocker `{}` was decided",
            self.state.blockers[b].id
        );
        let task = Some(self.state.nodes[t].task.id.clone());
        self.emit(EventBody::Log {
            level: LogLevel::Warn,
            text,
            task,
        });
    }

    /// The id of the agent holding task `t`.
    pub(super) fn holder(&self, t: usize) -> String {
        self.state.nodes[t]
            .agent
            .map(|a| self.state.agents[a].agent.id.clone())
            .unwrap_or_default()
    }

    /// `wanted`, or `wanted-2`, `wanted-3`... if a blocker of that id exists already (a retried
    /// attempt raising the same blocker again).
    pub(super) fn unused_blocker_id(&self, wanted: &str) -> String {
        let taken = |id: &str| self.state.blocker_index(id).is_some();
        if !taken(wanted) {
            return wanted.to_string();
        }
        (2..)
            .map(|n| format!("{wanted}-{n}"))
            .find(|id| !taken(id))
            .unwrap_or_default()
    }
}

/// The language a coding agent's CLI speaks.
fn speaks(cli: CodingCli) -> Speaks {
    match cli {
        CodingCli::Claude => Speaks::Claude,
        CodingCli::Codex => Speaks::Codex,
        CodingCli::Gemini => Speaks::Gemini,
    }
}
