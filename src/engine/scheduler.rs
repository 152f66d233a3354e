//! The live scheduler: a policy from the run's `State` to the tasks to start now, and on which
//! agents. While the run goes as planned it follows the plan's per-agent sequences exactly (so
//! a run whose durations hold finishes when the plan said); once anything deviates (a duration,
//! a failure, a blocker, a change of plan) it starts ready tasks by priority, then by the plan's
//! order (planned start first), on free agents whose role matches, within `max_parallel` and
//! resource capacities; a paused agent gets no new work. From the first decision after a
//! deviation on, it keeps the ready set as an index it updates from the events it observes, so
//! one decision costs little even with 100,000 tasks.

use crate::engine::event::{Event, EventBody};
use crate::engine::state::{State, TaskStatus};
use crate::plan::{Plan, Problem};
use crate::workflow::model::Priority;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

type ReadyKey = (Reverse<Priority>, u64, usize);

#[derive(Debug, Clone)]
pub struct Scheduler {
    key: Vec<u64>,
    /// When the plan starts each of its tasks.
    planned_start: Vec<u64>,
    sequences: Vec<VecDeque<usize>>,
    strict: bool,
    /// The ready tasks by priority; only kept once the run has left the plan.
    ready: Option<BTreeSet<ReadyKey>>,
}

impl Scheduler {
    pub fn new(plan: &Plan, problem: &Problem) -> Scheduler {
        Scheduler {
            key: plan.key.clone(),
            planned_start: plan.schedule.start.clone(),
            sequences: plan
                .schedule
                .sequences(problem)
                .into_iter()
                .map(VecDeque::from)
                .collect(),
            strict: true,
            ready: None,
        }
    }

    /// Whether the scheduler still follows the plan exactly.
    pub fn follows_plan(&self) -> bool {
        self.strict
    }

    /// The ready tasks: in the order they would be started once the ready set is kept, else
    /// (while the plan is followed) in plan order from the state.
    pub fn ready<'a>(&'a self, state: &'a State) -> impl Iterator<Item = usize> + Clone + 'a {
        let indexed = self
            .ready
            .as_ref()
            .map(|set| set.iter().map(|&(_, _, t)| t));
        let scanned = self.ready.is_none().then(|| state.ready_tasks());
        indexed
            .into_iter()
            .flatten()
            .chain(scanned.into_iter().flatten())
    }

    /// Leave the plan's exact sequences: from now on, start ready work by priority.
    pub fn deviate(&mut self) {
        self.strict = false;
    }

    fn key_of(&mut self, state: &State, task: usize) -> ReadyKey {
        while self.key.len() <= task {
            // Tasks added during the run come after the planned ones of their priority.
            self.key.push(u64::MAX);
        }
        (
            Reverse(state.nodes[task].task.priority),
            self.key[task],
            task,
        )
    }

    /// Keeps the ready set in step with the run. Call after the event is applied to `state`;
    /// `about` is the node the event is about, when known.
    pub fn observe(&mut self, event: &Event, state: &State, about: Option<usize>) {
        if matches!(event.body, EventBody::TaskReassigned { .. }) {
            self.deviate();
        }
        if self.ready.is_none() {
            // Built from the state when first needed; nothing to keep up to date until then.
            return;
        }
        if let EventBody::PlanChanged { change, .. } = &event.body {
            for task in change.tasks() {
                self.refresh(state, task, None);
            }
            return;
        }
        let task = match &event.body {
            EventBody::TaskReady { task }
            | EventBody::TaskStarted { task, .. }
            | EventBody::TaskSkipped { task, .. }
            | EventBody::TaskFailed { task, .. }
            | EventBody::TaskReassigned { task, .. } => task,
            _ => return,
        };
        self.refresh(state, task, about);
    }

    /// Puts the task in the ready set, or takes it out, as its status says.
    fn refresh(&mut self, state: &State, task: &str, about: Option<usize>) {
        let Some(t) = state.task_index_about(task, about) else {
            return;
        };
        let key = self.key_of(state, t);
        if let Some(ready) = &mut self.ready {
            if state.nodes[t].status == TaskStatus::Ready {
                ready.insert(key);
            } else {
                ready.remove(&key);
            }
        }
    }

