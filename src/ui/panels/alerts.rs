//! The blocker banner: one line per open blocker, most severe first, saying which task and agent
//! wait, who leads it, for how long, and who decides — a person (and how to, and why when a time
//! rule escalated it), or policy with its countdown;
//! below them, the alerts not yet acknowledged, oldest first (the top one is the one the
//! acknowledge key takes).

use crate::engine::event::Decider;
use crate::engine::state::State;
use crate::ui::keys::{Action, KeyMap};
use crate::ui::layout::{ALERT_LINES, BANNER_LINES};
use crate::ui::text::{fit, pad};
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
        let lead = blocker
            .led_by
            .as_ref()
            .map_or_else(String::new, |l| format!(" · led by {l}"));
        let escalated = blocker
            .escalated
            .as_ref()
            .map_or_else(String::new, |r| format!("escalated: {r} — "));
        let text = format!(
            " ⚠ {} {} · {} {} · {agent}{lead} · open {waited} · {escalated}{who}",
            blocker.report.severity.label(),
            blocker.id,
            task.id,
            task.name,
        );
        lines.push(Line::styled(pad(&text, width), theme.banner()));
    }
    lines.extend(alert_lines(state, now, width, keys, theme));
    frame.render_widget(Paragraph::new(lines), area);
}

/// Banner lines for the alerts not yet acknowledged: at most `ALERT_LINES`, the last saying how
/// many more wait when they do not fit.
fn alert_lines(
    state: &State,
    now: u64,
    width: usize,
    keys: Option<&KeyMap>,
    theme: Theme,
) -> Vec<Line<'static>> {
    let unit = state.workflow.unit;
    let open: Vec<_> = state.open_alerts().collect();
    let ack = keys.map(|k| k.key_for(Action::Acknowledge));
    let mut lines = Vec::new();
    for (k, alert) in open.iter().enumerate() {
        if k + 1 == ALERT_LINES && open.len() > ALERT_LINES {
            lines.push(Line::styled(
                pad(&format!(" ⚑ +{} more alerts", open.len() - k), width),
                theme.warn(),
            ));
            break;
        }
        let hint = match (&ack, k) {
            (Some(key), 0) => format!(" — {key} acknowledges"),
            _ => String::new(),
        };
        let text = format!(
            " ⚑ ALERT {} · {} · {} · {} ago{hint}",
            alert.id,
            alert.condition.label(),
            alert.detail,
            unit.format(now.saturating_sub(alert.raised_ms)),
        );
        lines.push(Line::styled(pad(&text, width), theme.warn()));
    }
    lines
}

/// How many banner lines the alerts take.
pub fn alert_rows(state: &State) -> usize {
    state.open_alerts().count().min(ALERT_LINES)
}
