//! Reading a recording without the dashboard: the event timeline as text, the state at a given
//! run time (tasks, agents, open blockers, what real agents spent) as text or JSON, and the task timeline as CSV.

use super::player::Player;
use crate::engine::describe::{describe, summary_text};
use crate::engine::spend::{Spend, Tally};
use crate::engine::state::State;
use crate::ui::panels::agents::activity;
use serde::Serialize;
use std::io::Write;

/// Every notable event, one line each, then the summary.
pub fn timeline(player: &mut Player, out: &mut dyn Write) -> std::io::Result<()> {
    for i in 0..player.len() {
        player.seek(i + 1);
        if let Some(line) = describe(&player.recording.events[i], player.state()) {
            writeln!(out, "{}", crate::ui::text::printable(&line))?;
        }
    }
    let state = player.state();
    match &state.finished {
        Some(summary) => write!(out, "{}", summary_text(summary, state.workflow.unit)),
        None => writeln!(out, "(the recording ends before the run finished)"),
    }
}

#[derive(Serialize)]
pub struct Snapshot {
    pub at_ms: u64,
    pub tasks: Vec<TaskRow>,
    pub agents: Vec<AgentRow>,
    pub open_blockers: Vec<BlockerRow>,
    /// Tokens and dollars real agents spent up to then.
    pub spend: Spend,
}

#[derive(Serialize)]
pub struct TaskRow {
    pub id: String,
    pub name: String,
    pub status: String,
    pub agent: Option<String>,
    pub pct: u8,
    pub started_ms: Option<u64>,
    pub finished_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spend: Option<Spend>,
}

#[derive(Serialize)]
pub struct AgentRow {
    pub id: String,
    pub state: String,
    pub task: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spend: Option<Spend>,
}

#[derive(Serialize)]
pub struct BlockerRow {
    pub id: String,
    pub task: String,
    pub severity: String,
    pub title: String,
    pub open_ms: u64,
}

pub fn snapshot(state: &State, at_ms: u64) -> Snapshot {
    let agent_id = |a: usize| state.agents[a].agent.id.clone();
    let used = |t: Tally| (!t.is_empty()).then(|| t.figures());
    Snapshot {
        at_ms,
        tasks: state
            .nodes
            .iter()
            .enumerate()
            .map(|(t, n)| TaskRow {
                id: n.task.id.clone(),
                name: n.task.name.clone(),
                status: n.status.label().to_string(),
                agent: n.agent.map(agent_id),
                pct: n.pct,
                started_ms: n.started_ms,
                finished_ms: n.finished_ms,
                spend: used(state.spend.task(t)),
            })
            .collect(),
        agents: (0..state.agents.len())
            .map(|a| AgentRow {
                id: agent_id(a),
                state: activity(state, a).label().to_string(),
                task: state.agents[a].task.map(|t| state.nodes[t].task.id.clone()),
                spend: used(state.spend.agent(a)),
            })
            .collect(),
        open_blockers: state
            .open_blockers()
            .map(|b| BlockerRow {
                id: b.id.clone(),
                task: state.nodes[b.task].task.id.clone(),
                severity: b.report.severity.label().to_string(),
                title: b.report.title.clone(),
                open_ms: at_ms.saturating_sub(b.raised_ms),
            })
            .collect(),
        spend: state.spend.run().figures(),
    }
}

/// The state at a run time, as a few aligned tables.
pub fn snapshot_text(state: &State, snap: &Snapshot, out: &mut dyn Write) -> std::io::Result<()> {
    let unit = state.workflow.unit;
    writeln!(
        out,
        "{} at t={}",
        state.workflow.name,
        unit.format(snap.at_ms)
    )?;
    writeln!(out, "\nTasks:")?;
    for t in &snap.tasks {
        let agent = t.agent.as_deref().unwrap_or("-");
        writeln!(
            out,
            "  {:<20} {:<8} {:>3}%  {:<14} {}",
            t.id, t.status, t.pct, agent, t.name
        )?;
    }
    writeln!(out, "\nAgents:")?;
    for a in &snap.agents {
        writeln!(
            out,
            "  {:<16} {:<8} {}",
            a.id,
            a.state,
            a.task.as_deref().unwrap_or("-")
        )?;
    }
    writeln!(out, "\nOpen blockers:")?;
    if snap.open_blockers.is_empty() {
        writeln!(out, "  none")?;
    }
    for b in &snap.open_blockers {
        writeln!(
            out,
            "  {} on {} ({}), open {}: {}",
            b.id,
            b.task,
            b.severity,
            unit.format(b.open_ms),
            b.title
        )?;
    }
    Ok(())
}

/// The task timeline as CSV: task, name, agent, start, end, status, estimate, actual — times in
/// the workflow's unit.
pub fn export_csv(state: &State, out: &mut dyn Write) -> Result<(), csv::Error> {
    let unit = state.workflow.unit;
    let mut w = csv::Writer::from_writer(out);
    let u = unit.to_string();
    w.write_record([
        "task".to_string(),
        "name".to_string(),
        "agent".to_string(),
        format!("start_{u}"),
        format!("end_{u}"),
        "status".to_string(),
        format!("estimate_{u}"),
        format!("actual_{u}"),
    ])?;
    let number = |ms: Option<u64>| ms.map_or(String::new(), |ms| format!("{}", unit.value(ms)));
    for n in state.nodes.iter().filter(|n| !n.is_gate()) {
        w.write_record([
            n.task.id.clone(),
            n.task.name.clone(),
            n.agent
                .map_or(String::new(), |a| state.agents[a].agent.id.clone()),
            number(n.started_ms),
            number(n.finished_ms),
            n.status.label().to_string(),
            number(Some(n.task.estimate_ms)),
            number(n.started_ms.map(|_| n.held_ms(state.now_ms))),
        ])?;
    }
    w.flush()?;
    Ok(())
}
