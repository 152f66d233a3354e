//! The replay scrubber: the run's length as a bar, the position in it, and marks where blockers
//! (‼), decisions (◆), failures (✖) and gate results (◇) happened.

use crate::record::player::MarkerKind;
use crate::time::TimeUnit;
use crate::ui::theme::Theme;
use crate::ui::view::Scrubber;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(
    frame: &mut Frame,
    area: Rect,
    scrubber: &Scrubber,
    clock_ms: u64,
    unit: TimeUnit,
    theme: Theme,
) {
    let label = format!(
        " {} / {} · event {}/{} ",
        unit.format(clock_ms),
        unit.format(scrubber.end_ms),
        scrubber.position,
        scrubber.events
    );
    let width = usize::from(area.width).saturating_sub(label.chars().count());
    if width < 4 {
        frame.render_widget(Paragraph::new(label), area);
        return;
    }
    let end = scrubber.end_ms.max(1);
    let col = |t: u64| ((t.min(end) as u128 * (width - 1) as u128) / end as u128) as usize;
    let here = col(clock_ms);
    let mut cells: Vec<(char, Style)> = (0..width)
        .map(|x| {
            if x < here {
                ('━', theme.accent())
            } else {
                ('─', theme.dim())
            }
        })
        .collect();
    for m in scrubber.markers {
        let (c, style) = match m.kind {
            MarkerKind::Blocker => ('‼', theme.bad()),
            MarkerKind::Decision => ('◆', theme.good()),
            MarkerKind::Failure => ('✖', theme.bad()),
            MarkerKind::Gate => ('◇', theme.accent()),
        };
        cells[col(m.at_ms)] = (c, style);
    }
    cells[here] = ('●', theme.bold());
    let spans: Vec<Span> = std::iter::once(Span::styled(label, theme.bold()))
        .chain(
            cells
                .into_iter()
                .map(|(c, s)| Span::styled(c.to_string(), s)),
        )
        .collect();
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
