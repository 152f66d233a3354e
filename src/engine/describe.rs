//! One readable line per notable event, in the workflow's time unit: what the headless runner
//! prints and the dashboard's log shows. Routine events (ready, progress) are not notable.

use super::agent_io::Activity;
use super::doings::{one_line, short_call};
use super::event::{Actor, Decider, Event, EventBody, PlanChange};
use super::spend::Spend;
use super::state::State;
use super::summary::Summary;
use crate::time::TimeUnit;
use std::fmt::Write;

/// The most characters of an agent's text or a tool's output a line shows.
const LINE: usize = 160;

/// The line for `event`, or `None` when it is routine. `state` is the state after the event.
pub fn describe(event: &Event, state: &State) -> Option<String> {
    let unit = state.workflow.unit;
    let name = |id: &str| {
        state
            .task_index(id)
            .map_or_else(String::new, |i| state.nodes[i].task.name.clone())
    };
    let text = match &event.body {
        EventBody::RunStarted {
            workflow,
            tasks,
            agents,
            estimated_makespan_ms,
        } => format!(
            "run started: {workflow} ({tasks} tasks, {agents} agents, estimated {})",
            unit.format(*estimated_makespan_ms)
        ),
        EventBody::TaskStarted {
            task,
            agent,
            attempt,
        } => {
            let again = if *attempt > 1 {
                format!(" (attempt {attempt})")
            } else {
                String::new()
            };
            format!("start     {task} {} → {agent}{again}", name(task))
        }
        EventBody::AgentStarted {
            task, agent, given, ..
        } => format!(
            "exec      {task} on {agent}: {}",
            given.argv.join(" ").replace('\n', " ")
        ),
        EventBody::TaskCompleted { task, .. } => {
            let node = state.task_index(task).map(|i| &state.nodes[i]);
            let took = node.map_or(0, |n| n.held_ms(event.at_ms));
            let estimate = node.map_or(0, |n| n.task.estimate_ms);
            format!(
                "done      {task} {} in {} (estimate {})",
                name(task),
                unit.format(took),
                unit.format(estimate)
            )
        }
        EventBody::TaskFailed {
            task,
            agent,
            reason,
            is_final,
        } => {
            let what = if *is_final { "FAILED" } else { "failed" };
            format!("{what:<9} {task} on {agent}: {reason}")
        }
        EventBody::TaskReassigned { task, from, to } => format!("reassign  {task}: {from} → {to}"),
        EventBody::TaskSkipped { task, reason } => format!("skipped   {task}: {reason}"),
        EventBody::BlockerRaised {
            blocker,
            task,
            agent,
            report,
            decides,
            policy_at_ms,
            led_by,
        } => {
            let who = match (decides, policy_at_ms) {
                (Decider::Policy, Some(at)) => format!("policy decides at {}", unit.format(*at)),
                (Decider::Rule, _) => "a permission rule decides".to_string(),
                _ => "waits for a person".to_string(),
            };
            let lead = led_by
                .as_ref()
                .map_or_else(String::new, |l| format!(" — led by {l}"));
            format!(
                "BLOCKER   {blocker} on {task} ({agent}): {} [{} {}] — {who}{lead}",
                report.title,
                report.severity.label(),
                report.category
            )
        }
        EventBody::BlockerEscalated { blocker, reason } => {
            format!("escalate  {blocker}: {reason} — a person decides")
        }
        EventBody::BlockerWithdrawn { blocker, reason } => {
            format!("withdrawn {blocker}: {reason}")
        }
        EventBody::DecisionMade {
            blocker,
            option,
            label,
            by,
            who,
        } => {
            let by = match (by, who) {
                (Actor::User, Some(who)) => format!("user {who}"),
                (Actor::User, None) => "user".to_string(),
                (Actor::Policy, _) => "policy".to_string(),
                (Actor::Rule, _) => "rule".to_string(),
            };
            format!("decided   {blocker}: option {option} \"{label}\" (by {by})")
        }
        EventBody::GateEvaluated {
            gate,
            status,
            remediation,
        } => {
            let mut s = format!("gate      {gate}: {}", serde_plain(status));
            if !remediation.is_empty() {
                let _ = write!(s, " (remediation: {})", remediation.join(", "));
            }
            s
        }
        EventBody::PlanChanged { change, by, who } => {
            let who = match (by, who) {
                (Actor::User, Some(who)) => format!(" (by user {who})"),
                (Actor::User, None) => " (by user)".to_string(),
                _ => String::new(),
            };
            format!("{}{who}", plan_line(change, unit))
        }
        EventBody::Message { from, to, text } => format!("message   {from} → {to}: {text}"),
        EventBody::AlertRaised {
            alert,
            condition,
            detail,
            ..
        } => format!("ALERT     {alert} {}: {detail}", condition.label()),
        EventBody::AlertAcknowledged { alert, by } => {
            format!("ack       {alert} (by {})", serde_plain(by))
        }
        EventBody::Log { text, task, .. } => match task {
            Some(t) => format!("log       [{t}] {text}"),
            None => format!("log       {text}"),
        },
        EventBody::RunFinished { summary } => {
            format!("run finished: {}", serde_plain(&summary.status))
        }
        EventBody::AgentActivity {
            task,
            agent,
            activity,
            ..
        } => activity_line(task, agent, activity, state)?,
        EventBody::BudgetRaised { task, usd, by } => {
            let whose = task
                .as_deref()
                .map_or("the run's".to_string(), |t| format!("{t}'s"));
            format!(
                "budget    {whose} limit raised to ${usd:.2} (by {})",
                serde_plain(by)
            )
        }
        EventBody::TaskReady { .. }
        | EventBody::TaskProgress { .. }
        | EventBody::AgentUsage { .. } => return None,
    };
    Some(format!("[{:>7}] {text}", unit.format(event.at_ms)))
}

