//! The log panel: tui-logger's widget over the `tracing` events the dashboard emits for each
//! engine event, agent message and handoff.

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
