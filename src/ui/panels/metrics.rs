//! The metrics view, shown in place of the agents panel: one row per agent with tasks done and
//! failed, mean completion time and its ratio to the estimate, escalation rate, utilization
//! over the run so far, tokens and dollars once real agents report any, and a sparkline of its
//! activity (busy share per slice of the run) — beside the figures, or under them when the
//! panel is narrow and tall enough.

use crate::engine::metrics::{agent_figures, sparkline};
use crate::engine::spend::{tokens_text, usd_text};
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
/// The tokens and dollars columns.
const SPEND_W: usize = 17;
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
    // Tokens and dollars, once real agents report any.
    let spending = !state.spend.run().is_empty();
    let figures_w = FIGURES_W + if spending { SPEND_W } else { 0 };
    // Narrow and tall: the sparkline gets a line of its own under each agent's figures.
    let stacked = width < ID_W + figures_w + MIN_SPARK && usize::from(inner.height) > 2 * agents;
    let buckets = if stacked {
        width.saturating_sub(2).max(1)
    } else {
        width.saturating_sub(ID_W + figures_w).max(1)
    };
    let unit = state.workflow.unit;
    let spend_head = if spending {
        format!("{:>8}{:>9}", "tokens", "usd")
    } else {
        String::new()
    };
    let header = format!(
        "{}{:>5}{:>5}{:>8}{:>7}{:>7}{:>7}{spend_head}{}",
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
        let spent = if spending {
            let tally = state.spend.agent(i);
            format!(
                "{:>8}{:>9}",
                tokens_text(tally.input_tokens.saturating_add(tally.output_tokens)),
                usd_text(&tally).unwrap_or_else(|| "-".into())
            )
        } else {
            String::new()
        };
        let figures = vec![
            Span::styled(pad(&a.id, ID_W), name_style),
            Span::raw(format!(
                "{:>5}{:>5}{:>8}{ratio:>7}{:>7.0}{:>7.0}{spent}  ",
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
