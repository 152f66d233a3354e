//! The engine: owns the run's `State`, the scheduler and the simulated agents, and turns time
//! passing and decisions into events. It is synchronous and deterministic: drivers (headless,
//! dashboard, verification) call `step` to process the next moment of virtual time and
//! `decide` when someone chooses an option, then drain the events to record and show them.
//! Real (command) agents are never run here: the engine queues requests for the driver and
//! takes back reports of what the processes did (`real_agents`); failed attempts of both kinds
//! go through one failure policy (`failure`).

mod budget;
mod failure;
mod real_agents;

pub use budget::BUDGET_KIND;

use super::FastMap;
use super::alert_watch::AlertWatch;
use super::event::{Actor, Decider, Event, EventBody, PlanChange};
use super::scheduler::Scheduler;
use super::sim::{Checkpoint, Due, Simulation};
use super::state::{Decision, State, TaskStatus};
use super::summary::{RunStatus, Summary};
use crate::plan::{Plan, Problem, best_plan};
use crate::workflow::model::BlockerReport;
use crate::workflow::model::{Task, Workflow};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

/// How blockers that need a person are decided when no person is there.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DecideMode {
    /// Wait for a person (the dashboard).
    Person,
    /// Take the recommended option.
    Recommended,
    /// Take the first option.
    First,
    /// Stop the run at the first such blocker (exit code 3).
    None,
}

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub seed: Option<u64>,
    pub decide: DecideMode,
    /// Stamp events with the wall clock (off for reproducible comparisons).
    pub stamp_wall: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Timer {
    Work {
        task: usize,
        epoch: u32,
    },
    PolicyDecides {
        blocker: usize,
    },
    Retry {
        task: usize,
    },
    /// A time rule may send a blocker policy would decide to a person.
    Escalate {
        blocker: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Engine {
    pub(super) state: State,
    pub(super) scheduler: Scheduler,
    pub(super) sim: Simulation,
    plan: Plan,
    seed: u64,
    timers: BinaryHeap<Reverse<(u64, u64, Timer)>>,
    timer_order: u64,
    pub(super) clock: u64,
    decide: DecideMode,
    stamp_wall: bool,
    keep_events: bool,
    out: Vec<Event>,
    /// Workflow blockers by the task that raises them: (blocker index, percent).
    blockers_of: FastMap<usize, Vec<(usize, u8)>>,
    /// Failed attempts per (task, agent).
    pub(super) failures_on: FastMap<(usize, usize), u32>,
    rolled_back: Vec<String>,
    pub(super) alert_watch: AlertWatch,
    real: real_agents::RealAgents,
    budget_asks: budget::BudgetAsks,
}

impl Engine {
    pub fn new(workflow: Arc<Workflow>, options: &RunOptions) -> Result<Engine, String> {
        let state = State::new(workflow.clone());
        let problem = Problem::from_state(&state);
        let plan = best_plan(&problem).ok_or_else(|| {
            "no schedule can run every task: check agents' roles and resources".to_string()
        })?;
        let seed = options.seed.unwrap_or(workflow.settings.seed);
        let mut blockers_of: FastMap<usize, Vec<(usize, u8)>> = FastMap::default();
        for (b, blocker) in workflow.blockers.iter().enumerate() {
            if let Some(t) = state.task_index(&blocker.task) {
                blockers_of.entry(t).or_default().push((b, blocker.at_pct));
            }
        }
        let mut scheduler = Scheduler::new(&plan, &problem);
        if workflow.has_command_agents() {
            // Real durations never hold to the plan: start ready work by priority.
            scheduler.deviate();
        }
        Ok(Engine {
            scheduler,
            sim: Simulation::new(
                ChaCha8Rng::seed_from_u64(seed),
                workflow.settings.progress_step,
                workflow.blockers.len(),
            ),
            plan,
            seed,
            state,
            timers: BinaryHeap::new(),
            timer_order: 0,
            clock: 0,
            decide: options.decide,
            stamp_wall: options.stamp_wall,
            keep_events: true,
            out: Vec::new(),
            blockers_of,
            failures_on: FastMap::default(),
            rolled_back: Vec::new(),
            alert_watch: AlertWatch::default(),
            budget_asks: Default::default(),
            real: Default::default(),
        })
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn decide_mode(&self) -> DecideMode {
        self.decide
    }

    pub fn is_finished(&self) -> bool {
        self.state.finished.is_some()
    }

    /// The virtual time of the next thing that will happen on its own, if any.
    pub fn next_time(&self) -> Option<u64> {
        self.timers.peek().map(|Reverse((t, _, _))| *t)
    }

    /// The events produced since the last drain, in order.
    pub fn drain(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.out)
    }

    /// Moves the clock forward to `t` without anything happening (a driver pacing virtual time
    /// against the wall clock, before a decision). Never moves past the next timer.
    pub fn advance_to(&mut self, t: u64) {
        let limit = self.next_time().unwrap_or(u64::MAX);
        self.clock = self.clock.max(t.min(limit));
    }

    pub fn start(&mut self) {
        let tasks = self.state.nodes.iter().filter(|n| !n.is_gate()).count();
        self.emit(EventBody::RunStarted {
            workflow: self.state.workflow.name.clone(),
            tasks,
            agents: self.state.agents.len(),
            estimated_makespan_ms: self.plan.schedule.makespan,
        });
        let roots: Vec<usize> = (0..self.state.nodes.len())
            .filter(|&i| self.state.nodes[i].waiting_on == 0)
            .collect();
        for t in roots {
            self.make_ready(t);
        }
        self.schedule();
        self.check_end();
    }

    /// Processes everything due at the next moment of virtual time. Returns false when nothing
    /// is left to happen on its own (the run ended, or waits for a person).
    pub fn step(&mut self) -> bool {
        if self.is_finished() {
            return false;
        }
        let Some(next) = self.next_time() else {
            return false;
        };
        self.clock = self.clock.max(next);
        while let Some(&Reverse((t, _, timer))) = self.timers.peek() {
            if t > self.clock || self.is_finished() {
                break;
            }
            self.timers.pop();
            self.handle(timer);
        }
        if !self.is_finished() {
            self.schedule();
            self.check_alerts();
            self.check_end();
        }
        true
    }

    /// Runs on virtual time until the run ends or waits for a person.
    pub fn run_to_end(&mut self) {
        while self.step() {}
    }

    /// The finish time of the whole run if `option` is chosen for `blocker` now (the rest of
    /// the plan simulated on, later blockers taking their recommended option).
    pub fn project(&self, blocker: &str, option: usize) -> Option<u64> {
        let mut what_if = self.what_if();
        what_if.decide(blocker, option, Actor::User).ok()?;
        what_if.finish_time()
    }

    /// When the run would finish if everything from now went by plan, open blockers taking
    /// their recommended option.
    pub fn forecast(&self) -> Option<u64> {
        self.forecast_from(self.clock)
    }

    /// The same, with the open blockers decided at run time `now` rather than at the last
    /// event: while a blocker waits for a person, the expected finish moves on with the clock.
    pub fn forecast_from(&self, now: u64) -> Option<u64> {
        if let Some(summary) = &self.state.finished {
            return Some(summary.makespan_ms);
        }
        let mut what_if = self.what_if();
        what_if.advance_to(now);
        let open: Vec<(String, usize)> = what_if
            .state
            .open_blockers()
            .map(|b| (b.id.clone(), b.report.recommended))
            .collect();
        for (id, option) in open {
            what_if.decide(&id, option, Actor::Policy).ok()?;
        }
        what_if.finish_time()
    }

    /// Whether `forecast_from(later)` is `forecast_from(now)` moved on by `later - now`, for as
    /// long as no event happens: nothing is due on its own (every open blocker waits for a
    /// person), no process runs, the run has left its plan and has no time budget to run out.
    /// A driver refreshing the forecast while a person is awaited can then add the time waited
    /// instead of simulating the rest of the run again.
    pub fn forecast_moves_with_clock(&self, now: u64) -> bool {
        now >= self.clock
            && self.timers.is_empty()
            && self.state.finished.is_none()
            && !self.has_processes()
            && !self.scheduler.follows_plan()
            && self
                .state
                .workflow
                .settings
                .escalation
                .run_budget_ms
                .is_none()
    }

    /// A silent copy of this run for looking ahead.
    fn what_if(&self) -> Engine {
        let mut copy = self.clone();
        copy.keep_events = false;
        copy.stamp_wall = false;
        copy.out.clear();
        copy.decide = DecideMode::Recommended;
        copy.simulate_in_flight();
        copy
    }

    fn finish_time(mut self) -> Option<u64> {
        self.run_to_end();
        self.state.finished.as_ref().map(|s| s.makespan_ms)
    }

    /// Ends the run now (the user quit, or a signal).
    pub fn stop(&mut self) {
        if !self.is_finished() {
            self.finish(RunStatus::Stopped);
        }
    }

    /// Chooses `option` (1-based) for an open blocker and applies its effect.
    pub fn decide(&mut self, blocker: &str, option: usize, by: Actor) -> Result<(), String> {
        self.decide_as(blocker, option, by, None)
    }

    /// `decide`, recording who the person deciding is. A blocker decided already is refused
    /// with who decided it.
    pub fn decide_as(
        &mut self,
        blocker: &str,
        option: usize,
        by: Actor,
        who: Option<&str>,
    ) -> Result<(), String> {
        let b = self
            .state
            .blocker_index(blocker)
            .ok_or_else(|| format!("no blocker `{blocker}`"))?;
        let open = &self.state.blockers[b];
        if let Some(why) = &open.withdrawn {
            return Err(format!("blocker `{blocker}` was withdrawn: {why}"));
        }
        if !open.is_open() {
            let by = match open.decision.as_ref() {
                Some(Decision { who: Some(who), .. }) => format!(" by {who}"),
                _ => String::new(),
            };
            return Err(format!("blocker `{blocker}` is already decided{by}"));
        }
        let options = &open.report.options;
        if option == 0 || option > options.len() {
            return Err(format!(
                "option {option} does not exist; choose 1 to {}",
                options.len()
            ));
        }
        let chosen = options[option - 1].clone();
        let t = open.task;
        if let Some(to) = &chosen.effect.swap_agent {
            self.check_swap(t, to)?;
        }
        let task_id = self.state.nodes[t].task.id.clone();
        self.emit(EventBody::DecisionMade {
            blocker: blocker.to_string(),
            option,
            label: chosen.label.clone(),
            by,
            who: who.map(str::to_string),
        });
        self.forward_decision(b, option);
        let effect = chosen.effect;
        if effect.delay_ms > 0 {
            self.change(
                PlanChange::Delay {
                    task: task_id.clone(),
                    by_ms: effect.delay_ms,
                },
                by,
            );
            self.sim.delay(t, effect.delay_ms);
        }
        if let Some(remaining_ms) = effect.remaining_ms {
            self.change(
                PlanChange::SetRemaining {
                    task: task_id.clone(),
                    remaining_ms,
                },
                by,
            );
            self.sim.set_remaining(t, remaining_ms);
        }
        for adj in &effect.adjust {
            if let Some(other) = self.state.task_index(&adj.task) {
                self.change(
                    PlanChange::Delay {
                        task: adj.task.clone(),
                        by_ms: adj.by_ms,
                    },
                    by,
                );
                self.sim.delay(other, adj.by_ms);
            }
        }
        for task in effect.add_tasks {
            self.add_task(task, by);
        }
        let holder = self.state.nodes[t].agent;
        match (effect.swap_agent, holder) {
            (Some(to), Some(from)) if to != self.state.agents[from].agent.id => {
                let from = self.state.agents[from].agent.id.clone();
                self.sim.pause(t, self.clock);
                self.emit(EventBody::TaskReassigned {
                    task: task_id,
                    from,
                    to,
                });
                self.make_ready(t);
            }
            _ => {
                if self.state.nodes[t].status == TaskStatus::Running
                    && let Some(due) = self.sim.resume(t, self.clock)
                {
                    self.push_work(due);
                }
            }
        }
        self.budget_decided(b, option, by);
        if self.is_finished() {
            return Ok(());
        }
        self.check_budget(t);
        self.scheduler.deviate();
        self.schedule();
        self.check_alerts();
        self.check_end();
        Ok(())
    }

    pub(super) fn emit(&mut self, body: EventBody) {
        self.emit_about(None, body);
    }

    /// `emit` for an event about node `about`, when known: the state, the scheduler and the
    /// alert watch then need not look its task up by id.
    fn emit_about(&mut self, about: Option<usize>, body: EventBody) {
        let event = Event {
            seq: self.state.last_seq + 1,
            at_ms: self.clock,
            body,
            wall_ms: self
                .stamp_wall
                .then(crate::time::wall_ms)
                .and_then(std::num::NonZeroU64::new),
        };
        if let Err(e) = self.state.apply_about(&event, about) {
            debug_assert!(false, "the engine produced an event its state refuses: {e}");
            return;
        }
        self.scheduler.observe(&event, &self.state, about);
        self.alert_watch.observe(&event, &self.state, about);
        if self.keep_events {
            self.out.push(event);
        }
    }

    fn change(&mut self, change: PlanChange, by: Actor) {
        self.emit(EventBody::PlanChanged {
            change,
            by,
            who: None,
        });
    }

    fn push_timer(&mut self, at: u64, timer: Timer) {
        self.timer_order += 1;
        self.timers.push(Reverse((at, self.timer_order, timer)));
    }

    fn push_work(&mut self, (at, task, epoch): Due) {
        self.push_timer(at, Timer::Work { task, epoch });
    }

    fn handle(&mut self, timer: Timer) {
        match timer {
            Timer::Work { task, epoch } => match self.sim.reach(task, epoch, self.clock) {
                None => {}
                Some(Checkpoint::Progress(pct)) => {
                    let id = self.state.nodes[task].task.id.clone();
                    self.emit_about(
                        Some(task),
                        EventBody::TaskProgress {
                            task: id,
                            pct,
                            note: None,
                        },
                    );
                    if let Some(due) = self.sim.next_due(task, self.clock) {
                        self.push_work(due);
                    }
                }
                Some(Checkpoint::Blocker(b)) => {
                    let spec = self.state.workflow.blockers[b].clone();
                    self.raise(task, spec.id, spec.report, None);
                }
                Some(Checkpoint::Fail) => {
                    let sim = &self.state.nodes[task].task.sim;
                    let reason = sim.fail_reason.as_deref().unwrap_or("simulated failure");
                    self.fail(task, reason.to_string());
                }
                Some(Checkpoint::Finish) => {
                    let output = self.state.nodes[task].task.output.clone();
                    self.complete(task, output);
                }
            },
            Timer::PolicyDecides { blocker } => {
                let b = &self.state.blockers[blocker];
                if b.is_open() && b.decides == Decider::Policy {
                    let (id, option) = (b.id.clone(), b.report.recommended);
                    let _ = self.decide(&id, option, Actor::Policy);
                }
            }
            Timer::Escalate { blocker } => self.escalate(blocker),
            Timer::Retry { task } => {
                if self.state.nodes[task].status == TaskStatus::Pending {
                    self.make_ready(task);
                }
            }
        }
    }

    pub(super) fn schedule(&mut self) {
        for (t, a) in self.scheduler.assign(&self.state) {
            let node = &self.state.nodes[t];
            let (task, agent) = (node.task.id.clone(), self.state.agents[a].agent.id.clone());
            let attempt = node.attempts + 1;
            self.emit_about(
                Some(t),
                EventBody::TaskStarted {
                    task,
                    agent,
                    attempt,
                },
            );
            if self.launches_process(a) {
                self.launch(t, a, attempt);
                continue;
            }
            let blockers = self.blockers_of.get(&t).cloned().unwrap_or_default();
            let due = self
                .sim
                .start(t, &self.state.nodes[t].task, &blockers, self.clock);
            self.push_work(due);
        }
    }

    pub(super) fn make_ready(&mut self, t: usize) {
        let node = &self.state.nodes[t];
        if node.status != TaskStatus::Pending || node.waiting_on > 0 {
            return;
        }
        if node.is_gate() {
            self.evaluate_gate(t);
        } else {
            let task = node.task.id.clone();
            self.emit_about(Some(t), EventBody::TaskReady { task });
        }
    }

    fn complete(&mut self, t: usize, output: Option<String>) {
        if self.review_holds(t) {
            return;
        }
        let node = &self.state.nodes[t];
        let task = node.task.id.clone();
        let agent = node
            .agent
            .map(|a| self.state.agents[a].agent.id.clone())
            .unwrap_or_default();
        let planned_end = self
            .plan
            .schedule
            .start
            .get(t)
            .map(|s| s + node.task.estimate_ms);
        // Finishing early keeps the plan valid (what follows can only start sooner); finishing
        // late does not.
        if planned_end.is_none_or(|end| self.clock > end) {
            self.scheduler.deviate();
        }
        self.emit_about(
            Some(t),
            EventBody::TaskCompleted {
                task: task.clone(),
                agent: agent.clone(),
                output: output.clone(),
            },
        );
        let dependants = self.state.nodes[t].dependants.clone();
        if let Some(text) = output {
            for &d in &dependants {
                let to = self.state.nodes[d].task.wants().to_string();
                if !to.is_empty() {
                    let text = format!("handoff {task} → {}: {text}", self.state.nodes[d].task.id);
                    self.emit(EventBody::Message {
                        from: agent.clone(),
                        to,
                        text,
                    });
                }
            }
        }
        for d in dependants {
            self.make_ready(d);
        }
    }

    /// Task `t` raises blocker `id`: it pauses until someone (a person or policy) decides.
    /// Raises a blocker on task `t`; `ruled` is the option a permission rule chose for it, taken
    /// at once.
    fn raise(&mut self, t: usize, id: String, report: BlockerReport, ruled: Option<usize>) {
        let escalation = &self.state.workflow.settings.escalation;
        let by_policy = ruled.is_none()
            && escalation.policy_decides.contains(&report.severity)
            && !self.over_budget()
            && report.kind != BUDGET_KIND;
        let policy_at = by_policy.then(|| self.clock + escalation.decide_after_ms);
        let agent = self.state.nodes[t]
            .agent
            .map(|a| self.state.agents[a].agent.id.clone())
            .unwrap_or_default();
        self.sim.pause(t, self.clock);
        self.scheduler.deviate();
        let (task, recommended) = (self.state.nodes[t].task.id.clone(), report.recommended);
        let led_by = self.lead_for(&report);
        self.emit(EventBody::BlockerRaised {
            blocker: id.clone(),
            task,
            agent,
            report: Box::new(report),
            decides: match (ruled, by_policy) {
                (Some(_), _) => Decider::Rule,
                (None, true) => Decider::Policy,
                (None, false) => Decider::Person,
            },
            policy_at_ms: policy_at,
            led_by,
        });
        let index = self.state.blockers.len() - 1;
        if let Some(option) = ruled {
            let _ = self.decide(&id, option, Actor::Rule);
            return;
        }
        if let Some(at) = policy_at {
            self.push_timer(at, Timer::PolicyDecides { blocker: index });
            if let Some(due) = self.escalation_due(at) {
                self.push_timer(due, Timer::Escalate { blocker: index });
            }
            return;
        }
        let option = match self.decide {
            DecideMode::Person => return,
            DecideMode::None => {
                self.finish(RunStatus::AwaitingDecision);
                return;
            }
            DecideMode::Recommended => recommended,
            DecideMode::First => 1,
        };
        let _ = self.decide(&id, option, Actor::Policy);
    }

    fn add_task(&mut self, task: Task, by: Actor) {
        let id = task.id.clone();
        if self.state.task_index(&id).is_some() {
            return;
        }
        self.change(
            PlanChange::AddTask {
                task: Box::new(task),
                before: Vec::new(),
            },
            by,
        );
        // The plan's sequences do not hold the new task: start work by priority from now on.
        self.scheduler.deviate();
        if let Some(i) = self.state.task_index(&id) {
            self.make_ready(i);
        }
    }

    fn evaluate_gate(&mut self, g: usize) {
        let Some(gate) = self.state.nodes[g]
            .gate
            .map(|i| self.state.workflow.gates[i].clone())
        else {
            return;
        };
        let remediation: Vec<String> = match gate.outcome {
            crate::workflow::model::GateOutcome::PassedWithRemediation => {
                gate.remediation.iter().map(|t| t.id.clone()).collect()
            }
            _ => Vec::new(),
        };
        self.emit(EventBody::GateEvaluated {
            gate: gate.id.clone(),
            status: gate.outcome,
            remediation: remediation.clone(),
        });
        if !remediation.is_empty() {
            for task in gate.remediation {
                self.add_task(task, Actor::Policy);
            }
        }
        if gate.outcome.passed() {
            for d in self.state.nodes[g].dependants.clone() {
                self.make_ready(d);
            }
        } else {
            self.skip_dependants(g, &format!("gate `{}` failed", gate.id));
        }
    }

    pub(super) fn check_end(&mut self) {
        if self.is_finished() {
            return;
        }
        if self.state.all_terminal() {
            let clean = self
                .state
                .nodes
                .iter()
                .all(|n| n.status == TaskStatus::Done);
            self.finish(if clean {
                RunStatus::Succeeded
            } else {
                RunStatus::Failed
            });
            return;
        }
        // Cheapest first: the open blockers are only looked at once nothing else can happen.
        let waiting_for_person = || {
            self.state
                .open_blockers()
                .any(|b| b.decides == Decider::Person)
                || self.state.agents.iter().any(|a| a.paused)
        };
        if self.timers.is_empty() && !self.has_processes() && !waiting_for_person() {
            let stuck: Vec<&str> = self
                .state
                .nodes
                .iter()
                .filter(|n| !n.status.is_terminal())
                .map(|n| n.task.id.as_str())
                .take(5)
                .collect();
            let text = format!(
                "no agent can take the remaining tasks: {}",
                stuck.join(", ")
            );
            self.emit(EventBody::Log {
                level: super::event::LogLevel::Error,
                text,
                task: None,
            });
            self.finish(RunStatus::Failed);
        }
    }

    pub(super) fn finish(&mut self, status: RunStatus) {
        let summary = Summary::from_state(&self.state, status);
        self.emit(EventBody::RunFinished {
            summary: Box::new(summary),
        });
    }
}
