//! The one vocabulary of a run. Everything that happens is an `Event`; the run's `State` is a
//! fold over them, the recorder writes them as JSON Lines (public format, see
//! `docs/recording.md`), and a replay reads them back. Adding a kind is a compatible change;
//! changing a field is a format version bump.

use crate::engine::agent_io::Activity;
use crate::engine::spend::AttemptUsage;
use crate::engine::summary::Summary;
use crate::workflow::model::{BlockerReport, GateOutcome, Task};
use serde::{Deserialize, Serialize};

/// One thing that happened, stamped with its place in the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Counts from 1 with no gaps.
    pub seq: u64,
    /// Run time in milliseconds since the start (virtual for simulated agents).
    pub at_ms: u64,
    #[serde(flatten)]
    pub body: EventBody,
    /// Wall-clock time (ms since the Unix epoch) when it was recorded; the only field that
    /// differs between two runs of the same workflow, seed and decisions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall_ms: Option<std::num::NonZeroU64>,
}

impl Event {
    /// Reads one recorded line. Faster than deserializing `Event` itself: the stamp and the
    /// body are each read straight from the text, without buffering the line's fields twice
    /// as a flattened struct would.
    pub fn from_line(line: &str) -> serde_json::Result<Event> {
        #[derive(Deserialize)]
        struct Stamp {
            seq: u64,
            at_ms: u64,
            #[serde(default)]
            wall_ms: Option<std::num::NonZeroU64>,
        }
        let stamp: Stamp = serde_json::from_str(line)?;
        let body: EventBody = serde_json::from_str(line)?;
        Ok(Event {
            seq: stamp.seq,
            at_ms: stamp.at_ms,
            body,
            wall_ms: stamp.wall_ms,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventBody {
    RunStarted {
        workflow: String,
        tasks: usize,
        agents: usize,
        estimated_makespan_ms: u64,
    },
    TaskReady {
        task: String,
    },
    TaskStarted {
        task: String,
        agent: String,
        attempt: u32,
    },
    /// A command agent's process was started for the task's attempt: what it was given. A
    /// replay shows it and never runs it.
    AgentStarted {
        task: String,
        agent: String,
        attempt: u32,
        #[serde(flatten)]
        given: Box<AgentInput>,
    },
    TaskProgress {
        task: String,
        pct: u8,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    TaskCompleted {
        task: String,
        agent: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        output: Option<String>,
    },
    TaskFailed {
        task: String,
        agent: String,
        reason: String,
        /// True when no retry or reassignment follows: the task has failed for good.
        #[serde(rename = "final")]
        is_final: bool,
    },
    TaskReassigned {
        task: String,
        from: String,
        to: String,
    },
    TaskSkipped {
        task: String,
        reason: String,
    },
    BlockerRaised {
        blocker: String,
        task: String,
        agent: String,
        #[serde(flatten)]
        report: Box<BlockerReport>,
        /// Who will decide: `person`, `policy` at `policy_at_ms`, or `rule` (at once).
        decides: Decider,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        policy_at_ms: Option<u64>,
        /// The agent (or role) that leads it, by the workflow's routing of its category.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        led_by: Option<String>,
    },
    /// A blocker policy would have decided goes to a person instead (a time rule).
    BlockerEscalated {
        blocker: String,
        reason: String,
    },
    /// A real agent took back the question behind its open blocker: it closes undecided.
    BlockerWithdrawn {
        blocker: String,
        reason: String,
    },
    DecisionMade {
        blocker: String,
        /// 1-based option number.
        option: usize,
        label: String,
        by: Actor,
        /// Who decided, as `user@terminal` or `user@host`, when a person did.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        who: Option<String>,
    },
    GateEvaluated {
        gate: String,
        status: GateOutcome,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        remediation: Vec<String>,
    },
    PlanChanged {
        change: PlanChange,
        by: Actor,
        /// Who changed the plan, as `user@terminal` or `user@host`, when a person did.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        who: Option<String>,
    },
    Message {
        from: String,
        to: String,
        text: String,
    },
    /// An alert condition holds for a subject (an agent, a task or a blocker category); raised
    /// once per condition and subject.
    AlertRaised {
        alert: String,
        condition: AlertCondition,
        subject: String,
        detail: String,
    },
    AlertAcknowledged {
        alert: String,
        by: Actor,
    },
    Log {
        level: LogLevel,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task: Option<String>,
    },
    RunFinished {
        summary: Box<Summary>,
    },
    /// A real agent's tokens and cost for its attempt so far: each replaces the attempt's
    /// previous one.
    AgentUsage {
        task: String,
        agent: String,
        attempt: u32,
        #[serde(flatten)]
        usage: AttemptUsage,
    },
    /// One step of a coding agent's work (`what`): a tool call, its result, its text, a turn,
    /// its todo list, its session id.
    AgentActivity {
        task: String,
        agent: String,
        attempt: u32,
        #[serde(flatten)]
        activity: Activity,
    },
    /// A decision raised a budget limit to `usd`: the run's, or the task's when one is named.
    BudgetRaised {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task: Option<String>,
        usd: f64,
        by: Actor,
    },
}

/// What a command agent's process was given: the argv it ran, its working directory, the names
/// of the environment variables passed through (never their values) and the context package
/// (its first line on stdin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentInput {
    pub argv: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    pub input: serde_json::Value,
}

/// Who acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    User,
    Policy,
    /// A permission rule of the workflow (`[[settings.permissions]]`).
    Rule,
}

/// Who a blocker waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decider {
    Person,
    Policy,
    /// A permission rule of the workflow, at once.
    Rule,
}

/// What an alert watches for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertCondition {
    /// An agent's share of failed attempts is over the threshold (subject: the agent).
    FailureRate,
    /// A task runs past its threshold share of its expected duration (subject: the task).
    Overrun,
    /// Several blockers of one category (subject: the category).
    RepeatedEscalations,
    /// An agent is idle while ready work it could take waits (subject: the agent).
    IdleWithReadyWork,
}

impl AlertCondition {
    pub fn label(self) -> &'static str {
        match self {
            AlertCondition::FailureRate => "failure rate",
            AlertCondition::Overrun => "overrun",
            AlertCondition::RepeatedEscalations => "repeated escalations",
            AlertCondition::IdleWithReadyWork => "idle with ready work",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

/// A change to the plan while the run goes on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum PlanChange {
    /// A task joins the plan; the tasks in `before` (not started yet) now wait for it too.
    AddTask {
        task: Box<Task>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        before: Vec<String>,
    },
    /// The task's expected duration grows (more work found).
    Delay {
        task: String,
        by_ms: u64,
    },
    /// The task's remaining work is set.
    SetRemaining {
        task: String,
        remaining_ms: u64,
    },
    /// A task's estimate changes.
    SetEstimate {
        task: String,
        estimate_ms: u64,
    },
    /// The task moves to this agent; if it was running, it stops there and waits to start on it.
    Reassign {
        task: String,
        to: String,
    },
    /// A task that failed for good is ready to run again; what was skipped after it waits again.
    Retry {
        task: String,
    },
    /// The task will not run (it stops if it was running); it counts as skipped.
    Cancel {
        task: String,
    },
    /// The scheduler gives this agent no new work until it is resumed.
    PauseAgent {
        agent: String,
    },
    ResumeAgent {
        agent: String,
    },
}

impl PlanChange {
    /// The tasks whose status or dependencies the change may alter.
    pub fn tasks(&self) -> Vec<&str> {
        match self {
            PlanChange::AddTask { task, before } => std::iter::once(task.id.as_str())
                .chain(before.iter().map(String::as_str))
                .collect(),
            PlanChange::Delay { task, .. }
            | PlanChange::SetRemaining { task, .. }
            | PlanChange::SetEstimate { task, .. }
            | PlanChange::Reassign { task, .. }
            | PlanChange::Retry { task }
            | PlanChange::Cancel { task } => vec![task],
            PlanChange::PauseAgent { .. } | PlanChange::ResumeAgent { .. } => Vec::new(),
        }
    }
}

impl EventBody {
    /// The snake_case kind, as written in recordings.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::RunStarted { .. } => "run_started",
            EventBody::TaskReady { .. } => "task_ready",
            EventBody::TaskStarted { .. } => "task_started",
            EventBody::AgentStarted { .. } => "agent_started",
            EventBody::TaskProgress { .. } => "task_progress",
            EventBody::TaskCompleted { .. } => "task_completed",
            EventBody::TaskFailed { .. } => "task_failed",
            EventBody::TaskReassigned { .. } => "task_reassigned",
            EventBody::TaskSkipped { .. } => "task_skipped",
            EventBody::BlockerRaised { .. } => "blocker_raised",
            EventBody::BlockerEscalated { .. } => "blocker_escalated",
            EventBody::DecisionMade { .. } => "decision_made",
            EventBody::BlockerWithdrawn { .. } => "blocker_withdrawn",
            EventBody::GateEvaluated { .. } => "gate_evaluated",
            EventBody::PlanChanged { .. } => "plan_changed",
            EventBody::Message { .. } => "message",
            EventBody::AlertRaised { .. } => "alert_raised",
            EventBody::AlertAcknowledged { .. } => "alert_acknowledged",
            EventBody::Log { .. } => "log",
            EventBody::RunFinished { .. } => "run_finished",
            EventBody::AgentUsage { .. } => "agent_usage",
            EventBody::AgentActivity { .. } => "agent_activity",
            EventBody::BudgetRaised { .. } => "budget_raised",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_in_the_public_shape() {
        let e = Event {
            seq: 7,
            at_ms: 12_600_000,
            body: EventBody::TaskStarted {
                task: "A".into(),
                agent: "eng1".into(),
                attempt: 1,
            },
            wall_ms: None,
        };
        let line = serde_json::to_string(&e).unwrap();
        assert_eq!(
            line,
            r#"{"seq":7,"at_ms":12600000,"kind":"task_started","task":"A","agent":"eng1","attempt":1}"#
        );
        let back: Event = serde_json::from_str(&line).unwrap();
        assert_eq!(back, e);
    }
}
