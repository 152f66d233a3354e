//! The metrics view, shown in place of the agents panel: one row per agent with tasks done and
//! failed, mean completion time and its ratio to the estimate, escalation rate, utilization
//! over the run so far, and a sparkline of its activity (busy share per slice of the run) —
//! beside the figures, or under them when the panel is narrow and tall enough.

use crate::engine::metrics::{agent_figures, sparkline};
use crate::engine::state::State;
use crate::ui::text::{fit, pad};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

const ID_W: usize = 10;
/// Columns after the id: done, failed, mean time, vs estimate, escalations, utilization, gap.
const FIGURES_W: usize = 41;
/// The narrowest sparkline worth a place beside the figures.
const MIN_SPARK: usize = 12;

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
    let width = usize::from(inner.width);
    let agents = state.agents.len();
    // Narrow and tall: the sparkline gets a line of its own under each agent's figures.
    let stacked = width < ID_W + FIGURES_W + MIN_SPARK && usize::from(inner.height) > 2 * agents;
    let buckets = if stacked {
        width.saturating_sub(2).max(1)
    } else {
        width.saturating_sub(ID_W + FIGURES_W).max(1)
    };
    let unit = state.workflow.unit;
    let header = format!(
        "{}{:>5}{:>5}{:>8}{:>7}{:>7}{:>7}{}",
        pad("agent", ID_W),
        "done",
        "fail",
        "mean",
        "×est",
        "esc%",
        "util%",
        if stacked { "" } else { "  activity" }
    );
    // The column heads only when every agent still gets its row.
    let mut lines = Vec::new();
    if usize::from(inner.height) > agents {
        lines.push(Line::styled(fit(&header, width), theme.dim()));
    }
    for (i, a) in agent_figures(state, now, buckets).iter().enumerate() {
        let ratio = a
            .actual_vs_estimate
            .map_or_else(|| "-".to_string(), |r| format!("{r:.2}"));
        let mean = a
            .mean_completion_ms
            .map_or_else(|| "-".to_string(), |m| unit.format(m));
        let name_style = if selected == Some(i) {
            theme.selected()
        } else {
            theme.bold()
        };
        let figures = vec![
            Span::styled(pad(&a.id, ID_W), name_style),
            Span::raw(format!(
                "{:>5}{:>5}{:>8}{ratio:>7}{:>7.0}{:>7.0}  ",
                a.tasks_done, a.tasks_failed, mean, a.escalation_rate_pct, a.utilization_pct
            )),
        ];
        let spark = Span::styled(sparkline(&a.activity_pct), theme.accent());
        if stacked {
            lines.push(Line::from(figures));
            lines.push(Line::from(vec![Span::raw("  "), spark]));
        } else {
            lines.push(Line::from([figures, vec![spark]].concat()));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
