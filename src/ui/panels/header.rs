//! The header: workflow, mode, run clock against the estimated finish, task counts, what real
//! agents spent (dollars and tokens, once they report any), open blockers, speed and the help
//! hint on the first line; overall progress on the second.

use crate::engine::state::TaskStatus;
use crate::ui::theme::Theme;
use crate::ui::view::{Mode, View};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};

pub fn render(frame: &mut Frame, area: Rect, view: &View, theme: Theme) {
    let state = view.state;
    let unit = state.workflow.unit;
    let tasks: Vec<&crate::engine::state::Node> =
        state.nodes.iter().filter(|n| !n.is_gate()).collect();
    let count = |s: TaskStatus| tasks.iter().filter(|n| n.status == s).count();
    let blockers = state.open_blockers().count();
    let estimate = view.estimate_ms;
    let mode_style = match view.mode {
        Mode::Live => theme.good(),
        Mode::Paused => theme.warn(),
        Mode::Finished => theme.accent(),
        Mode::Replay => theme.accent(),
    };
    let counts = vec![
        Span::styled(
            format!("▶{} ", count(TaskStatus::Running)),
            theme.status(TaskStatus::Running),
        ),
        Span::styled(
            format!("✔{} ", count(TaskStatus::Done)),
            theme.status(TaskStatus::Done),
        ),
        Span::styled(
            format!("‼{} ", count(TaskStatus::Blocked)),
            theme.status(TaskStatus::Blocked),
        ),
        Span::styled(
            format!("✖{}", count(TaskStatus::Failed)),
            theme.status(TaskStatus::Failed),
        ),
    ];
    let clock = format!(
        "t={} / est {}",
        unit.format(view.clock_ms),
        unit.format(estimate)
    );
    let spent = state.spend.run();
    let spend_text = (!spent.is_empty()).then(|| crate::engine::spend::brief(&spent));
    let blockers_text = match blockers {
        0 => None,
        1 => Some("⚠ 1 blocker".to_string()),
        n => Some(format!("⚠ {n} blockers")),
    };
    // Pieces in order of importance; the least important go first when the line is too narrow.
    let speed = view.speed.clone();
    let title = state.workflow.title.clone();
    let width = usize::from(area.width);
    let mut spans = Vec::new();
    for drop in 0..4 {
        spans = vec![Span::styled(" orch-tui ", theme.bold())];
        let mut part = |s: Vec<Span<'static>>| {
            spans.push(Span::raw("│ "));
            spans.extend(s);
            spans.push(Span::raw(" "));
        };
        if drop < 3 {
            part(vec![Span::styled(title.clone(), theme.bold())]);
        }
        part(vec![Span::styled(view.mode.label(), mode_style)]);
        part(vec![Span::raw(clock.clone())]);
        part(counts.clone());
        if let Some(s) = &spend_text {
            part(vec![Span::styled(s.clone(), theme.accent())]);
        }
        if let Some(b) = &blockers_text {
            part(vec![Span::styled(b.clone(), theme.banner())]);
        }
        if drop < 2 {
            part(vec![Span::raw(speed.clone())]);
        }
        if drop < 1 {
            part(vec![Span::styled("? help", theme.dim())]);
        }
        if Line::from(spans.clone()).width() <= width {
            break;
        }
    }
    let [top, bottom] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), top);

    let done = count(TaskStatus::Done) + count(TaskStatus::Skipped) + count(TaskStatus::Failed);
    let work: u64 = tasks.iter().map(|n| n.expected_ms).sum::<u64>().max(1);
    let worked: u64 = tasks
        .iter()
        .map(|n| {
            if n.status.is_terminal() {
                n.expected_ms
            } else {
                n.expected_ms * u64::from(n.pct) / 100
            }
        })
        .sum();
    let ratio = (worked as f64 / work as f64).clamp(0.0, 1.0);
    let label = format!(
        "{:.0}% · {done}/{} tasks finished",
        ratio * 100.0,
        tasks.len()
    );
    match &view.scrubber {
        Some(scrubber) => {
            super::scrubber::render(frame, bottom, scrubber, view.clock_ms, unit, theme)
        }
        None => frame.render_widget(
            Gauge::default()
                .ratio(ratio)
                .label(label)
                .gauge_style(theme.gauge())
                .use_unicode(true),
            bottom,
        ),
    }
}
