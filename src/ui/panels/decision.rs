//! The decision panel: the exception report of one blocker (type, severity, category, issue,
//! impact), each option with its pros, cons, timeline and resources, the recommendation, and
//! the run's projected finish under each option, a cursor on the option Enter takes (the list
//! scrolls to keep it in view, or the chosen option once decided); who leads it, and why a time rule escalated it
//! to a person. Read-only once decided (or in a replay): it then says what was chosen, by whom
//! and when.

use super::popup::Popup;
use crate::engine::event::Actor;
use crate::engine::state::State;
use crate::ui::app::DecisionView;
use crate::ui::keys::{Action, KeyMap};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

/// `keys` are the dashboard's keys when a person can decide here (none in a replay).
pub fn render(
    frame: &mut Frame,
    screen: Rect,
    view: &DecisionView,
    state: &State,
    now: u64,
    keys: Option<&KeyMap>,
    theme: Theme,
) {
    let Some(blocker) = state.blockers.get(view.blocker) else {
        return;
    };
    let unit = state.workflow.unit;
    let report = &blocker.report;
    let task = &state.nodes[blocker.task].task;
    let agent = &state.agents[blocker.agent].agent;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} · ", report.kind), theme.bold()),
            Span::styled(report.severity.label(), theme.severity(report.severity)),
            Span::raw(format!(
                " · {} · task {} {} · agent {} {}",
                report.category, task.id, task.name, agent.id, agent.name
            )),
        ]),
        Line::styled(report.title.clone(), theme.bold()),
    ];
    if let Some(lead) = &blocker.led_by {
        lines.push(Line::from(vec![
            Span::styled("Led by: ", theme.accent()),
            Span::raw(lead.clone()),
        ]));
    }
    if let Some(reason) = &blocker.escalated {
        lines.push(Line::styled(
            format!("Escalated to a person: {reason}; policy will not decide it."),
            theme.warn(),
        ));
    }
    if !report.issue.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("Issue:  ", theme.accent()),
            Span::raw(report.issue.clone()),
        ]));
    }
    if !report.impact.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("Impact: ", theme.accent()),
            Span::raw(report.impact.clone()),
        ]));
    }
    let recommended_finish = view
        .projections
        .get(report.recommended - 1)
        .copied()
        .flatten();
    let deciding = blocker.decision.is_none() && keys.is_some();
    let selected = view.selected_or(report.recommended);
    let mut focus = None;
    for (k, option) in report.options.iter().enumerate() {
        let number = k + 1;
        lines.push(Line::raw(""));
        let under_cursor = deciding && number == selected;
        let chosen = blocker
            .decision
            .as_ref()
            .is_some_and(|d| d.option == number);
        if under_cursor || chosen {
            focus = Some(lines.len());
        }
        let mut head = vec![if under_cursor {
            Span::styled(format!("▶{number}  {}", option.label), theme.selected())
        } else {
            Span::styled(format!(" {number}  {}", option.label), theme.bold())
        }];
        if number == report.recommended {
            head.push(Span::styled("  ★ recommended", theme.good()));
        }
        if let Some(Some(finish)) = view.projections.get(k) {
            let delta = match recommended_finish {
                Some(r) if *finish > r => format!(" (+{} vs recommended)", unit.format(finish - r)),
                Some(r) if *finish < r => format!(" (−{} vs recommended)", unit.format(r - finish)),
                _ => String::new(),
            };
            head.push(Span::styled(
                format!("  → run finishes at {}{delta}", unit.format(*finish)),
                theme.accent(),
            ));
        }
        if chosen {
            head.push(Span::styled("  ✔ chosen", theme.good()));
        }
        lines.push(Line::from(head));
        for (mark, text) in [("+ ", &option.pros), ("− ", &option.cons)] {
            if !text.is_empty() {
                lines.push(Line::from(vec![
                    Span::raw("    "),
                    Span::styled(mark, theme.dim()),
                    Span::raw(text.clone()),
                ]));
            }
        }
        let mut facts = Vec::new();
        if !option.timeline.is_empty() {
            facts.push(format!("timeline: {}", option.timeline));
        }
        if !option.resources.is_empty() {
            facts.push(format!("resources: {}", option.resources));
        }
        if !facts.is_empty() {
            lines.push(Line::styled(
                format!("    {}", facts.join(" · ")),
                theme.dim(),
            ));
        }
    }
    lines.push(Line::raw(""));
    let hint = match (&blocker.decision, keys) {
        (Some(d), _) => {
            let by = match d.by {
                Actor::User => "a person",
                Actor::Policy => "policy",
                Actor::Rule => "a permission rule",
            };
            lines.push(Line::styled(
                format!(
                    "Decided: option {} \"{}\" by {by} at {}",
                    d.option,
                    d.label,
                    unit.format(d.at_ms)
                ),
                theme.good(),
            ));
            "Esc close".to_string()
        }
        (None, Some(keys)) => {
            lines.push(Line::styled(
                format!(
                    "Open for {} — waiting for your decision.",
                    unit.format(now.saturating_sub(blocker.raised_ms))
                ),
                theme.warn(),
            ));
            footer(view, report.options.len(), selected, keys)
        }
        (None, None) => "Esc close".to_string(),
    };
    let title = Line::from(vec![Span::styled(
        format!(" ⚠ Decision: {} ", blocker.id),
        theme.severity(report.severity),
    )]);
    let border = theme.severity(report.severity);
    Popup {
        title,
        hint,
        lines,
        border,
        max_width: 110,
    }
    .render_showing(
        frame,
        screen,
        theme,
        focus.map(|first| (first, OPTION_ROWS)),
    );
}

/// The most lines an option takes (its head, pros, cons and facts).
const OPTION_ROWS: usize = 4;

/// What the keys really do while a person decides: up to 9 options a digit chooses at once,
/// past that the number is typed, then Enter; the arrows move the cursor that Enter takes.
fn footer(view: &DecisionView, count: usize, selected: usize, keys: &KeyMap) -> String {
    let digits = if count <= 9 {
        format!("1-{count} choose")
    } else if view.typed.is_empty() {
        format!("type 1-{count}, Enter")
    } else {
        format!("typed {} (⌫ erase)", view.typed)
    };
    format!(
        "{digits} · ↑↓ select · Enter choose {selected} · {} defer · Esc close",
        keys.key_for(Action::Defer)
    )
}
