//! Overlays share one look: a cleared, bordered box over the dashboard with a title and a key
//! hint at the bottom, sized to its content within the screen; content taller than the screen
//! scrolls to keep a chosen run of lines in view.

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
        self.render_showing(frame, screen, theme, None);
    }

    /// Renders with `focus` in view: `(first, count)`, a run of `lines` that the box scrolls to
    /// when the content is taller than the screen allows; the top border then says which rows show.
    pub fn render_showing(
        self,
        frame: &mut Frame,
        screen: Rect,
        theme: Theme,
        focus: Option<(usize, usize)>,
    ) {
        let width = self.max_width.min(screen.width.saturating_sub(4)).max(20);
        let inner = usize::from(width.saturating_sub(2)).max(1);
        // Rows after wrapping, counted generously so nothing is cut when room allows.
        let rows: Vec<usize> = self
            .lines
            .iter()
            .map(|l| l.width().div_ceil(inner).max(1))
            .collect();
        let total: usize = rows.iter().sum();
        let height = (total as u16 + 2).min(screen.height.saturating_sub(2));
        let visible = usize::from(height.saturating_sub(2)).max(1);
        let offset = match focus {
            Some((first, count)) if total > visible => {
                let start: usize = rows.iter().take(first).sum();
                let block: usize = rows.iter().skip(first).take(count).sum();
                if start + block <= visible {
                    0
                } else {
                    start
                        .saturating_sub(visible.saturating_sub(block) / 2)
                        .min(total - visible)
                }
            }
            _ => 0,
        };
        let area = centered(screen, width, height);
        frame.render_widget(Clear, area);
        let mut block = Block::bordered()
            .border_type(BorderType::Double)
            .border_style(self.border)
            .title(self.title)
            .title_bottom(Line::styled(format!(" {} ", self.hint), theme.dim()));
        if total > visible {
            let rows = format!(
                " ↕ rows {}-{} of {total} ",
                offset + 1,
                (offset + visible).min(total)
            );
            block = block.title_top(Line::styled(rows, theme.dim()).right_aligned());
        }
        frame.render_widget(
            Paragraph::new(self.lines)
                .wrap(Wrap { trim: false })
                .scroll((u16::try_from(offset).unwrap_or(u16::MAX), 0))
                .block(block),
            area,
        );
    }
}