    /// The ready set, built from `state` the first time it is needed.
    fn ready_set(&mut self, state: &State) -> BTreeSet<ReadyKey> {
        match self.ready.take() {
            Some(ready) => ready,
            None => state.ready_tasks().map(|t| self.key_of(state, t)).collect(),
        }
    }

    /// The (task, agent) pairs to start now.
    pub fn assign(&mut self, state: &State) -> Vec<(usize, usize)> {
        let max = state.workflow.settings.max_parallel;
        if state.running >= max || state.agents.iter().all(|a| a.task.is_some()) {
            return Vec::new();
        }
        if state.count(TaskStatus::Ready) == 0 {
            // Nothing to start; the ready set is still built when it first could be.
            if !self.strict && self.ready.is_none() {
                self.ready = Some(self.ready_set(state));
            }
            return Vec::new();
        }
        let mut budget = Budget {
            free: state
                .agents
                .iter()
                .map(|a| a.task.is_none() && !a.paused)
                .collect(),
            slots: max - state.running,
            in_use: state.resources_in_use.clone(),
        };
        if self.strict {
            self.assign_planned(state, &mut budget)
        } else {
            self.assign_by_priority(state, &mut budget)
        }
    }

    fn assign_planned(&mut self, state: &State, budget: &mut Budget) -> Vec<(usize, usize)> {
        // Only the ready fronts of free agents can start; the others are left as they are.
        let mut fronts = Vec::new();
        for (a, seq) in self.sequences.iter_mut().enumerate() {
            if !budget.free[a] {
                continue;
            }
            while seq
                .front()
                .is_some_and(|&t| t >= state.nodes.len() || state.nodes[t].status.is_terminal())
            {
                seq.pop_front();
            }
            if let Some(&t) = seq.front()
                && state.nodes[t].status == TaskStatus::Ready
            {
                fronts.push((self.planned_start[t], t, a));
            }
        }
        // In the plan's order, so that a task planned later on another agent does not take the
        // slot or the resource of one planned sooner.
        fronts.sort_unstable();
        let mut out = Vec::new();
        for (_, t, a) in fronts {
            if budget.free[a]
                && budget.slots > 0
                && state.nodes[t].status == TaskStatus::Ready
                && budget.take(state, t, a)
            {
                self.sequences[a].pop_front();
                out.push((t, a));
            }
        }
        out
    }

    fn assign_by_priority(&mut self, state: &State, budget: &mut Budget) -> Vec<(usize, usize)> {
        let ready = self.ready_set(state);
        let mut out = Vec::new();
        for &(_, _, t) in &ready {
            if budget.slots == 0 || !budget.free.iter().any(|&f| f) {
                break;
            }
            let task = &state.nodes[t].task;
            let agent = match &task.agent {
                Some(id) => state.agent_index(id).filter(|&a| budget.free[a]),
                None => (0..state.agents.len()).find(|&a| {
                    budget.free[a]
                        && task
                            .role
                            .as_deref()
                            .is_some_and(|r| state.agents[a].agent.has_role(r))
                }),
            };
            if let Some(a) = agent
                && budget.take(state, t, a)
            {
                out.push((t, a));
            }
        }
        self.ready = Some(ready);
        out
    }
}

/// What is still free in this round of assignments.
struct Budget {
    free: Vec<bool>,
    slots: usize,
    in_use: BTreeMap<String, u32>,
}

impl Budget {
    /// Reserves agent `a` and the resources of task `t`, if they are all available.
    fn take(&mut self, state: &State, t: usize, a: usize) -> bool {
        let resources = &state.nodes[t].task.resources;
        let fits = resources.iter().all(|r| {
            let cap = state.workflow.resources.get(r).copied().unwrap_or(0);
            self.in_use.get(r).copied().unwrap_or(0) < cap
        });
        if !fits {
            return false;
        }
        for r in resources {
            *self.in_use.entry(r.clone()).or_default() += 1;
        }
        self.free[a] = false;
        self.slots -= 1;
        true
    }
}
