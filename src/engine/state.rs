//! The run's state as a pure fold over events: `State::apply(&mut self, &Event)`. Live runs and
//! replays feed the same reducer, so a replay shows exactly what the live run showed. The state
//! knows nothing of clocks, processes or terminals; it also keeps the derived counts (unfinished
//! dependencies, running tasks, resources in use) that the scheduler and the dashboard read.

use crate::engine::FastMap;
use crate::engine::doings::Doings;
use crate::engine::event::{Actor, AlertCondition, Decider, Event, EventBody, LogLevel};
use crate::engine::spend::Ledger;
use crate::engine::summary::Summary;
use crate::workflow::model::{Agent, BlockerReport, GateOutcome, Task, Workflow};
use std::collections::{BTreeMap, HashSet, VecDeque};
use tally::Tally;

mod tally;

/// Ids to indices: every event names its task, and most name an agent.
type IdIndex = FastMap<String, usize>;
use std::sync::Arc;

/// Where a task (or gate) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    Pending,
    Ready,
    Running,
    Blocked,
    Done,
    Failed,
    Skipped,
}

impl TaskStatus {
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            TaskStatus::Done | TaskStatus::Failed | TaskStatus::Skipped
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::Pending => "pending",
            TaskStatus::Ready => "ready",
            TaskStatus::Running => "running",
            TaskStatus::Blocked => "blocked",
            TaskStatus::Done => "done",
            TaskStatus::Failed => "failed",
            TaskStatus::Skipped => "skipped",
        }
    }
}

/// A stretch of time a task held an agent, for the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Stint {
    pub agent: usize,
    pub start_ms: u64,
    pub end_ms: Option<u64>,
    pub failed: bool,
}

/// A node of the plan: a task, or a quality gate (which no agent runs).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The task as planned; shared with every copy of the state, copied only when it changes.
    pub task: Arc<Task>,
    /// Index into the workflow's gates when this node is a gate.
    pub gate: Option<usize>,
    pub deps: Vec<usize>,
    pub dependants: Vec<usize>,
    /// Dependencies not yet done.
    pub waiting_on: usize,
    pub status: TaskStatus,
    pub agent: Option<usize>,
    pub attempts: u32,
    pub pct: u8,
    /// The current attempt runs a real process (a command agent).
    pub runs_command: bool,
    /// What a coding agent was told to do in its current or last attempt.
    pub prompt: Option<String>,
    /// The current attempt has reported progress (a command agent may never).
    pub progress_reported: bool,
    pub started_ms: Option<u64>,
    pub attempt_started_ms: Option<u64>,
    pub finished_ms: Option<u64>,
    /// The current expectation of the task's whole duration (estimate plus delays).
    pub expected_ms: u64,
    pub blocker: Option<usize>,
    pub output: Option<String>,
    pub reason: Option<String>,
    pub stints: Vec<Stint>,
}

impl Node {
    /// Time this task held an agent, up to `now`.
    pub fn held_ms(&self, now: u64) -> u64 {
        self.stints
            .iter()
            .map(|s| s.end_ms.unwrap_or(now).saturating_sub(s.start_ms))
            .sum()
    }

    pub fn is_gate(&self) -> bool {
        self.gate.is_some()
    }

