//! One row per agent: name, current task, state (idle, working, blocked, failed, done), the
//! coding agent's current tool call, a progress bar (done of total from its todo list when it
//! keeps one; a spinner for a real process that reports no progress), elapsed time against the
//! estimate and the ETA, then its turns, tokens and dollars; a task past 150% of its estimate is
//! flagged.

use crate::engine::spend::{tokens_text, usd_text};
use crate::engine::state::{Node, State, TaskStatus};
use crate::ui::text::{pad, printable};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, LineGauge, Paragraph};
use unicode_width::UnicodeWidthStr;

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
        .any(|n| !n.status.is_terminal() && !n.is_gate() && agent.agent.can_take(&n.task));
    if more {
        AgentActivity::Idle
    } else {
        AgentActivity::Done
    }
}

/// Lines per agent row: two (name, then progress) when the panel has room, else one.
pub fn row_height(inner_height: u16, agents: usize) -> u16 {
    if usize::from(inner_height) >= 2 * agents {
        2
    } else {
        1
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
    let height = row_height(inner.height, state.agents.len());
    for (i, agent) in state
        .agents
        .iter()
        .enumerate()
        .take(usize::from(inner.height / height))
    {
        let row = Rect {
            y: inner.y + i as u16 * height,
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
        let name_style = if selected == Some(i) {
            theme.selected()
        } else {
            theme.bold()
        };
        let call = agent
            .task
            .and_then(|t| state.doings.of(t))
            .and_then(|d| d.current())
            .map(|c| printable(&c.short()));
        let doing = match (task, call) {
            (Some(n), Some(call)) => format!("{} · {} · {call}", act.label(), n.task.id),
            (Some(n), None) => format!("{} · {} {}", act.label(), n.task.id, n.task.name),
            (None, _) => act.label().to_string(),
        };
        let timing = task.map(|node| timing(state, node, now, unit, theme));
        if height == 2 {
            let spent = spend_line(state, i, theme);
            let label = format!("{} {}", agent.agent.id, agent.agent.name);
            let name_w = (label.width() as u16 + 2).min(row.width / 2);
            let [name, what] =
                Layout::horizontal([Constraint::Length(name_w), Constraint::Min(1)]).areas(row);
            frame.render_widget(
                Paragraph::new(pad(&label, name_w as usize)).style(name_style),
                name,
            );
            frame.render_widget(
                Paragraph::new(Span::styled(pad(&doing, what.width as usize), style)),
                what,
            );
            let below = Rect {
                y: row.y + 1,
                ..row
            };
            match (task, timing) {
                (Some(node), Some(mut time)) => {
                    time.spans.extend(spent.spans);
                    let [bar, text] = Layout::horizontal([
                        Constraint::Min(10),
                        Constraint::Length(time.width() as u16 + 1),
                    ])
                    .areas(below);
                    render_progress(frame, bar, state, node, now, style, theme);
                    frame.render_widget(Paragraph::new(time), text);
                }
                _ => frame.render_widget(Paragraph::new(spent), below),
            }
            continue;
        }
        let [name, what, bar, time] = Layout::horizontal([
            Constraint::Length(10),
            Constraint::Length(14),
            Constraint::Min(8),
            Constraint::Length(timing.as_ref().map_or(0, |t| t.width() as u16 + 1)),
        ])
        .areas(row);
        frame.render_widget(
            Paragraph::new(pad(&agent.agent.id, 10)).style(name_style),
            name,
        );
        frame.render_widget(
            Paragraph::new(Span::styled(pad(&doing, what.width as usize), style)),
            what,
        );
        if let (Some(node), Some(t)) = (task, timing) {
            render_progress(frame, bar, state, node, now, style, theme);
            frame.render_widget(Paragraph::new(t), time);
        }
    }
}

/// Dollars, turns and tokens of agent `a` (its turns on the task it holds; dollars and tokens
/// over the run), the most telling first as a narrow panel cuts the end; empty until it
/// reports any.
fn spend_line(state: &State, a: usize, theme: Theme) -> Line<'static> {
    let spent = state.spend.agent(a);
    let turns = state.agents[a]
        .task
        .and_then(|t| state.doings.of(t))
        .map_or(0, |d| d.turns);
    let mut parts: Vec<String> = usd_text(&spent).into_iter().collect();
    if turns > 0 {
        parts.push(format!("{turns} turns"));
    }
    if !spent.is_empty() {
        parts.push(format!(
            "{} in {} out {} cached",
            tokens_text(spent.input_tokens),
            tokens_text(spent.output_tokens),
            tokens_text(spent.cached_tokens)
        ));
    }
    if parts.is_empty() {
        return Line::default();
    }
    Line::styled(format!(" · {}", parts.join(" · ")), theme.dim())
}

/// The task's progress bar (done of total when the agent keeps a todo list), or a spinner for a
/// real process that reports no progress.
fn render_progress(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    node: &Node,
    now: u64,
    style: Style,
    theme: Theme,
) {
    let todo = state
        .task_index(&node.task.id)
        .and_then(|t| state.doings.of(t))
        .and_then(|d| d.todo);
    if let Some((done, total)) = todo {
        let ratio = f64::from(done) / f64::from(total.max(1));
        let bar = LineGauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label(format!("{done}/{total} todo"))
            .filled_style(style)
            .unfilled_style(theme.dim());
        frame.render_widget(bar, area);
        return;
    }
    if node.progress_unknown() && node.status == TaskStatus::Running {
        const SPINNER: [&str; 8] = ["⣾", "⣽", "⣻", "⢿", "⡿", "⣟", "⣯", "⣷"];
        let frame_no = (now / 250) as usize % SPINNER.len();
        let text = format!("{} running", SPINNER[frame_no]);
        frame.render_widget(Paragraph::new(Span::styled(text, style)), area);
    } else {
        frame.render_widget(gauge(node.pct, style, theme), area);
    }
}

fn gauge(pct: u8, style: Style, theme: Theme) -> LineGauge<'static> {
    LineGauge::default()
        .ratio(f64::from(pct.min(100)) / 100.0)
        .label(format!("{pct:>3}%"))
        .filled_style(style)
        .unfilled_style(theme.dim())
}

/// Elapsed against expected and the ETA; how long it has been blocked; or a flag when past 150%
/// of the estimate.
fn timing(
    state: &State,
    node: &Node,
    now: u64,
    unit: crate::time::TimeUnit,
    theme: Theme,
) -> Line<'static> {
    if let Some(b) = node.blocker.and_then(|b| state.blockers.get(b)) {
        let blocked = unit.format(now.saturating_sub(b.raised_ms));
        return Line::styled(format!(" ‼ blocked for {blocked}"), theme.bad());
    }
    let elapsed = now.saturating_sub(node.attempt_started_ms.unwrap_or(now));
    let expected = node.expected_ms.max(1);
    if elapsed * 2 > expected * 3 {
        return Line::styled(
            format!(
                " ⚠ {} = {}% of {}",
                unit.format(elapsed),
                100 * elapsed / expected,
                unit.format(expected)
            ),
            theme.warn(),
        );
    }
    let remaining = match node.progress_unknown() {
        true => expected.saturating_sub(elapsed),
        false => expected * u64::from(100 - node.pct.min(100)) / 100,
    };
    Line::raw(format!(
        " {}/{} · ETA {}",
        unit.format(elapsed),
        unit.format(expected),
        unit.format(remaining)
    ))
}
