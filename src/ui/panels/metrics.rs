//! The metrics view, shown in place of the agents panel: one row per agent with tasks done and
//! failed, mean completion time and its ratio to the estimate, escalation rate, utilization
//! over the run so far, and a sparkline of its activity (busy share per slice of the run).

use crate::engine::metrics::{agent_figures, sparkline};
use crate::engine::state::State;
use crate::ui::text::{fit, pad};
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

const ID_W: usize = 10;
/// Columns before the sparkline: done, failed, mean time, vs estimate, escalations, utilization.
const FIGURES_W: usize = 40;

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
    let buckets = width.saturating_sub(ID_W + FIGURES_W + 1).max(1);
    let unit = state.workflow.unit;
    let header = format!(
        "{}{:>5}{:>5}{:>8}{:>7}{:>7}{:>7}  activity",
        pad("agent", ID_W),
        "done",
        "fail",
        "mean",
        "×est",
        "esc%",
        "util%"
    );
    // The column heads only when every agent still gets its row.
    let mut lines = Vec::new();
    if usize::from(inner.height) > state.agents.len() {
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
        lines.push(Line::from(vec![
            Span::styled(pad(&a.id, ID_W), name_style),
            Span::raw(format!(
                "{:>5}{:>5}{:>8}{ratio:>7}{:>7.0}{:>7.0}  ",
                a.tasks_done, a.tasks_failed, mean, a.escalation_rate_pct, a.utilization_pct
            )),
            Span::styled(sparkline(&a.activity_pct), theme.accent()),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