    /// Whether the progress of the current attempt is unknown: a real process that has not
    /// reported any (shown as running, never as a made-up percentage).
    pub fn progress_unknown(&self) -> bool {
        self.runs_command && !self.progress_reported
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AgentState {
    pub agent: Agent,
    pub task: Option<usize>,
    pub busy_ms: u64,
    pub busy_since: Option<u64>,
    pub done: u32,
    pub failed: u32,
    pub last_task: Option<usize>,
    /// Paused by a person: the scheduler gives it no new work.
    pub paused: bool,
}

impl AgentState {
    pub fn busy_at(&self, now: u64) -> u64 {
        self.busy_ms + self.busy_since.map_or(0, |s| now.saturating_sub(s))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub option: usize,
    pub label: String,
    pub by: Actor,
    /// Who decided, when a person did and said who.
    pub who: Option<String>,
    pub at_ms: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BlockerState {
    pub id: String,
    pub task: usize,
    pub agent: usize,
    pub report: BlockerReport,
    pub raised_ms: u64,
    pub decides: Decider,
    pub policy_at_ms: Option<u64>,
    pub decision: Option<Decision>,
    /// Who leads it, by the workflow's routing.
    pub led_by: Option<String>,
    /// Why it went to a person when policy would have decided it.
    pub escalated: Option<String>,
    /// Why it closed undecided: its agent took the question back.
    pub withdrawn: Option<String>,
}

impl BlockerState {
    pub fn is_open(&self) -> bool {
        self.decision.is_none() && self.withdrawn.is_none()
    }
}

/// An alert raised during the run.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertState {
    pub id: String,
    pub condition: AlertCondition,
    pub subject: String,
    pub detail: String,
    pub raised_ms: u64,
    /// Who acknowledged it, and when.
    pub acknowledged: Option<(Actor, u64)>,
}

/// A line for the log panel: what an agent said, a handoff, an engine note.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub at_ms: u64,
    pub level: LogLevel,
    pub text: String,
    /// Sender and addressee (an agent id or a role), when the line is a message.
    pub between: Option<(String, String)>,
}

/// How many log lines the state keeps (the recording keeps them all).
const LOG_LINES: usize = 500;

/// An event the state cannot take: it names something that does not exist.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct ApplyError(pub String);

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub workflow: Arc<Workflow>,
    pub nodes: Vec<Node>,
    index: Arc<IdIndex>,
    pub agents: Vec<AgentState>,
    agent_index: Arc<IdIndex>,
    pub blockers: Vec<BlockerState>,
    blocker_index: IdIndex,
    pub now_ms: u64,
    pub last_seq: u64,
    pub estimated_makespan_ms: u64,
    pub running: usize,
    pub peak_parallel: usize,
    pub resources_in_use: BTreeMap<String, u32>,
    pub log: VecDeque<LogLine>,
    pub alerts: Vec<AlertState>,
    /// The subjects of every alert raised, by condition, so each is raised once.
    alerted: FastMap<AlertCondition, HashSet<String>>,
    pub finished: Option<Summary>,
    /// Tokens and dollars real agents spent, and the budget limits in force.
    pub spend: Ledger,
    /// What coding agents are doing: tool calls, turns, todo lists.
    pub doings: Doings,
    /// Nodes by status, kept by `set_status`.
    tally: Tally,
}

impl State {
    pub fn new(workflow: Arc<Workflow>) -> State {
        let agents: Vec<AgentState> = workflow
            .agents
            .iter()
            .map(|a| AgentState {
                agent: a.clone(),
                task: None,
                busy_ms: 0,
                busy_since: None,
                done: 0,
                failed: 0,
                last_task: None,
                paused: false,
            })
            .collect();
        let agent_index = agents
            .iter()
            .enumerate()
            .map(|(i, a)| (a.agent.id.clone(), i))
            .collect();
        let mut state = State {
            workflow: workflow.clone(),
            nodes: Vec::with_capacity(workflow.tasks.len() + workflow.gates.len()),
            index: Arc::new(IdIndex::with_capacity_and_hasher(
                workflow.tasks.len() + workflow.gates.len(),
                Default::default(),
            )),
            agents,
            agent_index: Arc::new(agent_index),
            blockers: Vec::new(),
            blocker_index: IdIndex::default(),
            now_ms: 0,
            last_seq: 0,
            estimated_makespan_ms: 0,
            running: 0,
            peak_parallel: 0,
            resources_in_use: BTreeMap::new(),
            log: VecDeque::new(),
            alerts: Vec::new(),
            alerted: FastMap::default(),
            finished: None,
            spend: Ledger::default(),
            doings: Doings::default(),
            tally: Tally::default(),
        };
        let gate_tasks = workflow.gates.iter().map(|g| Task {
            id: g.id.clone(),
            name: g.name.clone(),
            description: String::new(),
            agent: None,
            role: None,
            estimate_ms: 0,
            depends_on: g.after.clone(),
            priority: Default::default(),
            phase: None,
            resources: Vec::new(),
            context: Default::default(),
            output: None,
            prompt: None,
            argv: None,
            timeout_ms: None,
            sim: Default::default(),
            review: None,
        });
        for task in workflow.tasks.iter().cloned() {
            state.push_node(task, None);
        }
        for (i, task) in gate_tasks.enumerate() {
            state.push_node(task, Some(i));
        }
        state.link_all();
        state
    }

