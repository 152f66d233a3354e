//! Task details: agent, estimate against actual, attempts, dependencies and dependants with
//! their status, the context the task is given, its handoff output, why it failed, what a real
//! agent spent on it and a coding agent's last tool calls, the latest messages and handoffs its
//! agent sent or received, and the prompt a coding agent was given.

use super::popup::Popup;
use crate::agents::fold;
use crate::engine::doings::one_line;
use crate::engine::spend::{tokens_text, usd_text};
use crate::engine::state::State;
use crate::time::TimeUnit;
use crate::ui::text::printable;
use crate::ui::theme::{Theme, symbol};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// What a real agent spent on task `t`, and for a coding agent its turns, todo list, session
/// and last tool calls (each with how it ended), oldest first.
fn agent_work(state: &State, t: usize, unit: TimeUnit, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<12}"), theme.accent()),
            Span::raw(value),
        ])
    };
    let spent = state.spend.task(t);
    if !spent.is_empty() {
        let usd = usd_text(&spent).unwrap_or_else(|| "no price".into());
        lines.push(field(
            "spent",
            format!(
                "{usd} · {} in · {} out · {} cached",
                tokens_text(spent.input_tokens),
                tokens_text(spent.output_tokens),
                tokens_text(spent.cached_tokens)
            ),
        ));
    }
    let Some(doing) = state.doings.of(t) else {
        return lines;
    };
    if doing.turns > 0 {
        lines.push(field("turns", doing.turns.to_string()));
    }
    if let Some((done, total)) = doing.todo {
        lines.push(field("todo", format!("{done}/{total} done")));
    }
    if let Some(session) = &doing.session {
        lines.push(field("session", printable(session)));
    }
    if !doing.calls.is_empty() {
        lines.push(Line::styled("last tool calls", theme.accent()));
    }
    for call in &doing.calls {
        let (mark, style, output) = match &call.result {
            Some((true, out)) => ("✓", theme.good(), out.as_str()),
            Some((false, out)) => ("✗", theme.bad(), out.as_str()),
            None => ("…", theme.dim(), ""),
        };
        let mut spans = vec![
            Span::styled(format!("  {:>7} ", unit.format(call.at_ms)), theme.dim()),
            Span::styled(format!("{mark} "), style),
            Span::raw(printable(&call.short())),
        ];
        if !output.is_empty() {
            spans.push(Span::styled(
                format!(" → {}", printable(&one_line(output, 80))),
                theme.dim(),
            ));
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// The most messages the details show.
const MESSAGES: usize = 6;

pub fn render(frame: &mut Frame, screen: Rect, node: usize, state: &State, now: u64, theme: Theme) {
    let Some(n) = state.nodes.get(node) else {
        return;
    };
    let unit = state.workflow.unit;
    let task = &n.task;
    let field = |name: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{name:<12}"), theme.accent()),
            Span::raw(value),
        ])
    };
    let mut lines = vec![
        Line::from(vec![Span::styled(
            format!("{} {}", symbol(n.status), n.status.label()),
            theme.status(n.status),
        )]),
        field(
            "agent",
            n.agent.map_or_else(
                || format!("(wants {})", task.wants()),
                |a| state.agents[a].agent.id.clone(),
            ),
        ),
        field("estimate", unit.format(task.estimate_ms)),
        field("expected", unit.format(n.expected_ms)),
        field("actual", unit.format(n.held_ms(now))),
        field("attempts", n.attempts.to_string()),
        field("priority", format!("{:?}", task.priority).to_lowercase()),
    ];
    if let Some(p) = &task.phase {
        lines.push(field("phase", p.clone()));
    }
    if !task.description.is_empty() {
        lines.push(field("description", task.description.clone()));
    }
    let list = |nodes: &[usize]| -> String {
        if nodes.is_empty() {
            return "—".into();
        }
        nodes
            .iter()
            .map(|&d| {
                format!(
                    "{} {}",
                    symbol(state.nodes[d].status),
                    state.nodes[d].task.id
                )
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    lines.push(field("depends on", list(&n.deps)));
    lines.push(field("dependants", list(&n.dependants)));
    if let Some(reason) = &n.reason {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<12}", "reason"), theme.bad()),
            Span::raw(printable(reason)),
        ]));
    }
    if let Some(output) = n
        .output
        .as_ref()
        .or(task.output.as_ref().filter(|_| n.status.is_terminal()))
    {
        lines.push(field("output", printable(output)));
    }
    lines.extend(agent_work(state, node, unit, theme));
    let agent = n
        .agent
        .or_else(|| task.agent.as_deref().and_then(|id| state.agent_index(id)));
    if let Some(a) = agent {
        let messages = state.messages_of(a, MESSAGES);
        if !messages.is_empty() {
            lines.push(Line::styled(
                format!("messages of {}", state.agents[a].agent.id),
                theme.accent(),
            ));
            lines.extend(messages.into_iter().map(|m| {
                Line::from(vec![
                    Span::styled(format!("  {:>7} ", unit.format(m.at_ms)), theme.dim()),
                    Span::raw(printable(&m.text)),
                ])
            }));
        }
    }
    if !task.context.is_empty() {
        lines.push(Line::styled("context", theme.accent()));
        let pretty = serde_json::to_string_pretty(&task.context).unwrap_or_default();
        lines.extend(pretty.lines().map(|l| Line::raw(format!("  {l}"))));
    }
    if let Some(prompt) = &n.prompt {
        lines.push(Line::styled("prompt", theme.accent()));
        let prompt = fold::printable(prompt, true);
        lines.extend(prompt.lines().map(|l| Line::raw(format!("  {l}"))));
    }
    let title = Line::styled(format!(" {} {} ", task.id, task.name), theme.bold());
    let hint = "Esc close".to_string();
    Popup {
        title,
        hint,
        lines,
        border: theme.border(),
        max_width: 100,
    }
    .render(frame, screen, theme);
}
