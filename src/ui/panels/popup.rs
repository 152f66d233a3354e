//! Overlays share one look: a cleared, bordered box over the dashboard with a title and a key
//! hint at the bottom, sized to its content within the screen.

use crate::ui::layout::centered;
use crate::ui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

pub struct Popup<'a> {
    pub title: Line<'a>,
    pub hint: String,
    pub lines: Vec<Line<'a>>,
    pub border: Style,
    /// The widest the box may be.
    pub max_width: u16,
}

impl Popup<'_> {
    pub fn render(self, frame: &mut Frame, screen: Rect, theme: Theme) {
        let width = self.max_width.min(screen.width.saturating_sub(4)).max(20);
        let inner = usize::from(width.saturating_sub(2)).max(1);
        // Rows after wrapping, counted generously so nothing is cut when room allows.
        let rows: usize = self
            .lines
            .iter()
            .map(|l| l.width().div_ceil(inner).max(1))
            .sum();
        let height = (rows as u16 + 2).min(screen.height.saturating_sub(2));
        let area = centered(screen, width, height);
        frame.render_widget(Clear, area);
        let block = Block::bordered()
            .border_type(BorderType::Double)
            .border_style(self.border)
            .title(self.title)
            .title_bottom(Line::styled(format!(" {} ", self.hint), theme.dim()));
        frame.render_widget(
            Paragraph::new(self.lines)
                .wrap(Wrap { trim: false })
                .block(block),
            area,
        );
    }
}