    pub(super) fn push_node(&mut self, task: Task, gate: Option<usize>) -> usize {
        let i = self.nodes.len();
        Arc::make_mut(&mut self.index).insert(task.id.clone(), i);
        self.tally.add(i, TaskStatus::Pending);
        self.nodes.push(Node {
            expected_ms: task.estimate_ms,
            task: Arc::new(task),
            gate,
            deps: Vec::new(),
            dependants: Vec::new(),
            waiting_on: 0,
            status: TaskStatus::Pending,
            agent: None,
            attempts: 0,
            pct: 0,
            runs_command: false,
            prompt: None,
            progress_reported: false,
            started_ms: None,
            attempt_started_ms: None,
            finished_ms: None,
            blocker: None,
            output: None,
            reason: None,
            stints: Vec::new(),
        });
        i
    }

    /// Resolves every node's dependency ids to indices.
    fn link_all(&mut self) {
        for i in 0..self.nodes.len() {
            self.link(i);
        }
    }

    pub(super) fn link(&mut self, i: usize) {
        let deps: Vec<usize> = self.nodes[i]
            .task
            .depends_on
            .iter()
            .filter_map(|d| self.index.get(d).copied())
            .collect();
        let waiting = deps
            .iter()
            .filter(|&&d| self.nodes[d].status != TaskStatus::Done)
            .count();
        for &d in &deps {
            self.nodes[d].dependants.push(i);
        }
        let node = &mut self.nodes[i];
        node.deps = deps;
        node.waiting_on = waiting;
    }

    /// Blocker `b` no longer holds its task: a blocked task runs again.
    fn unblock(&mut self, b: usize) {
        let t = self.blockers[b].task;
        let node = &mut self.nodes[t];
        if node.blocker == Some(b) {
            node.blocker = None;
            if node.status == TaskStatus::Blocked {
                self.set_status(t, TaskStatus::Running);
            }
        }
    }

    pub fn task_index(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    pub fn agent_index(&self, id: &str) -> Option<usize> {
        self.agent_index.get(id).copied()
    }

    pub fn blocker_index(&self, id: &str) -> Option<usize> {
        self.blocker_index.get(id).copied()
    }

    pub(super) fn task(&self, id: &str) -> Result<usize, ApplyError> {
        self.task_index(id)
            .ok_or_else(|| ApplyError(format!("unknown task `{id}`")))
    }

    /// Task `id`'s index: `about` if that is its node, without a lookup.
    pub(super) fn task_index_about(&self, id: &str, about: Option<usize>) -> Option<usize> {
        match about {
            Some(t) if self.nodes.get(t).is_some_and(|n| n.task.id == id) => Some(t),
            _ => self.task_index(id),
        }
    }

    fn task_about(&self, id: &str, about: Option<usize>) -> Result<usize, ApplyError> {
        self.task_index_about(id, about)
            .ok_or_else(|| ApplyError(format!("unknown task `{id}`")))
    }

    pub(super) fn agent(&self, id: &str) -> Result<usize, ApplyError> {
        self.agent_index(id)
            .ok_or_else(|| ApplyError(format!("unknown agent `{id}`")))
    }

    pub fn open_blockers(&self) -> impl Iterator<Item = &BlockerState> {
        self.blockers.iter().filter(|b| b.is_open())
    }

    /// Whether an alert of `condition` was raised about `subject`.
    pub fn alerted(&self, condition: AlertCondition, subject: &str) -> bool {
        self.alerted
            .get(&condition)
            .is_some_and(|subjects| subjects.contains(subject))
    }

    /// Alerts not yet acknowledged, oldest first.
    pub fn open_alerts(&self) -> impl Iterator<Item = &AlertState> {
        self.alerts.iter().filter(|a| a.acknowledged.is_none())
    }

    pub fn count(&self, status: TaskStatus) -> usize {
        self.tally.count(status)
    }

    /// Whether every node has reached an end (done, failed or skipped).
    pub fn all_terminal(&self) -> bool {
        let ended = [TaskStatus::Done, TaskStatus::Failed, TaskStatus::Skipped];
        ended.into_iter().map(|s| self.count(s)).sum::<usize>() == self.nodes.len()
    }

    /// The ready tasks, in node order.
    pub fn ready_tasks(&self) -> impl DoubleEndedIterator<Item = usize> + Clone + '_ {
        self.tally.ready()
    }

