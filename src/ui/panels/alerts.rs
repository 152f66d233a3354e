//! The blocker banner: one line per open blocker, most severe first, saying which task and agent
//! wait, for how long, and who decides — a person (and how to), or policy with its countdown.

use crate::engine::event::Decider;
use crate::engine::state::State;
use crate::ui::keys::{Action, KeyMap};
use crate::ui::layout::BANNER_LINES;
use crate::ui::text::fit;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use std::collections::HashSet;

/// Open blockers in banner order: most severe first, then oldest.
pub fn ordered(state: &State) -> Vec<usize> {
    let mut open: Vec<usize> = (0..state.blockers.len())
        .filter(|&b| state.blockers[b].is_open())
        .collect();
    open.sort_by_key(|&b| {
        (
            std::cmp::Reverse(state.blockers[b].report.severity),
            state.blockers[b].raised_ms,
            b,
        )
    });
    open
}

/// `keys` are the dashboard's keys when a person can decide here (none in a replay).
pub fn render(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    now: u64,
    deferred: &HashSet<usize>,
    keys: Option<&KeyMap>,
    theme: Theme,
) {
    let unit = state.workflow.unit;
    let next = keys.map_or_else(String::new, |k| k.key_for(Action::NextBlocker));
    let open = ordered(state);
    let width = area.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for (k, &b) in open.iter().enumerate() {
        let blocker = &state.blockers[b];
        if k + 1 == BANNER_LINES && open.len() > BANNER_LINES {
            lines.push(Line::styled(
                fit(
                    &format!(
                        " ⚠ +{} more open blockers — {next} cycles through them",
                        open.len() - k
                    ),
                    width,
                ),
                theme.banner(),
            ));
            break;
        }
        let task = &state.nodes[blocker.task].task;
        let agent = &state.agents[blocker.agent].agent.id;
        let waited = unit.format(now.saturating_sub(blocker.raised_ms));
        let who = match (blocker.decides, blocker.policy_at_ms) {
            (Decider::Policy, Some(at)) => {
                format!("policy decides in {}", unit.format(at.saturating_sub(now)))
            }
            _ if deferred.contains(&b) => {
                format!("deferred — waits for a person ({next} to decide)")
            }
            _ if keys.is_some() => format!("waits for a person — press {next} to decide"),
            _ => "waits for a person".to_string(),
        };
        let text = format!(
            " ⚠ {} {} · {} {} · {agent} · open {waited} · {who}",
            blocker.report.severity.label(),
            blocker.id,
            task.id,
            task.name,
        );
        lines.push(Line::styled(
            crate::ui::text::pad(&text, width),
            theme.banner(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
