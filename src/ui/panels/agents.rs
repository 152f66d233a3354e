//! One row per agent: name, current task, state (idle, working, blocked, failed, done), a
//! progress bar, elapsed time against the estimate and the ETA; a task past 150% of its
//! estimate is flagged.

use crate::engine::state::{AgentState, State, TaskStatus};
use crate::ui::text::pad;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, LineGauge, Paragraph};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentActivity {
    Idle,
    Working,
    Blocked,
    Failed,
    Done,
}

impl AgentActivity {
    pub fn label(self) -> &'static str {
        match self {
            AgentActivity::Idle => "idle",
            AgentActivity::Working => "working",
            AgentActivity::Blocked => "blocked",
            AgentActivity::Failed => "failed",
            AgentActivity::Done => "done",
        }
    }
}

pub fn activity(state: &State, index: usize) -> AgentActivity {
    let agent = &state.agents[index];
    if let Some(t) = agent.task {
        return if state.nodes[t].status == TaskStatus::Blocked {
            AgentActivity::Blocked
        } else {
            AgentActivity::Working
        };
    }
    let last_failed = agent
        .last_task
        .and_then(|t| {
            state.nodes[t]
                .stints
                .iter()
                .rev()
                .find(|s| s.agent == index)
        })
        .is_some_and(|s| s.failed);
    if last_failed {
        return AgentActivity::Failed;
    }
    let more = state
        .nodes
        .iter()
        .any(|n| !n.status.is_terminal() && !n.is_gate() && can_take(agent, &n.task));
    if more {
        AgentActivity::Idle
    } else {
        AgentActivity::Done
    }
}

fn can_take(agent: &AgentState, task: &crate::workflow::model::Task) -> bool {
    match (&task.agent, &task.role) {
        (Some(id), _) => *id == agent.agent.id,
        (None, Some(role)) => agent.agent.has_role(role),
        _ => false,
    }
}

pub fn render(
    frame: &mut Frame,
    area: Rect,
    block: Block,
    state: &State,
    now: u64,
    selected: Option<usize>,
    theme: Theme,
) {
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let unit = state.workflow.unit;
    for (i, agent) in state.agents.iter().enumerate().take(inner.height as usize) {
        let row = Rect {
            y: inner.y + i as u16,
            height: 1,
            ..inner
        };
        let act = activity(state, i);
        let task = agent.task.map(|t| &state.nodes[t]);
        let style = match act {
            AgentActivity::Working => theme.status(TaskStatus::Running),
            AgentActivity::Blocked | AgentActivity::Failed => theme.bad(),
            AgentActivity::Done => theme.status(TaskStatus::Done),
            AgentActivity::Idle => theme.dim(),
        };
        let row_style = if selected == Some(i) {
            theme.selected()
        } else {
            Style::new()
        };
        let wide = row.width >= 70;
        let name_w = if wide { 18 } else { 10 };
        let [name, what, bar, time] = Layout::horizontal([
            Constraint::Length(name_w),
            Constraint::Length(if wide { 18 } else { 12 }),
            Constraint::Min(8),
            Constraint::Length(if wide { 22 } else { 12 }),
        ])
        .areas(row);
        let label = if wide {
            format!("{} {}", agent.agent.id, agent.agent.name)
        } else {
            agent.agent.id.clone()
        };
        frame.render_widget(
            Paragraph::new(pad(&label, name_w as usize)).style(row_style),
            name,
        );
        let doing = match task {
            Some(n) => format!("{} {}", n.task.id, act.label()),
            None => act.label().to_string(),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(pad(&doing, what.width as usize), style)),
            what,
        );
        let Some(node) = task else { continue };
        let ratio = f64::from(node.pct) / 100.0;
        frame.render_widget(
            LineGauge::default()
                .ratio(ratio)
                .label(format!("{:>3}%", node.pct))
                .filled_style(style)
                .unfilled_style(theme.dim()),
            bar,
        );
        let elapsed = now.saturating_sub(node.attempt_started_ms.unwrap_or(now));
        let expected = node.expected_ms.max(1);
        let remaining = expected * u64::from(100 - node.pct.min(100)) / 100;
        let over = elapsed * 2 > expected * 3;
        let text = if wide {
            format!(
                " {}/{} ETA {}",
                unit.format(elapsed),
                unit.format(expected),
                unit.format(remaining)
            )
        } else {
            format!(" {}/{}", unit.format(elapsed), unit.format(expected))
        };
        let mut spans = vec![Span::raw(text)];
        if over {
            spans = vec![Span::styled(
                format!(" ⚠ {}% of est", 100 * elapsed / expected),
                theme.warn(),
            )];
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), time);
    }
}