    /// Sets the status of node `t`: every status the reducer writes goes through here, so that
    /// the counts stay true.
    pub(super) fn set_status(&mut self, t: usize, status: TaskStatus) {
        let node = &mut self.nodes[t];
        self.tally.change(t, node.status, status);
        node.status = status;
    }

    /// Folds one event into the state.
    pub fn apply(&mut self, event: &Event) -> Result<(), ApplyError> {
        self.apply_about(event, None)
    }

    /// `apply` for an event about node `about`, when the engine that made it knows which: the
    /// task it names is checked against that node before its id is looked up.
    pub(super) fn apply_about(
        &mut self,
        event: &Event,
        about: Option<usize>,
    ) -> Result<(), ApplyError> {
        let now = event.at_ms;
        self.now_ms = now;
        self.last_seq = event.seq;
        match &event.body {
            EventBody::RunStarted {
                estimated_makespan_ms,
                ..
            } => self.estimated_makespan_ms = *estimated_makespan_ms,
            EventBody::TaskReady { task } => {
                let t = self.task_about(task, about)?;
                self.set_status(t, TaskStatus::Ready);
            }
            EventBody::TaskStarted {
                task,
                agent,
                attempt,
            } => {
                let (t, a) = (self.task_about(task, about)?, self.agent(agent)?);
                self.take(t, a, now);
                self.set_status(t, TaskStatus::Running);
                let node = &mut self.nodes[t];
                node.attempts = *attempt;
                node.pct = 0;
                node.runs_command = false;
                node.progress_reported = false;
                // A new attempt starts unblocked (a real agent's may have ended while blocked).
                node.blocker = None;
                node.started_ms.get_or_insert(now);
                node.attempt_started_ms = Some(now);
                self.doings.attempt_started(t);
            }
            EventBody::AgentStarted { task, given, .. } => {
                let t = self.task_about(task, about)?;
                self.nodes[t].runs_command = true;
                self.nodes[t].prompt = given.input["prompt"].as_str().map(str::to_string);
            }
            EventBody::TaskProgress { task, pct, .. } => {
                let t = self.task_about(task, about)?;
                self.nodes[t].pct = (*pct).min(100);
                self.nodes[t].progress_reported = true;
            }
            EventBody::TaskCompleted { task, output, .. } => {
                let t = self.task_about(task, about)?;
                self.release(t, now, false);
                self.doings.attempt_ended(t);
                if let Some(a) = self.nodes[t].agent {
                    self.agents[a].done += 1;
                }
                self.set_status(t, TaskStatus::Done);
                let node = &mut self.nodes[t];
                node.pct = 100;
                node.finished_ms = Some(now);
                node.output = output.clone();
                self.dependency_done(t);
            }
            EventBody::TaskFailed {
                task,
                reason,
                is_final,
                ..
            } => {
                let t = self.task_about(task, about)?;
                self.release(t, now, true);
                self.doings.attempt_ended(t);
                if let Some(a) = self.nodes[t].agent {
                    self.agents[a].failed += 1;
                }
                let node = &mut self.nodes[t];
                node.reason = Some(reason.clone());
                node.pct = 0;
                if *is_final {
                    node.finished_ms = Some(now);
                    self.set_status(t, TaskStatus::Failed);
                } else {
                    self.set_status(t, TaskStatus::Pending);
                }
            }
            EventBody::TaskReassigned { task, to, .. } => {
                let (t, a) = (self.task_about(task, about)?, self.agent(to)?);
                if matches!(
                    self.nodes[t].status,
                    TaskStatus::Running | TaskStatus::Blocked
                ) {
                    self.release(t, now, false);
                    self.set_status(t, TaskStatus::Pending);
                }
                Arc::make_mut(&mut self.nodes[t].task).agent =
                    Some(self.agents[a].agent.id.clone());
            }
            EventBody::TaskSkipped { task, reason } => {
                let t = self.task_about(task, about)?;
                self.set_status(t, TaskStatus::Skipped);
                let node = &mut self.nodes[t];
                node.reason = Some(reason.clone());
                node.finished_ms = Some(now);
            }
            EventBody::BlockerRaised {
                blocker,
                task,
                agent,
                report,
                decides,
                policy_at_ms,
                led_by,
            } => {
                let (t, a) = (self.task(task)?, self.agent(agent)?);
                let b = self.blockers.len();
                self.blocker_index.insert(blocker.clone(), b);
                self.blockers.push(BlockerState {
                    id: blocker.clone(),
                    task: t,
                    agent: a,
                    report: (**report).clone(),
                    raised_ms: now,
                    decides: *decides,
                    policy_at_ms: *policy_at_ms,
                    decision: None,
                    led_by: led_by.clone(),
                    escalated: None,
                    withdrawn: None,
                });
                self.set_status(t, TaskStatus::Blocked);
                self.nodes[t].blocker = Some(b);
            }
            EventBody::BlockerEscalated { blocker, reason } => {
                let b = self
                    .blocker_index(blocker)
                    .ok_or_else(|| ApplyError(format!("unknown blocker `{blocker}`")))?;
                let open = &mut self.blockers[b];
                open.decides = Decider::Person;
                open.policy_at_ms = None;
                open.escalated = Some(reason.clone());
            }
            EventBody::BlockerWithdrawn { blocker, reason } => {
                let b = self
                    .blocker_index(blocker)
                    .ok_or_else(|| ApplyError(format!("unknown blocker `{blocker}`")))?;
                self.blockers[b].withdrawn = Some(reason.clone());
                self.unblock(b);
            }
            EventBody::DecisionMade {
                blocker,
                option,
                label,
                by,
                who,
            } => {
                let b = self
                    .blocker_index(blocker)
                    .ok_or_else(|| ApplyError(format!("unknown blocker `{blocker}`")))?;
                let options = self.blockers[b].report.options.len();
                if !(1..=options).contains(option) {
                    return Err(ApplyError(format!(
                        "blocker `{blocker}` has options 1 to {options}, not {option}"
                    )));
                }
                self.blockers[b].decision = Some(Decision {
                    option: *option,
                    label: label.clone(),
                    by: *by,
                    who: who.clone(),
                    at_ms: now,
                });
                self.unblock(b);
            }
            EventBody::GateEvaluated { gate, status, .. } => {
                let g = self.task(gate)?;
                let node = &mut self.nodes[g];
                node.finished_ms = Some(now);
                node.started_ms = Some(now);
                if *status == GateOutcome::Failed {
                    node.reason = Some("gate failed".into());
                    self.set_status(g, TaskStatus::Failed);
                } else {
                    node.pct = 100;
                    self.set_status(g, TaskStatus::Done);
                    self.dependency_done(g);
                }
            }
            EventBody::PlanChanged { change, .. } => self.change_plan(change, now)?,
            EventBody::Message { from, to, text } => {
                self.push_log(
                    now,
                    LogLevel::Info,
                    format!("{from} → {to}: {text}"),
                    Some((from.clone(), to.clone())),
                );
            }
            EventBody::AlertRaised {
                alert,
                condition,
                subject,
                detail,
            } => {
                self.alerted
                    .entry(*condition)
                    .or_default()
                    .insert(subject.clone());
                self.alerts.push(AlertState {
                    id: alert.clone(),
                    condition: *condition,
                    subject: subject.clone(),
                    detail: detail.clone(),
                    raised_ms: now,
                    acknowledged: None,
                });
            }
            EventBody::AlertAcknowledged { alert, by } => {
                let a = self
                    .alerts
                    .iter_mut()
                    .find(|a| a.id == *alert)
                    .ok_or_else(|| ApplyError(format!("unknown alert `{alert}`")))?;
                a.acknowledged = Some((*by, now));
            }
            EventBody::Log { level, text, task } => {
                let text = match task {
                    Some(t) => format!("[{t}] {text}"),
                    None => text.clone(),
                };
                self.push_log(now, *level, text, None);
            }
            EventBody::RunFinished { summary } => self.finished = Some((**summary).clone()),
            EventBody::AgentUsage { .. }
            | EventBody::AgentActivity { .. }
            | EventBody::BudgetRaised { .. } => self.apply_agent_work(&event.body, now)?,
        }
        Ok(())
    }