/// A coding agent's text, tool call, tool result, todo list or session as one line; `None` for
/// a turn ending (the agents panel counts them).
fn activity_line(task: &str, agent: &str, activity: &Activity, state: &State) -> Option<String> {
    Some(match activity {
        Activity::Text { text } => format!("says      {task} ({agent}): {}", one_line(text, LINE)),
        Activity::ToolCall { tool, input, .. } => {
            format!("tool      {task} ({agent}): {}", short_call(tool, input))
        }
        Activity::ToolResult { id, ok, output } => {
            let tool = state
                .task_index(task)
                .and_then(|t| state.doings.of(t))
                .and_then(|d| d.calls.iter().rev().find(|c| c.id == *id))
                .map_or_else(String::new, |c| format!("{} ", c.tool));
            let mark = if *ok { "✓" } else { "✗" };
            format!("result    {task}: {tool}{mark} {}", one_line(output, LINE))
        }
        Activity::Todo { done, total } => {
            format!("todo      {task} ({agent}): {done}/{total} done")
        }
        Activity::Session { id } => format!("session   {task} ({agent}): {}", one_line(id, LINE)),
        Activity::Turn { .. } => return None,
    })
}

/// What a change of plan did, as one line.
pub fn plan_line(change: &PlanChange, unit: TimeUnit) -> String {
    match change {
        PlanChange::AddTask { task, before } => {
            let mut s = format!(
                "plan      + task {} {} ({}, {})",
                task.id,
                task.name,
                task.wants(),
                unit.format(task.estimate_ms)
            );
            if !task.depends_on.is_empty() {
                let _ = write!(s, " after {}", task.depends_on.join(", "));
            }
            if !before.is_empty() {
                let _ = write!(s, " before {}", before.join(", "));
            }
            s
        }
        PlanChange::Reassign { task, to } => format!("plan      {task} → {to}"),
        PlanChange::Retry { task } => format!("plan      retry {task}"),
        PlanChange::Cancel { task } => format!("plan      cancel {task}"),
        PlanChange::PauseAgent { agent } => format!("plan      pause {agent}"),
        PlanChange::ResumeAgent { agent } => format!("plan      resume {agent}"),
        PlanChange::Delay { task, by_ms } => {
            format!("plan      {task} +{}", unit.format(*by_ms))
        }
        PlanChange::SetRemaining { task, remaining_ms } => {
            format!("plan      {task}: {} remaining", unit.format(*remaining_ms))
        }
        PlanChange::SetEstimate { task, estimate_ms } => {
            format!("plan      {task}: estimate {}", unit.format(*estimate_ms))
        }
    }
}

/// A snake_case enum value as plain text.
fn serde_plain<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Dollars (or that there is no price) and tokens, as one phrase.
fn spend_text(spend: &Spend) -> String {
    let usd = match (spend.cost_usd, spend.unpriced) {
        (Some(c), false) => format!("${c:.4}"),
        (Some(c), true) => format!("${c:.4} and tokens without a price"),
        (None, _) => "no price known".to_string(),
    };
    format!(
        "{usd}: {} tokens in, {} out, {} cached",
        spend.input_tokens, spend.output_tokens, spend.cached_tokens
    )
}

/// The summary as a few lines of text.
pub fn summary_text(summary: &Summary, unit: TimeUnit) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Run {}", summary.status.label());
    let _ = writeln!(
        s,
        "  makespan {} (estimated {}), sequential equivalent {}, time saved {:.1}%",
        unit.format(summary.makespan_ms),
        unit.format(summary.estimated_makespan_ms),
        unit.format(summary.sequential_ms),
        summary.time_saved_pct
    );
    let _ = writeln!(
        s,
        "  tasks: {} done, {} failed, {} skipped; peak parallelism {}",
        summary.tasks_done, summary.tasks_failed, summary.tasks_skipped, summary.peak_parallel
    );
    for b in &summary.blockers {
        let how = match (&b.option, &b.label, &b.by) {
            (Some(o), Some(l), Some(by)) => format!("option {o} \"{l}\" by {}", serde_plain(by)),
            _ => "undecided".into(),
        };
        let _ = writeln!(
            s,
            "  blocker {} on {} ({}): {how} after {}",
            b.id,
            b.task,
            b.severity.label(),
            unit.format(b.waited_ms)
        );
    }
    for g in &summary.gates {
        let status = g.status.as_ref().map_or("not reached".into(), serde_plain);
        let _ = writeln!(s, "  gate {}: {status}", g.id);
    }
    if summary.spend != Spend::default() {
        let _ = writeln!(s, "  spent {}", spend_text(&summary.spend));
        for t in &summary.task_spend {
            let _ = writeln!(s, "  task {:<17} spent {}", t.task, spend_text(&t.spend));
        }
        for a in summary
            .agents
            .iter()
            .filter(|a| a.spend != Spend::default())
        {
            let _ = writeln!(s, "  agent {:<16} spent {}", a.id, spend_text(&a.spend));
        }
    }
    for a in &summary.agents {
        let ratio = a
            .actual_vs_estimate
            .map_or("-".into(), |r| format!("{r:.2}x estimate"));
        let _ = writeln!(
            s,
            "  agent {:<16} busy {:>7} ({:>5.1}%), {} done, {} failed, {ratio}, {} escalated",
            a.id,
            unit.format(a.busy_ms),
            a.utilization_pct,
            a.tasks_done,
            a.tasks_failed,
            a.escalations
        );
    }
    s
}
