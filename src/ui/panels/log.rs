//! The log panel: tui-logger's widget over the `tracing` events the dashboard emits for each
//! engine event, agent message and handoff — or, in a replay, the recorded events up to the
//! position, newest last.

use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Block;
use tui_logger::{TuiLoggerLevelOutput, TuiLoggerWidget, TuiWidgetState};

pub fn render(frame: &mut Frame, area: Rect, block: Block, state: &TuiWidgetState, theme: Theme) {
    let widget = TuiLoggerWidget::default()
        .block(block)
        .output_timestamp(None)
        .output_level(Some(TuiLoggerLevelOutput::Abbreviated))
        .output_target(false)
        .output_file(false)
        .output_line(false)
        .output_separator(' ')
        .style_error(theme.bad())
        .style_warn(theme.warn())
        .style_info(ratatui::style::Style::new())
        .state(state);
    frame.render_widget(widget, area);
}

/// The newest lines that fit, newest at the bottom, each cut to the panel's width.
pub fn render_lines(frame: &mut Frame, area: Rect, block: Block, lines: &[String]) {
    let inner = block.inner(area);
    let shown = lines.len().saturating_sub(usize::from(inner.height));
    let text: Vec<ratatui::text::Line> = lines[shown..]
        .iter()
        .map(|l| ratatui::text::Line::raw(crate::ui::text::fit(l, usize::from(inner.width))))
        .collect();
    frame.render_widget(ratatui::widgets::Paragraph::new(text).block(block), area);
}