    fn push_log(
        &mut self,
        at_ms: u64,
        level: LogLevel,
        text: String,
        between: Option<(String, String)>,
    ) {
        if self.log.len() == LOG_LINES {
            self.log.pop_front();
        }
        self.log.push_back(LogLine {
            at_ms,
            level,
            text,
            between,
        });
    }

    /// The latest messages agent `a` sent or was sent (to it, or to a role it has), oldest
    /// first, at most `limit`.
    pub fn messages_of(&self, a: usize, limit: usize) -> Vec<&LogLine> {
        let agent = &self.agents[a].agent;
        let mut lines: Vec<&LogLine> = self
            .log
            .iter()
            .rev()
            .filter(|l| {
                l.between.as_ref().is_some_and(|(from, to)| {
                    *from == agent.id || *to == agent.id || agent.has_role(to)
                })
            })
            .take(limit)
            .collect();
        lines.reverse();
        lines
    }

    /// Agent `a` takes task `t`.
    fn take(&mut self, t: usize, a: usize, now: u64) {
        let agent = &mut self.agents[a];
        agent.task = Some(t);
        agent.last_task = Some(t);
        agent.busy_since = Some(now);
        self.running += 1;
        self.peak_parallel = self.peak_parallel.max(self.running);
        for r in &self.nodes[t].task.resources {
            *self.resources_in_use.entry(r.clone()).or_default() += 1;
        }
        let node = &mut self.nodes[t];
        node.agent = Some(a);
        node.stints.push(Stint {
            agent: a,
            start_ms: now,
            end_ms: None,
            failed: false,
        });
    }

    /// The agent holding task `t` lets it go.
    pub(super) fn release(&mut self, t: usize, now: u64, failed: bool) {
        let Some(a) = self.nodes[t].agent else { return };
        let agent = &mut self.agents[a];
        if agent.task != Some(t) {
            return;
        }
        agent.task = None;
        if let Some(since) = agent.busy_since.take() {
            agent.busy_ms += now.saturating_sub(since);
        }
        self.running = self.running.saturating_sub(1);
        for r in &self.nodes[t].task.resources {
            if let Some(n) = self.resources_in_use.get_mut(r) {
                *n = n.saturating_sub(1);
            }
        }
        if let Some(stint) = self.nodes[t].stints.last_mut() {
            stint.end_ms = Some(now);
            stint.failed = failed;
        }
    }

    fn dependency_done(&mut self, t: usize) {
        for i in 0..self.nodes[t].dependants.len() {
            let d = self.nodes[t].dependants[i];
            let node = &mut self.nodes[d];
            node.waiting_on = node.waiting_on.saturating_sub(1);
        }
    }
}
